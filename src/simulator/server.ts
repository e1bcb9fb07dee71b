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
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { EventSource } from '../common/lifecycle';
import { ApprovalStore } from './ws/approvals';
import { SessionSet, type RegistrationRow } from './ws/clients';
import {
  FaultState,
  invalidUtf8Frame,
  malformedMessage,
  oversizedFrame,
  type MalformedKind,
  type RequestView,
} from './faults';
import type { SymbolModel } from './market/venueModel';
import { StreamRates, type MarketModels } from './market/models';
import { SimMarket } from './market/simMarket';
import { checkRate, resolveOptions, type ResolvedOptions, type SimRate, type SimulatorOptions } from './options';
import { handleRest } from './rest/restRoutes';
import type { DaySim } from './market/daySim';
import type { IntlSim } from './market/intlSim';
import { SimRestApi } from './rest/restApi';
import { noticePlaintext, type NoticeFields } from './ws/notice';
import { SendLog, type SendLogRow } from './ws/sendLog';
import { isKrxSessionOpen } from './market/simClock';
import { SimTrading } from './account/trading';
import { SIM_ACCOUNT } from './rest/restBalance';
import { findSymbol } from '../market/catalogue';
import {
  NOTICE_TRS,
  Session,
  type PingLogEntry,
  type Registration,
  type RequestLogEntry,
  type SessionOwner,
} from './ws/session';
import { buildDataFrame } from '../kis';

export type { RequestLogEntry, PingLogEntry } from './ws/session';
export type { NoticeFields } from './ws/notice';
export { isKrxSessionOpen } from './market/simClock';

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

/** `SimulatorEvents` in the listener-arguments form of EventSource: one payload per event. */
type SimulatorEventArgs = { [K in keyof SimulatorEvents]: [SimulatorEvents[K]] };

/** Options of `blast()`. */
export interface BlastOptions {
  trId: string;
  symbol: string;
  /** Records to send to each subscribed connection. */
  records: number;
  /** Records per frame (default 10). */
  recordsPerFrame?: number;
}

