/**
 * The messages that cross the thread boundary between the worker host (extension host side,
 * src/worker/host.ts) and the handler worker (src/worker/entry.ts). Plain data only: everything here
 * goes through `postMessage` (structured clone).
 *
 * Flow: host → `init`; worker → `ready`; host → `frames` batches (each with an increasing `batchId`);
 * worker → `snapshot` / `ack` (acknowledging every batch up to `ackBatchId`) and `heartbeat`.
 * A batch is acknowledged only once its effect is in a snapshot the host has received, so the host can
 * rebuild a restarted worker exactly from its merged snapshots plus the batches not yet acknowledged.
 */
import type { DataFrame } from '../kis/types';
import type { AlertQuietOptions } from '../market/alertRules';
import type { ReceiveCounters } from './rawBatch';
import type {
  AlertEvent,
  AlertRule,
  AlertRuleState,
  Bar,
  FillNotice,
  OrderBookTop,
  QuoteState,
  Snapshot,
  WorkerCounters,
} from './snapshot';
import type { HandlerStat } from './stats';
import { isFiniteNumber, isObject, isStringArray } from './validate';

/** Everything a fresh worker needs to continue where a dead one stopped (host's merged snapshot state). */
export interface WorkerRestoreState {
  quotes: QuoteState[];
  /** The latest (current) bar of each symbol. */
  bars: Bar[];
  books: OrderBookTop[];
  counters: WorkerCounters;
  /** The receive counters of raw batches. */
  received?: ReceiveCounters;
}

// ---------------------------------------------------------------------------------------------------
// host → worker

/**
 * The feed's clock as a line through one instant: `feedAt` on the feed's clock (simulated in calendar mode,
 * the recording's in a replay) was `realAt` on the machine's, and it runs `speed` times as fast. The worker
 * dates records that carry no date of their own (index ticks) on it, never on the machine's calendar.
 */
export interface FeedClockAnchor {
  realAt: number;
  feedAt: number;
  speed: number;
}

/** First message to a new worker. The worker answers `ready` once its user handlers are loaded. */
export interface InitMessage {
  type: 'init';
  snapshotIntervalMs: number;
  heartbeatIntervalMs: number;
  /** Order-book levels kept per side (5 or 10). */
  bookDepth: number;
  /** Absolute paths of CommonJS modules whose default export handles each record. */
  userHandlers: string[];
  alerts: AlertRule[];
  /** Alerts fire only in trading phases (src/market/sessionClock.ts); absent = off. */
  sessionGate?: boolean;
  /** The re-arm band and cooldown (src/market/alertRules.ts); absent = the defaults. */
  alertQuiet?: AlertQuietOptions;
  /**
   * What each alert rule that fired remembers (armed, when it fired), from the worker before this one, so
   * a restart (or a reconnect) does not fire a rule again while the price is still past its threshold.
   */
  alertStates?: AlertRuleState[];
  /** State to rebuild from after a restart. */
  restore?: WorkerRestoreState;
  /**
   * Acknowledge raw batches as soon as this many bytes of them were processed (half the host's byte
   * window), with a snapshot of the changes, instead of waiting for the snapshot timer. Default: no early ack.
   */
  ackEveryBytes?: number;
  /** The feed's clock when this worker starts; absent: the machine's (KIS). */
  feedClock?: FeedClockAnchor;
}

/** One batch of data frames (one `RecordSink.push`, or several queued ones). */
export interface FramesMessage {
  type: 'frames';
  /** Strictly increasing per host; echoed back in `ackBatchId`. */
  batchId: number;
  frames: DataFrame[];
  /**
   * The batch was already sent to a worker that died before acknowledging it. Only the built-in
   * handlers see it: the user handlers saw (most of) it already, and one of them may be what killed
   * the worker (a poison record would otherwise kill every successor).
   */
  replay?: boolean;
}

/**
 * One raw batch: data frames as the agent received them, bytes only, in a SharedArrayBuffer
 * (layout in src/shared/rawBatch.ts). The worker decodes, validates, counts and parses them.
 */
export interface RawFramesMessage {
  type: 'raw';
  /** As in `FramesMessage` (one sequence for both kinds). */
  batchId: number;
  buffer: SharedArrayBuffer;
  /** Epoch ms when the agent received the batch. */
  receivedAt: number;
  /** As in `FramesMessage`. */
  replay?: boolean;
}

/** Replaces the alert rules. Rules whose id and definition are unchanged keep their armed state. */
export interface SetAlertsMessage {
  type: 'setAlerts';
  alerts: AlertRule[];
  /** As in `InitMessage`; absent = unchanged. */
  sessionGate?: boolean;
  /** As in `InitMessage`; absent = unchanged. */
  alertQuiet?: AlertQuietOptions;
}

