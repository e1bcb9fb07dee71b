/** Typed REST client errors: a stable `code`, a message with no secret in it. */

/** The stable codes of the REST client's errors. */
export type RestErrorCode =
  | 'REST_DOWN'
  | 'TIMEOUT'
  | 'RATE_LIMITED'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_TOO_SOON'
  | 'BAD_RESPONSE'
  | 'UNKNOWN_SYMBOL'
  | 'BAD_CREDENTIALS'
  | 'KIS_ERROR'
  | 'UNSUPPORTED'
  | 'CLOSED'
  | 'TOKEN_STORE';

/** An error of the REST client. `kisCode` is the EGW/msg_cd when KIS sent one. */
export class RestError extends Error {
  constructor(
    readonly code: RestErrorCode,
    message: string,
    readonly kisCode?: string,
    readonly status?: number,
    /** TOKEN_TOO_SOON: how long until KIS takes another token request (its one-a-minute limit). */
    readonly retryAfterMs?: number,
  ) {
    super(`${code}: ${message}`);
    this.name = 'RestError';
  }
}
