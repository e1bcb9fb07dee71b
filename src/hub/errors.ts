/** Errors of the hub as data: a stable `code` and a sentence without secrets. */

/** Stable codes of hub failures. */
export type HubErrorCode =
  /** The hub directory (or a file in it) is not owned by this user or is group/world-accessible. */
  | 'HUB_UNSAFE_DIR'
  /** The leader refused our hello (wrong token, version mismatch). */
  | 'HUB_REFUSED'
  /** The channel could not be reached or bound. */
  | 'HUB_UNREACHABLE';

/** A hub failure. */
export class HubError extends Error {
  constructor(
    readonly code: HubErrorCode,
    message: string,
    /** A more specific cause: the errno code (ENOENT, ECONNREFUSED) or the leader's refusal code. */
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'HubError';
  }
}
