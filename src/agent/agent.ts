/**
 * KisAgent: one KIS real-time WebSocket session at a time, kept alive for as long as the owner wants it.
 *
 * States: idle → connecting → open → reconnecting → connecting → … ; `disconnect()` returns to idle,
 * a fatal error (bad credentials) or `dispose()` ends in stopped. One 'state' event per change.
 *
 * Design (the team's lessons, see docs/architecture.md):
 * - Subscriptions are serialized by their acks (SubscriptionManager), never by sleeps.
 * - The receive loop (the socket's 'message' listener) classifies each message ONCE, answers PINGPONG
 *   from the loop itself, and never awaits anything; data frames are batched and handed to the sink once
 *   per event-loop turn; a sink exception is counted and forgotten.
 * - Everything asynchronous goes through one TaskTracker, so `disconnect()`/`dispose()` cancel and await
 *   it all and nothing outlives the agent.
 */
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { buildSubscribeRequest, classify as kisClassify, decryptFrame, isKrxCode, TR } from '../kis';
import type { Ack, DataFrame, Inbound, KisProtocolErrorLike, TrType } from '../kis/types';
import { formatKstClock } from '../common/format';
import type { AgentState, AgentStats } from '../shared/stats';
import type { TapEvent } from '../shared/tap';
import { processAppkeyHolds, type AppkeyHolds } from './appkeyHold';
import { ApprovalClient } from './approval';
import { BackoffSchedule } from './backoff';
import { AgentError, isAgentError, type AgentErrorCode } from './errors';
import { GapTracker } from './gaps';
import { maskAppkey, Redactor } from './redact';
import { RateWindow, SampleWindow } from './stats';
import { SubscriptionManager, type SubscribeResult, type Subscription } from './subscriptions';
import { TaskTracker, type TimerHandle } from './tasks';
import type { AgentEventMap, AgentLogEvent, AgentOptions, RecordSink } from './types';

/** Why a session ended, decided by whoever ended it (the agent itself, or the socket). */
interface SessionOutcome {
  code: AgentErrorCode;
  message: string;
  /** How long the socket was open (0 if it never opened). */
  openForMs: number;
  /** Stop instead of reconnecting. */
  fatal?: AgentError;
  /** Reconnect without a backoff wait (a fresh approval key after OPSP0011). */
  immediate?: boolean;
}

/** An end the agent chose while the socket was open (set before it closes the socket). */
interface PlannedEnd {
  code: 'STALLED' | 'APPKEY_IN_USE' | 'BAD_CREDENTIALS';
  message: string;
}

interface Waiter {
  resolve: () => void;
  reject: (error: AgentError) => void;
}

const TR_ID = /^[A-Z0-9]{4,16}$/;
const TR_KEY = /^[A-Za-z0-9._-]{1,32}$/;
/** Logs of repeated per-message problems are thinned out after this many, so a bad feed cannot flood the log. */
const LOG_FIRST = 10;
const LOG_EVERY = 1000;

const noop = (): void => undefined;
const CARET = 0x5e; // '^'

/** Formats a delay for a state reason: "20 s", "2.5 s", "40 ms". */
function seconds(ms: number): string {
  if (ms >= 10_000) return `${Math.round(ms / 1000)} s`;
  if (ms >= 1000) return `${Math.round(ms / 100) / 10} s`;
  return `${Math.round(ms)} ms`;
}

/** Decodes a frame's bytes as UTF-8; invalid sequences become U+FFFD instead of killing the session (§11.10). */
function toText(data: WebSocket.RawData): { text: string; bytes: number } {
  if (Buffer.isBuffer(data)) return { text: data.toString('utf8'), bytes: data.length };
  const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
  return { text: buffer.toString('utf8'), bytes: buffer.length };
}

/** The KIS real-time client. See the module comment. */
export class KisAgent extends EventEmitter<AgentEventMap> {
  private stateValue: AgentState = 'idle';
  private readonly opts: Required<Omit<AgentOptions, 'fetch' | 'backoff' | 'classify' | 'appkeyHolds' | 'tap'>>;
  private readonly holds: AppkeyHolds;
  private readonly sink: RecordSink;
  private readonly classifyText: (text: string) => Inbound;
  private readonly tracker: TaskTracker;
  private readonly subs: SubscriptionManager;
  private readonly approval: ApprovalClient;
  private readonly redactor: Redactor;
  private readonly backoff: BackoffSchedule;
  private readonly gaps = new GapTracker();
  private readonly tap: AgentOptions['tap'];

