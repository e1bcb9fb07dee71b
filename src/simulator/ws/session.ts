/**
 * One WebSocket connection to the simulator: its approval binding, its registrations (tr_id, tr_key)
 * and the acks it sends; its data streams are the pump's (pump.ts), its keep-alive the KeepAlive's
 * (pingpong.ts).
 *
 * Timers: the pump's one data timer, the keep-alive's interval and strict-mode deadline, and the
 * delayed-ack timers here. `dispose()` clears all of them; nothing outlives the socket.
 */
import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';
import { Disposable } from '../../common/lifecycle';
import { buildAck, buildDataFrame, classifyOpsp, parseSubscribeRequest } from '../../kis';
import { keyMarketOf } from '../../kis/layouts/intl';
import { formatKstDate, formatKstTime, isKrxCode, symbolMarket } from '../../market';
import { isIntlTr } from '../market/intlSim';
import { isPingPongEcho, KeepAlive } from './pingpong';
import { StreamPump } from './pump';
import type { Registration, RequestLogEntry, SessionHost } from './sessionTypes';
import { BOOK_TR, ENCRYPTED_TRS, isMarketTr, SILENT_TRS, TRADE_TR } from './trCatalog';

export type { PingLogEntry, Registration, RequestLogEntry, SessionHost } from './sessionTypes';

/**
 * What the server gives a session beyond what its parts (pump, keep-alive) read: the calls that name the
 * session itself. Declared here, not in sessionTypes.ts, so that file needs no `Session`.
 */
export interface SessionOwner extends SessionHost {
  /** Takes the appkey's single session slot; false when another live (or zombie) session holds it. */
  claimSlot(appkey: string, session: Session): boolean;
  /** Frees the slot, or keeps it as a zombie after an unclean close. */
  releaseSlot(appkey: string, session: Session, unclean: boolean): void;
  onClose(session: Session, code: number, reason: string): void;
}
export { NOTICE_TRS } from './trCatalog';
export { HIGH_WATER_BYTES } from './pump';

/** A random printable ASCII string (AES key material of one registration). */
function randomAscii(length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[bytes[i] % alphabet.length];
  return out;
}

/** One connection. Created by the server on upgrade; disposes itself when the socket closes. */
export class Session extends Disposable {
  /** The appkey this session is bound to (after its first valid subscribe). */
  appkey?: string;
  /** Set when the session is being ended by the server after a fatal reply. */
  doomed = false;
  closed = false;
  private approvalKey?: string;
  private readonly registrations = new Map<string, Registration>();
  private readonly ackTimers = new Set<NodeJS.Timeout>();
  /** Acks waiting for `resume()` while stalled. */
  private readonly held: (() => void)[] = [];
  private readonly pump: StreamPump;
  private readonly keepAlive: KeepAlive;

  constructor(
    readonly id: number,
    readonly ws: WebSocket,
    readonly path: string,
    private readonly host: SessionOwner,
  ) {
    super();
    this.pump = this._register(new StreamPump(ws, host));
    this.keepAlive = this._register(new KeepAlive(id, ws, host));
    ws.on('message', (data: Buffer, isBinary: boolean) =>
      this.onMessage(isBinary ? data.toString('utf8') : data.toString()),
    );
    ws.on('pong', (data: Buffer) => this.keepAlive.onPong(data.toString()));
    ws.on('close', (code: number, reason: Buffer) => this.onSocketClose(code, reason.toString()));
    // A socket error is followed by 'close'; listening keeps it from becoming an uncaught exception.
    ws.on('error', () => undefined);
    if (host.options.pingFrom === 'connect') this.keepAlive.start();
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
      this.keepAlive.echoed('text');
      return;
    }
    this.onRequestText(text);
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
    const market = isMarketTr(trId);
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
    const registration: Registration = {
      trId,
      trKey,
      iv: randomAscii(16),
      key: randomAscii(32),
      encrypt: notice,
      acked: false,
    };
    this.registrations.set(id, registration);
    if (this.host.options.pingFrom === 'subscribe') this.keepAlive.start();
    this.reply(entry, 'OPSP0000', { encrypt: notice, iv: registration.iv, key: registration.key }, false, () => {
      // Data flows once the ack is out (and only if the key was not released meanwhile).
      if (this.registrations.get(id) !== registration) return;
      registration.acked = true;
      if (market && this.host.options.synthetic) this.pump.start(registration);
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
    this.pump.stop(registration);
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
    this.pump.resume();
  }

  // ---- data streams --------------------------------------------------------------------------

  /** Restarts the data timer now (a new rate should not wait for the next tick). */
  reschedule(): void {
    this.pump.reschedule();
  }

  /**
   * Sends `total` records of (trId, symbol) as fast as the socket drains, `perFrame` per frame, pausing
   * the stream's own timer meanwhile. Resolves with the records sent (fewer if the socket closed).
   */
  async blast(trId: string, symbol: string, total: number, perFrame: number): Promise<number> {
    const stream = this.registration(trId, symbol)?.stream;
    if (stream === undefined) throw new Error(`session ${this.id} has no acknowledged ${trId} stream for ${symbol}`);
    return this.pump.blast(stream, total, perFrame);
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
    const stream = this.pump.first;
    const wall = new Date(this.host.options.now());
    const model = stream?.model ?? this.host.model('005930');
    const trId = stream?.trId ?? TRADE_TR;
    const record =
      trId === BOOK_TR
        ? model.nextBook(formatKstTime(wall))
        : model.tradeRecord(formatKstTime(wall), formatKstDate(wall));
    return { trId, record };
  }

  /** Sends one PINGPONG now (also used by tests through the server). */
  sendPing(): void {
    if (this.closed) return;
    this.keepAlive.send();
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  private onSocketClose(code: number, reason: string): void {
    this.dispose();
    if (this.appkey !== undefined) this.host.releaseSlot(this.appkey, this, code === 1006);
    this.host.onClose(this, code, reason);
  }

  /** Stops every timer and stream (the pump's and the keep-alive's too). Idempotent. */
  override dispose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.ackTimers) clearTimeout(timer);
    this.ackTimers.clear();
    this.held.length = 0;
    super.dispose();
  }
}
