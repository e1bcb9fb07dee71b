/**
 * The stall watchdog: a session with no inbound message for 2.5 × the PINGPONG interval, while traffic
 * is expected, is declared dead and terminated, so the connection loop replaces it.
 */
import WebSocket from 'ws';
import { Disposable, toDisposable } from '../common/lifecycle';
import { seconds, type SessionView } from './context';
import type { AgentCounters } from './counters';
import type { SubscriptionManager } from './subscriptions';
import type { TaskTracker, TimerHandle } from './tasks';

/** What the watchdog reads and where it reports. */
export interface WatchdogOptions {
  tracker: TaskTracker;
  counters: AgentCounters;
  subs: SubscriptionManager;
  session: SessionView;
  /** The server's expected PINGPONG interval (ms). */
  pingIntervalMs: number;
  now: () => number;
}

/** One tracked timer per session; see `armWatchdog`. */
export class StallWatchdog extends Disposable {
  private watchdog: TimerHandle | undefined;

  constructor(private readonly o: WatchdogOptions) {
    super();
    this._register(toDisposable(() => this.cancel()));
  }

  /**
   * One tracked timer per session. Instead of re-arming on every message (tens of thousands per second
   * at full load), it fires at the deadline, compares against the last inbound time, and re-arms for the
   * remainder: the same effect as a reset-on-message timer at a fraction of the cost.
   */
  armWatchdog(): void {
    const stallMs = this.o.pingIntervalMs * 2.5;
    const check = (): void => {
      this.watchdog = undefined;
      const ws = this.o.session.socket();
      if (!ws || ws.readyState !== WebSocket.OPEN) return;
      const idleMs = this.o.now() - (this.o.counters.lastMessageAt ?? 0);
      const expectingTraffic = this.o.subs.registrations > 0 || this.o.subs.inFlight > 0;
      if (idleMs >= stallMs && expectingTraffic) {
        this.o.counters.stalls += 1;
        // terminate(), not close(): a stalled peer would not answer a close handshake either.
        this.o.session.endSession(
          {
            code: 'STALLED',
            message: `No message from KIS for ${seconds(idleMs)} (a PINGPONG is expected every ${seconds(this.o.pingIntervalMs)}); the session looks dead`,
          },
          true,
        );
        return;
      }
      this.watchdog = this.o.tracker.timer(idleMs >= stallMs ? stallMs : stallMs - idleMs, check);
    };
    this.watchdog = this.o.tracker.timer(stallMs, check);
  }

  /** Stops watching (the session closed). */
  cancel(): void {
    this.watchdog?.cancel();
    this.watchdog = undefined;
  }
}
