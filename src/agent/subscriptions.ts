/**
 * The subscription ledger and request queue of one agent (no socket I/O: it calls `send`).
 *
 * - The WANTED set (insertion-ordered) is the source of truth: it survives reconnects and is replayed in
 *   order on every new session, because KIS subscriptions belong to the session (kis-protocol.md §9).
 * - REGISTERED holds what the current session has acknowledged; it is the 41-registration budget, and it
 *   is emptied when the session ends.
 * - Requests go out one at a time (or in a bounded window, `maxInFlight`), each released by its own ack,
 *   matched by (tr_id, tr_key) because KIS acks carry no request id (§11.17). No sleeps: the ack is the
 *   pacing signal.
 * - Per-request state (phase, timer, promise) lives in ONE map entry per (tr_id, tr_key), removed in a
 *   `finally` when it settles, so a failed request leaves nothing behind and a retry starts clean.
 */
import { shownTrKey } from '../kis';
import type { Ack, TrType } from '../kis/types';
import { AgentError, MAX_SUBSCRIPTIONS_MESSAGE } from './errors';
import type { TaskTracker, TimerHandle } from './tasks';

/** How a subscribe/unsubscribe ended. */
export type SubscribeStatus =
  /** OPSP0000 SUBSCRIBE SUCCESS. */
  | 'subscribed'
  /** OPSP0002 ALREADY IN SUBSCRIBE, or already registered on this session (nothing sent). */
  | 'already'
  /** OPSP0001 UNSUBSCRIBE SUCCESS. */
  | 'unsubscribed'
  /** OPSP0003, or nothing was registered on this session (nothing sent). */
  | 'not-subscribed';

/** The result of `subscribe()` / `unsubscribe()`. */
export interface SubscribeResult {
  trId: string;
  trKey: string;
  status: SubscribeStatus;
  /** The ack's msg_cd when an ack settled the request. */
  msgCd?: string;
  /** Request sent → ack received (ms), when a request was sent. */
  rttMs?: number;
}

/** A (tr_id, tr_key) pair. */
export interface Subscription {
  trId: string;
  trKey: string;
}

type Op = 'subscribe' | 'unsubscribe';

interface RequestEntry {
  readonly op: Op;
  readonly trId: string;
  readonly trKey: string;
  readonly key: string;
  phase: 'queued' | 'sent';
  sentAt: number;
  timer?: TimerHandle;
  readonly promise: Promise<SubscribeResult>;
  readonly resolve: (result: SubscribeResult) => void;
  readonly reject: (error: AgentError) => void;
}

/** What the ledger needs from its owner. */
export interface SubscriptionManagerOptions {
  tracker: TaskTracker;
  /** Puts one subscribe ("1") / unsubscribe ("2") request on the wire. Called only while the session is live. */
  send: (trType: TrType, trId: string, trKey: string) => void;
  now: () => number;
  maxInFlight: number;
  ackTimeoutMs: number;
  maxRegistrations: number;
  /** Every ack RTT (ms). */
  onRtt?: (ms: number) => void;
  /** A request failed (refused, over budget, timed out); the session lives on. */
  onFailure?: (error: AgentError, subscription: Subscription) => void;
  onLog?: (level: 'debug' | 'info' | 'warn', message: string) => void;
}

const noop = (): void => undefined;

/** The key of a (tr_id, tr_key) pair in every map here. */
export function subscriptionKey(trId: string, trKey: string): string {
  return `${trId}|${trKey}`;
}

/** See the module comment. */
export class SubscriptionManager {
  private readonly wantedMap = new Map<string, Subscription>();
  private readonly registered = new Set<string>();
  private readonly requests = new Map<string, RequestEntry>();
  private queue: string[] = [];
  private sent = 0;
  private sentSubscribes = 0;
  /**
   * Subscribes of this session that timed out: the server may hold them all the same, so they count
   * against the budget until an ack for the key arrives or the session ends (never a 42nd on the wire).
   */
  private readonly uncertain = new Set<string>();
  private live = false;

  constructor(private readonly options: SubscriptionManagerOptions) {}

  /** The wanted subscriptions in the order they were first asked for. */
  wanted(): Subscription[] {
    return [...this.wantedMap.values()];
  }

  /** Registrations acknowledged on the current session. */
  get registrations(): number {
    return this.registered.size;
  }

