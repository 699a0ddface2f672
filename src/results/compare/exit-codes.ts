// The two exit codes of CI gating, beside 0 success, 1 errored, 2 bad options or input, 130/143 interrupted
// (src/cli.ts lists them all). Both are set only after every result is written.

/** A --threshold was crossed (or matched no figure, or a turned-on goal was not met). */
export const EXIT_THRESHOLD_CROSSED = 3;

/** compare --fail-on-regression: a significant regression beyond the allowance. */
export const EXIT_REGRESSION = 4;