/** Loads one more user handler. */
export interface AddHandlerMessage {
  type: 'addHandler';
  modulePath: string;
}

/**
 * Makes the user handlers exactly `modulePaths` (the editor's handler setting, or a saved
 * file): each is loaded afresh; one whose new version fails keeps its old one. Between two batches, so
 * the stream has no gap.
 */
export interface SetHandlersMessage {
  type: 'setHandlers';
  modulePaths: string[];
}

/** Stop timers and close the port so the thread exits on its own. */
export interface StopMessage {
  type: 'stop';
}

/** Every message the host sends to the worker. */
export type HostToWorker =
  | InitMessage
  | FramesMessage
  | RawFramesMessage
  | SetAlertsMessage
  | AddHandlerMessage
  | SetHandlersMessage
  | StopMessage;

// ---------------------------------------------------------------------------------------------------
// worker → host

/** The worker is initialised; `handlers` are the user handler paths that loaded. */
export interface ReadyMessage {
  type: 'ready';
  handlers: string[];
}

/** A coalesced update: what changed since the previous snapshot. */
export interface SnapshotMessage {
  type: 'snapshot';
  snapshot: Snapshot;
  /** Every batch up to this id is reflected in this snapshot (0: none yet). */
  ackBatchId: number;
  /** Present when what the alert rules remember changed: every fired rule's state. */
  alertStates?: AlertRuleState[];
  /** The receive counters of raw batches, once the worker has seen one. */
  received?: ReceiveCounters;
}

/** Batches processed with no visible change (no snapshot due): acknowledges them anyway. */
export interface AckMessage {
  type: 'ack';
  ackBatchId: number;
  counters: WorkerCounters;
  /** As in `SnapshotMessage`. */
  alertStates?: AlertRuleState[];
  /** As in `SnapshotMessage`. */
  received?: ReceiveCounters;
}

/** Sent from a timer: proves the worker's event loop is turning. */
export interface HeartbeatMessage {
  type: 'heartbeat';
  seq: number;
}

/** A user handler threw, rejected or failed to load (rate-limited; the counter has every one). */
export interface HandlerErrorMessage {
  type: 'handlerError';
  message: string;
  /** The handler's module path, or a built-in handler's name. */
  handler: string;
  /** The error's stack (with source positions; source-mapped for a compiled TypeScript handler). */
  stack?: string;
}

/** Each user handler's counters; sent with the heartbeat while there are user handlers. */
export interface HandlerStatsMessage {
  type: 'handlerStats';
  handlers: HandlerStat[];
}

/** The worker cannot go on (bad init); the host restarts it. */
export interface FatalMessage {
  type: 'fatal';
  message: string;
}

/** Every message the worker sends to the host. */
export type WorkerToHost =
  | ReadyMessage
  | SnapshotMessage
  | AckMessage
  | HeartbeatMessage
  | HandlerErrorMessage
  | HandlerStatsMessage
  | FatalMessage;

// ---------------------------------------------------------------------------------------------------
// validation (the host treats what comes off the thread as untrusted: a user handler runs there)

function isCounters(value: unknown): value is WorkerCounters {
  return (
    isObject(value) &&
    isFiniteNumber(value.records) &&
    isFiniteNumber(value.handlerErrors) &&
    isFiniteNumber(value.parseErrors) &&
    (value.dayRecordErrors === undefined || isFiniteNumber(value.dayRecordErrors)) &&
    (value.noticeErrors === undefined || isFiniteNumber(value.noticeErrors))
  );
}

function isReceived(value: unknown): value is ReceiveCounters | undefined {
  if (value === undefined) return true;
  if (
    !isObject(value) ||
    !isFiniteNumber(value.records) ||
    !isFiniteNumber(value.parseErrors) ||
    !isObject(value.lastTickAt)
  )
    return false;
  return Object.values(value.lastTickAt).every(isFiniteNumber);
}

function isQuote(value: unknown): value is QuoteState {
  return (
    isObject(value) && typeof value.symbol === 'string' && isFiniteNumber(value.last) && isFiniteNumber(value.trades)
  );
}

function isBar(value: unknown): value is Bar {
  return (
    isObject(value) && typeof value.symbol === 'string' && isFiniteNumber(value.time) && isFiniteNumber(value.close)
  );
}

function isBook(value: unknown): value is OrderBookTop {
  return isObject(value) && typeof value.symbol === 'string' && Array.isArray(value.asks) && Array.isArray(value.bids);
}

