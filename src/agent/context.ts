/**
 * What the agent's parts share: the facade's event outlets, the planned end of a session, and small
 * helpers. The parts (connection loop, receiver, watchdog, counters) never import one another's
 * classes: the facade (`KisAgent`) builds them and wires them through these interfaces.
 */
import WebSocket from 'ws';
import type { Ack, CustType, Inbound } from '../kis/types';
import type { AgentState } from '../shared/stats';
import type { TapEvent } from '../shared/tap';
import type { AppkeyHolds } from './appkeyHold';
import type { ApprovalClient } from './approval';
import type { BackoffSchedule } from './backoff';
import type { AgentCounters } from './counters';
import type { AgentError, AgentErrorCode } from './errors';
import type { GapTracker } from './gaps';
import type { Redactor } from '../common/redact';
import type { RawRecordSink } from '../shared/recordSink';
import type { SubscriptionManager } from './subscriptions';
import type { TaskTracker } from './tasks';
import type { AgentEventMap, AgentLogEvent, RecordSink } from './types';

/** The facade's event outlets: every part emits through these (secrets masked, listener errors counted). */
export interface AgentOutlets {
  log(level: AgentLogEvent['level'], message: string): void;
  /** 'error' as an ordinary event: nothing happens when no one listens. */
  emitError(event: AgentEventMap['error'][0]): void;
  emitState(event: AgentEventMap['state'][0]): void;
  emitAck(ack: Ack): void;
  emitGap(gap: AgentEventMap['gap'][0]): void;
  /** Masks the app key, app secret and approval key in a user-facing sentence. */
  redact(text: string): string;
  /** The recorder's tap, when one is given: sees every inbound message and session open/close. */
  tap?: (event: TapEvent) => void;
}

/** An end the agent chose while the socket was open (set before it closes the socket). */
export interface PlannedEnd {
  code: 'STALLED' | 'APPKEY_IN_USE' | 'BAD_CREDENTIALS';
  message: string;
}

/** Why a session ended, decided by whoever ended it (the agent itself, or the socket). */
export interface SessionOutcome {
  code: AgentErrorCode;
  message: string;
  /** How long the socket was open (0 if it never opened). */
  openForMs: number;
  /** Stop instead of reconnecting. */
  fatal?: AgentError;
  /** Reconnect without a backoff wait (a fresh approval key after OPSP0011). */
  immediate?: boolean;
}

/** The connection loop's state, as the receiver and the watchdog see it. */
export interface SessionView {
  readonly state: AgentState;
  /** The open session's socket (undefined between sessions). */
  socket(): WebSocket | undefined;
  /** Ends the open session on purpose; the loop decides what happens next from the planned end. */
  endSession(end: PlannedEnd, hard: boolean): void;
}

/** The connection settings the loop uses (already defaulted by the facade). */
export interface ConnectionSettings {
  wsUrl: string;
  appkey: string;
  custtype: CustType;
  pingIntervalMs: number;
  appkeyInUseBackoffMs: number;
  handshakeTimeoutMs: number;
  closeTimeoutMs: number;
  now: () => number;
}

/** The parts the loop drives, built by the facade. */
export interface ConnectionParts {
  settings: ConnectionSettings;
  holds: AppkeyHolds;
  tracker: TaskTracker;
  subs: SubscriptionManager;
  approval: ApprovalClient;
  redactor: Redactor;
  backoff: BackoffSchedule;
  gaps: GapTracker;
  counters: AgentCounters;
  outlets: AgentOutlets;
  /** How the receiver hands over data and classifies text. */
  receiver: ReceiverHandOff;
}

/**
 * How the receiver hands over data and classifies text: the part of the receiver's options the agent
 * chooses. Declared here, below the receiver, so the receiver's options extend it without a circle.
 */
export interface ReceiverHandOff {
  sink: RecordSink;
  /** Set when data frames go to the sink as bytes (the worker host): the same object as `sink`. */
  rawSink?: RawRecordSink;
  /** The inbound classifier, called exactly once per message. */
  classify: (text: string) => Inbound;
}

/** Logs of repeated per-message problems are thinned out after this many, so a bad feed cannot flood the log. */
export const LOG_FIRST = 10;
export const LOG_EVERY = 1000;

export const noop = (): void => undefined;

/** Formats a delay for a state reason: "20 s", "2.5 s", "40 ms". */
export function seconds(ms: number): string {
  if (ms >= 10_000) return `${Math.round(ms / 1000)} s`;
  if (ms >= 1000) return `${Math.round(ms / 100) / 10} s`;
  return `${Math.round(ms)} ms`;
}

/** Starts a clean close; a socket still connecting is destroyed (it has nothing to close cleanly). */
export function closeSocket(ws: WebSocket, code: number, reason: string): void {
  if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
  else if (ws.readyState === WebSocket.OPEN) ws.close(code, reason);
}

/** An error's message, or the value as text. */
export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
