// Result types of the serving suite (owned by that suite; see src/serving/).

export interface ServingData {
  /** Placeholder until the suite lands. */
  notes?: string[];
}