  /** True when (trId, trKey) is in the wanted set. */
  isWanted(trId: string, trKey: string): boolean {
    return this.wantedMap.has(subscriptionKey(trId, trKey));
  }

  /** The wanted subscriptions the current session has acknowledged, in wanted order. */
  registeredWanted(): Subscription[] {
    return this.wanted().filter(({ trId, trKey }) => this.registered.has(subscriptionKey(trId, trKey)));
  }

  /** Requests not yet settled (queued or on the wire). 0 after every request has settled. */
  pendingRequests(): number {
    return this.requests.size;
  }

  /** Requests on the wire awaiting their ack. */
  get inFlight(): number {
    return this.sent;
  }

  /**
   * Adds (trId, trKey) to the wanted set and registers it on the session (now, or once connected).
   * Rejects with 'MAX_SUBSCRIPTIONS' when the wanted set already holds `maxRegistrations` entries.
   */
  subscribe(trId: string, trKey: string): Promise<SubscribeResult> {
    const key = subscriptionKey(trId, trKey);
    if (!this.wantedMap.has(key)) {
      if (this.wantedMap.size >= this.options.maxRegistrations) {
        const error = new AgentError(
          'MAX_SUBSCRIPTIONS',
          `${MAX_SUBSCRIPTIONS_MESSAGE} (${trId} ${shownTrKey(trId, trKey)} not subscribed)`,
        );
        this.options.onFailure?.(error, { trId, trKey });
        return Promise.reject(error);
      }
      this.wantedMap.set(key, { trId, trKey });
    }
    return this.request('subscribe', trId, trKey);
  }

  /** Removes (trId, trKey) from the wanted set and releases it on the session if it is registered. */
  unsubscribe(trId: string, trKey: string): Promise<SubscribeResult> {
    this.wantedMap.delete(subscriptionKey(trId, trKey));
    return this.request('unsubscribe', trId, trKey);
  }

  /** A new session is open: nothing is registered on it; replay the wanted set in order. */
  sessionOpened(): void {
    this.live = true;
    this.registered.clear();
    this.uncertain.clear();
    this.sent = 0;
    this.sentSubscribes = 0;
    for (const entry of [...this.requests.values()]) {
      if (entry.op === 'unsubscribe') {
        // The session that held the registration is gone: the release already happened.
        this.settle(entry, { trId: entry.trId, trKey: entry.trKey, status: 'not-subscribed' });
      } else if (!this.wantedMap.has(entry.key)) {
        this.settle(
          entry,
          new AgentError(
            'CANCELLED',
            `${entry.trId} ${shownTrKey(entry.trId, entry.trKey)} was unsubscribed before the subscription was sent`,
          ),
        );
      }
    }
    this.queue = [];
    for (const [key, { trId, trKey }] of this.wantedMap) {
      if (!this.requests.has(key)) this.createEntry('subscribe', trId, trKey);
      this.queue.push(key);
    }
    this.pump();
  }

  /** The session ended: requests on the wire go back to the queue (they are replayed on the next session). */
  sessionClosed(): void {
    this.live = false;
    this.registered.clear();
    this.uncertain.clear();
    for (const entry of this.requests.values()) {
      if (entry.phase === 'sent') {
        entry.timer?.cancel();
        entry.timer = undefined;
        entry.phase = 'queued';
      }
    }
    this.sent = 0;
    this.sentSubscribes = 0;
    this.queue = [];
  }

