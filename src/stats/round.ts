// Rounding of the figures stored in results: one place, so every suite rounds the same way.

/** To one decimal: rates (rps), windows (ms), percentages. */
export function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

/** To three decimals: ratios and shares (0..1). */
export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