  private ws: WebSocket | undefined;
  private approvalKey = '';
  private plannedEnd: PlannedEnd | undefined;
  /** A fresh approval key was already tried after an OPSP0011 (reset by any successful subscribe ack). */
  private approvalRetried = false;
  private connectWaiters: Waiter[] = [];
  private stopping: Promise<void> | undefined;
  private disposing: Promise<void> | undefined;
  private disposed = false;
  private watchdog: TimerHandle | undefined;
  /**
   * AES key/iv per tr_id, then per tr_key, from the SUBSCRIBE SUCCESS of a subscription the agent wants
   * (kis-protocol.md §7.2), per session. Per tr_key because a server may issue a pair per registration
   * (the simulator does) and an encrypted frame names only its tr_id; an ack for a subscription the agent
   * does not want never replaces a working key (found by fuzzing).
   */
  private readonly ciphers = new Map<string, Map<string, { key: string; iv: string }>>();
  private batch: DataFrame[] = [];
  private flushScheduled = false;
  private lastSymbol = '';

  // Statistics (plain counters: the hot path only increments).
  private connectedSince: number | undefined;
  private nextRetryAt: number | undefined;
  private lastError: string | undefined;
  private lastErrorCode: string | undefined;
  private reconnects = 0;
  private messages = 0;
  private records = 0;
  private bytes = 0;
  private parseErrors = 0;
  private handlerErrors = 0;
  private pingpongs = 0;
  private refused = 0;
  /** subscribe/unsubscribe calls refused locally for a malformed tr_id/tr_key (nothing was sent). */
  private invalidRequests = 0;
  private stalls = 0;
  /** Exceptions thrown by our own event listeners (caught; see safeEmit). */
  private listenerErrors = 0;
  private lastPingEchoMs: number | undefined;
  private lastMessageAt: number | undefined;
  private readonly lastTickAt = new Map<string, number>();
  private readonly messageRate = new RateWindow(10);
  private readonly ackRtt = new SampleWindow(256);

  constructor(options: AgentOptions) {
    super();
    for (const [name, protocols] of [
      ['wsUrl', ['ws:', 'wss:']],
      ['restUrl', ['http:', 'https:']],
    ] as const) {
      let url: URL;
      try {
        url = new URL(options[name]);
      } catch {
        throw new AgentError('INVALID_OPTIONS', `${name} is not a valid URL`);
      }
      if (!(protocols as readonly string[]).includes(url.protocol)) {
        throw new AgentError('INVALID_OPTIONS', `${name} must start with ${protocols.join(' or ')}//`);
      }
    }
    if (!options.appkey || !options.appsecret) {
      throw new AgentError('INVALID_OPTIONS', 'appkey and appsecret are required');
    }
    this.opts = {
      wsUrl: options.wsUrl,
      restUrl: options.restUrl,
      appkey: options.appkey,
      appsecret: options.appsecret,
      custtype: options.custtype ?? 'P',
      sink: options.sink,
      maxInFlight: Math.max(1, Math.floor(options.maxInFlight ?? 1)),
      ackTimeoutMs: options.ackTimeoutMs ?? 5000,
      pingIntervalMs: options.pingIntervalMs ?? 110_000,
      appkeyInUseBackoffMs: options.appkeyInUseBackoffMs ?? 20_000,
      maxRegistrations: options.maxRegistrations ?? 41,
      approvalTimeoutMs: options.approvalTimeoutMs ?? 10_000,
      handshakeTimeoutMs: options.handshakeTimeoutMs ?? 10_000,
      closeTimeoutMs: options.closeTimeoutMs ?? 2000,
      now: options.now ?? Date.now,
      random: options.random ?? Math.random,
    };
    this.sink = options.sink;
    this.tap = options.tap;
    this.holds = options.appkeyHolds ?? processAppkeyHolds;
    this.classifyText = options.classify ?? kisClassify;
    this.redactor = new Redactor(options.appkey, options.appsecret);
    this.backoff = new BackoffSchedule(options.backoff, this.opts.random);
    this.tracker = new TaskTracker((error) => this.log('error', `Internal task failed: ${describe(error)}`));
    this.approval = new ApprovalClient({
      restUrl: options.restUrl,
      appkey: options.appkey,
      appsecret: options.appsecret,
      timeoutMs: this.opts.approvalTimeoutMs,
      now: this.opts.now,
      fetch: options.fetch,
      delay: (ms, signal) => this.tracker.delay(ms, signal),
    });
    this.subs = new SubscriptionManager({
      tracker: this.tracker,
      send: (trType, trId, trKey) => this.sendRequest(trType, trId, trKey),
      now: this.opts.now,
      maxInFlight: this.opts.maxInFlight,
      ackTimeoutMs: this.opts.ackTimeoutMs,
      maxRegistrations: this.opts.maxRegistrations,
      onRtt: (ms) => this.ackRtt.add(ms),
      onFailure: (error, { trId, trKey }) => {
        if (error.code === 'MAX_SUBSCRIPTIONS' || error.code === 'REFUSED') this.refused += 1;
        // A refused or timed-out subscription left the wanted set: its gap can never close.
        this.gaps.forget(trId, trKey);
        this.lastError = error.message;
        this.lastErrorCode = error.code;
        this.log('warn', error.message);
        this.emitError({ code: error.code, message: error.message, trId, trKey });
      },
      onLog: (level, message) => this.log(level, message),
    });
  }

