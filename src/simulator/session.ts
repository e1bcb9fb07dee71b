/**
 * One WebSocket connection to the simulator: its approval binding, its registrations (tr_id, tr_key),
 * its data streams and its PINGPONG keep-alive.
 *
 * Timers: each session owns at most one data timer (whatever the number of streams: due records of
 * every stream are batched on each tick), one PINGPONG interval, one strict-mode deadline and the
 * delayed-ack timers. `dispose()` clears all of them; nothing outlives the socket.
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { WebSocket } from 'ws';
import {
  buildAck,
  buildDataFrame,
  buildPingPong,
  classifyOpsp,
  parseSubscribeRequest,
  TR,
} from '../kis';
import { DAY_LAYOUTS } from '../kis/layoutsDay';
import { formatKstDate, formatKstDateTime, formatKstTime, isKrxCode, symbolMarket } from '../market';
import { isIntlTr, type IntlSim } from './intlSim';
import { keyMarketOf } from '../kis/layoutsIntl';
import type { ApprovalStore } from './approvals';
import { AsciiWriter } from './ascii';
import type { DaySim, DayStreamCursor } from './daySim';
import type { FaultState } from './faults';
import type { SymbolModel } from './market';
import type { ResolvedOptions, SimRate } from './options';
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
  /** Takes the appkey's single session slot; false when another live (or zombie) session holds it. */
  claimSlot(appkey: string, session: Session): boolean;
  /** Frees the slot, or keeps it as a zombie after an unclean close. */
  releaseSlot(appkey: string, session: Session, unclean: boolean): void;
  onRequest(entry: RequestLogEntry): void;
  onAck(entry: RequestLogEntry, msgCd: string, text: string): void;
  onPing(entry: PingLogEntry): void;
  onEcho(entry: PingLogEntry): void;
  onClose(session: Session, code: number, reason: string): void;
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
interface Stream {
  readonly trId: string;
  readonly symbol: string;
  readonly trade: boolean;
  readonly model: SymbolModel;
  readonly log: SendLogEntry;
  /** Monotonic ms the rate clock started. */
  startedAt: number;
  /** Records sent since `startedAt` (or skipped as backlog). */
  emitted: number;
  /** True while `blast()` drives it. */
  paused: boolean;
  /** Set for the whole-day TRs (daySim.ts), whose records the day writes. */
  readonly day?: DayStreamCursor;
  /** True for the index and US TRs (intlSim.ts). */
  readonly intl?: boolean;
}

/** The TRs the simulator generates data for. */
const TRADE_TR = TR.TRADE;
const BOOK_TR = TR.ORDER_BOOK;
/** Domestic execution-notice TRs: the simulator can send these (`sendNotice`), keyed by HTS ID. */
export const NOTICE_TRS: ReadonlySet<string> = new Set([TR.NOTICE, TR.NOTICE_PAPER]);
/** Every TR whose data KIS encrypts (kis-protocol.md §7.2): their acks say encrypt "Y". */
const ENCRYPTED_TRS: ReadonlySet<string> = new Set([
  TR.NOTICE, TR.NOTICE_PAPER, 'H0GSCNI0', 'H0GSCNI9', 'H0IFCNI0', 'H0IFCNI9', 'H0MFCNI0', 'H0EUCNI0', 'HDFFF2C0',
]);
/**
 * Other documented TR ids (kis-protocol.md §8.5, and those the official samples subscribe to): accepted
 * (SUBSCRIBE SUCCESS) but silent, as outside their hours. Anything else gets OPSP8991 invalid tr_id.
 * The official all-in-one sample stops at the first error reply, so this list must cover what it sends.
 */
