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
import { buildAck, classify as kisClassify, keyMarketOf, needsKrxCodeKey, TR } from '../kis';
import { symbolMarket } from '../market';
import type { AgentState, AgentStats } from '../shared/stats';
import type { AgentTap, TapEvent } from '../shared/tap';
import { processAppkeyHolds } from './appkeyHold';
import { ApprovalClient } from './approval';
import { BackoffSchedule } from './backoff';
import { isRawSink, type RawRecordSink } from '../shared/recordSink';
import { Connection } from './connection';
import { describe, LOG_EVERY, LOG_FIRST, type AgentOutlets } from './context';
import { AgentCounters } from './counters';
import { AgentError } from './errors';
import { GapTracker } from './gaps';
import { EventSource } from '../common/lifecycle';
import { Redactor } from '../common/redact';
import { SubscriptionManager, type SubscribeResult, type Subscription } from './subscriptions';
import { TaskTracker } from './tasks';
import type { AgentEventMap, AgentLogEvent, AgentOptions } from './types';

const TR_ID = /^[A-Z0-9]{4,16}$/;
const TR_KEY = /^[A-Za-z0-9._-]{1,32}$/;
/** What a valid key of each market looks like, for the refusal message. */
const KEY_HINT = {
  krx: 'a KRX code is six digits or capital letters (e.g. 005930)',
  index: 'an index code is four digits (e.g. 0001 KOSPI)',
  us: 'a US key is D + exchange + ticker (e.g. DNASAAPL)',
} as const;

