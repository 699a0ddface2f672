// An HTTP answer other than 2xx, as every service raises it: a status, a stable code, and a message naming
// the problem. Its own module so that the input checks, the models and the upstream errors can use it
// without the server.

/** An answer other than 2xx, with a stable code and a message naming the problem. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
  }
}
