/**
 * `KisSimulator`: a faithful local KIS real-time server (kis-protocol.md §2–§7, §9, §12) on one
 * `node:http` server bound to 127.0.0.1: `POST /oauth2/Approval` and the WebSocket on the same port
 * (paths `/`, `/tryitout`, `/tryitout/<anything>`).
 *
 * Behaviour chosen where the live service is unconfirmed (documented once here):
 * - PINGPONG starts at a session's first subscribe (`pingFrom: 'connect'` to start at connect).
 * - A fatal reply (OPSP0011, OPSP8996) is sent, then the TCP connection is dropped (the client sees 1006,
 *   as captured in S13); `fatalClose: <code>` closes cleanly instead.
 * - key/iv are random per registration; notices are encrypted with their own registration's pair.
 * - Unknown tr_id → OPSP8991; a market tr_key that is not a KRX code → OPSP8992; a well-formed code that
 *   is not in the catalogue still ticks (hash-derived base price). Documented TRs without a generator
 *   (§8.5) are acknowledged and stay silent.
 * - Notices count toward the 41 registrations.
 *
 * Fault controls, the send log and the PINGPONG log are for tests and benchmarks; see each method.
 */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { H0STCNI0, TR } from '../kis';
import { formatKstTime, toKstWallClock } from '../market';
import { findSymbol } from '../market/catalogue';
import { ApprovalStore } from './approvals';
import { FaultState, malformedMessage, type MalformedKind, type RequestView } from './faults';
import { basePriceOf, SymbolModel } from './market';
import { checkRate, resolveOptions, type ResolvedOptions, type SimRate, type SimulatorOptions } from './options';
import { handleRest } from './rest';
import { DaySim } from './daySim';
import { IntlSim } from './intlSim';
import { SimRestApi } from './restApi';
import { SendLog, type SendLogRow } from './sendLog';
import { NOTICE_TRS, Session, type PingLogEntry, type RequestLogEntry, type SessionHost } from './session';

export type { RequestLogEntry, PingLogEntry } from './session';

/** Events of the simulator (payloads are plain data). */
export interface SimulatorEvents {
  /** A WebSocket connection was accepted. */
  connection: { sessionId: number; path: string };
  /** A subscribe/unsubscribe request arrived (before any reply). */
  request: RequestLogEntry;
  /** An ack was sent. */
  ack: { sessionId: number; request: RequestLogEntry; msgCd: string; text: string };
  /** A PINGPONG was sent. */
  pingpong: { sessionId: number; sentAt: number };
  /** A PINGPONG was echoed back (text echo or control pong). */
  'pingpong-echo': { sessionId: number; delayMs: number; via: 'text' | 'pong' };
  /** A connection closed (code as the server saw it: 1006 when no close frame came). */
  close: { sessionId: number; code: number; reason: string };
}

/** Options of `blast()`. */
export interface BlastOptions {
  trId: string;
  symbol: string;
  /** Records to send to each subscribed connection. */
  records: number;
  /** Records per frame (default 10). */
  recordsPerFrame?: number;
}

/** Field overrides of `sendNotice()`, by H0STCNI0 field name. */
export type NoticeFields = Partial<Record<keyof typeof H0STCNI0, string>>;

