/**
 * Errors of the agent as data: one class with a stable `code`. The message is a user-facing sentence
 * that never contains a secret (callers build it from masked values only).
 */

/** Every code the agent reports (in `AgentError.code`, the 'error' event and `AgentStats.lastErrorCode`). */
export type AgentErrorCode =
  /** The REST approval endpoint rejected the appkey/appsecret, or the server rejected a fresh approval key. */
  | 'BAD_CREDENTIALS'
  /** The REST approval endpoint could not be reached (DNS, refused, timeout). */
  | 'REST_UNREACHABLE'
  /** The approval endpoint answered something other than an approval key. */
  | 'APPROVAL_FAILED'
  /** OPSP8996: another session holds this appkey. */
  | 'APPKEY_IN_USE'
  /** No inbound message for 2.5 × the PINGPONG interval. */
  | 'STALLED'
  /** The socket closed or failed. */
  | 'CONNECTION_LOST'
  /** The 41-registration budget of a KIS session is used up (locally or OPSP0008). */
  | 'MAX_SUBSCRIPTIONS'
  /** The server refused one subscribe/unsubscribe (any other per-request OPSP error). */
  | 'REFUSED'
  /** No ack arrived within `ackTimeoutMs`. */
  | 'ACK_TIMEOUT'
  /** A malformed tr_id / tr_key passed to subscribe/unsubscribe. */
  | 'INVALID_REQUEST'
  /** A queued subscribe was overtaken by an unsubscribe of the same key before it was sent. */
  | 'CANCELLED'
  /** `disconnect()` was called while the request or connect was pending. */
  | 'DISCONNECTED'
  /** The agent is stopped (fatal error) or was disposed. */
  | 'STOPPED'
  | 'DISPOSED'
  /** The agent was constructed with unusable options (a bad URL, an empty appkey). */
  | 'INVALID_OPTIONS';

/** An error with a stable code. */
export class AgentError extends Error {
  constructor(
    readonly code: AgentErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AgentError';
  }
}

/** True for an AgentError with one of `codes` (any code when none given). */
export function isAgentError(error: unknown, ...codes: AgentErrorCode[]): error is AgentError {
  return error instanceof AgentError && (codes.length === 0 || codes.includes(error.code));
}

/** The one sentence every MAX_SUBSCRIPTIONS error carries. */
export const MAX_SUBSCRIPTIONS_MESSAGE = 'KIS allows 41 real-time registrations per session; unsubscribe one first';
