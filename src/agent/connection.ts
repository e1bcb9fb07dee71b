/**
 * The connection loop: the agent's state machine and the one owner of its socket.
 *
 * States: idle → connecting → open → reconnecting → connecting → … ; `disconnect()` returns to idle,
 * a fatal error (bad credentials) or `close()` ends in stopped. One 'state' event per change.
 * The loop fetches an approval key, opens the socket, runs the session until it ends, backs off and
 * repeats, until it is aborted or a fatal error stops it. Everything it starts goes through the agent's
 * TaskTracker, so `disconnect()`/`close()` cancel and await it all. It builds and owns the session's
 * receiver (the 'message' listener) and the stall watchdog.
 */
import WebSocket from 'ws';
import { buildSubscribeRequest, shownTrKey } from '../kis';
import type { TrType } from '../kis/types';
import { formatKstClock } from '../market';
import { Disposable } from '../common/lifecycle';
import type { AgentState } from '../shared/stats';
import {
  closeSocket,
  describe,
  noop,
  seconds,
  type ConnectionParts,
  type ConnectionSettings,
  type PlannedEnd,
  type SessionOutcome,
  type SessionView,
} from './context';
import { AgentError, isAgentError } from './errors';
import { Receiver } from './receiver';
import { maskAppkey } from '../common/redact';
import { StallWatchdog } from './watchdog';

interface Waiter {
  resolve: () => void;
  reject: (error: AgentError) => void;
}

/** The agent's connection loop; see the module comment. */
export class Connection extends Disposable implements SessionView {
  private stateValue: AgentState = 'idle';
  private ws: WebSocket | undefined;
  private approvalKey = '';
  private plannedEnd: PlannedEnd | undefined;
  /** A fresh approval key was already tried after an OPSP0011 (reset by any successful subscribe ack). */
  private approvalRetried = false;
  private connectWaiters: Waiter[] = [];
  private stopping: Promise<void> | undefined;
  private disposing: Promise<void> | undefined;
  private closed = false;
  private readonly opts: ConnectionSettings;
  private readonly receiver: Receiver;
  private readonly watchdog: StallWatchdog;

  constructor(private readonly p: ConnectionParts) {
    super();
    this.opts = p.settings;
    this.receiver = this._register(
      new Receiver({
        ...p.receiver,
        appkey: p.settings.appkey,
        now: p.settings.now,
        tracker: p.tracker,
        subs: p.subs,
        counters: p.counters,
        session: this,
        outlets: p.outlets,
        onApprovalAccepted: () => {
          this.approvalRetried = false;
        },
        closeGap: (trId, trKey, at) => this.closeGap(trId, trKey, at),
      }),
    );
    this.watchdog = this._register(
      new StallWatchdog({
        tracker: p.tracker,
        counters: p.counters,
        subs: p.subs,
        session: this,
        pingIntervalMs: p.settings.pingIntervalMs,
        now: p.settings.now,
      }),
    );
  }

  /** The current state. */
  get state(): AgentState {
    return this.stateValue;
  }

  /** True once `close()` was called: the loop never starts again. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** The open session's socket (undefined between sessions). */
  socket(): WebSocket | undefined {
    return this.ws;
  }

  /** The open session's AES key/iv for a registration (see Receiver.cipherOf). */
  cipherOf(trId: string, trKey: string): { key: string; iv: string } | undefined {
    return this.receiver.cipherOf(trId, trKey);
  }

  /** See `KisAgent.connect`. */
  connect(): Promise<void> {
    if (this.closed) return Promise.reject(new AgentError('DISPOSED', 'The agent was disposed'));
    if (this.stopping) return this.stopping.then(() => this.connect());
    if (this.stateValue === 'open') return Promise.resolve();
    const promise = new Promise<void>((resolve, reject) => this.connectWaiters.push({ resolve, reject }));
    if (this.stateValue === 'idle' || this.stateValue === 'stopped') this.start();
    return promise;
  }

  /** See `KisAgent.disconnect`. */
  async disconnect(): Promise<void> {
    if (this.closed) return this.disposing;
    if (this.stopping) return this.stopping;
    if (this.stateValue === 'idle' || this.stateValue === 'stopped') return;
    this.stopping = this.shutdown(new AgentError('DISCONNECTED', 'Disconnected by the user'), 'idle');
    return this.stopping;
  }

  /** Disconnects for good: ends in 'stopped' and forgets the wanted set. Idempotent. */
  close(): Promise<void> {
    if (this.disposing) return this.disposing;
    this.closed = true;
    this.disposing = (async () => {
      if (this.stopping) await this.stopping;
      await this.shutdown(new AgentError('DISPOSED', 'The agent was disposed'), 'stopped');
      this.p.subs.clearWanted();
      this.p.counters.lastTickAt.clear();
    })();
    return this.disposing;
  }

