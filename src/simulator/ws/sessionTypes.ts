/**
 * The data shapes of a simulator connection (session.ts) and of its parts (pump.ts, pingpong.ts): the
 * request and PINGPONG log entries the server keeps, the narrow interface a session uses to reach its
 * server, and a registration with its data stream. Types only, so the parts share them without cycles.
 */
import type { ApprovalStore } from './approvals';
import type { DaySim, DayStreamCursor } from '../market/daySim';
import type { IntlSim } from '../market/intlSim';
import type { FaultState } from '../faults';
import type { SymbolModel } from '../market/venueModel';
import type { ResolvedOptions, SimRate } from '../options';
import type { PrintVenue } from '../market/reference';
import type { SendLog, SendLogEntry } from './sendLog';

/** One subscribe/unsubscribe request as received (the simulator's request log). */
export interface RequestLogEntry {
  /** Epoch ms (simulator clock) when it arrived. */
  at: number;
  sessionId: number;
  /** "1", "2", or whatever unparsable value came ("" when unreadable). */
  trType: string;
  trId: string;
  trKey: string;
  /** Epoch ms when its ack was sent; undefined while pending (or never, when ignored). */
  ackSentAt?: number;
  /** The msg_cd of the ack sent. */
  msgCd?: string;
}

/** One PINGPONG sent, and its echo. */
export interface PingLogEntry {
  sessionId: number;
  /** Epoch ms (simulator clock). */
  sentAt: number;
  /** The exact text sent. */
  text: string;
  echoedAt?: number;
  /** Send → echo, ms (monotonic clock). */
  delayMs?: number;
  /** How the client answered: a text frame echo or a control pong with the same payload. */
  via?: 'text' | 'pong';
  /** Monotonic send time, for `delayMs`. */
  readonly sentMono: number;
}

/** What a session needs from its server. */
export interface SessionHost {
  readonly options: ResolvedOptions;
  readonly faults: FaultState;
  readonly approvals: ApprovalStore;
  readonly sendLog: SendLog;
  /** The shared market model of a symbol (created on first use). */
  model(code: string): SymbolModel;
  /** The current rate of a (tr_id, symbol) stream. */
  rateOf(trId: string, symbol: string): SimRate;
  /** True while data may flow (always, unless market hours are enforced). */
  marketOpen(): boolean;
  /** The whole trading day: which feed streams when, and the records of the whole-day TRs. */
  readonly day: DaySim;
  /** The index and US walks (intlSim.ts), shared by the connections and the REST prices. */
  readonly intl: IntlSim;
  onRequest(entry: RequestLogEntry): void;
  onAck(entry: RequestLogEntry, msgCd: string, text: string): void;
  onPing(entry: PingLogEntry): void;
  onEcho(entry: PingLogEntry): void;
}

/** A registration of this session. */
export interface Registration {
  readonly trId: string;
  readonly trKey: string;
  /** AES iv (16 chars) and key (32 chars) sent in its SUBSCRIBE SUCCESS. */
  readonly iv: string;
  readonly key: string;
  readonly encrypt: boolean;
  /** Set once the ack went out: data flows only after it. */
  stream?: Stream;
  acked: boolean;
}

/** A market-data stream of one registration. */
export interface Stream {
  readonly trId: string;
  readonly symbol: string;
  readonly trade: boolean;
  readonly model: SymbolModel;
  readonly log: SendLogEntry;
  /** Monotonic ms the rate clock started. */
  startedAt: number;
  /** Records sent since `startedAt` (or skipped as backlog). */
  emitted: number;
  /** The rate the clock runs at: a new rate restarts the clock (the records owed are the new rate's). */
  rate: SimRate;
  /** True while `blast()` drives it. */
  paused: boolean;
  /** Set for the whole-day TRs (daySim.ts), whose records the day writes. */
  readonly day?: DayStreamCursor;
  /** True for the index and US TRs (intlSim.ts). */
  readonly intl?: boolean;
  /** The venues this stream holds open on its symbol's walk (the ones it prints now; reference.ts). */
  heldVenues?: readonly PrintVenue[];
}
