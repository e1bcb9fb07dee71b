/** Connection state and statistics of the agent, shown in the status bar, the details view and the CLI. */

/**
 * A stretch of time in which one subscription could not receive data because its session was lost:
 * from the last message of the lost session to the resubscribe ack on the next one (epoch ms).
 */
export interface DataGap {
  trId: string;
  trKey: string;
  from: number;
  /** Undefined while the subscription is not registered again yet. */
  to?: number;
  /** Why the session was lost (a user-facing sentence, no secrets). */
  reason: string;
}

/** The agent's connection state machine. */
export type AgentState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'stopped';

/** A snapshot of the agent's counters (plain data, safe to post anywhere). */
export interface AgentStats {
  state: AgentState;
  /** Epoch ms when the current session opened; undefined while not open. */
  connectedSince?: number;
  /** Epoch ms when the next reconnect attempt is due (state 'reconnecting'). */
  nextRetryAt?: number;
  /** Why the agent stopped or is backing off (a user-facing sentence, no secrets). */
  lastError?: string;
  /** Stable code of the last error (e.g. 'BAD_CREDENTIALS', 'APPKEY_IN_USE', 'STALLED', 'MAX_SUBSCRIPTIONS'). */
  lastErrorCode?: string;
  reconnects: number;
  /** Text messages received (frames, acks, PINGPONGs). */
  messages: number;
  /** Data records received (sum of frame counts). */
  records: number;
  /** Bytes received. */
  bytes: number;
  /** Messages per second over the last 1 s and the last 10 s. */
  messagesPerSec1s: number;
  messagesPerSec10s: number;
  /** Malformed inbound messages (bad frame, bad JSON, undecryptable payload). */
  parseErrors: number;
  /** Exceptions thrown by the record sink (the hand-off to the handler pipeline). */
  handlerErrors: number;
  pingpongs: number;
  /** Time from receiving the last PINGPONG to sending its echo (ms, receive-loop latency). */
  lastPingEchoMs?: number;
  /** Epoch ms of the last inbound message. */
  lastMessageAt?: number;
  /** Per-symbol epoch ms of the last data frame whose first record carries that symbol. */
  lastTickAt: Record<string, number>;
  /** Registrations acknowledged on the current session, and the session budget (41). */
  subscriptionsUsed: number;
  subscriptionLimit: number;
  /** Ack round trip (request sent → ack received), ms. */
  ackRttP50?: number;
  ackRttP99?: number;
  /** Subscriptions refused by the server or the local budget. */
  refused: number;
  /** subscribe/unsubscribe calls refused before sending: a malformed tr_id, or a tr_key that is not a KRX code for a market TR. */
  invalidRequests?: number;
  /** Sessions declared stalled by the watchdog (no inbound message for 2.5 × the PINGPONG interval). */
  stalls?: number;
  /** Size of the wanted set (what is replayed on every new session). */
  subscriptionsWanted?: number;
  /** Subscribe/unsubscribe requests queued or awaiting their ack. */
  pendingRequests?: number;
  /** Exceptions thrown by listeners of the agent's own events (caught and logged). */
  listenerErrors?: number;
  /** Data gaps closed by a resubscribe after a lost session (see DataGap). */
  gaps?: number;
  /** Gaps not closed yet (the subscription is waiting for its resubscribe ack). */
  openGaps?: DataGap[];
  /** The newest closed gaps, oldest first (at most 50). */
  recentGaps?: DataGap[];
}

/** Counters of the worker host (extension-host side of the handler thread). */
export interface WorkerHostStats {
  /** A worker thread is currently running. */
  running: boolean;
  /** Restarts after a crash, an exit or a missed heartbeat. */
  workerRestarts: number;
  /** From the worker: records handled, handler exceptions, unsplittable payloads. */
  records: number;
  handlerErrors: number;
  parseErrors: number;
  /** Whole-day, index and US TR records that could not be read (unknown width, market status without a symbol). */
  dayRecordErrors?: number;
  /** Trade records that could not be delivered (must stay 0). */
  dropped: number;
  /** Order-book records replaced by a newer one while the queue was full (latest-wins). */
  coalesced: number;
  /** Frames waiting in the host's queue. */
  queued: number;
  /** Snapshots received from the worker. */
  snapshots: number;
  /** Frames posted to the worker and not yet reflected in a snapshot (the replay buffer). */
  inFlight?: number;
  /** Bytes of raw batches posted to the worker and not yet acknowledged. */
  inFlightBytes?: number;
  /** Frames re-sent to a restarted worker (built-in handlers only). */
  replayedFrames?: number;
  /** Messages from the worker that failed validation (dropped). */
  invalidMessages?: number;
  /** Exceptions thrown by listeners of the host's events (counted, never propagated). */
  listenerErrors?: number;
  /** Why the worker last restarted. */
  lastRestartReason?: string;
  /** Each user handler's counters, as of the worker's last report (once a second). */
  handlers?: HandlerStat[];
}

/** One user handler's counters, kept across reloads of its file. */
export interface HandlerStat {
  /** The module the worker loads (absolute). */
  path: string;
  /** Successful loads of this path (1 before the first reload). */
  version: number;
  calls: number;
  /** Throws and rejections. */
  errors: number;
  /** Time per call over the most recent calls (ms). */
  p50Ms: number;
  p99Ms: number;
}
