// The run report's summary of answers: the five questions servebench exists to answer, each as plain
// sentences with this run's figures, what they mean, and the published experiment it reproduces (named by
// what it measured), with links to the sections that hold the details. Built from the data only.

import type { BenchData } from '../results/bench.js';
import type { Answer } from './answer.js';
import { concurrencyAnswer } from './answers-concurrency.js';
import { kernelsAnswer } from './answers-kernels.js';
import { autoscaleAnswer, pathsAnswer, queueAnswer } from './answers-serving.js';

export { SECTION_TITLES } from './answer.js';

/** The five answers, in the order of the questions. */
export function answers(data: BenchData): Answer[] {
  return [pathsAnswer(data), concurrencyAnswer(data), queueAnswer(data), autoscaleAnswer(data), kernelsAnswer(data)];
}

/**
 * The answers as Markdown: a heading per question, the sentences, "What it means", the published experiment, and
 * links to the details. `link(title)` gives a section's anchor (undefined: the section is not in the report).
 */
export function answersMarkdown(list: readonly Answer[], link: (title: string) => string | undefined): string[] {
  const out: string[] = [];
  for (const [i, a] of list.entries()) {
    out.push(`### ${i + 1}. ${a.question}`, '', a.sentences.join(' '), '', `**What it means.** ${a.meaning}`, '', `**Published.** ${a.published}`);
    const links = a.sections.flatMap((t) => {
      const anchor = link(t);
      return anchor === undefined ? [] : [`[${t}](#${anchor})`];
    });
    if (links.length > 0) out.push('', `Details: ${links.join(' · ')}.`);
    out.push('');
  }
  return out;
}

/** The answers on the terminal: the question, then its sentences. */
export function answersTerminal(list: readonly Answer[]): string[] {
  return list.flatMap((a, i) => [`${i + 1}. ${a.question}`, `   ${a.sentences.join(' ')}`]);
}
