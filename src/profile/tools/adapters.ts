// Every profiler `servebench profile --tool` knows, by name, behind the one ProfilerAdapter interface.

import type { ProfileToolName } from '../../results/profile.js';
import { clinicAdapter } from './clinic.js';
import { cpuprof } from './cpuprof.js';
import { perf } from './perf.js';
import type { ProfilerAdapter } from './types.js';
import { zeroX } from './zero-x.js';

export const ADAPTERS: Record<ProfileToolName, ProfilerAdapter> = {
  '0x': zeroX,
  doctor: clinicAdapter('doctor'),
  flame: clinicAdapter('flame'),
  bubbleprof: clinicAdapter('bubbleprof'),
  heap: clinicAdapter('heap'),
  cpuprof,
  perf,
};
