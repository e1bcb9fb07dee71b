/**
 * The agent's counters: plain fields the hot path only increments, read together by `KisAgent.stats()`.
 * One object shared by the connection loop, the receiver and the watchdog, so each part counts what it
 * sees and none of them owns the snapshot.
 */
import { RateWindow, SampleWindow } from './stats';

/** The agent's statistics (see `AgentStats` in shared/stats.ts for what each one means). */
export class AgentCounters {
  connectedSince: number | undefined;
  nextRetryAt: number | undefined;
  lastError: string | undefined;
  lastErrorCode: string | undefined;
  reconnects = 0;
  messages = 0;
  records = 0;
  bytes = 0;
  parseErrors = 0;
  handlerErrors = 0;
  pingpongs = 0;
  refused = 0;
  /** subscribe/unsubscribe calls refused locally for a malformed tr_id/tr_key (nothing was sent). */
  invalidRequests = 0;
  stalls = 0;
  /** Exceptions thrown by our own event listeners (caught; see KisAgent.safeEmit). */
  listenerErrors = 0;
  lastPingEchoMs: number | undefined;
  lastMessageAt: number | undefined;
  readonly lastTickAt = new Map<string, number>();
  readonly messageRate = new RateWindow(10);
  readonly ackRtt = new SampleWindow(256);
}
