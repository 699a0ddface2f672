// Named errors and the plain-data form an error takes inside a run's results.

/** Error codes servebench raises itself; each names one kind of problem. */
export type ErrorCode =
  | 'SB_ERR_OPTION' // a command-line or API option is invalid
  | 'SB_ERR_INPUT' // a results file or other input cannot be read
  | 'SB_ERR_SPAWN' // a child process could not be started
  | 'SB_ERR_NOT_READY' // a child process did not become ready in time
  | 'SB_ERR_EXITED' // a child process exited while it was needed
  | 'SB_ERR_TIMEOUT' // an operation exceeded its time limit
  | 'SB_ERR_MISSING_TOOL' // an external program (nginx, redis-server, perf...) is not installed
  | 'SB_ERR_NATIVE' // the native addon is unavailable or misbehaved
  | 'SB_ERR_UPSTREAM' // a dependency of a service (feature store, model API) failed
  | 'SB_ERR_INTERNAL';

export class ServebenchError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ServebenchError';
    this.code = code;
    if (options?.details !== undefined) this.details = options.details;
  }
}

/** An invalid option: the message names the option and what is allowed. */
export class OptionError extends ServebenchError {
  readonly option: string;
  constructor(option: string, message: string) {
    super('SB_ERR_OPTION', `${option}: ${message}`);
    this.name = 'OptionError';
    this.option = option;
  }
}

/** An error stored as data inside results, so one failing case never loses the finished ones. */
export interface ErrorInfo {
  code: string;
  message: string;
  stack?: string;
}

export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof ServebenchError) {
    return { code: err.code, message: err.message, ...(err.stack === undefined ? {} : { stack: err.stack }) };
  }
  if (err instanceof Error) {
    const code = typeof (err as NodeJS.ErrnoException).code === 'string' ? String((err as NodeJS.ErrnoException).code) : err.name;
    return { code, message: err.message, ...(err.stack === undefined ? {} : { stack: err.stack }) };
  }
  return { code: 'SB_ERR_INTERNAL', message: String(err) };
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