  /** The current state. */
  get state(): AgentState {
    return this.stateValue;
  }

  /**
   * Opens the session (fetching an approval key first) and keeps it open, reconnecting with backoff.
   * Resolves once the socket is open. Rejects with an AgentError when the agent stops on a fatal error
   * ('BAD_CREDENTIALS'), or when `disconnect()` ('DISCONNECTED') or `dispose()` ('DISPOSED') is called
   * first. Transient failures (server down, REST unreachable) do not reject: the agent keeps retrying.
   */
  connect(): Promise<void> {
    if (this.disposed) return Promise.reject(new AgentError('DISPOSED', 'The agent was disposed'));
    if (this.stopping) return this.stopping.then(() => this.connect());
    if (this.stateValue === 'open') return Promise.resolve();
    const promise = new Promise<void>((resolve, reject) => this.connectWaiters.push({ resolve, reject }));
    if (this.stateValue === 'idle' || this.stateValue === 'stopped') this.start();
    return promise;
  }

  /**
   * Closes the session cleanly (close code 1000), cancels and awaits every task, and returns to idle.
   * The wanted set is kept for the next `connect()`; pending requests reject with 'DISCONNECTED'.
   */
  async disconnect(): Promise<void> {
    if (this.disposed) return this.disposing;
    if (this.stopping) return this.stopping;
    if (this.stateValue === 'idle' || this.stateValue === 'stopped') return;
    this.stopping = this.shutdown(new AgentError('DISCONNECTED', 'Disconnected by the user'), 'idle');
    return this.stopping;
  }

  /**
   * Disconnects, forgets the wanted set, ends in 'stopped' and removes every listener. Afterwards the
   * agent holds no socket, timer, task, listener or pending promise. Idempotent.
   */
  dispose(): Promise<void> {
    if (this.disposing) return this.disposing;
    this.disposed = true;
    this.disposing = (async () => {
      if (this.stopping) await this.stopping;
      await this.shutdown(new AgentError('DISPOSED', 'The agent was disposed'), 'stopped');
      this.subs.clearWanted();
      this.lastTickAt.clear();
      this.removeAllListeners();
    })();
    return this.disposing;
  }

  /**
   * Adds (trId, trKey) to the wanted set and registers it on the session: now if open, else as soon as
   * the session opens. Resolves on the ack (OPSP0000 'subscribed', OPSP0002 'already').
   * Rejects (AgentError) with 'MAX_SUBSCRIPTIONS' over the 41-registration budget (locally, nothing is
   * sent, or the server's OPSP0008), 'REFUSED' for another server refusal, 'ACK_TIMEOUT',
   * 'INVALID_REQUEST' for a malformed tr_id/tr_key, 'DISCONNECTED'/'DISPOSED'/'STOPPED'.
   * A refused or timed-out subscription is removed from the wanted set; the others are untouched.
   */
  subscribe(trId: string, trKey: string): Promise<SubscribeResult> {
    const invalid = this.checkRequest(trId, trKey);
    if (invalid) return Promise.reject(invalid);
    if (this.stateValue === 'stopped') {
      const why = this.lastError === undefined ? '' : ` (${this.redactor.redact(this.lastError)})`;
      return Promise.reject(new AgentError('STOPPED', `The agent is stopped${why}; connect again first`));
    }
    return this.subs.subscribe(trId, trKey);
  }

  /** Removes (trId, trKey) from the wanted set and releases it on the session ('unsubscribed' / 'not-subscribed'). */
  unsubscribe(trId: string, trKey: string): Promise<SubscribeResult> {
    const invalid = this.checkRequest(trId, trKey);
    if (invalid) return Promise.reject(invalid);
    this.gaps.forget(trId, trKey);
    return this.subs.unsubscribe(trId, trKey);
  }