  /**
   * Applies a non-fatal ack (success, benign or refused). Returns the settled subscription when the
   * ack matched a request on the wire.
   */
  handleAck(ack: Ack, receivedAt: number): void {
    const key = subscriptionKey(ack.trId, ack.trKey);
    const candidate = this.requests.get(key);
    const matched = candidate !== undefined && candidate.phase === 'sent' ? candidate : undefined;
    const rttMs = matched ? receivedAt - matched.sentAt : undefined;
    if (rttMs !== undefined) this.options.onRtt?.(rttMs);
    const result = (status: SubscribeStatus): SubscribeResult => ({
      trId: ack.trId,
      trKey: ack.trKey,
      status,
      msgCd: ack.msgCd,
      rttMs,
    });
    this.uncertain.delete(key);

    switch (ack.msgCd) {
      case 'OPSP0000':
      case 'OPSP0002':
        // The server holds this registration now, whatever we expected: count it against the budget.
        this.registered.add(key);
        if (matched?.op === 'subscribe') {
          this.settle(matched, result(ack.msgCd === 'OPSP0000' ? 'subscribed' : 'already'));
        } else if (!matched && !this.wantedMap.has(key) && !this.requests.has(key) && this.live) {
          // A late ack for a request that timed out (or was never ours): release the slot it holds.
          this.options.onLog?.(
            'info',
            `Late subscribe ack for ${ack.trId} ${shownTrKey(ack.trId, ack.trKey)}; releasing it`,
          );
          this.request('unsubscribe', ack.trId, ack.trKey).catch(noop);
        }
        break;
      case 'OPSP0001':
      case 'OPSP0003':
        this.registered.delete(key);
        if (matched?.op === 'unsubscribe') {
          this.settle(matched, result(ack.msgCd === 'OPSP0001' ? 'unsubscribed' : 'not-subscribed'));
        }
        break;
      default:
        if (matched && (ack.outcome === 'success' || ack.outcome === 'benign')) {
          // An undocumented code with rt_cd "0": treat it as done, for whichever request it answers.
          if (matched.op === 'subscribe') this.registered.add(key);
          else this.registered.delete(key);
          this.settle(matched, result(matched.op === 'subscribe' ? 'subscribed' : 'unsubscribed'));
        } else if (matched) {
          const { trId, trKey } = matched;
          const error =
            ack.msgCd === 'OPSP0008'
              ? new AgentError(
                  'MAX_SUBSCRIPTIONS',
                  `${MAX_SUBSCRIPTIONS_MESSAGE} (server: ${ack.msgCd} ${ack.msg1}; ${trId} ${shownTrKey(trId, trKey)} not subscribed)`,
                )
              : new AgentError(
                  'REFUSED',
                  `KIS refused to ${matched.op} ${trId} ${shownTrKey(trId, trKey)}: ${ack.msgCd} ${ack.msg1}`,
                );
          if (matched.op === 'subscribe') this.wantedMap.delete(key);
          this.options.onFailure?.(error, { trId, trKey });
          this.settle(matched, error);
        } else {
          this.options.onLog?.(
            'warn',
            `Unmatched KIS reply ${ack.msgCd} ${ack.msg1} for ${ack.trId || '(no tr_id)'} ${shownTrKey(ack.trId, ack.trKey)}`,
          );
        }
    }
    this.pump();
  }

  /** Fails every pending request with `error` (disconnect, stop, dispose). The wanted set is kept. */
  rejectAll(error: AgentError): void {
    this.queue = [];
    for (const entry of [...this.requests.values()]) this.settle(entry, error);
    this.sent = 0;
    this.sentSubscribes = 0;
  }

  /** Forgets the wanted set (dispose). */
  clearWanted(): void {
    this.wantedMap.clear();
  }

  private request(op: Op, trId: string, trKey: string): Promise<SubscribeResult> {
    const key = subscriptionKey(trId, trKey);
    const existing = this.requests.get(key);
    if (existing) {
      if (existing.op === op) return existing.promise;
      if (existing.phase === 'queued') {
        // Subscribe-then-unsubscribe (or the reverse) before anything went out: they cancel out.
        this.queue = this.queue.filter((k) => k !== key);
        this.settle(
          existing,
          new AgentError(
            'CANCELLED',
            `${op === 'subscribe' ? 'unsubscribe' : 'subscribe'} of ${trId} ${shownTrKey(trId, trKey)} superseded by ${op}`,
          ),
        );
      } else {
        // The opposite request is on the wire: one request per key at a time, so wait for its ack.
        return existing.promise.then(noop, noop).then(() => {
          const stillIntended = op === 'subscribe' ? this.wantedMap.has(key) : !this.wantedMap.has(key);
          if (!stillIntended) {
            return Promise.reject(
              new AgentError('CANCELLED', `${op} of ${trId} ${shownTrKey(trId, trKey)} superseded by a later request`),
            );
          }
          return this.request(op, trId, trKey);
        });
      }
    }
    if (op === 'subscribe' && this.registered.has(key)) {
      return Promise.resolve({ trId, trKey, status: 'already' });
    }
    if (op === 'unsubscribe' && !this.registered.has(key)) {
      return Promise.resolve({ trId, trKey, status: 'not-subscribed' });
    }
    const entry = this.createEntry(op, trId, trKey);
    this.queue.push(key);
    this.pump();
    return entry.promise;
  }

