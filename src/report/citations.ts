// The published experiments servebench reproduces, named by what they measured (a reader can look them up by
// that, never by the project's own numbering), and the rewording of any text the measuring code wrote with
// an internal reference ("issue 3: >= 20x", "seed 001: ...") into those names.

/** Each published experiment, by what it measured. */
export const PUBLISHED = {
  concurrency: 'the published Flask vs nginx + gunicorn experiment (one development server against nginx over 4 gunicorn workers, 50,000 Locust users)',
  queue: 'the published Flask API with a Redis queue (1 vs 2 model services)',
  autoscale: 'the published Kubernetes autoscaling experiment (a HorizontalPodAutoscaler over model servers)',
  kernels: 'the published Flask vs gunicorn experiment on io-bound and CPU-bound predicts (a mean over n values, and the n at which memory runs out)',
  paths: 'the published sync (Flask) vs async (FastAPI) scoring experiment (a handler reading features from Redis and calling two 40-50 ms model APIs)',
} as const;

const SEED_NAMES: Record<string, string> = {
  '000': 'the published Flask vs nginx + gunicorn experiment',
  '001': 'the published Flask API with a Redis queue',
  '002': 'the published Kubernetes autoscaling experiment',
  '003': 'the published Flask vs gunicorn io-bound and CPU-bound experiment',
  '004': 'the published sync vs async scoring experiment',
};

/**
 * Text with the project's internal references replaced: "(issue 3: >= 20x)" -> "(goal: >= 20x)", "issue 4: within
 * 10%" -> "goal: within 10%", "seed 001: 9.7 / 5.8 rps" -> "the published Flask API with a Redis queue: 9.7 / 5.8 rps",
 * "(seed 002, emulated HPA)" -> "(emulated HPA)".
 */
export function plainWords(text: string): string {
  return text
    .replace(/\bissues? \d+(?: and \d+)?'s /gi, '')
    .replace(/\bissues? \d+(?: and \d+)?: /gi, 'goal: ')
    .replace(/\(issues? \d+(?: and \d+)?\)/gi, '')
    .replace(/\(seed (\d{3}), /gi, '(')
    .replace(/\bseed (\d{3})/gi, (_m, n: string) => SEED_NAMES[n] ?? 'a published experiment')
    .replace(/ {2,}/g, ' ');
}