  /** The wanted subscriptions, in the order they were asked for. */
  wanted(): Subscription[] {
    return this.subs.wanted();
  }

  /** Subscribe/unsubscribe requests not yet settled (for leak checks: 0 when idle). */
  pendingRequests(): number {
    return this.subs.pendingRequests();
  }

  /** Tasks (promises and timers) held by the agent's tracker (0 after disconnect/dispose). */
  trackedTasks(): number {
    return this.tracker.size;
  }

  /** True while the agent holds a socket (in any readyState). */
  hasSocket(): boolean {
    return this.ws !== undefined;
  }

  /** A snapshot of the counters (plain data). */
  stats(): AgentStats {
    const now = this.opts.now();
    const [p50, p99] = this.ackRtt.percentiles(50, 99);
    return {
      state: this.stateValue,
      connectedSince: this.connectedSince,
      nextRetryAt: this.nextRetryAt,
      lastError: this.lastError === undefined ? undefined : this.redactor.redact(this.lastError),
      lastErrorCode: this.lastErrorCode,
      reconnects: this.reconnects,
      messages: this.messages,
      records: this.records,
      bytes: this.bytes,
      messagesPerSec1s: this.messageRate.perSecond(now, 1),
      messagesPerSec10s: this.messageRate.perSecond(now, 10),
      parseErrors: this.parseErrors,
      handlerErrors: this.handlerErrors,
      pingpongs: this.pingpongs,
      lastPingEchoMs: this.lastPingEchoMs,
      lastMessageAt: this.lastMessageAt,
      lastTickAt: Object.fromEntries(this.lastTickAt),
      subscriptionsUsed: this.subs.registrations,
      subscriptionLimit: this.opts.maxRegistrations,
      ackRttP50: p50,
      ackRttP99: p99,
      refused: this.refused,
      invalidRequests: this.invalidRequests,
      stalls: this.stalls,
      listenerErrors: this.listenerErrors,
      gaps: this.gaps.closed,
      openGaps: this.gaps.openGaps(),
      recentGaps: this.gaps.recent(),
      subscriptionsWanted: this.subs.wanted().length,
      pendingRequests: this.subs.pendingRequests(),
    };
  }

  // ------------------------------------------------------------------------------------------------
  // Lifecycle

  private start(): void {
    this.lastError = undefined;
    this.lastErrorCode = undefined;
    this.approvalRetried = false;
    this.backoff.reset();
    this.batch = [];
    this.flushScheduled = false;
    this.setState('connecting');
    this.tracker.renew();
    this.tracker.run((signal) => this.runLoop(signal)).catch((error: unknown) => {
      // runLoop handles its own failures; reaching here is a bug, but it must not leave the agent hanging.
      this.log('error', `Connection loop failed: ${describe(error)}`);
      this.stopFatal(new AgentError('CONNECTION_LOST', 'The connection loop failed unexpectedly'));
    });
  }

  /** Rejects waiters and requests, cancels and awaits every task (the socket closes with 1000), then sets `finalState`. */
  private async shutdown(reason: AgentError, finalState: 'idle' | 'stopped'): Promise<void> {
    this.rejectConnectWaiters(reason);
    this.subs.rejectAll(reason);
    await this.tracker.cancelAll(reason);
    this.gaps.clearOpen();
    this.batch = [];
    this.flushScheduled = false;
    this.nextRetryAt = undefined;
    this.connectedSince = undefined;
    this.stopping = undefined;
    this.setState(finalState, reason.message);
  }

  /** A fatal error from inside the loop: stop without awaiting (the loop is itself a tracked task). */
  private stopFatal(fatal: AgentError): void {
    // Its message may quote the server (an approval error code): it leaves the agent redacted, like every log line.
    const error = new AgentError(fatal.code, this.redactor.redact(fatal.message));
    this.lastError = error.message;
    this.lastErrorCode = error.code;
    this.nextRetryAt = undefined;
    this.rejectConnectWaiters(error);
    this.subs.rejectAll(error);
    this.tracker.abort(error);
    this.gaps.clearOpen();
    this.log('error', error.message);
    this.emitError({ code: error.code, message: error.message });
    this.setState('stopped', error.message);
  }

  private rejectConnectWaiters(error: AgentError): void {
    const waiters = this.connectWaiters;
    this.connectWaiters = [];
    for (const waiter of waiters) waiter.reject(error);
  }