const SILENT_TRS: ReadonlySet<string> = new Set([
  'H0STANC0', 'H0STMKO0', 'H0STPGM0', 'H0STMBC0', 'H0STOAA0', 'H0STOUP0', 'H0STOAC0',
  'H0NXCNT0', 'H0NXASP0', 'H0NXANC0', 'H0NXMKO0', 'H0NXPGM0', 'H0NXMBC0',
  'H0UNCNT0', 'H0UNASP0', 'H0UNANC0', 'H0UNMKO0', 'H0UNPGM0', 'H0UNMBC0',
  'H0UPCNT0', 'H0UPANC0', 'H0UPPGM0', 'H0STNAV0', 'H0EWCNT0', 'H0EWASP0', 'H0EWANC0',
  'H0BJCNT0', 'H0BJASP0', 'H0BICNT0',
  'H0IFCNT0', 'H0IFASP0', 'H0IOCNT0', 'H0IOASP0', 'H0ZFCNT0', 'H0ZFASP0', 'H0ZFANC0', 'H0ZOCNT0', 'H0ZOASP0', 'H0ZOANC0',
  'H0CFCNT0', 'H0CFASP0', 'H0MFCNT0', 'H0MFASP0', 'H0EUCNT0', 'H0EUASP0', 'H0EUANC0',
  'HDFSCNT0', 'HDFSASP0', 'HDFSASP1', 'HDFFF020', 'HDFFF010', 'HDFFF1C0',
  ...ENCRYPTED_TRS,
]);

/** Max-rate streams keep at most this many bytes queued on the socket (backpressure). */
export const HIGH_WATER_BYTES = 1 << 20;
/** Frames one max-rate pump may send before yielding to I/O. */
const FRAMES_PER_PUMP = 256;

/**
 * The TCP socket under a `ws` WebSocket. `ws` keeps it private, but corking it for the length of a pump
 * turns one write syscall per frame into one writev per pump (about 10× more 1-record frames per second
 * in bench/simulator-throughput), and its 'drain' event beats polling `bufferedAmount` on a timer.
 */
function rawSocket(ws: WebSocket): Socket | undefined {
  const socket = (ws as unknown as { _socket?: Socket })._socket;
  return socket !== undefined && typeof socket.cork === 'function' ? socket : undefined;
}

/** A random printable ASCII string (AES key material of one registration). */
function randomAscii(length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[bytes[i] % alphabet.length];
  return out;
}

