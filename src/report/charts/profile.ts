// The profile chart: per request path and tool, the share of samples in each frame group (stacked bars),
// from the summary that speaks for each case.

import { FRAME_GROUP_LABELS, type ProfileCase, type ProfileData } from '../../results/profile.js';
import { count } from '../format.js';
import { primarySummary } from '../profile.js';
import { CONFIG, type ChartSpec, GROUP_COLORS, LIGHT_GROUPS, PROFILE_ORDER, distinct, round, type VegaLiteSpec } from './spec.js';

type CompletedCase = Extract<ProfileCase, { state: 'completed' }>;

/** One bar per case (its label), one segment per frame group with samples, in PROFILE_ORDER. */
function profileRows(done: CompletedCase[]): { rows: VegaLiteSpec[]; labels: string[] } {
  const predicts = distinct(done.map((c) => c.predict));
  const rows: VegaLiteSpec[] = [];
  const labels: string[] = [];
  for (const c of done) {
    const s = primarySummary(c);
    if (s === undefined || s.total === 0) continue;
    const failed = c.load.failures.errors + c.load.failures.timeouts + c.load.failures.non2xx + c.load.failures.resets;
    const label = [
      c.path ?? 'your server',
      c.tool,
      ...(predicts.length > 1 && c.predict !== undefined ? [c.predict] : []),
      ...(c.topology === 'single' || c.topology === undefined ? [] : [c.topology]),
      s.unit === 'bytes' ? 'live bytes' : `${count(s.total)} samples`,
      ...(failed > 0 ? [`${count(failed)} failed`] : []),
    ].join(' · ');
    labels.push(label);
    let x0 = 0;
    for (const g of PROFILE_ORDER) {
      const share = s.groups.find((x) => x.group === g)?.fraction ?? 0;
      if (share <= 0) continue;
      rows.push({
        row: label,
        group: FRAME_GROUP_LABELS[g],
        x0: round(x0),
        x1: round(x0 + share),
        mid: round(x0 + share / 2),
        share: round(share),
        text: share >= 0.06 ? `${Math.round(share * 100)}%` : '',
        light: LIGHT_GROUPS.includes(g),
      });
      x0 += share;
    }
  }
  return { rows, labels };
}

export function profileChart(d: ProfileData): ChartSpec | null {
  const done = d.cases.filter((c): c is CompletedCase => c.state === 'completed');
  const { rows, labels } = profileRows(done);
  if (rows.length === 0) return null;
  const present = PROFILE_ORDER.filter((g) => rows.some((r) => r.group === FRAME_GROUP_LABELS[g]));
  const y = { field: 'row', type: 'nominal', title: null, sort: labels, axis: { labelLimit: 320, labelFontSize: 12 } };
  const s = d.settings;
  const subject = s.predict === undefined ? 'your server' : `${s.predict} predict`;
  const notes: string[] = [];
  const doctors = done.filter((c) => c.doctor !== undefined).map((c) => `${c.path ?? 'your server'} → ${c.doctor!.category}`);
  if (doctors.length > 0) notes.push(`clinic doctor's verdict: ${doctors.join(', ')}`);
  const errored = d.cases.filter((c) => c.state === 'errored').map((c) => c.id);
  if (errored.length > 0) notes.push(`errored: ${errored.join(', ')}`);
  return {
    name: 'profile',
    chart: 'profile',
    section: 'profile',
    title: 'Profiles: share of samples by frame group, per request path and tool',
    caption:
      'Extracted from the profile data of each case (its busiest process, or all workers merged): where the samples landed. ' +
      'Blocked waiting: a synchronous wait with work queued behind it; idle: the event loop waiting for work.' +
      `${notes.length > 0 ? ` ${notes.join('; ')}.` : ''}`,
    spec: {
      title: {
        text: 'Profiles: where the samples land',
        subtitle: `${subject}, ${s.connections} connections for ${s.durationMs / 1000} s per case${notes.map((n) => ` · ${n}`).join('')}`,
      },
      width: 560,
      height: { step: 46 },
      data: { values: rows },
      layer: [
        {
          mark: { type: 'bar', stroke: 'white', strokeWidth: 1 },
          encoding: {
            y,
            x: {
              field: 'x0',
              type: 'quantitative',
              title: 'share of samples (%)',
              scale: { domain: [0, 1], nice: false },
              axis: { format: '.0%', values: [0, 0.2, 0.4, 0.6, 0.8, 1] },
            },
            x2: { field: 'x1' },
            color: {
              field: 'group',
              type: 'nominal',
              title: 'frame group',
              scale: { domain: present.map((g) => FRAME_GROUP_LABELS[g]), range: present.map((g) => GROUP_COLORS[g]) },
              legend: { orient: 'bottom', columns: 5, symbolType: 'square' },
            },
          },
        },
        {
          mark: { type: 'text', fontSize: 11, fontWeight: 'bold' },
          encoding: {
            y,
            x: { field: 'mid', type: 'quantitative' },
            text: { field: 'text' },
            color: { condition: { test: 'datum.light', value: '#1b1f24' }, value: 'white' },
          },
        },
      ],
      config: CONFIG,
    },
  };
}
