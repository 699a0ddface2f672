// Result types of the kernels suite (owned by that suite; see src/kernels/).

export interface KernelsData {
  /** Placeholder until the suite lands. */
  notes?: string[];
}