/** Is this (already JSON-looking) text a PINGPONG echo? Cheap substring test before parsing. */
function isPingPongEcho(text: string): boolean {
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

/** One connection. Created by the server on upgrade; disposes itself when the socket closes. */
export class Session {
  /** The appkey this session is bound to (after its first valid subscribe). */
  appkey?: string;
  /** Set when the session is being ended by the server after a fatal reply. */
  doomed = false;
  closed = false;
  private approvalKey?: string;
  private readonly registrations = new Map<string, Registration>();
  private readonly streams: Stream[] = [];
  private dataTimer?:
    | { kind: 'timeout'; handle: NodeJS.Timeout }
    | { kind: 'immediate'; handle: NodeJS.Immediate }
    | { kind: 'drain'; socket: Socket; handle: () => void };
  private pingTimer?: NodeJS.Timeout;
  private pingDeadline?: NodeJS.Timeout;
  private readonly pendingPings: PingLogEntry[] = [];
  private readonly ackTimers = new Set<NodeJS.Timeout>();
  /** Acks waiting for `resume()` while stalled. */
  private readonly held: (() => void)[] = [];
  /** Waits of running blasts, woken by dispose so no promise hangs. */
  private readonly waits = new Set<{ cancel: () => void; wake: () => void }>();
  private readonly socket: Socket | undefined;
  /** Frame bytes are written here (created on first data). */
  private writer?: AsciiWriter;

  constructor(
    readonly id: number,
    readonly ws: WebSocket,
    readonly path: string,
    private readonly host: SessionHost,
  ) {
    this.socket = rawSocket(ws);
    ws.on('message', (data: Buffer, isBinary: boolean) => this.onMessage(isBinary ? data.toString('utf8') : data.toString()));
    ws.on('pong', (data: Buffer) => this.onPong(data));
    ws.on('close', (code: number, reason: Buffer) => this.onSocketClose(code, reason.toString()));
    // A socket error is followed by 'close'; listening keeps it from becoming an uncaught exception.
    ws.on('error', () => undefined);
    if (host.options.pingFrom === 'connect') this.startPing();
  }

  /** Registrations of this session, in order. */
  registrationList(): Registration[] {
    return [...this.registrations.values()];
  }

  /** The registration of (trId, trKey), if any. */
  registration(trId: string, trKey: string): Registration | undefined {
    return this.registrations.get(`${trId}|${trKey}`);
  }

  // ---- inbound -------------------------------------------------------------------------------

  private onMessage(text: string): void {
    if (this.closed || this.doomed) return;
    // An echo is the PINGPONG verbatim, so JSON whitespace before its '{' is still an echo.
    if (text.trimStart().charCodeAt(0) === 123 /* { */ && isPingPongEcho(text)) {
      this.echoed('text');
      return;
    }
    this.onRequestText(text);
  }

  private onPong(data: Buffer): void {
    if (this.closed) return;
    const text = data.toString();
    if (this.pendingPings.some((p) => p.text === text)) this.echoed('pong', text);
  }

  private onRequestText(text: string): void {
    const { options, faults } = this.host;
    const parsed = parseSubscribeRequest(text);
    const entry: RequestLogEntry = {
      at: options.now(),
      sessionId: this.id,
      trType: parsed.ok ? parsed.request.header.tr_type : '',
      trId: parsed.ok ? parsed.request.body.input.tr_id : parsed.trId,
      trKey: parsed.ok ? parsed.request.body.input.tr_key : parsed.trKey,
    };
    this.host.onRequest(entry);
    if (faults.ignoreSubscriptions) return;
    if (!parsed.ok) {
      const fatal = classifyOpsp(parsed.msgCd, '1') === 'fatal';
      this.reply(entry, parsed.msgCd, { encrypt: false }, fatal);
      return;
    }
    const { trId, trKey } = entry;
    const authorised = this.authorise(parsed.request.header.approval_key);
    if (authorised !== undefined) {
      this.reply(entry, authorised, { encrypt: false }, true);
      return;
    }
    const refusal = faults.takeRefusal(entry);
    if (refusal !== undefined) {
      this.reply(entry, refusal, { encrypt: ENCRYPTED_TRS.has(trId) }, classifyOpsp(refusal, '1') === 'fatal');
      return;
    }
    if (entry.trType === '1') this.subscribe(entry, trId, trKey);
    else this.unsubscribe(entry, trId, trKey);
  }

  /**
   * Checks the approval key: the live server checks it when the session starts, so once bound, the
   * session's own key stays good even past its 24 h. Returns the fatal msg_cd, or undefined when allowed.
   */
  private authorise(approvalKey: string): 'OPSP0011' | 'OPSP8996' | undefined {
    if (approvalKey === this.approvalKey) return undefined;
    const grant = this.host.approvals.lookup(approvalKey);
    if (grant === undefined) return 'OPSP0011';
    if (this.appkey === undefined) {
      if (!this.host.claimSlot(grant.appkey, this)) return 'OPSP8996';
      this.appkey = grant.appkey;
      this.approvalKey = approvalKey;
    }
    return undefined;
  }

  private subscribe(entry: RequestLogEntry, trId: string, trKey: string): void {
    const id = `${trId}|${trKey}`;
    const notice = ENCRYPTED_TRS.has(trId);
    if (this.registrations.has(id)) {
      this.reply(entry, 'OPSP0002', { encrypt: notice });
      return;
    }
    const market = trId === TRADE_TR || trId === BOOK_TR || DAY_LAYOUTS.has(trId) || isIntlTr(trId);
    if (!market && !notice && !SILENT_TRS.has(trId)) {
      this.reply(entry, 'OPSP8991', { encrypt: false });
      return;
    }
    if (market && (isIntlTr(trId) ? symbolMarket(trKey) !== keyMarketOf(trId, () => true) : !isKrxCode(trKey))) {
      this.reply(entry, 'OPSP8992', { encrypt: false });
      return;
    }
    if (this.registrations.size >= this.host.options.subscriptionLimit) {
      this.reply(entry, 'OPSP0008', { encrypt: notice });
      return;
    }
    const registration: Registration = { trId, trKey, iv: randomAscii(16), key: randomAscii(32), encrypt: notice, acked: false };
    this.registrations.set(id, registration);
    if (this.host.options.pingFrom === 'subscribe') this.startPing();
    this.reply(entry, 'OPSP0000', { encrypt: notice, iv: registration.iv, key: registration.key }, false, () => {
      // Data flows once the ack is out (and only if the key was not released meanwhile).
      if (this.registrations.get(id) !== registration) return;
      registration.acked = true;
      if (market && this.host.options.synthetic) this.startStream(registration);
    });
  }

  private unsubscribe(entry: RequestLogEntry, trId: string, trKey: string): void {
    const id = `${trId}|${trKey}`;
    const registration = this.registrations.get(id);
    if (registration === undefined) {
      this.reply(entry, 'OPSP0003', { encrypt: ENCRYPTED_TRS.has(trId) });
      return;
    }
    this.registrations.delete(id);
    if (registration.stream !== undefined) {
      const index = this.streams.indexOf(registration.stream);
      if (index >= 0) this.streams.splice(index, 1);
      registration.stream = undefined;
    }
    this.reply(entry, 'OPSP0001', { encrypt: registration.encrypt });
  }

  /**
   * Sends an ack for `entry`, after the simulated round trip; held while stalled. A fatal reply ends the
   * session the way `options.fatalClose` says.
   */
  private reply(
    entry: RequestLogEntry,
    msgCd: string,
    extra: { encrypt: boolean; iv?: string; key?: string },
    fatal = false,
    afterSend?: () => void,
  ): void {
    const text = buildAck({ trId: entry.trId, trKey: entry.trKey, msgCd, ...extra });
    if (fatal) this.doomed = true;
    const deliver = (): void => {
      if (this.closed) return;
      if (this.host.faults.stalled) {
        this.held.push(deliver);
        return;
      }
      if (fatal) this.sendThenEnd(text);
      else this.ws.send(text);
      entry.ackSentAt = this.host.options.now();
      entry.msgCd = msgCd;
      this.host.onAck(entry, msgCd, text);
      afterSend?.();
    };
    const delay = this.host.faults.ackDelayMs;
    if (delay <= 0) {
      deliver();
      return;
    }
    const timer = setTimeout(() => {
      this.ackTimers.delete(timer);
      deliver();
    }, delay);
    this.ackTimers.add(timer);
  }

  private sendThenEnd(text: string): void {
    const how = this.host.options.fatalClose;
    if (how === 'abrupt') {
      // As captured (S13): the reply arrives, then the TCP connection drops without a close frame (1006).
      this.ws.send(text, () => this.ws.terminate());
    } else {
      this.ws.send(text);
      this.ws.close(how, 'fatal');
    }
  }

  /** Sends held acks after `resume()` and restarts the data clocks (no catch-up burst). */
  resume(): void {
    const held = this.held.splice(0);
    for (const deliver of held) deliver();
    this.resetClocks();
    this.schedule();
  }

  // ---- data streams --------------------------------------------------------------------------

  private startStream(registration: Registration): void {
    const model = this.host.model(registration.trKey);
    const stream: Stream = {
      trId: registration.trId,
      symbol: registration.trKey,
      trade: registration.trId === TRADE_TR,
      model,
      log: this.host.sendLog.entry(registration.trId, registration.trKey),
      startedAt: performance.now(),
      emitted: 0,
      paused: false,
      ...(DAY_LAYOUTS.has(registration.trId) ? { day: { viSeq: 0 } } : {}),
      ...(isIntlTr(registration.trId) ? { intl: true } : {}),
    };
    registration.stream = stream;
    this.streams.push(stream);
    this.reschedule();
  }

  /** Restarts the data timer now (a new stream should not wait for the next tick). */
  reschedule(): void {
    this.clearDataTimer();
    this.schedule();
  }

  private clearDataTimer(): void {
    const timer = this.dataTimer;
    if (timer === undefined) return;
    if (timer.kind === 'timeout') clearTimeout(timer.handle);
    else if (timer.kind === 'immediate') clearImmediate(timer.handle);
    else timer.socket.off('drain', timer.handle);
    this.dataTimer = undefined;
  }

  private schedule(): void {
    if (this.closed || this.dataTimer !== undefined || this.streams.length === 0) return;
    const max = this.streams.some((s) => !s.paused && this.host.rateOf(s.trId, s.symbol) === 'max');
    const stalled = this.host.faults.stalled;
    if (max && !stalled && this.ws.bufferedAmount < HIGH_WATER_BYTES) {
      this.dataTimer = { kind: 'immediate', handle: setImmediate(() => this.pump()) };
    } else if (max && !stalled && this.socket !== undefined) {
      // Backpressure: continue when the kernel has taken the queued bytes.
      const socket = this.socket;
      const handle = (): void => this.pump();
      socket.once('drain', handle);
      this.dataTimer = { kind: 'drain', socket, handle };
    } else {
      const ms = max ? 1 : this.host.options.tickIntervalMs;
      this.dataTimer = { kind: 'timeout', handle: setTimeout(() => this.pump(), ms) };
    }
  }

  private resetClocks(): void {
    const t = performance.now();
    for (const stream of this.streams) {
      stream.startedAt = t;
      stream.emitted = 0;
    }
  }

  /** One tick of the data timer: sends every due record of every stream, batched into frames. */
  private pump(): void {
    this.dataTimer = undefined;
    if (this.closed) return;
    const { options, faults } = this.host;
    if (faults.stalled || !this.host.marketOpen()) {
      this.resetClocks();
      this.schedule();
      return;
    }
    const t = performance.now();
    const wall = new Date(options.now());
    const time = formatKstTime(wall);
    const date = formatKstDate(wall);
    const perFrame = options.maxRecordsPerFrame;
    const maxStreams: Stream[] = [];
    const at = wall.getTime();
    for (const stream of this.streams) {
      if (stream.paused) continue;
      if (stream.intl === true ? !this.intlSim().streams(stream.trId, stream.symbol, at) : !this.host.day.streams(stream.trId, stream.symbol, at)) {
        // Outside its phases (or in a VI) a feed is silent; its rate clock restarts when it streams again.
        stream.startedAt = t;
        stream.emitted = 0;
        continue;
      }
      const rate = this.host.rateOf(stream.trId, stream.symbol);
      if (rate === 'max') {
        maxStreams.push(stream);
        continue;
      }
      // The first record goes out at once, then `rate` per second on average.
      let due = Math.floor(((t - stream.startedAt) * rate) / 1000) + 1 - stream.emitted;
      // After a stall of the event loop, skip the backlog instead of bursting it out.
      const cap = Math.max(perFrame, Math.ceil(rate / 4));
      if (due > cap) {
        stream.emitted += due - cap;
        due = cap;
      }
      while (due > 0) {
        const n = due < perFrame ? due : perFrame;
        this.sendRecords(stream, n, time, date);
        stream.emitted += n;
        due -= n;
      }
    }
    if (maxStreams.length > 0) {
      let frames = 0;
      this.socket?.cork();
      while (frames < FRAMES_PER_PUMP && this.ws.bufferedAmount < HIGH_WATER_BYTES && !this.closed) {
        for (const stream of maxStreams) this.sendRecords(stream, perFrame, time, date);
        frames += maxStreams.length;
      }
      this.socket?.uncork();
    }
    this.host.day.tick();
    this.schedule();
  }

  /**
   * Generates `n` records of `stream` and sends them as one frame (count n), written straight into bytes
   * (see ascii.ts); record texts are decoded only while the send log still retains them.
   */
  private sendRecords(stream: Stream, n: number, time: string, date: string): void {
    if (stream.day !== undefined) {
      this.sendDayRecords(stream, stream.day, n, time, date);
      return;
    }
    if (stream.intl === true) {
      const records = this.intlSim().records(stream.trId, stream.symbol, n, this.host.options.now(), time, date);
      this.ws.send(buildDataFrame(stream.trId, records), { binary: false });
      this.host.sendLog.add(stream.log, records.map((r) => r.join('^')));
      return;
    }
    if (stream.trade) this.host.day.prepare(stream.symbol, this.host.options.now());
    const w = (this.writer ??= new AsciiWriter());
    const log = this.host.sendLog;
    const retained: string[] | undefined = log.wants(stream.log) ? [] : undefined;
    const model = stream.model;
    w.begin(n * 512 + 32);
    w.ascii('0|');
    w.ascii(stream.trId);
    w.byte(124);
    w.count3(n);
    w.byte(124);
    for (let i = 0; i < n; i++) {
      if (i > 0) w.byte(94);
      const start = w.mark();
      if (stream.trade) model.writeNextTrade(w, time, date);
      else model.writeNextBook(w, time);
      if (retained !== undefined) retained.push(w.text(start));
    }
    this.ws.send(w.finish(), { binary: false });
    if (retained !== undefined) log.add(stream.log, retained);
    else log.addCount(stream.log, n);
    if (stream.trade) this.host.day.checkVi(stream.symbol, 'KRX', this.host.options.now());
  }

  /** The index/US record source (issue 16): the server's, shared with every connection and its REST prices. */
  private intlSim(): IntlSim {
    return this.host.intl;
  }

  /** The records of a whole-day TR, from the day (market status: only its pending events, often none). */
  private sendDayRecords(stream: Stream, cursor: DayStreamCursor, n: number, time: string, date: string): void {
    const records = this.host.day.records(stream.trId, stream.symbol, n, time, date, this.host.options.now(), cursor);
    if (records.length === 0) return;
    this.ws.send(buildDataFrame(stream.trId, records.map((r) => r.split('^'))), { binary: false });
    this.host.sendLog.add(stream.log, records);
  }

  /**
   * Sends `total` records of (trId, symbol) as fast as the socket drains, `perFrame` per frame, pausing
   * the stream's own timer meanwhile. Resolves with the records sent (fewer if the socket closed).
   */
  async blast(trId: string, symbol: string, total: number, perFrame: number): Promise<number> {
    const stream = this.registration(trId, symbol)?.stream;
    if (stream === undefined) throw new Error(`session ${this.id} has no acknowledged ${trId} stream for ${symbol}`);
    stream.paused = true;
    let sent = 0;
    try {
      while (sent < total && !this.closed) {
        if (this.ws.bufferedAmount >= HIGH_WATER_BYTES) {
          await this.wait('drain');
          continue;
        }
        const wall = new Date(this.host.options.now());
        const time = formatKstTime(wall);
        const date = formatKstDate(wall);
        this.socket?.cork();
        for (let i = 0; i < FRAMES_PER_PUMP && sent < total && this.ws.bufferedAmount < HIGH_WATER_BYTES; i++) {
          const n = Math.min(perFrame, total - sent);
          this.sendRecords(stream, n, time, date);
          sent += n;
        }
        this.socket?.uncork();
        // Yield so the socket can write and other connections get their turn.
        await this.wait('immediate');
      }
    } finally {
      stream.paused = false;
      stream.startedAt = performance.now();
      stream.emitted = 0;
    }
    return sent;
  }

  /**
   * Waits for the socket to drain (or, with no raw socket, 1 ms) or for the next turn of the event loop;
   * `dispose()` ends every wait early, so no blast promise outlives the socket.
   */
  private wait(what: 'drain' | 'immediate'): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.waits.delete(waiter);
        resolve();
      };
      let cancel: () => void;
      const socket = this.socket;
      if (what === 'immediate') {
        const handle = setImmediate(done);
        cancel = () => clearImmediate(handle);
      } else if (socket !== undefined) {
        socket.once('drain', done);
        cancel = () => socket.off('drain', done);
      } else {
        const handle = setTimeout(done, 1);
        cancel = () => clearTimeout(handle);
      }
      const waiter = { cancel, wake: resolve };
      this.waits.add(waiter);
    });
  }

  // ---- notices and raw sends -------------------------------------------------------------------

  /** Encrypts `plaintext` with the registration's key/iv and sends `1|TR|001|base64`. */
  sendNotice(registration: Registration, plaintext: string): void {
    if (this.closed) return;
    this.ws.send(buildDataFrame(registration.trId, [plaintext], { key: registration.key, iv: registration.iv }));
    this.host.sendLog.add(this.host.sendLog.entry(registration.trId, registration.trKey), [plaintext]);
  }

  /** Sends arbitrary text (or bytes inside a *text* frame, for invalid UTF-8). */
  sendRaw(data: string | Buffer): void {
    if (this.closed) return;
    if (typeof data === 'string') this.ws.send(data);
    else this.ws.send(data, { binary: false });
  }

  /** A current record of an acknowledged market stream (for faults), without advancing the walk. */
  sampleRecord(): { trId: string; record: string } {
    const stream = this.streams[0];
    const wall = new Date(this.host.options.now());
    const model = stream?.model ?? this.host.model('005930');
    const trId = stream?.trId ?? TRADE_TR;
    const record = trId === BOOK_TR ? model.nextBook(formatKstTime(wall)) : model.tradeRecord(formatKstTime(wall), formatKstDate(wall));
    return { trId, record };
  }

  // ---- PINGPONG ------------------------------------------------------------------------------

  private startPing(): void {
    if (this.pingTimer !== undefined || this.closed) return;
    this.pingTimer = setInterval(() => this.sendPing(), this.host.options.pingIntervalMs);
  }

  /** Sends one PINGPONG now (also used by tests through the server). */
  sendPing(): void {
    if (this.closed || this.host.faults.stalled) return;
    const { options } = this.host;
    const sentAt = options.now();
    const text = buildPingPong(formatKstDateTime(new Date(sentAt)));
    this.ws.send(text);
    const entry: PingLogEntry = { sessionId: this.id, sentAt, text, sentMono: performance.now() };
    this.pendingPings.push(entry);
    this.host.onPing(entry);
    if (options.strictPingPong && this.pingDeadline === undefined) {
      this.pingDeadline = setTimeout(() => {
        this.pingDeadline = undefined;
        // The client never answered: end the session as a keep-alive failure.
        this.ws.close(1008, 'PINGPONG timeout');
      }, options.pingTimeoutMs);
    }
  }

  /** Records the echo of the oldest unanswered PINGPONG (or of the one whose text a pong carries). */
  private echoed(via: 'text' | 'pong', payload?: string): void {
    const index = payload === undefined ? 0 : this.pendingPings.findIndex((p) => p.text === payload);
    const entry = this.pendingPings[index];
    if (entry === undefined) return;
    this.pendingPings.splice(index, 1);
    entry.echoedAt = this.host.options.now();
    entry.delayMs = performance.now() - entry.sentMono;
    entry.via = via;
    if (this.pendingPings.length === 0 && this.pingDeadline !== undefined) {
      clearTimeout(this.pingDeadline);
      this.pingDeadline = undefined;
    }
    this.host.onEcho(entry);
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  private onSocketClose(code: number, reason: string): void {
    this.dispose();
    if (this.appkey !== undefined) this.host.releaseSlot(this.appkey, this, code === 1006);
    this.host.onClose(this, code, reason);
  }

  /** Stops every timer and stream. Idempotent. */
  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.clearDataTimer();
    if (this.pingTimer !== undefined) clearInterval(this.pingTimer);
    if (this.pingDeadline !== undefined) clearTimeout(this.pingDeadline);
    this.pingTimer = this.pingDeadline = undefined;
    for (const timer of this.ackTimers) clearTimeout(timer);
    this.ackTimers.clear();
    this.held.length = 0;
    for (const waiter of this.waits) {
      waiter.cancel();
      waiter.wake();
    }
    this.waits.clear();
    this.streams.length = 0;
    this.pendingPings.length = 0;
  }
}
