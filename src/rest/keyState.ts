/**
 * Per-app-key state shared by every client of the key in this process: KIS limits the key, not the caller,
 * so the limiter and the token must be one. Reference-counted; the last client's close() releases it.
 */
import type { Redactor } from '../common/redact';
import type { RateLimiter } from './rateLimiter';
import type { TokenManager } from './tokenManager';

/** What the clients of one key share. */
export interface KeyState {
  limiter: RateLimiter;
  tokens: TokenManager;
  /** Every client's redactor, so each learns a token issued by another. */
  redactors: Set<Redactor>;
  release(): void;
}

const shared = new Map<string, { state: KeyState; refs: number }>();

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