/** The KIS real-time client. See the module comment. */
export class KisAgent extends EventSource<AgentEventMap> {
  private readonly opts: Required<
    Omit<AgentOptions, 'fetch' | 'backoff' | 'classify' | 'appkeyHolds' | 'sink' | 'tap' | 'receivePath'>
  >;
  /** The sink when it takes raw batches, and its receive counters when this agent was made. */
  private readonly rawSink: RawRecordSink | undefined;
  private readonly receiveBase: { records: number; parseErrors: number };
  private readonly tracker: TaskTracker;
  private readonly subs: SubscriptionManager;
  private readonly redactor: Redactor;
  private readonly gaps = new GapTracker();
  private readonly counters = new AgentCounters();
  private readonly connection: Connection;
  /** The parts' outlets; `tap` is swapped by `setTap()` (the parts read it at each event). */
  private readonly outlets: AgentOutlets;
  private disposing: Promise<void> | undefined;

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
    this.redactor = new Redactor(options.appkey, options.appsecret);
    this.rawSink = options.receivePath !== 'text' && isRawSink(options.sink) ? options.sink : undefined;
    // A worker host may outlive an agent (a reconnect command makes a new one): count from here.
    const base = this.rawSink?.receiveCounters();
    this.receiveBase = { records: base?.records ?? 0, parseErrors: base?.parseErrors ?? 0 };
    this.tracker = new TaskTracker((error) => this.log('error', `Internal task failed: ${describe(error)}`));
    const approval = new ApprovalClient({
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
      send: (trType, trId, trKey) => this.connection.sendRequest(trType, trId, trKey),
      now: this.opts.now,
      maxInFlight: this.opts.maxInFlight,
      ackTimeoutMs: this.opts.ackTimeoutMs,
      maxRegistrations: this.opts.maxRegistrations,
      onRtt: (ms) => this.counters.ackRtt.add(ms),
      onFailure: (error, { trId, trKey }) => {
        if (error.code === 'MAX_SUBSCRIPTIONS' || error.code === 'REFUSED') this.counters.refused += 1;
        // A refused or timed-out subscription left the wanted set: its gap can never close.
        this.gaps.forget(trId, trKey);
        this.counters.lastError = error.message;
        this.counters.lastErrorCode = error.code;
        this.log('warn', error.message);
        this.emitError({ code: error.code, message: error.message, trId, trKey });
      },
      onLog: (level, message) => this.log(level, message),
    });
    const outlets: AgentOutlets = (this.outlets = {
      log: (level, message) => this.log(level, message),
      emitError: (event) => this.emitError(event),
      emitState: (event) => this.safeEmit('state', event),
      emitAck: (ack) => this.safeEmit('ack', ack),
      emitGap: (gap) => this.safeEmit('gap', gap),
      redact: (text) => this.redactor.redact(text),
      tap: tapOf(options.tap, (event, tap) => this.tapEvent(tap, event)),
    });
    this.connection = new Connection({
      settings: {
        wsUrl: this.opts.wsUrl,
        appkey: this.opts.appkey,
        custtype: this.opts.custtype,
        pingIntervalMs: this.opts.pingIntervalMs,
        appkeyInUseBackoffMs: this.opts.appkeyInUseBackoffMs,
        handshakeTimeoutMs: this.opts.handshakeTimeoutMs,
        closeTimeoutMs: this.opts.closeTimeoutMs,
        now: this.opts.now,
      },
      holds: options.appkeyHolds ?? processAppkeyHolds,
      tracker: this.tracker,
      subs: this.subs,
      approval,
      redactor: this.redactor,
      backoff: new BackoffSchedule(options.backoff, this.opts.random),
      gaps: this.gaps,
      counters: this.counters,
      outlets,
      receiver: { sink: options.sink, rawSink: this.rawSink, classify: options.classify ?? kisClassify },
    });
  }

  /** The current state. */
  get state(): AgentState {
    return this.connection.state;
  }

  /**
   * Opens the session (fetching an approval key first) and keeps it open, reconnecting with backoff.
   * Resolves once the socket is open. Rejects with an AgentError when the agent stops on a fatal error
   * ('BAD_CREDENTIALS'), or when `disconnect()` ('DISCONNECTED') or `dispose()` ('DISPOSED') is called
   * first. Transient failures (server down, REST unreachable) do not reject: the agent keeps retrying.
   */
  connect(): Promise<void> {
    return this.connection.connect();
  }

  /**
   * Closes the session cleanly (close code 1000), cancels and awaits every task, and returns to idle.
   * The wanted set is kept for the next `connect()`; pending requests reject with 'DISCONNECTED'.
   */
  disconnect(): Promise<void> {
    return this.connection.disconnect();
  }

  /**
   * Disconnects, forgets the wanted set, ends in 'stopped' and removes every listener. Afterwards the
   * agent holds no socket, timer, task, listener or pending promise. Idempotent.
   */
  override dispose(): Promise<void> {
    this.disposing ??= this.connection.close().then(() => {
      this.connection.dispose();
      // Last: the close above still emits its 'state' changes to the listeners this removes.
      super.dispose();
    });
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
    if (this.connection.state === 'stopped') {
      const lastError = this.counters.lastError;
      const why = lastError === undefined ? '' : ` (${this.redactor.redact(lastError)})`;
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

  /**
   * Attaches (or with undefined, detaches) the recorder's tap while the agent runs: "KIS: Start Recording"
   * on a live session. Attached to an open session, the tap first sees it as if it had just opened: an
   * `open` event and one SUBSCRIBE SUCCESS per registration (with the session's AES key/iv), because the
   * real acks came before it was attached and a replay needs them (its cues and its notice keys).
   */
  setTap(tap: AgentTap | undefined): void {
    this.outlets.tap = tapOf(tap, (event, t) => this.tapEvent(t, event));
    if (tap === undefined || this.state !== 'open') return;
    const at = this.opts.now();
    this.tapEvent(tap, { type: 'open', at });
    for (const { trId, trKey } of this.subs.registeredWanted()) {
      const cipher = this.connection.cipherOf(trId, trKey);
      const text = buildAck({
        trId,
        trKey,
        encrypt: trId === TR.NOTICE || trId === TR.NOTICE_PAPER,
        msgCd: 'OPSP0000',
        ...cipher,
      });
      this.tapEvent(tap, { type: 'message', at, text });
    }
  }

  /** True while the agent holds a socket (in any readyState). */
  hasSocket(): boolean {
    return this.connection.socket() !== undefined;
  }

  /** A snapshot of the counters (plain data). */
  stats(): AgentStats {
    const now = this.opts.now();
    const c = this.counters;
    const [p50, p99] = c.ackRtt.percentiles(50, 99);
    // Raw path: the worker decodes the data frames, so it counts their records and parse errors.
    const received = this.rawSink?.receiveCounters();
    const lastTickAt = Object.fromEntries(c.lastTickAt);
    if (received !== undefined) {
      for (const [symbol, at] of Object.entries(received.lastTickAt))
        lastTickAt[symbol] = Math.max(at, lastTickAt[symbol] ?? 0);
    }
    return {
      state: this.connection.state,
      connectedSince: c.connectedSince,
      nextRetryAt: c.nextRetryAt,
      lastError: c.lastError === undefined ? undefined : this.redactor.redact(c.lastError),
      lastErrorCode: c.lastErrorCode,
      reconnects: c.reconnects,
      messages: c.messages,
      records: c.records + (received === undefined ? 0 : received.records - this.receiveBase.records),
      bytes: c.bytes,
      messagesPerSec1s: c.messageRate.perSecond(now, 1),
      messagesPerSec10s: c.messageRate.perSecond(now, 10),
      parseErrors: c.parseErrors + (received === undefined ? 0 : received.parseErrors - this.receiveBase.parseErrors),
      handlerErrors: c.handlerErrors,
      pingpongs: c.pingpongs,
      lastPingEchoMs: c.lastPingEchoMs,
      lastMessageAt: c.lastMessageAt,
      lastTickAt,
      subscriptionsUsed: this.subs.registrations,
      subscriptionLimit: this.opts.maxRegistrations,
      ackRttP50: p50,
      ackRttP99: p99,
      refused: c.refused,
      invalidRequests: c.invalidRequests,
      stalls: c.stalls,
      listenerErrors: c.listenerErrors,
      gaps: this.gaps.closed,
      openGaps: this.gaps.openGaps(),
      recentGaps: this.gaps.recent(),
      subscriptionsWanted: this.subs.wanted().length,
      pendingRequests: this.subs.pendingRequests(),
    };
  }

  // ------------------------------------------------------------------------------------------------
  // Helpers

  private checkRequest(trId: string, trKey: string): AgentError | undefined {
    if (this.connection.isClosed) return new AgentError('DISPOSED', 'The agent was disposed');
    let why: string | undefined;
    // JSON.stringify: a caller's text is quoted with its control characters escaped (no forged log lines).
    if (typeof trId !== 'string' || !TR_ID.test(trId)) {
      why = `${JSON.stringify(String(trId).slice(0, 20))} is not a TR id (e.g. H0STCNT0)`;
    } else if (typeof trKey !== 'string' || !TR_KEY.test(trKey)) {
      why = `${JSON.stringify(String(trKey).slice(0, 40))} is not a valid tr_key (e.g. 005930)`;
    } else if (
      keyMarketOf(trId, needsKrxCodeKey) !== undefined &&
      symbolMarket(trKey) !== keyMarketOf(trId, needsKrxCodeKey)
    ) {
      // KIS would refuse it (OPSP8992) only after a round trip; each market's key format is known here.
      why = `"${trKey}" is not a valid tr_key for ${trId}: ${KEY_HINT[keyMarketOf(trId, needsKrxCodeKey) ?? 'krx']}`;
    }
    if (why === undefined) return undefined;
    const counters = this.counters;
    counters.invalidRequests += 1;
    if (counters.invalidRequests <= LOG_FIRST || counters.invalidRequests % LOG_EVERY === 0) {
      this.log('warn', `Refused before sending: ${why} [invalid requests: ${counters.invalidRequests}]`);
    }
    return new AgentError('INVALID_REQUEST', why);
  }

  private log(level: AgentLogEvent['level'], message: string): void {
    if (this.listenerCount('log') === 0) return;
    this.safeEmit('log', { level, message: this.redactor.redact(message) });
  }

  /** 'error' is an ordinary event here: emitting it with no listener must not throw (as EventEmitter's would). */
  private emitError(event: AgentEventMap['error'][0]): void {
    if (this.listenerCount('error') === 0) return;
    this.safeEmit('error', { ...event, message: this.redactor.redact(event.message) });
  }

  /** Hands one event to the recorder's tap; a throw is counted like a listener's, never reaches the loop. */
  private tapEvent(tap: AgentTap, event: TapEvent): void {
    try {
      tap(event);
    } catch {
      this.counters.listenerErrors += 1;
    }
  }

  /**
   * Emits without letting a listener's exception escape: our emits run inside socket callbacks and the
   * connection loop, where a throw would kill the process or wedge the state machine.
   */
  private safeEmit<K extends keyof AgentEventMap>(event: K, ...args: AgentEventMap[K]): void {
    try {
      this.emit(event, ...args);
    } catch (error) {
      this.counters.listenerErrors += 1;
      if (event !== 'log') this.log('error', `A '${String(event)}' listener threw: ${describe(error)}`);
    }
  }
}

/** The outlet for a tap, or undefined without one (so the receive loop skips the masking work). */
function tapOf(tap: AgentTap | undefined, call: (event: TapEvent, tap: AgentTap) => void): AgentOutlets['tap'] {
  return tap === undefined ? undefined : (event) => call(event, tap);
}
