// Result types of the hardware suite (owned by that suite; see src/hardware/).

export interface HardwareData {
  /** Placeholder until the suite lands. */
  notes?: string[];
}