  private createEntry(op: Op, trId: string, trKey: string): RequestEntry {
    let resolve!: (result: SubscribeResult) => void;
    let reject!: (error: AgentError) => void;
    const promise = new Promise<SubscribeResult>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // Replays after a reconnect have no caller; their failures are reported through onFailure instead.
    promise.catch(noop);
    const entry: RequestEntry = {
      op,
      trId,
      trKey,
      key: subscriptionKey(trId, trKey),
      phase: 'queued',
      sentAt: 0,
      promise,
      resolve,
      reject,
    };
    this.requests.set(entry.key, entry);
    return entry;
  }

  /** Sends queued requests while the window has room. */
  private pump(): void {
    const { maxInFlight, maxRegistrations } = this.options;
    while (this.live && this.sent < maxInFlight && this.queue.length > 0) {
      const key = this.queue.shift() as string;
      const entry = this.requests.get(key);
      if (entry === undefined || entry.phase !== 'queued') continue;
      if (entry.op === 'subscribe') {
        if (this.registered.has(key)) {
          this.settle(entry, { trId: entry.trId, trKey: entry.trKey, status: 'already' });
          continue;
        }
        if (this.registered.size + this.sentSubscribes + this.uncertain.size >= maxRegistrations) {
          if (this.sent > this.sentSubscribes) {
            // Unsubscribes on the wire will free slots (a replace at 41/41 with maxInFlight > 1): keep this
            // one first in line until their acks, instead of refusing a subscribe that is about to fit.
            this.queue.unshift(key);
            break;
          }
          // Never send the 42nd: KIS would refuse it anyway, and the budget is per session.
          const error = new AgentError(
            'MAX_SUBSCRIPTIONS',
            `${MAX_SUBSCRIPTIONS_MESSAGE} (${entry.trId} ${shownTrKey(entry.trId, entry.trKey)} not subscribed)`,
          );
          this.wantedMap.delete(key);
          this.options.onFailure?.(error, { trId: entry.trId, trKey: entry.trKey });
          this.settle(entry, error);
          continue;
        }
      } else if (!this.registered.has(key)) {
        this.settle(entry, { trId: entry.trId, trKey: entry.trKey, status: 'not-subscribed' });
        continue;
      }
      entry.phase = 'sent';
      entry.sentAt = this.options.now();
      this.sent += 1;
      if (entry.op === 'subscribe') this.sentSubscribes += 1;
      entry.timer = this.options.tracker.timer(this.options.ackTimeoutMs, () => this.onAckTimeout(entry));
      this.options.send(entry.op === 'subscribe' ? '1' : '2', entry.trId, entry.trKey);
    }
  }

  private onAckTimeout(entry: RequestEntry): void {
    if (this.requests.get(entry.key) !== entry || entry.phase !== 'sent') return;
    entry.timer = undefined;
    const error = new AgentError(
      'ACK_TIMEOUT',
      `No reply from KIS to the ${entry.op} of ${entry.trId} ${shownTrKey(entry.trId, entry.trKey)} within ${this.options.ackTimeoutMs} ms`,
    );
    // A subscribe that timed out is not in effect; drop it from the wanted set so state stays honest
    // (a late success ack is still counted and released, see handleAck).
    if (entry.op === 'subscribe') {
      this.wantedMap.delete(entry.key);
      this.uncertain.add(entry.key);
    }
    this.options.onFailure?.(error, { trId: entry.trId, trKey: entry.trKey });
    this.settle(entry, error);
    this.pump();
  }

  /** Settles a request and removes its entry, in `finally` so no path can leave it behind. */
  private settle(entry: RequestEntry, outcome: SubscribeResult | AgentError): void {
    try {
      entry.timer?.cancel();
      if (entry.phase === 'sent') {
        this.sent -= 1;
        if (entry.op === 'subscribe') this.sentSubscribes -= 1;
        entry.phase = 'queued';
      }
      if (outcome instanceof AgentError) entry.reject(outcome);
      else entry.resolve(outcome);
    } finally {
      if (this.requests.get(entry.key) === entry) this.requests.delete(entry.key);
    }
  }
}
