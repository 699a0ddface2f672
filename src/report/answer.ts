// What an answer of the run report is (a question, this run's figures in sentences, what they mean, the
// published experiment), and the report's section headings the answers link to.

/** One question answered from a run's data. */
export interface Answer {
  question: string;
  /** What this run measured, in plain sentences with their figures (or why it did not). */
  sentences: string[];
  /** What it means, in a few sentences. */
  meaning: string;
  /** The published experiment it reproduces, by what it measured, with that experiment's own figures. */
  published: string;
  /** Headings of the report's sections that hold the details. */
  sections: string[];
}

/** The section headings of the run report (the answers link to them; run-report.ts writes them). */
export const SECTION_TITLES = {
  load: 'Load: request paths and topologies',
  profile: 'Profiles: where the time goes',
  concurrency: 'High concurrency: one process vs a pool behind nginx',
  experiments: 'Experiments: Redis queue and autoscaling',
  kernels: 'Kernels: the mean over n values',
  capacity: 'Capacity: the n at which memory runs out',
} as const;

/** A sentence's first letter in capitals. */
export function cap(s: string): string {
  return `${s.charAt(0).toUpperCase()}${s.slice(1)}`;
}
