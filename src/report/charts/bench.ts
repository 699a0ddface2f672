// Every chart a whole run's data can give, in report order: the list the run report and the chart files
// are drawn from.

import type { BenchData, SuiteName } from '../../results/bench.js';
import { autoscaleChart } from './autoscale.js';
import { capacityChart } from './capacity.js';
import { faultsChart } from './faults.js';
import { kernelsChart } from './kernels.js';
import { loadRampChart } from './load-ramp.js';
import { profileChart } from './profile.js';
import { requestPathsChart } from './request-paths.js';
import type { ChartSpec } from './spec.js';

/** Every chart the run's data can give, in report order; a missing or empty section gives none. */
export function benchCharts(data: BenchData): ChartSpec[] {
  const out: ChartSpec[] = [];
  const add = (c: ChartSpec | null, section: SuiteName) => {
    if (c === null) return;
    // The same chart from two sections (a ramp in experiments too) gets the section's name in front.
    const name = out.some((x) => x.name === c.name) ? `${section}-${c.name}` : c.name;
    out.push({ ...c, name, section });
  };
  const s = data.sections;
  if (s.kernels !== undefined) add(kernelsChart(s.kernels), 'kernels');
  if (s.capacity !== undefined) add(capacityChart(s.capacity), 'capacity');
  for (const section of ['load', 'experiments'] as const) {
    const l = s[section];
    if (l === undefined) continue;
    add(loadRampChart(l), section);
    add(requestPathsChart(l), section);
    add(autoscaleChart(l), section);
    add(faultsChart(l), section);
  }
  if (s.profile !== undefined) add(profileChart(s.profile), 'profile');
  return out;
}
