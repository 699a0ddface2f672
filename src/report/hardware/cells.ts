// The section model of the hardware report: every renderer (Markdown, HTML, terminal) reads the same
// sections, so the three always say the same thing. A cell is text or an unknown fact with its reason.

import type { EnvBlock, Fact, MaybeKnown, MeasuredFrequency } from '../../results/env.js';
import { isUnknown } from '../../results/env.js';
import type { HardwareData } from '../../results/hardware.js';
import { percent } from '../format.js';

/** What the renderers read: a hardware.json envelope, or the same parts assembled by `servebench bench`. */
export interface HardwareReportInput {
  env: EnvBlock;
  data: HardwareData;
  createdAt?: string;
  servebench?: { version: string };
}

/** One table cell: text, or an unknown fact with its reason. */
export type Cell = { text: string } | { unknown: string };

export interface Table {
  columns: string[];
  rows: Cell[][];
}

export interface Section {
  id: string;
  title: string;
  paragraphs: string[];
  tables: Table[];
  /** Bulleted items (warnings, flags). */
  items?: string[];
  /** Shown as a highlighted warning. */
  alert?: string;
}

/** A share as the hardware report writes it: one decimal. */
export const pct = (x: number): string => percent(x, 1);

/** A text cell. */
export const t = (text: string | number): Cell => ({ text: String(text) });
/** An unknown cell, with why. */
export const u = (reason: string): Cell => ({ unknown: reason });

export function maybe<T>(v: MaybeKnown<T>, show: (v: T) => string = String): Cell {
  return isUnknown(v) ? u(v.reason) : t(show(v));
}

/** A fact's value and its source, as two cells. */
export function fact<T>(f: Fact<T>, show: (v: T) => string = String): [Cell, Cell] {
  return isUnknown(f) ? [u(f.reason), t('')] : [t(show(f.value)), t(f.source)];
}

export const cellText = (c: Cell): string => ('unknown' in c ? `unknown (${c.unknown})` : c.text);

/** A cgroup limit: 'max' is no limit. */
export function limit(v: MaybeKnown<number | 'max'>, show: (n: number) => string): Cell {
  if (isUnknown(v)) return u(v.reason);
  return t(v === 'max' ? 'none (max)' : show(v));
}

export function freqLine(label: string, f: Fact<number>): Cell[] {
  return [t(label), ...fact(f, (mhz) => `${mhz} MHz`)];
}

export function measuredCell(m: MaybeKnown<MeasuredFrequency>): [Cell, Cell] {
  if (isUnknown(m)) return [u(m.reason), t('')];
  return [t(`${m.mhz} MHz (measured; spread ${pct(m.relativeSpread)} over ${m.samplesMhz.length} repeats)`), t(m.method)];
}
