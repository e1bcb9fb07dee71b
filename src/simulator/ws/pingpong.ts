/**
 * The PINGPONG keep-alive of one simulator connection: the periodic PINGPONG (kis-protocol.md §6), the
 * log of those sent, their echoes (a text frame or a control pong with the same payload) and, in strict
 * mode, the deadline after which a silent client is closed (1008). One interval and at most one deadline
 * timer; `dispose()` clears both.
 */
import { performance } from 'node:perf_hooks';
import type { WebSocket } from 'ws';
import { buildPingPong } from '../../kis';
import { formatKstDateTime } from '../../market';
import type { PingLogEntry, SessionHost } from './sessionTypes';

/** Is this (already JSON-looking) text a PINGPONG echo? Cheap substring test before parsing. */
export function isPingPongEcho(text: string): boolean {
  if (!text.includes('PINGPONG')) return false;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) return false;
    const header = (parsed as { header?: unknown }).header;
    return typeof header === 'object' && header !== null && (header as { tr_id?: unknown }).tr_id === 'PINGPONG';
  } catch {
    return false;
  }
}

/** The keep-alive of one session. */
export class KeepAlive {
  private timer?: NodeJS.Timeout;
  private deadline?: NodeJS.Timeout;
  private readonly pending: PingLogEntry[] = [];
  private stopped = false;

  constructor(
    private readonly sessionId: number,
    private readonly ws: WebSocket,
    private readonly host: SessionHost,
  ) {}

  /** Starts the periodic PINGPONG (once; later calls do nothing). */
  start(): void {
    if (this.timer !== undefined || this.stopped) return;
    this.timer = setInterval(() => this.send(), this.host.options.pingIntervalMs);
  }

  /** Sends one PINGPONG now (also used by tests through the server); nothing while stalled. */
  send(): void {
    if (this.stopped || this.host.faults.stalled) return;
    const { options } = this.host;
    const sentAt = options.now();
    const text = buildPingPong(formatKstDateTime(new Date(sentAt)));
    this.ws.send(text);
    const entry: PingLogEntry = { sessionId: this.sessionId, sentAt, text, sentMono: performance.now() };
    this.pending.push(entry);
    this.host.onPing(entry);
    if (options.strictPingPong && this.deadline === undefined) {
      this.deadline = setTimeout(() => {
        this.deadline = undefined;
        // The client never answered: end the session as a keep-alive failure.
        this.ws.close(1008, 'PINGPONG timeout');
      }, options.pingTimeoutMs);
    }
  }

  /** A control pong: an echo when it carries the text of a PINGPONG still unanswered. */
  onPong(text: string): void {
    if (this.stopped) return;
    if (this.pending.some((p) => p.text === text)) this.echoed('pong', text);
  }

  /** Records the echo of the oldest unanswered PINGPONG (or of the one whose text a pong carries). */
  echoed(via: 'text' | 'pong', payload?: string): void {
    const index = payload === undefined ? 0 : this.pending.findIndex((p) => p.text === payload);
    const entry = this.pending[index];
    if (entry === undefined) return;
    this.pending.splice(index, 1);
    entry.echoedAt = this.host.options.now();
    entry.delayMs = performance.now() - entry.sentMono;
    entry.via = via;
    if (this.pending.length === 0 && this.deadline !== undefined) {
      clearTimeout(this.deadline);
      this.deadline = undefined;
    }
    this.host.onEcho(entry);
  }

  /** Stops the interval and the deadline and forgets the unanswered PINGPONGs. Idempotent. */
  dispose(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    if (this.deadline !== undefined) clearTimeout(this.deadline);
    this.timer = this.deadline = undefined;
    this.pending.length = 0;
  }
}
