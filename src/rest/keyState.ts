/**
 * Per-app-key state shared by every client of the key in this process: KIS limits the key, not the caller,
 * so the limiter and the token must be one. Reference-counted; the last client's close() releases it.
 */
import type { Redactor } from '../common/redact';
import { RestError } from './errors';
import type { RateLimiter } from './rateLimiter';
import type { TokenIssuer, TokenManager } from './tokenManager';

/** What the clients of one key share. */
export interface KeyState {
  limiter: RateLimiter;
  tokens: TokenManager;
  /** Every client's redactor, so each learns a token issued by another. */
  redactors: Set<Redactor>;
  /**
   * The token issuers of the key's live clients. The token manager issues through any of them, not the
   * client that created the state: that one may be closed while others of the key are still open.
   */
  issuers: Set<TokenIssuer>;
  release(): void;
}

const shared = new Map<string, { state: KeyState; refs: number }>();

/** Issues through the first live client of `state`; CLOSED when none is left. */
export function issueThroughAny(state: Pick<KeyState, 'issuers'>): ReturnType<TokenIssuer> {
  for (const issue of state.issuers) return issue();
  return Promise.reject(new RestError('CLOSED', 'every client of this key is closed'));
}

/** The state of `id` (an opaque hash of base URL and credentials), created by `make` on first use. */
export function sharedKeyState(id: string, make: () => Omit<KeyState, 'release'>): KeyState {
  let entry = shared.get(id);
  if (entry === undefined) {
    const made = make();
    const state: KeyState = {
      ...made,
      release: () => {
        const e = shared.get(id);
        if (e === undefined) return;
        e.refs -= 1;
        if (e.refs <= 0) shared.delete(id);
      },
    };
    entry = { state, refs: 0 };
    shared.set(id, entry);
  }
  entry.refs += 1;
  return entry.state;
}