function isAlertEvent(value: unknown): value is AlertEvent {
  return (
    isObject(value) &&
    typeof value.ruleId === 'string' &&
    typeof value.symbol === 'string' &&
    isFiniteNumber(value.price)
  );
}

/** True for a well-formed rule state (also what a restarted worker accepts from its host). */
export function isAlertRuleState(value: unknown): value is AlertRuleState {
  return (
    isObject(value) && typeof value.id === 'string' && typeof value.armed === 'boolean' && isFiniteNumber(value.firedAt)
  );
}

function isAlertRuleStates(value: unknown): value is AlertRuleState[] {
  return Array.isArray(value) && value.every(isAlertRuleState);
}

function isHandlerStat(value: unknown): value is HandlerStat {
  return (
    isObject(value) &&
    typeof value.path === 'string' &&
    isFiniteNumber(value.version) &&
    isFiniteNumber(value.calls) &&
    isFiniteNumber(value.errors) &&
    isFiniteNumber(value.p50Ms) &&
    isFiniteNumber(value.p99Ms)
  );
}

const FILL_SIDES: readonly unknown[] = ['buy', 'sell', 'other'];
const FILL_STATUSES: readonly unknown[] = ['accepted', 'filled', 'refused', 'cancelled'];

/** True for a well-formed execution notice (what a toast, the Fills view and the holdings trust). */
export function isFillNotice(value: unknown): value is FillNotice {
  return (
    isObject(value) &&
    (value.market === 'krx' || value.market === 'us') &&
    FILL_SIDES.includes(value.side) &&
    typeof value.symbol === 'string' &&
    value.symbol !== '' &&
    typeof value.name === 'string' &&
    isFiniteNumber(value.quantity) &&
    value.quantity >= 0 &&
    isFiniteNumber(value.price) &&
    value.price >= 0 &&
    isFiniteNumber(value.orderQuantity) &&
    value.orderQuantity >= 0 &&
    typeof value.orderNo === 'string' &&
    typeof value.originalOrderNo === 'string' &&
    typeof value.time === 'string' &&
    FILL_STATUSES.includes(value.status)
  );
}

function isSnapshot(value: unknown): value is Snapshot {
  return (
    isObject(value) &&
    isFiniteNumber(value.seq) &&
    isFiniteNumber(value.at) &&
    Array.isArray(value.quotes) &&
    value.quotes.every(isQuote) &&
    Array.isArray(value.bars) &&
    value.bars.every(isBar) &&
    Array.isArray(value.books) &&
    value.books.every(isBook) &&
    Array.isArray(value.alerts) &&
    value.alerts.every(isAlertEvent) &&
    (value.fills === undefined || (Array.isArray(value.fills) && value.fills.every(isFillNotice))) &&
    isCounters(value.counters)
  );
}

/**
 * Checks a message received from the worker. Returns it typed, or `undefined` for anything that is not
 * a well-formed `WorkerToHost` (unknown `type`, missing or mistyped fields); the caller counts and drops it.
 */
export function parseWorkerMessage(value: unknown): WorkerToHost | undefined {
  if (!isObject(value) || typeof value.type !== 'string') return undefined;
  switch (value.type) {
    case 'ready':
      return isStringArray(value.handlers) ? (value as unknown as ReadyMessage) : undefined;
    case 'snapshot':
      return isSnapshot(value.snapshot) &&
        isFiniteNumber(value.ackBatchId) &&
        (value.alertStates === undefined || isAlertRuleStates(value.alertStates)) &&
        isReceived(value.received)
        ? (value as unknown as SnapshotMessage)
        : undefined;
    case 'ack':
      return isFiniteNumber(value.ackBatchId) &&
        isCounters(value.counters) &&
        (value.alertStates === undefined || isAlertRuleStates(value.alertStates)) &&
        isReceived(value.received)
        ? (value as unknown as AckMessage)
        : undefined;
    case 'heartbeat':
      return isFiniteNumber(value.seq) ? (value as unknown as HeartbeatMessage) : undefined;
    case 'handlerError':
      return typeof value.message === 'string' &&
        typeof value.handler === 'string' &&
        (value.stack === undefined || typeof value.stack === 'string')
        ? (value as unknown as HandlerErrorMessage)
        : undefined;
    case 'handlerStats':
      return Array.isArray(value.handlers) && value.handlers.every(isHandlerStat)
        ? (value as unknown as HandlerStatsMessage)
        : undefined;
    case 'fatal':
      return typeof value.message === 'string' ? (value as unknown as FatalMessage) : undefined;
    default:
      return undefined;
  }
}
