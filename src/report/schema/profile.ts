// Result types of the profile suite (owned by that suite; see src/profile/).

export interface ProfileData {
  /** Placeholder until the suite lands. */
  notes?: string[];
}