const WS_PATH = /^\/(?:tryitout(?:\/[^?#]*)?)?$/;

/** True when `now` (epoch ms) falls in the KRX regular session: weekdays 09:00–15:30 Asia/Seoul. */
export function isKrxSessionOpen(now: number): boolean {
  const kst = toKstWallClock(now);
  const day = kst.getUTCDay();
  if (day === 0 || day === 6) return false;
  const minutes = kst.getUTCHours() * 60 + kst.getUTCMinutes();
  return minutes >= 9 * 60 && minutes < 15 * 60 + 30;
}

/** The simulator. Build with `KisSimulator.start()`, end with `close()`. */
export class KisSimulator extends EventEmitter {
  /** Every subscribe/unsubscribe request received, oldest first. */
  readonly requests: RequestLogEntry[] = [];
  /** Every PINGPONG sent, with its echo when one came. */
  readonly pingLog: PingLogEntry[] = [];

  private readonly options: ResolvedOptions;
  private readonly faults = new FaultState();
  private readonly approvals: ApprovalStore;
  private readonly log: SendLog;
  /** The whole trading day (daySim.ts): phases per the session clock when `options.calendar`, else a demo. */
  readonly day: DaySim;
  /** The index and US walks (issue 16), shared by every connection and the REST prices. */
  private readonly intl: IntlSim;
  private readonly models = new Map<string, SymbolModel>();
  private readonly rates = new Map<string, SimRate>();
  private readonly sessions = new Set<Session>();
  /** appkey → the live session holding it, or the epoch ms until which a zombie holds it. */
  private readonly slots = new Map<string, Session | number>();
  private readonly http: Server;
  /** The KIS REST API (tokenP, quotes, charts, holidays): its faults and request counts. */
  readonly restApi: SimRestApi;
  private readonly wss: WebSocketServer;
  /** The narrow interface sessions use to reach the server. */
  private readonly host: SessionHost;
  private nextSessionId = 1;
  private noticeSeq = 0;
  private closing?: Promise<void>;
  private listeningPort = 0;

  private constructor(options: ResolvedOptions) {
    super();
    this.options = options;
    this.faults.ackDelayMs = options.ackDelayMs;
    this.approvals = new ApprovalStore(options.approvalTtlMs, options.now, options.credentials);
    this.log = new SendLog(options.sendLogLimit);
    this.day = new DaySim((code) => this.modelFor(code), options, options.calendar);
    this.intl = new IntlSim(options.marketHours);
    this.host = this.makeHost();
    for (const symbol of options.symbols) this.modelFor(symbol.code, symbol.basePrice);
    this.restApi = new SimRestApi({
      now: options.now,
      model: (code) => this.modelFor(code),
      intl: this.intl,
      secretOf: (appkey) => (options.credentials === undefined ? undefined : (options.credentials.find((c) => c.appkey === appkey)?.secretkey ?? null)),
    }, { perSecond: options.restPerSecond });
    this.http = createServer((req, res) => void handleRest(req, res, this.approvals, undefined, this.restApi));
    this.wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
    this.http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(req, socket, head));
  }

  /** Starts a simulator listening on 127.0.0.1 (`port: 0` picks a free port). */
  static async start(options: SimulatorOptions = {}): Promise<KisSimulator> {
    const sim = new KisSimulator(resolveOptions(options));
    await new Promise<void>((resolve, reject) => {
      sim.http.once('error', reject);
      sim.http.listen(sim.options.port, '127.0.0.1', () => {
        sim.http.off('error', reject);
        resolve();
      });
    });
    sim.listeningPort = (sim.http.address() as AddressInfo).port;
    return sim;
  }

  /**
   * The address the server listens on (always 127.0.0.1: the simulator hands out approval keys to anyone
   * who asks, so it must not be reachable from another machine). Undefined once closed.
   */
  address(): AddressInfo | undefined {
    const address = this.http.address();
    return address !== null && typeof address === 'object' ? address : undefined;
  }

  /** The TCP port in use. */
  get port(): number {
    return this.listeningPort;
  }

  /** `ws://127.0.0.1:PORT` (append `/tryitout` or `/tryitout/H0STCNT0` as clients do; all are served). */
  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** `http://127.0.0.1:PORT`: the REST base URL for `POST /oauth2/Approval`. */
  get restUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Live WebSocket connections. */
  get connectionCount(): number {
    return this.sessions.size;
  }

  /** Closes every socket, clears every timer and stops listening. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    for (const session of this.sessions) {
      session.dispose();
      session.ws.terminate();
    }
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      // Keep-alive REST sockets (fetch keeps them open) would hold close() forever.
      this.http.closeAllConnections();
    });
  }

  // ---- WebSocket upgrade -----------------------------------------------------------------------

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (req.url ?? '/').split('?')[0];
    if (this.closing !== undefined || !WS_PATH.test(path)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws: WebSocket) => this.onConnection(ws, path));
  }

  private onConnection(ws: WebSocket, path: string): void {
    if (this.closing !== undefined) {
      ws.terminate();
      return;
    }
    const session = new Session(this.nextSessionId++, ws, path, this.host);
    this.sessions.add(session);
    this.emit('connection', { sessionId: session.id, path });
  }

  private makeHost(): SessionHost {
    return {
      options: this.options,
      faults: this.faults,
      approvals: this.approvals,
      sendLog: this.log,
      model: (code) => this.modelFor(code),
      rateOf: (trId, symbol) => this.rates.get(`${trId}|${symbol}`) ?? this.rates.get(symbol) ?? this.options.ratePerSymbol,
      marketOpen: () => !this.options.marketHours || isKrxSessionOpen(this.options.now()),
      day: this.day,
      intl: this.intl,
      claimSlot: (appkey, session) => this.claimSlot(appkey, session),
      releaseSlot: (appkey, session, unclean) => this.releaseSlot(appkey, session, unclean),
      onRequest: (entry) => {
        this.requests.push(entry);
        this.emit('request', entry);
      },
      onAck: (entry, msgCd, text) => this.emit('ack', { sessionId: entry.sessionId, request: entry, msgCd, text }),
      onPing: (entry) => {
        this.pingLog.push(entry);
        this.emit('pingpong', { sessionId: entry.sessionId, sentAt: entry.sentAt });
      },
      onEcho: (entry) => this.emit('pingpong-echo', { sessionId: entry.sessionId, delayMs: entry.delayMs ?? 0, via: entry.via ?? 'text' }),
      onClose: (session, code, reason) => {
        this.sessions.delete(session);
        this.emit('close', { sessionId: session.id, code, reason });
      },
    };
  }

  // ---- typed events ----------------------------------------------------------------------------

  override on<K extends keyof SimulatorEvents>(event: K, listener: (payload: SimulatorEvents[K]) => void): this {
    return super.on(event, listener);
  }

  override once<K extends keyof SimulatorEvents>(event: K, listener: (payload: SimulatorEvents[K]) => void): this {
    return super.once(event, listener);
  }

  override off<K extends keyof SimulatorEvents>(event: K, listener: (payload: SimulatorEvents[K]) => void): this {
    return super.off(event, listener);
  }

  override emit<K extends keyof SimulatorEvents>(event: K, payload: SimulatorEvents[K]): boolean {
    return super.emit(event, payload);
  }

  private claimSlot(appkey: string, session: Session): boolean {
    const holder = this.slots.get(appkey);
    if (holder instanceof Session && holder !== session && !holder.closed) return false;
    if (typeof holder === 'number' && this.options.now() < holder) return false;
    this.slots.set(appkey, session);
    return true;
  }

  private releaseSlot(appkey: string, session: Session, unclean: boolean): void {
    if (this.slots.get(appkey) !== session) return;
    if (unclean && this.options.zombieSlotMs > 0) this.slots.set(appkey, this.options.now() + this.options.zombieSlotMs);
    else this.slots.delete(appkey);
  }

  private modelFor(code: string, basePrice?: number): SymbolModel {
    let model = this.models.get(code);
    if (model === undefined) {
      const o = this.options;
      model = new SymbolModel(code, {
        prevClose: basePriceOf(code, basePrice),
        seed: o.seed,
        volatilityTicks: o.volatilityTicks,
        tradeWidth: o.tradeWidth,
        bookWidth: o.bookWidth,
      });
      this.models.set(code, model);
    }
    return model;
  }

  // ---- observability ---------------------------------------------------------------------------

  /** The market model of a symbol (created on first use): last price, limits, cumulative volume... */
  market(code: string): SymbolModel {
    return this.modelFor(code);
  }

  /** Records sent for (trId, symbol), oldest first (the first `sendLogLimit` of them). */
  sentRecords(trId: string, symbol: string): string[] {
    return this.log.records(trId, symbol);
  }

  /** Record and frame counts per (trId, symbol). */
  sendLog(): SendLogRow[] {
    return this.log.summary();
  }

  /** Total records sent, all streams. */
  totalRecordsSent(): number {
    return this.log.totalRecords();
  }

  /** Bytes queued on a connection's socket (0 for an unknown session): a replay's backpressure. */
  bufferedAmount(sessionId: number): number {
    for (const session of this.sessions) if (session.id === sessionId) return session.ws.bufferedAmount;
    return 0;
  }

  /** Session ids of the live connections, oldest first. */
  sessionIds(): number[] {
    return [...this.sessions].map((s) => s.id);
  }

  /** (trId, trKey) registered on each live connection. */
  registrations(): { sessionId: number; trId: string; trKey: string; acked: boolean }[] {
    const out: { sessionId: number; trId: string; trKey: string; acked: boolean }[] = [];
    for (const session of this.sessions) {
      for (const r of session.registrationList()) out.push({ sessionId: session.id, trId: r.trId, trKey: r.trKey, acked: r.acked });
    }
    return out;
  }

  // ---- controls --------------------------------------------------------------------------------

  /** Changes the rate of every stream (no symbol), of one symbol (all its TRs), or of one (trId, symbol). */
  setRate(rate: SimRate, symbol?: string, trId?: string): void {
    checkRate(rate);
    if (symbol === undefined) {
      this.options.ratePerSymbol = rate;
      this.rates.clear();
    } else {
      this.rates.set(trId === undefined ? symbol : `${trId}|${symbol}`, rate);
    }
    for (const session of this.sessions) session.reschedule();
  }

  /** Sends a PINGPONG to every connection now (besides the periodic ones). */
  pingNow(): void {
    for (const session of this.sessions) session.sendPing();
  }

  /** Simulated ack round trip in ms (applies to requests received from now on). */
  setAckDelay(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`ack delay must be >= 0 ms, got ${ms}`);
    this.faults.ackDelayMs = ms;
  }

  /** While on, requests are logged but never answered nor applied (a server that swallows them). */
  ignoreSubscriptions(on: boolean): void {
    this.faults.ignoreSubscriptions = on;
  }

  /**
   * Refuses the next request matching `match` (default: the next subscribe) with `msgCd`, `times` times.
   * A fatal code (OPSP0011, OPSP8996) also ends the session, as the live server does.
   */
  refuseNext(msgCd: string, match?: (request: RequestView) => boolean, times = 1): void {
    this.faults.refuse({ msgCd, match: match ?? ((r) => r.trType === '1'), remaining: times });
  }

  /** Drops pending refusals. */
  clearRefusals(): void {
    this.faults.clearRefusals();
  }

  /** Closes every connection cleanly with `code` (a close frame; the client sees that code). */
  closeAll(code = 1000, reason = ''): void {
    for (const session of this.sessions) {
      session.ws.close(code, reason);
      // Nothing more goes out on a closing socket, so the send log counts only what the client could get.
      session.dispose();
    }
  }

  /** Drops every connection without a close frame (socket destroyed; the client sees 1006). */
  dropAll(): void {
    for (const session of this.sessions) {
      session.ws.terminate();
      // 'close' comes a turn later; a data tick in between would log records that never left.
      session.dispose();
    }
  }

  /** Sockets stay open but nothing is sent: no data, no PINGPONG; acks are held until `resume()`. */
  stall(): void {
    this.faults.stalled = true;
  }

  /** Ends a stall: held acks go out, data restarts (without a catch-up burst). */
  resume(): void {
    this.faults.stalled = false;
    for (const session of this.sessions) session.resume();
  }

  /** Sends one malformed message of `kind` to every connection (or to `sessionId`). */
  sendMalformed(kind: MalformedKind, sessionId?: number): void {
    for (const session of this.targets(sessionId)) {
      const sample = session.sampleRecord();
      session.sendRaw(malformedMessage(kind, sample.trId, sample.record));
    }
  }

  /**
   * Sends a data frame whose bytes are not valid UTF-8 (0xff 0xfe inside a field) in a *text* frame,
   * as observed live (kis-protocol.md §11.10). The record is otherwise well-formed.
   */
  sendInvalidUtf8(sessionId?: number): void {
    for (const session of this.targets(sessionId)) {
      const { trId, record } = session.sampleRecord();
      const fields = record.split('^');
      const head = Buffer.from(`0|${trId}|001|${fields.slice(0, -1).join('^')}^`, 'utf8');
      session.sendRaw(Buffer.concat([head, Buffer.from([0xff, 0xfe])]));
    }
  }

  /** Sends a well-formed H0STCNT0 frame of about `bytes` bytes (a padded field) to every connection. */
  sendOversized(bytes: number, sessionId?: number): void {
    for (const session of this.targets(sessionId)) {
      const { record } = session.sampleRecord();
      const fields = record.split('^');
      const base = `0|${TR.TRADE}|001|${fields.join('^')}`.length;
      fields[44] = 'X'.repeat(Math.max(0, bytes - base));
      session.sendRaw(`0|${TR.TRADE}|001|${fields.join('^')}`);
    }
  }

  /** Sends `data` as is (a string as a text frame; a Buffer inside a text frame). */
  sendRaw(data: string | Buffer, sessionId?: number): void {
    for (const session of this.targets(sessionId)) session.sendRaw(data);
  }

  private targets(sessionId?: number): Session[] {
    return [...this.sessions].filter((s) => sessionId === undefined || s.id === sessionId);
  }

  /**
   * Sends an execution notice to every connection registered for H0STCNI0/H0STCNI9 with tr_key `htsId`:
   * the 26-field plaintext, AES-encrypted with that registration's key/iv, as `1|TR|001|<base64>`.
   * Returns the plaintext sent.
   * @throws Error when no connection has an acknowledged notice registration for `htsId`.
   */
  sendNotice(htsId: string, fields: NoticeFields = {}): string {
    const targets: { session: Session; registration: NonNullable<ReturnType<Session['registration']>> }[] = [];
    for (const session of this.sessions) {
      for (const trId of NOTICE_TRS) {
        const registration = session.registration(trId, htsId);
        if (registration?.acked === true) targets.push({ session, registration });
      }
    }
    if (targets.length === 0) throw new Error(`no connection is subscribed to execution notices for HTS ID ${htsId}`);
    const plaintext = this.noticePlaintext(htsId, fields);
    for (const { session, registration } of targets) session.sendNotice(registration, plaintext);
    return plaintext;
  }

  private noticePlaintext(htsId: string, overrides: NoticeFields): string {
    const symbol = overrides.STCK_SHRN_ISCD ?? '005930';
    const price = String(this.modelFor(symbol).price);
    const qty = overrides.CNTG_QTY ?? '10';
    const orderNo = String(++this.noticeSeq).padStart(10, '0');
    const defaults: Record<keyof typeof H0STCNI0, string> = {
      CUST_ID: htsId,
      ACNT_NO: '5019920201',
      ODER_NO: orderNo,
      OODER_NO: '0000000000',
      SELN_BYOV_CLS: '02',
      RCTF_CLS: '0',
      ODER_KIND: '00',
      ODER_COND: '0',
      STCK_SHRN_ISCD: symbol,
      CNTG_QTY: qty,
      CNTG_UNPR: price,
      STCK_CNTG_HOUR: formatKstTime(new Date(this.options.now())),
      RFUS_YN: '0',
      CNTG_YN: '2',
      ACPT_YN: '2',
      BRNC_NO: '00950',
      ODER_QTY: qty,
      ACNT_NAME: '홍길동',
      ORD_COND_PRC: '0',
      ORD_EXG_GB: '1',
      POPUP_YN: 'N',
      FILLER: '',
      CRDT_CLS: '',
      CRDT_LOAN_DATE: '',
      CNTG_ISNM40: findSymbol(symbol)?.nameKo ?? symbol,
      ODER_PRC: price,
    };
    const fields = new Array<string>(Object.keys(H0STCNI0).length);
    for (const [name, index] of Object.entries(H0STCNI0) as [keyof typeof H0STCNI0, number][]) {
      fields[index] = overrides[name] ?? defaults[name];
    }
    return fields.join('^');
  }

  /**
   * Sends `records` records of (trId, symbol) to every connection with that acknowledged stream, as fast
   * as each socket drains (`ws.bufferedAmount` bounded), `recordsPerFrame` per frame. Resolves when done
   * with the records sent per connection and the elapsed ms.
   * @throws Error when no connection has that stream.
   */
  async blast(options: BlastOptions): Promise<{ records: number; elapsedMs: number }> {
    const perFrame = options.recordsPerFrame ?? 10;
    if (!Number.isInteger(perFrame) || perFrame < 1 || perFrame > 999) throw new RangeError(`recordsPerFrame must be 1..999, got ${perFrame}`);
    const targets = [...this.sessions].filter((s) => s.registration(options.trId, options.symbol)?.stream !== undefined);
    if (targets.length === 0) throw new Error(`no connection has an acknowledged ${options.trId} stream for ${options.symbol}`);
    const started = performance.now();
    const sent = await Promise.all(targets.map((s) => s.blast(options.trId, options.symbol, options.records, perFrame)));
    return { records: Math.min(...sent), elapsedMs: performance.now() - started };
  }
}
