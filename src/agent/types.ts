/**
 * Public types of the agent: its options, its events and the sink it hands data to.
 */
import type { Ack, CustType, Inbound } from '../kis/types';
import type { AgentState, DataGap } from '../shared/stats';
import type { AppkeyHolds } from './appkeyHold';
import type { BackoffOptions } from './backoff';
import type { AgentErrorCode } from './errors';

export type { RecordSink } from '../shared/recordSink';
import type { RecordSink } from '../shared/recordSink';
import type { AgentTap } from '../shared/tap';

/** Options of `new KisAgent(options)`. */
export interface AgentOptions {
  /** WebSocket URL, e.g. `ws://ops.koreainvestment.com:31000` (paper) or the simulator's `wsUrl`. */
  wsUrl: string;
  /** REST base URL for `POST /oauth2/Approval`. */
  restUrl: string;
  appkey: string;
  appsecret: string;
  /** Customer type sent in every request. Default 'P'. */
  custtype?: CustType;
  sink: RecordSink;
  /** Subscribe/unsubscribe requests on the wire at once, each released by its ack. Default 1. */
  maxInFlight?: number;
  /** How long to wait for an ack before failing that request (ms). Default 5000. */
  ackTimeoutMs?: number;
  /** Reconnect backoff (full jitter). Default 250 ms doubling to 30 s, reset after 60 s open. */
  backoff?: BackoffOptions;
  /**
   * The server's expected PINGPONG interval (ms; ~110 s reported). A session with no inbound message
   * for 2.5 × this is declared stalled and replaced. Default 110000.
   */
  pingIntervalMs?: number;
  /** After OPSP8996 (appkey in use elsewhere) wait at least this long before reconnecting (ms). Default 20000. */
  appkeyInUseBackoffMs?: number;
  /**
   * Where OPSP8996 holds are kept, so that every agent with the same app key honours them (a new agent
   * after a reconnect command or a source switch too). Default: one table for the whole process.
   */
  appkeyHolds?: AppkeyHolds;
  /** The session's registration budget. Default 41 (kis-protocol.md §9). */
  maxRegistrations?: number;
  /** Timeout of the approval-key request (ms). Default 10000. */
  approvalTimeoutMs?: number;
  /** WebSocket opening-handshake timeout (ms). Default 10000. */
  handshakeTimeoutMs?: number;
  /** How long a clean close (1000) may wait for the server's close frame before the socket is destroyed (ms). Default 2000. */
  closeTimeoutMs?: number;
  /** Clock (epoch ms). Default Date.now. */
  now?: () => number;
  /** Random source for the backoff jitter. Default Math.random. */
  random?: () => number;
  /**
   * The inbound classifier. Default: `classify` from src/kis. The agent calls it exactly once per
   * received message; tests pass a counting wrapper to prove that.
   */
  classify?: (text: string) => Inbound;
  /**
   * How data frames reach the sink. 'bytes' (default): when the sink takes raw batches (the worker host,
   * `RawRecordSink`), the receive loop reads only each message's first byte and hands data frames over
   * as bytes, decoded and parsed on the worker thread; other sinks get parsed frames.
   * 'text': always decode and parse on this thread (the design before raw batches; kept for the benchmark).
   */
  receivePath?: 'bytes' | 'text';
  /** The fetch used for the approval key (default: Node's global fetch). */
  fetch?: typeof fetch;
  /** Sees every inbound message and session open/close (the recorder); see src/shared/tap.ts. */
  tap?: AgentTap;
}

/** Payload of the 'state' event. */
export interface StateChange {
  from: AgentState;
  to: AgentState;
  /** Why (a user-facing sentence, no secrets), when there is a reason worth showing. */
  reason?: string;
}

/** Payload of the 'error' event: a failure the user may want to see. The agent itself keeps going unless it is 'stopped'. */
export interface AgentErrorEvent {
  code: AgentErrorCode;
  message: string;
  /** The subscription concerned, for per-request failures. */
  trId?: string;
  trKey?: string;
}

/** Payload of the 'log' event (secrets already masked). */
export interface AgentLogEvent {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
}

/** The agent's events. */
export interface AgentEventMap {
  state: [StateChange];
  /** Every ack / system reply, in arrival order (msg1 with secrets masked). */
  ack: [Ack];
  error: [AgentErrorEvent];
  log: [AgentLogEvent];
  /** A subscription is registered again after a lost session; the gap says which interval it missed. */
  gap: [DataGap];
}

/** The names of the agent's events (for code that forwards them all, e.g. to a log channel). */
export const AGENT_EVENTS: readonly (keyof AgentEventMap)[] = Object.freeze([
  'state',
  'ack',
  'error',
  'log',
  'gap',
] as const);