const WS_PATH = /^\/(?:tryitout(?:\/[^?#]*)?)?$/;

/** The simulator. Build with `KisSimulator.start()`, end with `close()`. */
export class KisSimulator extends EventSource<SimulatorEventArgs> {
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
  private readonly intl: IntlSim; // the index and US walks, shared by every connection and REST
  private readonly models: MarketModels;
  private readonly rates: StreamRates;
  private readonly sessions: SessionSet;
  private readonly http: Server;
  /** The KIS REST API (tokenP, quotes, charts, holidays): its faults and request counts. */
  readonly restApi: SimRestApi;
  /** The paper account (order-cash, inquire-daily-ccld, fills against this market, their notices). */
  readonly trading: SimTrading;
  private readonly wss: WebSocketServer;
  /** The narrow interface sessions use to reach the server. */
  private readonly host: SessionOwner;
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
    this.sessions = new SessionSet(options);
    // One market per server, or the process's one (options.market): models, day and index walks.
    const { market, shared } = SimMarket.of(options);
    this.models = market.models;
    this.day = shared ? market.day : this._register(market.day);
    this.intl = market.intl;
    this.rates = new StreamRates(options.ratePerSymbol);
    this.host = this.makeHost();
    this.trading = this._register(
      new SimTrading(
        {
          now: options.now,
          model: (code) => this.models.model(code),
          knows: (code) =>
            findSymbol(code) !== undefined ||
            options.symbols.some((s) => s.code === code) ||
            this.models.codes().includes(code),
          marketOpen: () => this.host.marketOpen(),
          notify: (htsId, fields) => this.deliverNotice(htsId, fields),
        },
        {
          htsId: options.htsId,
          account: SIM_ACCOUNT,
          matchMs: options.orderMatchMs,
          lotPerTrade: options.fillLotPerTrade,
        },
      ),
    );
    this.restApi = new SimRestApi(
      {
        now: options.now,
        model: (code) => this.models.model(code),
        venues: (code) => this.models.venues(code),
        intl: this.intl,
        secretOf: (appkey) =>
          options.credentials === undefined
            ? undefined
            : (options.credentials.find((c) => c.appkey === appkey)?.secretkey ?? null),
        trading: this.trading,
      },
      { perSecond: options.restPerSecond },
    );
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

  /** Closes every socket, clears every timer and stops listening; then removes every listener. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  /** Starts `close()`, for an owner that cannot await. */
  override dispose(): void {
    void this.close();
  }

  private async shutdown(): Promise<void> {
    this.sessions.dropAll();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      // Keep-alive REST sockets (fetch keeps them open) would hold close() forever.
      this.http.closeAllConnections();
    });
    // Last: the sessions' 'close' events above still reach their listeners.
    super.dispose();
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

  private makeHost(): SessionOwner {
    return {
      options: this.options,
      faults: this.faults,
      approvals: this.approvals,
      sendLog: this.log,
      model: (code) => this.models.model(code),
      rateOf: (trId, symbol) => this.rates.rateOf(trId, symbol),
      marketOpen: () => !this.options.marketHours || isKrxSessionOpen(this.options.now()),
      day: this.day,
      intl: this.intl,
      claimSlot: (appkey, session) => this.sessions.claimSlot(appkey, session),
      releaseSlot: (appkey, session, unclean) => this.sessions.releaseSlot(appkey, session, unclean),
      onRequest: (entry) => {
        this.requests.push(entry);
        this.emit('request', entry);
      },
      onAck: (entry, msgCd, text) => this.emit('ack', { sessionId: entry.sessionId, request: entry, msgCd, text }),
      onPing: (entry) => {
        this.pingLog.push(entry);
        this.emit('pingpong', { sessionId: entry.sessionId, sentAt: entry.sentAt });
      },
      onEcho: (entry) =>
        this.emit('pingpong-echo', {
          sessionId: entry.sessionId,
          delayMs: entry.delayMs ?? 0,
          via: entry.via ?? 'text',
        }),
      onClose: (session, code, reason) => {
        this.sessions.delete(session);
        this.emit('close', { sessionId: session.id, code, reason });
      },
    };
  }

  // ---- observability ---------------------------------------------------------------------------

  /** The market model of a symbol (created on first use): last price, limits, cumulative volume... */
  market(code: string): SymbolModel {
    return this.models.model(code);
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
    return this.sessions.bufferedAmount(sessionId);
  }

  /** Session ids of the live connections, oldest first. */
  sessionIds(): number[] {
    return this.sessions.ids();
  }

  /** (trId, trKey) registered on each live connection. */
  registrations(): RegistrationRow[] {
    return this.sessions.registrations();
  }

  // ---- controls --------------------------------------------------------------------------------

  /** Changes the rate of every stream (no symbol), of one symbol (all its TRs), or of one (trId, symbol). */
  setRate(rate: SimRate, symbol?: string, trId?: string): void {
    this.rates.set(checkRate(rate), symbol, trId);
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
    this.sessions.closeAll(code, reason);
  }

  /** Drops every connection without a close frame (socket destroyed; the client sees 1006). */
  dropAll(): void {
    this.sessions.dropAll();
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
    for (const session of this.sessions.targets(sessionId)) {
      const sample = session.sampleRecord();
      session.sendRaw(malformedMessage(kind, sample.trId, sample.record));
    }
  }

  /**
   * Sends a data frame whose bytes are not valid UTF-8 (0xff 0xfe inside a field) in a *text* frame,
   * as observed live (kis-protocol.md §11.10). The record is otherwise well-formed.
   */
  sendInvalidUtf8(sessionId?: number): void {
    for (const session of this.sessions.targets(sessionId)) {
      const { trId, record } = session.sampleRecord();
      session.sendRaw(invalidUtf8Frame(trId, record));
    }
  }

  /** Sends a well-formed H0STCNT0 frame of about `bytes` bytes (a padded field) to every connection. */
  sendOversized(bytes: number, sessionId?: number): void {
    for (const session of this.sessions.targets(sessionId))
      session.sendRaw(oversizedFrame(session.sampleRecord().record, bytes));
  }

  /** Sends `data` as is (a string as a text frame; a Buffer inside a text frame). */
  sendRaw(data: string | Buffer, sessionId?: number): void {
    for (const session of this.sessions.targets(sessionId)) session.sendRaw(data);
  }

  /**
   * Sends an execution notice to every connection registered for H0STCNI0/H0STCNI9 with tr_key `htsId`:
   * the 26-field plaintext, AES-encrypted with that registration's key/iv, as `1|TR|001|<base64>`.
   * Returns the plaintext sent.
   * @throws Error when no connection has an acknowledged notice registration for `htsId`.
   */
  sendNotice(htsId: string, fields: NoticeFields = {}): string {
    const targets = this.noticeTargets(htsId);
    if (targets.length === 0) throw new Error('no connection is subscribed to execution notices for that HTS ID');
    const plaintext = this.noticeText(htsId, fields);
    for (const { session, registration } of targets) session.sendNotice(registration, plaintext);
    return plaintext;
  }

  /**
   * Matches the paper account's open orders against each symbol's next trade now (what the
   * `orderMatchMs` timer does). Returns the fills made.
   */
  matchOrders(): number {
    return this.trading.matchOrders();
  }

  /**
   * Sends a notice to the `htsId` registrations that the client cannot use: `wrong-key` (encrypted with
   * another key), `bad-padding` (its last block altered), `short` (well encrypted, 20 fields: an unknown
   * width). Returns the connections it went to. A fault hook for tests.
   */
  sendBadNotice(htsId: string, kind: 'wrong-key' | 'bad-padding' | 'short'): number {
    const targets = this.noticeTargets(htsId);
    const plaintext = this.noticeText(htsId, {});
    for (const { session, registration } of targets) {
      const record = kind === 'short' ? plaintext.split('^').slice(0, 20).join('^') : plaintext;
      const key = kind === 'wrong-key' ? registration.key.split('').reverse().join('') : registration.key;
      let frame = buildDataFrame(registration.trId, [record], { key, iv: registration.iv });
      if (kind === 'bad-padding') {
        // Flip bits of the last ciphertext block: the padding check fails (or the text is not UTF-8).
        const head = frame.slice(0, frame.lastIndexOf('|') + 1);
        const bytes = Buffer.from(frame.slice(head.length), 'base64');
        bytes[bytes.length - 1] ^= 0x5a;
        bytes[bytes.length - 17] ^= 0xa5;
        frame = head + bytes.toString('base64');
      }
      session.sendRaw(frame);
    }
    return targets.length;
  }

  /** Sends a notice of the paper account to its HTS ID's registrations; returns how many got it. */
  private deliverNotice(htsId: string, fields: NoticeFields): number {
    const targets = this.noticeTargets(htsId);
    if (targets.length === 0) return 0;
    const plaintext = this.noticeText(htsId, fields);
    for (const { session, registration } of targets) session.sendNotice(registration, plaintext);
    return targets.length;
  }

  private noticeText(htsId: string, fields: NoticeFields): string {
    return noticePlaintext(htsId, fields, {
      priceOf: (code) => this.models.model(code).price,
      now: this.options.now(),
      seq: ++this.noticeSeq,
    });
  }

  /** The acknowledged H0STCNI0/H0STCNI9 registrations with tr_key `htsId`, on every live connection. */
  private noticeTargets(htsId: string): { session: Session; registration: Registration }[] {
    const targets: { session: Session; registration: Registration }[] = [];
    for (const session of this.sessions) {
      for (const trId of NOTICE_TRS) {
        const registration = session.registration(trId, htsId);
        if (registration?.acked === true) targets.push({ session, registration });
      }
    }
    return targets;
  }

  /**
   * Sends `records` records of (trId, symbol) to every connection with that acknowledged stream, as fast
   * as each socket drains (`ws.bufferedAmount` bounded), `recordsPerFrame` per frame. Resolves when done
   * with the records sent per connection and the elapsed ms.
   * @throws Error when no connection has that stream.
   */
  async blast(options: BlastOptions): Promise<{ records: number; elapsedMs: number }> {
    const perFrame = options.recordsPerFrame ?? 10;
    if (!Number.isInteger(perFrame) || perFrame < 1 || perFrame > 999)
      throw new RangeError(`recordsPerFrame must be 1..999, got ${perFrame}`);
    const targets = [...this.sessions].filter(
      (s) => s.registration(options.trId, options.symbol)?.stream !== undefined,
    );
    if (targets.length === 0)
      throw new Error(`no connection has an acknowledged ${options.trId} stream for ${options.symbol}`);
    const started = performance.now();
    const sent = await Promise.all(
      targets.map((s) => s.blast(options.trId, options.symbol, options.records, perFrame)),
    );
    return { records: Math.min(...sent), elapsedMs: performance.now() - started };
  }
}
