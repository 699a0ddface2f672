// Result types of the load suite (owned by that suite; see src/load/).

export interface LoadData {
  /** Placeholder until the suite lands. */
  notes?: string[];
}