  /** Connect, run the session until it ends, back off, repeat; until aborted or a fatal error. */
  private async runLoop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      if (!(await this.waitForAppkeyHold(signal))) return;
      const outcome = await this.attempt(signal);
      if (signal.aborted) return;
      if (outcome.fatal) {
        this.stopFatal(outcome.fatal);
        return;
      }
      let delay = outcome.immediate ? 0 : this.backoff.next(outcome.openForMs);
      // OPSP8996: a fast retry can lock the appkey's slot for hours (kis-protocol.md §9, §11.8).
      if (outcome.code === 'APPKEY_IN_USE') {
        delay = Math.max(delay, this.opts.appkeyInUseBackoffMs);
        // Every agent of this process with this key waits too (see appkeyHold.ts).
        this.holds.hold(this.opts.appkey, this.opts.now() + delay);
      }
      this.reconnects += 1;
      this.lastError = outcome.message;
      this.lastErrorCode = outcome.code;
      this.nextRetryAt = this.opts.now() + delay;
      const reason =
        outcome.code === 'APPKEY_IN_USE'
          ? `appkey already in use elsewhere; retrying in ${seconds(delay)}`
          : `${outcome.message}; retrying in ${seconds(delay)}`;
      this.log(outcome.code === 'CONNECTION_LOST' ? 'info' : 'warn', reason);
      this.setState('reconnecting', reason);
      // Worth telling the user (the extension shows it); a plain drop is routine and only logged.
      if (outcome.code === 'APPKEY_IN_USE' || outcome.code === 'STALLED') this.emitError({ code: outcome.code, message: reason });
      // An OPSP8996 hold is waited out at the top of the loop, like one set by another agent.
      if (outcome.code === 'APPKEY_IN_USE') continue;
      if (!(await this.waitThenConnect(delay, signal))) return;
    }
  }

  /** Waits `ms` (state 'reconnecting'), then enters 'connecting'. Resolves false when aborted meanwhile. */
  private async waitThenConnect(ms: number, signal: AbortSignal): Promise<boolean> {
    try {
      await this.tracker.delay(ms, signal);
    } catch {
      return false;
    }
    this.nextRetryAt = undefined;
    this.setState('connecting');
    return true;
  }

  /**
   * Waits out an OPSP8996 hold on this app key (set by this agent or an earlier one), in state
   * 'reconnecting' with the reason. Resolves false when aborted meanwhile.
   */
  private async waitForAppkeyHold(signal: AbortSignal): Promise<boolean> {
    const holdMs = this.holds.remainingMs(this.opts.appkey, this.opts.now());
    if (holdMs <= 0) {
      // A hold of 0 ms (appkeyInUseBackoffMs 0) ends at once; leave 'reconnecting' as a waited one would.
      if (this.stateValue === 'reconnecting') {
        this.nextRetryAt = undefined;
        this.setState('connecting');
      }
      return true;
    }
    this.nextRetryAt = this.opts.now() + holdMs;
    // Already 'reconnecting': this agent's own refusal, whose reason was just given; else a hold set earlier.
    if (this.stateValue !== 'reconnecting') {
      const reason = `appkey ${maskAppkey(this.opts.appkey)} was reported in use elsewhere (OPSP8996); connecting in ${seconds(holdMs)}`;
      this.lastError = reason;
      this.lastErrorCode = 'APPKEY_IN_USE';
      this.log('warn', reason);
      this.setState('reconnecting', reason);
    }
    return this.waitThenConnect(holdMs, signal);
  }

  /** One connection attempt: approval key, then the socket session. Never throws. */
  private async attempt(signal: AbortSignal): Promise<SessionOutcome> {
    try {
      this.approvalKey = await this.approval.get(signal);
      this.redactor.addApprovalKey(this.approvalKey);
    } catch (error) {
      if (isAgentError(error, 'BAD_CREDENTIALS')) return { code: error.code, message: error.message, openForMs: 0, fatal: error };
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
        this.tapEvent({ type: 'open', at: openedAt });
        this.onOpen();
      });
      ws.on('message', this.onMessage);
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
        if (openedAt !== undefined) this.tapEvent({ type: 'close', at: this.opts.now(), code, reason: this.redactor.redact(reasonBytes.toString('utf8')) });
        const outcome = this.describeEnd(openedAt !== undefined, openForMs, code, reasonBytes.toString('utf8'), socketError);
        if (openedAt !== undefined) this.onSessionClosed(outcome);
        resolve(outcome);
      });
    });
  }

  private describeEnd(opened: boolean, openForMs: number, code: number, reason: string, error: Error | undefined): SessionOutcome {
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
      this.approval.invalidate();
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
    this.connectedSince = now;
    this.lastMessageAt = now;
    this.ciphers.clear();
    if (this.lastErrorCode !== 'MAX_SUBSCRIPTIONS' && this.lastErrorCode !== 'REFUSED') {
      this.lastError = undefined;
      this.lastErrorCode = undefined;
    }
    this.setState('open');
    const waiters = this.connectWaiters;
    this.connectWaiters = [];
    for (const waiter of waiters) waiter.resolve();
    this.armWatchdog();
    this.subs.sessionOpened();
  }

  private onSessionClosed(outcome: SessionOutcome): void {
    this.watchdog?.cancel();
    this.watchdog = undefined;
    this.connectedSince = undefined;
    this.ciphers.clear();
    // Whatever ends the session, its registrations stop delivering now. A deliberate end (disconnect,
    // dispose, a fatal stop) clears these again once it completes; a reconnect closes them one by one.
    // The reason can quote the server (a close reason): gaps leave the agent in events and stats, so mask it here.
    this.gaps.sessionLost(this.subs.registeredWanted(), this.lastMessageAt ?? this.opts.now(), this.redactor.redact(outcome.message));
    this.subs.sessionClosed();
  }

  /** A subscription is registered again after a lost session: report what it could not have received. */
  private closeGap(trId: string, trKey: string, at: number): void {
    const gap = this.gaps.resubscribed(trId, trKey, at);
    if (gap === undefined) return;
    this.log('info', `Data gap for ${trId} ${trKey}: nothing received from ${formatKstClock(gap.from)} to ${formatKstClock(at)} KST (${seconds(at - gap.from)}; ${gap.reason})`);
    this.safeEmit('gap', gap);
  }

  /** Ends the open session on purpose; the loop decides what happens next from `plannedEnd`. */
  private endSession(end: PlannedEnd, hard: boolean): void {
    const ws = this.ws;
    if (!ws || this.plannedEnd) return;
    this.plannedEnd = end;
    if (hard) ws.terminate();
    else closeSocket(ws, 1000, end.code);
  }

  // ------------------------------------------------------------------------------------------------
  // Stall watchdog

  /**
   * One tracked timer per session. Instead of re-arming on every message (tens of thousands per second
   * at full load), it fires at the deadline, compares against the last inbound time, and re-arms for the
   * remainder: the same effect as a reset-on-message timer at a fraction of the cost.
   */
  private armWatchdog(): void {
    const stallMs = this.opts.pingIntervalMs * 2.5;
    const check = (): void => {
      this.watchdog = undefined;
      if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return;
      const idleMs = this.opts.now() - (this.lastMessageAt ?? 0);
      const expectingTraffic = this.subs.registrations > 0 || this.subs.inFlight > 0;
      if (idleMs >= stallMs && expectingTraffic) {
        this.stalls += 1;
        // terminate(), not close(): a stalled peer would not answer a close handshake either.
        this.endSession(
          {
            code: 'STALLED',
            message: `No message from KIS for ${seconds(idleMs)} (a PINGPONG is expected every ${seconds(this.opts.pingIntervalMs)}); the session looks dead`,
          },
          true,
        );
        return;
      }
      this.watchdog = this.tracker.timer(idleMs >= stallMs ? stallMs : stallMs - idleMs, check);
    };
    this.watchdog = this.tracker.timer(stallMs, check);
  }

  // ------------------------------------------------------------------------------------------------
  // Receive loop

  /** The socket's 'message' listener: classify once, dispatch, never await. */
  private readonly onMessage = (data: WebSocket.RawData): void => {
    try {
      this.receive(data);
    } catch (error) {
      // Nothing in receive() should throw (classify never does); if something does, one message is lost,
      // never the session or the process (an exception here would surface inside ws's socket handler).
      this.countParseError(`Message handling failed: ${describe(error)}`);
    }
  };

  private receive(data: WebSocket.RawData): void {
    const startedAt = performance.now();
    const receivedAt = this.opts.now();
    const { text, bytes } = toText(data);
    this.messages += 1;
    this.bytes += bytes;
    this.lastMessageAt = receivedAt;
    this.messageRate.add(receivedAt);
    // Data frames ('0'/'1') go as they are; anything else (acks echo keys in msg1) is masked first.
    if (this.tap !== undefined) this.tapEvent({ type: 'message', at: receivedAt, text: text.charCodeAt(0) === 48 || text.charCodeAt(0) === 49 ? text : this.redactor.redact(text) });
    const inbound = this.classifyText(text);
    switch (inbound.kind) {
      case 'frame':
        this.onFrame(inbound.frame, receivedAt);
        break;
      case 'pingpong':
        this.onPingPong(inbound.text, startedAt);
        break;
      case 'ack':
        this.onAck(inbound.ack, receivedAt);
        break;
      case 'invalid':
        this.onInvalid(inbound.error);
        break;
      default: {
        const unreachable: never = inbound;
        this.onInvalid({ code: 'UNKNOWN_PREFIX', message: `unclassified message ${String(unreachable)}` });
      }
    }
  }

  /** Echo the exact text back as a text frame, right here in the loop (kis-protocol.md §6). */
  private onPingPong(text: string, startedAt: number): void {
    this.pingpongs += 1;
    const ws = this.ws;
    if (ws && ws.readyState === WebSocket.OPEN) {
      ws.send(text);
      this.lastPingEchoMs = performance.now() - startedAt;
    }
  }

  private onFrame(received: DataFrame, receivedAt: number): void {
    let frame = received;
    if (frame.encrypted) {
      const keys = this.ciphers.get(frame.trId);
      if (!keys || keys.size === 0) {
        this.countParseError(`Encrypted ${frame.trId} frame before its SUBSCRIBE SUCCESS (no key yet); dropped`);
        return;
      }
      // Usually one key per TR; with several, the one whose padding, UTF-8 and field count check out.
      let failure: unknown;
      let plain: DataFrame | undefined;
      for (const cipher of keys.values()) {
        try {
          plain = decryptFrame(frame, cipher.key, cipher.iv);
          break;
        } catch (error) {
          failure = error;
        }
      }
      if (plain === undefined) {
        this.countParseError(`Undecryptable ${frame.trId} frame: ${describe(failure)}`);
        return;
      }
      frame = plain;
    }
    this.records += frame.count;
    this.lastTickAt.set(this.firstField(frame.payload), receivedAt);
    this.batch.push(frame);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      this.tracker.soon(this.flush);
    }
  }

  /**
   * The first field of a payload (the record's symbol). Consecutive frames are usually of the same
   * symbol, so the previous string is reused when it matches instead of slicing a new one per frame.
   */
  private firstField(payload: string): string {
    const last = this.lastSymbol;
    if (payload.length > last.length && payload.charCodeAt(last.length) === CARET && payload.startsWith(last)) return last;
    const end = payload.indexOf('^');
    this.lastSymbol = end < 0 ? payload : payload.slice(0, end);
    return this.lastSymbol;
  }

  /** One hand-off per event-loop turn: everything received in that turn, in order. */
  private readonly flush = (): void => {
    this.flushScheduled = false;
    const frames = this.batch;
    if (frames.length === 0) return;
    this.batch = [];
    try {
      this.sink.push(frames);
    } catch (error) {
      this.handlerErrors += 1;
      if (this.handlerErrors <= LOG_FIRST || this.handlerErrors % LOG_EVERY === 0) {
        this.log('warn', `Record sink threw (${this.handlerErrors} so far); continuing: ${describe(error)}`);
      }
    }
  };

  private onAck(ack: Ack, receivedAt: number): void {
    const visible = this.redactAck(ack);
    if (ack.outcome === 'fatal') {
      if (ack.msgCd === 'OPSP8996') {
        this.log('warn', `KIS: ${ack.msgCd} ${visible.msg1}: another session holds appkey ${maskAppkey(this.opts.appkey)}`);
        this.endSession({ code: 'APPKEY_IN_USE', message: `KIS says appkey ${maskAppkey(this.opts.appkey)} is already in use by another session (OPSP8996)` }, false);
      } else {
        this.log('warn', `KIS rejected the approval key: ${ack.msgCd} ${visible.msg1}`);
        this.endSession({ code: 'BAD_CREDENTIALS', message: `KIS rejected the approval key (${ack.msgCd}); issuing a new one` }, false);
      }
      this.safeEmit('ack', visible);
      return;
    }
    if (ack.msgCd === 'OPSP0000' || ack.msgCd === 'OPSP0002') {
      this.approvalRetried = false;
      if (ack.key !== undefined && ack.iv !== undefined && this.subs.isWanted(ack.trId, ack.trKey)) {
        let keys = this.ciphers.get(ack.trId);
        if (!keys) this.ciphers.set(ack.trId, (keys = new Map()));
        keys.set(ack.trKey, { key: ack.key, iv: ack.iv });
      }
    }
    // The redacted copy: a refusal's msg1 becomes the caller's error message (KIS has echoed keys in msg1).
    this.subs.handleAck(visible, receivedAt);
    if (ack.msgCd === 'OPSP0000' || ack.msgCd === 'OPSP0002') this.closeGap(ack.trId, ack.trKey, receivedAt);
    this.safeEmit('ack', visible);
  }

  /** Hands one event to the tap; a throw is counted like a listener's, never reaches the loop. */
  private tapEvent(event: TapEvent): void {
    try {
      this.tap?.(event);
    } catch {
      this.listenerErrors += 1;
    }
  }

  private onInvalid(error: KisProtocolErrorLike): void {
    this.countParseError(`Malformed message from KIS (${error.code}): ${error.message}`);
  }

  private countParseError(message: string): void {
    this.parseErrors += 1;
    if (this.parseErrors <= LOG_FIRST || this.parseErrors % LOG_EVERY === 0) {
      this.log('warn', `${message} [parse errors: ${this.parseErrors}]`);
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Helpers

  private sendRequest(trType: TrType, trId: string, trKey: string): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    ws.send(buildSubscribeRequest({ approvalKey: this.approvalKey, trType, trId, trKey, custtype: this.opts.custtype }));
  }

  private checkRequest(trId: string, trKey: string): AgentError | undefined {
    if (this.disposed) return new AgentError('DISPOSED', 'The agent was disposed');
    let why: string | undefined;
    // JSON.stringify: a caller's text is quoted with its control characters escaped (no forged log lines).
    if (typeof trId !== 'string' || !TR_ID.test(trId)) {
      why = `${JSON.stringify(String(trId).slice(0, 20))} is not a TR id (e.g. H0STCNT0)`;
    } else if (typeof trKey !== 'string' || !TR_KEY.test(trKey)) {
      why = `${JSON.stringify(String(trKey).slice(0, 40))} is not a valid tr_key (e.g. 005930)`;
    } else if ((trId === TR.TRADE || trId === TR.ORDER_BOOK) && !isKrxCode(trKey)) {
      // KIS would refuse it (OPSP8992) only after a round trip; the KRX code format is known here.
      why = `"${trKey}" is not a valid tr_key for ${trId}: a KRX code is six digits or capital letters (e.g. 005930)`;
    }
    if (why === undefined) return undefined;
    this.invalidRequests += 1;
    if (this.invalidRequests <= LOG_FIRST || this.invalidRequests % LOG_EVERY === 0) {
      this.log('warn', `Refused before sending: ${why} [invalid requests: ${this.invalidRequests}]`);
    }
    return new AgentError('INVALID_REQUEST', why);
  }

  private redactAck(ack: Ack): Ack {
    const msg1 = this.redactor.redact(ack.msg1);
    return msg1 === ack.msg1 ? ack : { ...ack, msg1 };
  }

  private setState(to: AgentState, reason?: string): void {
    const from = this.stateValue;
    if (from === to) return;
    this.stateValue = to;
    this.safeEmit('state', reason === undefined ? { from, to } : { from, to, reason: this.redactor.redact(reason) });
  }

  private log(level: AgentLogEvent['level'], message: string): void {
    if (this.listenerCount('log') === 0) return;
    this.safeEmit('log', { level, message: this.redactor.redact(message) });
  }

  /** 'error' is an ordinary event here: emitting it with no listener must not throw (EventEmitter's default). */
  private emitError(event: AgentEventMap['error'][0]): void {
    if (this.listenerCount('error') === 0) return;
    this.safeEmit('error', { ...event, message: this.redactor.redact(event.message) });
  }

  /**
   * Emits without letting a listener's exception escape: our emits run inside socket callbacks and the
   * connection loop, where a throw would kill the process or wedge the state machine.
   */
  private safeEmit<K extends keyof AgentEventMap>(event: K, ...args: AgentEventMap[K]): void {
    try {
      // The cast only bridges EventEmitter's generic rest-parameter typing; `args` is checked above.
      (this.emit as (name: K, ...rest: AgentEventMap[K]) => boolean)(event, ...args);
    } catch (error) {
      this.listenerErrors += 1;
      if (event !== 'log') this.log('error', `A '${String(event)}' listener threw: ${describe(error)}`);
    }
  }
}

/** Starts a clean close; a socket still connecting is destroyed (it has nothing to close cleanly). */
function closeSocket(ws: WebSocket, code: number, reason: string): void {
  if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
  else if (ws.readyState === WebSocket.OPEN) ws.close(code, reason);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