  /** Sends a subscribe/unsubscribe request on the open session (nothing when there is none). */
  sendRequest(trType: TrType, trId: string, trKey: string): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    ws.send(
      buildSubscribeRequest({ approvalKey: this.approvalKey, trType, trId, trKey, custtype: this.opts.custtype }),
    );
  }

  // ------------------------------------------------------------------------------------------------
  // Lifecycle

  private start(): void {
    const counters = this.p.counters;
    counters.lastError = undefined;
    counters.lastErrorCode = undefined;
    this.approvalRetried = false;
    this.p.backoff.reset();
    this.receiver.reset();
    this.setState('connecting');
    this.p.tracker.renew();
    this.p.tracker
      .run((signal) => this.runLoop(signal))
      .catch((error: unknown) => {
        // runLoop handles its own failures; reaching here is a bug, but it must not leave the agent hanging.
        this.p.outlets.log('error', `Connection loop failed: ${describe(error)}`);
        this.stopFatal(new AgentError('CONNECTION_LOST', 'The connection loop failed unexpectedly'));
      });
  }

  /** Rejects waiters and requests, cancels and awaits every task (the socket closes with 1000), then sets `finalState`. */
  private async shutdown(reason: AgentError, finalState: 'idle' | 'stopped'): Promise<void> {
    this.rejectConnectWaiters(reason);
    this.p.subs.rejectAll(reason);
    await this.p.tracker.cancelAll(reason);
    this.p.gaps.clearOpen();
    this.receiver.reset();
    this.p.counters.nextRetryAt = undefined;
    this.p.counters.connectedSince = undefined;
    this.stopping = undefined;
    this.setState(finalState, reason.message);
  }

  /** A fatal error from inside the loop: stop without awaiting (the loop is itself a tracked task). */
  private stopFatal(fatal: AgentError): void {
    // Its message may quote the server (an approval error code): it leaves the agent redacted, like every log line.
    const error = new AgentError(fatal.code, this.p.redactor.redact(fatal.message));
    const counters = this.p.counters;
    counters.lastError = error.message;
    counters.lastErrorCode = error.code;
    counters.nextRetryAt = undefined;
    this.rejectConnectWaiters(error);
    this.p.subs.rejectAll(error);
    this.p.tracker.abort(error);
    this.p.gaps.clearOpen();
    this.p.outlets.log('error', error.message);
    this.p.outlets.emitError({ code: error.code, message: error.message });
    this.setState('stopped', error.message);
  }

  private rejectConnectWaiters(error: AgentError): void {
    const waiters = this.connectWaiters;
    this.connectWaiters = [];
    for (const waiter of waiters) waiter.reject(error);
  }

  /** Connect, run the session until it ends, back off, repeat; until aborted or a fatal error. */
  private async runLoop(signal: AbortSignal): Promise<void> {
    const counters = this.p.counters;
    while (!signal.aborted) {
      if (!(await this.waitForAppkeyHold(signal))) return;
      const outcome = await this.attempt(signal);
      if (signal.aborted) return;
      if (outcome.fatal) {
        this.stopFatal(outcome.fatal);
        return;
      }
      let delay = outcome.immediate ? 0 : this.p.backoff.next(outcome.openForMs);
      // OPSP8996: a fast retry can lock the appkey's slot for hours (kis-protocol.md §9, §11.8).
      if (outcome.code === 'APPKEY_IN_USE') {
        delay = Math.max(delay, this.opts.appkeyInUseBackoffMs);
        // Every agent of this process with this key waits too (see appkeyHold.ts).
        this.p.holds.hold(this.opts.appkey, this.opts.now() + delay);
      }
      counters.reconnects += 1;
      counters.lastError = outcome.message;
      counters.lastErrorCode = outcome.code;
      counters.nextRetryAt = this.opts.now() + delay;
      const reason =
        outcome.code === 'APPKEY_IN_USE'
          ? `appkey already in use elsewhere; retrying in ${seconds(delay)}`
          : `${outcome.message}; retrying in ${seconds(delay)}`;
      this.p.outlets.log(outcome.code === 'CONNECTION_LOST' ? 'info' : 'warn', reason);
      this.setState('reconnecting', reason);
      // Worth telling the user (the extension shows it); a plain drop is routine and only logged.
      if (outcome.code === 'APPKEY_IN_USE' || outcome.code === 'STALLED')
        this.p.outlets.emitError({ code: outcome.code, message: reason });
      // An OPSP8996 hold is waited out at the top of the loop, like one set by another agent.
      if (outcome.code === 'APPKEY_IN_USE') continue;
      if (!(await this.waitThenConnect(delay, signal))) return;
    }
  }

  /** Waits `ms` (state 'reconnecting'), then enters 'connecting'. Resolves false when aborted meanwhile. */
  private async waitThenConnect(ms: number, signal: AbortSignal): Promise<boolean> {
    try {
      await this.p.tracker.delay(ms, signal);
    } catch {
      return false;
    }
    this.p.counters.nextRetryAt = undefined;
    this.setState('connecting');
    return true;
  }

  /**
   * Waits out an OPSP8996 hold on this app key (set by this agent or an earlier one), in state
   * 'reconnecting' with the reason. Resolves false when aborted meanwhile.
   */
  private async waitForAppkeyHold(signal: AbortSignal): Promise<boolean> {
    const counters = this.p.counters;
    const holdMs = this.p.holds.remainingMs(this.opts.appkey, this.opts.now());
    if (holdMs <= 0) {
      // A hold of 0 ms (appkeyInUseBackoffMs 0) ends at once; leave 'reconnecting' as a waited one would.
      if (this.stateValue === 'reconnecting') {
        counters.nextRetryAt = undefined;
        this.setState('connecting');
      }
      return true;
    }
    counters.nextRetryAt = this.opts.now() + holdMs;
    // Already 'reconnecting': this agent's own refusal, whose reason was just given; else a hold set earlier.
    if (this.stateValue !== 'reconnecting') {
      const reason = `appkey ${maskAppkey(this.opts.appkey)} was reported in use elsewhere (OPSP8996); connecting in ${seconds(holdMs)}`;
      counters.lastError = reason;
      counters.lastErrorCode = 'APPKEY_IN_USE';
      this.p.outlets.log('warn', reason);
      this.setState('reconnecting', reason);
    }
    return this.waitThenConnect(holdMs, signal);
  }

  /** One connection attempt: approval key, then the socket session. Never throws. */
  private async attempt(signal: AbortSignal): Promise<SessionOutcome> {
    try {
      this.approvalKey = await this.p.approval.get(signal);
      this.p.redactor.addApprovalKey(this.approvalKey);
    } catch (error) {
      if (isAgentError(error, 'BAD_CREDENTIALS'))
        return { code: error.code, message: error.message, openForMs: 0, fatal: error };
      if (isAgentError(error)) return { code: error.code, message: error.message, openForMs: 0 };
      return { code: 'REST_UNREACHABLE', message: `Approval key request failed: ${describe(error)}`, openForMs: 0 };
    }
    if (signal.aborted) return { code: 'DISCONNECTED', message: 'Disconnected', openForMs: 0 };
    return this.runSession(signal);
  }

  /** Opens the socket and resolves when it has closed (for whatever reason), describing why. */
  private runSession(signal: AbortSignal): Promise<SessionOutcome> {
    return new Promise<SessionOutcome>((resolve) => {
      this.plannedEnd = undefined;
      // closeTimeout is honoured by ws 8.23 but missing from @types/ws, hence the widened type.
      const socketOptions: WebSocket.ClientOptions & { closeTimeout: number } = {
        // KIS has sent invalid UTF-8 (§11.10); strict validation would close with 1007 and lose the session.
        skipUTF8Validation: true,
        perMessageDeflate: false,
        handshakeTimeout: this.opts.handshakeTimeoutMs,
        closeTimeout: this.opts.closeTimeoutMs,
      };
      const ws = new WebSocket(this.opts.wsUrl, socketOptions);
      this.ws = ws;
      let openedAt: number | undefined;
      let socketError: Error | undefined;
      const onAbort = (): void => closeSocket(ws, 1000, 'client disconnect');
      signal.addEventListener('abort', onAbort, { once: true });
      ws.on('open', () => {
        openedAt = this.opts.now();
        this.p.outlets.tap?.({ type: 'open', at: openedAt });
        this.onOpen();
      });
      ws.on('message', this.receiver.onMessage);
      ws.on('error', (error: Error) => {
        socketError = error;
      });
      ws.once('close', (code: number, reasonBytes: Buffer) => {
        signal.removeEventListener('abort', onAbort);
        ws.removeAllListeners();
        // ws may still report a late socket error after 'close'; nobody must see it as unhandled.
        ws.on('error', noop);
        if (this.ws === ws) this.ws = undefined;
        const openForMs = openedAt === undefined ? 0 : this.opts.now() - openedAt;
        if (openedAt !== undefined)
          this.p.outlets.tap?.({
            type: 'close',
            at: this.opts.now(),
            code,
            reason: this.p.redactor.redact(reasonBytes.toString('utf8')),
          });
        const outcome = this.describeEnd(
          openedAt !== undefined,
          openForMs,
          code,
          reasonBytes.toString('utf8'),
          socketError,
        );
        if (openedAt !== undefined) this.onSessionClosed(outcome);
        resolve(outcome);
      });
    });
  }

  private describeEnd(
    opened: boolean,
    openForMs: number,
    code: number,
    reason: string,
    error: Error | undefined,
  ): SessionOutcome {
    const planned = this.plannedEnd;
    this.plannedEnd = undefined;
    if (planned?.code === 'BAD_CREDENTIALS') {
      if (this.approvalRetried) {
        const fatal = new AgentError(
          'BAD_CREDENTIALS',
          `KIS rejected a freshly issued approval key for appkey ${maskAppkey(this.opts.appkey)} (OPSP0011); check the credentials and the data source (paper keys work only on the paper server)`,
        );
        return { code: fatal.code, message: fatal.message, openForMs, fatal };
      }
      // One retry with a new key: the cached one may have expired or been revoked server-side.
      this.approvalRetried = true;
      this.p.approval.invalidate();
      return { code: 'BAD_CREDENTIALS', message: planned.message, openForMs, immediate: true };
    }
    if (planned) return { code: planned.code, message: planned.message, openForMs };
    if (!opened) {
      const why = error ? error.message : `closed with code ${code}`;
      return { code: 'CONNECTION_LOST', message: `Cannot connect to ${this.opts.wsUrl}: ${why}`, openForMs };
    }
    const detail = reason ? `${code} ${reason}` : `${code}`;
    return { code: 'CONNECTION_LOST', message: `Connection closed (code ${detail})`, openForMs };
  }

  /** The socket opened: a new session with nothing registered; replay the wanted set. */
  private onOpen(): void {
    const now = this.opts.now();
    const counters = this.p.counters;
    counters.connectedSince = now;
    counters.lastMessageAt = now;
    this.receiver.clearKeys();
    if (counters.lastErrorCode !== 'MAX_SUBSCRIPTIONS' && counters.lastErrorCode !== 'REFUSED') {
      counters.lastError = undefined;
      counters.lastErrorCode = undefined;
    }
    this.setState('open');
    const waiters = this.connectWaiters;
    this.connectWaiters = [];
    for (const waiter of waiters) waiter.resolve();
    this.watchdog.armWatchdog();
    this.p.subs.sessionOpened();
  }

  private onSessionClosed(outcome: SessionOutcome): void {
    this.watchdog.cancel();
    this.p.counters.connectedSince = undefined;
    this.receiver.clearKeys();
    // Whatever ends the session, its registrations stop delivering now. A deliberate end (disconnect,
    // dispose, a fatal stop) clears these again once it completes; a reconnect closes them one by one.
    // The reason can quote the server (a close reason): gaps leave the agent in events and stats, so mask it here.
    this.p.gaps.sessionLost(
      this.p.subs.registeredWanted(),
      this.p.counters.lastMessageAt ?? this.opts.now(),
      this.p.redactor.redact(outcome.message),
    );
    this.p.subs.sessionClosed();
  }

  /** A subscription is registered again after a lost session: report what it could not have received. */
  private closeGap(trId: string, trKey: string, at: number): void {
    const gap = this.p.gaps.resubscribed(trId, trKey, at);
    if (gap === undefined) return;
    this.p.outlets.log(
      'info',
      `Data gap for ${trId} ${shownTrKey(trId, trKey)}: nothing received from ${formatKstClock(gap.from)} to ${formatKstClock(at)} KST (${seconds(at - gap.from)}; ${gap.reason})`,
    );
    this.p.outlets.emitGap(gap);
  }

  /** Ends the open session on purpose; the loop decides what happens next from `plannedEnd`. */
  endSession(end: PlannedEnd, hard: boolean): void {
    const ws = this.ws;
    if (!ws || this.plannedEnd) return;
    this.plannedEnd = end;
    if (hard) ws.terminate();
    else closeSocket(ws, 1000, end.code);
  }

  private setState(to: AgentState, reason?: string): void {
    const from = this.stateValue;
    if (from === to) return;
    this.stateValue = to;
    this.p.outlets.emitState(
      reason === undefined ? { from, to } : { from, to, reason: this.p.redactor.redact(reason) },
    );
  }
}
