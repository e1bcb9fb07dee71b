/**
 * OPSP8996 holds: after KIS says an app key is already in use, no agent in this process may open a
 * session with that key before the hold ends.
 *
 * Why process-wide: a fast retry after OPSP8996 can lock the key's slot on the server for hours
 * (kis-protocol.md §9, §11.8). The wait used to live in the agent that saw the refusal, so a manual
 * "Connect", a data-source switch or a restarted session (each a new agent) retried at once. The slot is
 * the server's, per key, so the hold is kept per key for the whole process.
 *
 * Keys are held as SHA-256 digests, so this table never becomes another place where an app key sits.
 */
import { createHash } from 'node:crypto';

function digest(appkey: string): string {
  return createHash('sha256').update(appkey).digest('hex');
}

/** Earliest reconnect time per app key (epoch ms). */
export class AppkeyHolds {
  private readonly until = new Map<string, number>();

  /** No session with `appkey` before `untilMs` (a later hold wins; an earlier one never shortens it). */
  hold(appkey: string, untilMs: number): void {
    const key = digest(appkey);
    if (untilMs > (this.until.get(key) ?? 0)) this.until.set(key, untilMs);
  }

  /** How long (ms) a session with `appkey` must still wait at `nowMs`; 0 when it may go. */
  remainingMs(appkey: string, nowMs: number): number {
    const key = digest(appkey);
    const until = this.until.get(key);
    if (until === undefined) return 0;
    if (until <= nowMs) {
      this.until.delete(key);
      return 0;
    }
    return until - nowMs;
  }
}

/** The table every agent uses unless given its own (tests). */
export const processAppkeyHolds = new AppkeyHolds();
