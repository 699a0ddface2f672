// Links from a run report to the files of its run: the profile's flame graphs and tools' reports, the
// hardware page, results.json. A link is given only for a file that exists, relative to the folder the report
// is written to, so every link of results.md and results.html resolves; otherwise the path is shown as text.

import { existsSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { ProfileData } from '../results/profile.js';

/** Where a report is written, and so what its links are relative to (undefined: no file links at all). */
export interface ReportPlace {
  /** The folder the report is written to (results.md, results.html): links are relative to it. */
  from?: string;
  /** The run folder (results.json, profile/, hardware.html). @default from */
  runDir?: string;
}

/** The run folder of a place (undefined: no file links). */
export function runDirOf(place: ReportPlace): string | undefined {
  return place.runDir ?? place.from;
}

const posix = (p: string) => p.split(sep).join('/');

/** A link from the report to a file or folder, when it exists. */
export function fileLink(place: ReportPlace, target: string): string | undefined {
  if (place.from === undefined || !existsSync(target)) return undefined;
  const rel = posix(relative(place.from, target));
  return rel === '' ? '.' : rel;
}

/**
 * A link to a profile artefact (its path relative to the profile's folder): in the folder the data names, or,
 * when the run folder was moved, in <report folder>/profile/ where the main job puts it.
 */
export function artefactLinker(place: ReportPlace, p: ProfileData): (path: string) => string | undefined {
  return (path) => {
    const run = runDirOf(place);
    if (run === undefined) return undefined;
    for (const dir of [p.outDir, join(run, 'profile')]) {
      const link = fileLink(place, join(dir, path));
      if (link !== undefined) return link;
    }
    return undefined;
  };
}

/** The profile's folder as a link with its size from the data: "[profile/](profile/) (44 MB in 31 files)". */
export function profileFolderWords(place: ReportPlace, p: ProfileData): string {
  const files = p.cases.flatMap((c) => (c.state === 'completed' ? c.artefacts : []));
  const bytes = files.reduce((a, f) => a + f.bytes, 0);
  const size = `${(bytes / 1e6).toFixed(bytes >= 1e7 ? 0 : 1)} MB in ${files.length} files`;
  const run = runDirOf(place);
  const candidates = [p.outDir, run === undefined ? undefined : join(run, 'profile')];
  const dir = candidates.find((d): d is string => d !== undefined && existsSync(d) && statSync(d).isDirectory());
  const link = dir === undefined ? undefined : fileLink(place, dir);
  const name = link === undefined ? `\`${p.outDir}\`` : `[${link}/](${encodeURI(link)}/)`;
  return `The profilers' files (flame graphs, the tools' own reports, the raw profiles): ${name}, ${size}.`;
}
