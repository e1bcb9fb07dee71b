/**
 * The simulator's KIS REST API (kis-rest.md §8.3): `POST /oauth2/tokenP` with the one-per-minute refusal,
 * inquire-price, today's minute bars (30 per call, paged by time), daily candles, chk-holiday; KIS headers
 * and error bodies; a per-second limit per app key answering EGW00201; faults: slow, down, malformed.
 * Prices and minute bars come from the streaming models of the exchange asked for (J, NX, UN), so the
 * REST price is the last streamed trade and the last minute bar closes at it.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  DAY_MINUTE,
  DAY_MINUTE_BARS_PER_CALL,
  EGW_BODIES,
  ENDPOINTS,
  INDEX_MINUTE,
  MINUTE_BARS_PER_CALL,
  DAILY_BARS_PER_CALL,
  type Endpoint,
} from '../../kis/rest';
import { formatKstDate, formatKstTime } from '../../market';
import { isKrxCode } from '../../market';
import { priceLimits, signOf } from '../market/krxRules';
import type { SymbolModel } from '../market/venueModel';
import type { SymbolVenues } from '../market/models';
import { dailyBars, indexMinuteRows, lastTradingDay, minuteBars, pastMinuteBars } from './restBars';
import { indexName } from '../../market';
import { isIndexCode } from '../../market/symbols';
import type { IntlSim } from '../market/intlSim';
import { intlRestOutput, intlRestSpec } from './restIntl';
import { SimBalance } from './restBalance';
import { isSimTradingDay } from '../market/simCalendar';
import type { SimTrading } from '../account/trading';
import { DAILY_CCLD_TR_IDS, ORDER_CASH_PATH, ORDER_REVISE_PATH, orderCashTrOf } from '../../kis/orders';

/** REST faults a test or the CLI can switch on. */
export interface RestFaults {
  /** Delay before every `/uapi` and token answer, ms. */
  delayMs: number;
  /** '503': answer 503 with an HTML body; 'close': drop the connection. */
  down?: '503' | 'close';
  /** Answer 200 with a body that is not JSON. */
  malformed: boolean;
}

/** What the REST API needs from the server. */
export interface RestApiHost {
  now(): number;
  model(code: string): SymbolModel;
  /** The venue models of a code (the NX and UN market divisions answer from NXT and the unified tape). */
  venues(code: string): SymbolVenues;
  /** The index and US walks the WebSocket streams (their REST prices: restIntl.ts). */
  readonly intl: IntlSim;
  /** Configured credentials (appkey → appsecret); undefined accepts any non-empty pair. */
  secretOf(appkey: string): string | undefined | null;
  /** The paper account's order-cash and inquire-daily-ccld (account/trading.ts), when the server has one. */
  readonly trading?: SimTrading;
}

/** Options of the REST API. */
export interface RestApiOptions {
  /** Requests per second per app key before EGW00201 (default 20, KIS real). */
  perSecond?: number;
  /** Codes answered as unknown (default `000000`). */
  unknownCodes?: readonly string[];
}

/** Minute-history endpoints served besides ENDPOINTS (past days of a stock, an index's bars). */
const HISTORY_SPECS = new Map([DAY_MINUTE, INDEX_MINUTE].map((spec) => [spec.path, spec]));
/** Rows per page of the index minute bars (KIS's page size is not documented; the client follows tr_cont). */
export const INDEX_MINUTE_ROWS_PER_PAGE = 120;

const PATH_TO_ENDPOINT = new Map<string, Endpoint>(Object.entries(ENDPOINTS).map(([k, v]) => [v.path, k as Endpoint]));
const TOKEN_TTL_S = 86_400;
const SAME_TOKEN_MS = 6 * 3600_000;

interface SimToken {
  appkey: string;
  token: string;
  issuedAt: number;
  expiresAt: number;
}

function reply(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/** The REST API state: tokens, request counts, faults. */
export class SimRestApi {
  /** Faults; change them at any time. */
  readonly faults: RestFaults = { delayMs: 0, malformed: false };
  /** Token requests received (accepted or not). */
  tokenRequests = 0;
  /** `/uapi` requests received, and the wall-clock ms of each per app key (for the per-second check). */
  uapiRequests = 0;
  rateLimited = 0;
  /** `FID_COND_MRKT_DIV_CODE` values received (J, NX, UN…) and how often: the client's exchange code. */
  readonly marketDivs = new Map<string, number>();
  /** Simulated accounts served by inquire-balance (restBalance.ts). */
  readonly balance = new SimBalance();
  private readonly arrivals = new Map<string, number[]>();
  private readonly tokens = new Map<string, SimToken>();
  private readonly byToken = new Map<string, SimToken>();
  private readonly perSecond: number;
  private readonly unknown: Set<string>;
  /** Where each app key's paging of an index's minute bars stands (rows already sent). */
  private readonly indexCursors = new Map<string, number>();

  constructor(
    private readonly host: RestApiHost,
    options: RestApiOptions = {},
  ) {
    this.perSecond = options.perSecond ?? 20;
    this.unknown = new Set(options.unknownCodes ?? ['000000']);
  }

  /** Whether this API serves `path`. */
  handles(path: string): boolean {
    return (
      path === '/oauth2/tokenP' ||
      PATH_TO_ENDPOINT.has(path) ||
      intlRestSpec(path) !== undefined ||
      HISTORY_SPECS.has(path) ||
      this.host.trading?.handles(path) === true
    );
  }

  /** The most requests one app key sent within any one-second window. */
  maxPerSecond(): number {
    let max = 0;
    for (const times of this.arrivals.values()) {
      let start = 0;
      for (let end = 0; end < times.length; end++) {
        while (times[end] - times[start] >= 1000) start += 1;
        max = Math.max(max, end - start + 1);
      }
    }
    return max;
  }

  /** Expires every token (the next `/uapi` call gets EGW00123). */
  expireTokens(): void {
    for (const t of this.tokens.values()) t.expiresAt = this.host.now();
  }

  /** Handles one request for a path `handles()` accepted. */
  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    body: () => Promise<string | undefined>,
  ): Promise<void> {
    if (this.faults.delayMs > 0) await new Promise((r) => setTimeout(r, this.faults.delayMs));
    if (this.faults.down === 'close') {
      req.socket.destroy();
      return;
    }
    if (this.faults.down === '503') {
      res.writeHead(503, { 'content-type': 'text/html' });
      res.end('<html><body>Service Unavailable</body></html>');
      return;
    }
    if (this.faults.malformed) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"rt_cd":"0","output":{');
      return;
    }
    if (path === '/oauth2/tokenP') return this.token(req, res, await body());
    if (path === ORDER_CASH_PATH || path === ORDER_REVISE_PATH) {
      this.uapi(req, res, path, (await body()) ?? '');
      return;
    }
    req.resume();
    this.uapi(req, res, path, '');
  }

  private token(req: IncomingMessage, res: ServerResponse, text: string | undefined): void {
    this.tokenRequests += 1;
    let fields: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(text ?? '');
      if (typeof parsed === 'object' && parsed !== null) fields = parsed as Record<string, unknown>;
    } catch {
      // An unparseable body is a bad appkey below.
    }
    const { appkey, appsecret } = fields;
    const known = typeof appkey === 'string' ? this.host.secretOf(appkey) : null;
    if (
      req.method !== 'POST' ||
      fields.grant_type !== 'client_credentials' ||
      typeof appkey !== 'string' ||
      appkey === '' ||
      typeof appsecret !== 'string' ||
      appsecret === '' ||
      known === null ||
      (known !== undefined && known !== appsecret)
    ) {
      reply(res, 403, EGW_BODIES.badAppkey);
      return;
    }
    const now = this.host.now();
    const held = this.tokens.get(appkey);
    if (held !== undefined && now - held.issuedAt < 60_000) {
      reply(res, 403, EGW_BODIES.tokenTooSoon);
      return;
    }
    // A reissue within 6 h returns the same token (kis-rest.md §2.1); later, a new one.
    const reuse = held !== undefined && now - held.issuedAt < SAME_TOKEN_MS && held.expiresAt > now;
    const token: SimToken = reuse
      ? { ...held, issuedAt: now }
      : {
          appkey,
          token: `sim.${randomBytes(24).toString('base64url')}`,
          issuedAt: now,
          expiresAt: now + TOKEN_TTL_S * 1000,
        };
    if (held !== undefined) this.byToken.delete(held.token);
    this.tokens.set(appkey, token);
    this.byToken.set(token.token, token);
    const expiry = new Date(token.expiresAt);
    reply(res, 200, {
      access_token: token.token,
      access_token_token_expired: `${formatKstDate(expiry).replace(/(\d{4})(\d{2})(\d{2})/, '$1-$2-$3')} ${formatKstTime(expiry).replace(/(\d{2})(\d{2})(\d{2})/, '$1:$2:$3')}`,
      token_type: 'Bearer',
      expires_in: Math.round((token.expiresAt - now) / 1000),
    });
  }

  private uapi(req: IncomingMessage, res: ServerResponse, path: string, text: string): void {
    const endpoint = PATH_TO_ENDPOINT.get(path) as Endpoint;
    this.uapiRequests += 1;
    const appkey = String(req.headers.appkey ?? '');
    const auth = String(req.headers.authorization ?? '');
    const held = this.byToken.get(auth.replace(/^Bearer /, ''));
    if (held === undefined || held.appkey !== appkey || held.expiresAt <= this.host.now()) {
      reply(res, 500, EGW_BODIES.tokenExpired);
      return;
    }
    const now = Date.now();
    const times = this.arrivals.get(appkey) ?? [];
    this.arrivals.set(appkey, times);
    times.push(now);
    const recent = times.filter((t) => now - t < 1000).length;
    if (recent > this.perSecond) {
      this.rateLimited += 1;
      reply(res, 500, EGW_BODIES.rateLimited);
      return;
    }
    const trId = String(req.headers.tr_id ?? '');
    const query = new URL(req.url ?? '/', 'http://sim').searchParams;
    const param = (name: string): string => {
      for (const [k, v] of query) if (k.toUpperCase() === name) return v;
      return '';
    };
    const trading = this.host.trading;
    if (trading?.handles(path) === true) {
      // order-rvsecncl checks its own tr_id (answered like a bad body, as the refusal is the account's).
      const known =
        path === ORDER_CASH_PATH
          ? orderCashTrOf(trId) !== undefined
          : path === ORDER_REVISE_PATH || trId === DAILY_CCLD_TR_IDS.real || trId === DAILY_CCLD_TR_IDS.paper;
      if (!known) {
        reply(res, 200, { rt_cd: '1', msg_cd: 'EGW00205', msg1: 'tr_id가 올바르지 않습니다.' });
        return;
      }
      const answer = trading.answer(path, trId, { trCont: String(req.headers.tr_cont ?? ''), body: text, param });
      reply(res, 200, answer.body, { tr_id: trId, tr_cont: answer.trCont });
      return;
    }
    const spec = intlRestSpec(path) ?? HISTORY_SPECS.get(path) ?? ENDPOINTS[endpoint];
    if (trId !== spec.trId.real && trId !== spec.trId.paper) {
      reply(res, 200, { rt_cd: '1', msg_cd: 'EGW00205', msg1: 'tr_id가 올바르지 않습니다.' });
      return;
    }
    const ok = (extra: object): void =>
      reply(
        res,
        200,
        { rt_cd: '0', msg_cd: 'MCA00000', msg1: '정상처리 되었습니다.', ...extra },
        { tr_id: trId, tr_cont: '' },
      );
    if (intlRestSpec(path) !== undefined)
      return ok({ output: intlRestOutput(path, param, this.host.intl, this.host.now()) });
    if (path === INDEX_MINUTE.path) {
      const code = param('FID_INPUT_ISCD');
      const all =
        isIndexCode(code) && indexName(code) !== undefined
          ? indexMinuteRows(code, this.host.intl.level(code), this.host.now())
          : [];
      // Pages follow the request's tr_cont: '' starts over, 'N' is the next page of this key's last ask.
      const cursorKey = `${appkey}\0${code}`;
      const start = String(req.headers.tr_cont ?? '') === 'N' ? (this.indexCursors.get(cursorKey) ?? 0) : 0;
      const page = all.slice(start, start + INDEX_MINUTE_ROWS_PER_PAGE);
      this.indexCursors.set(cursorKey, start + page.length);
      const more = start + page.length < all.length;
      reply(
        res,
        200,
        { rt_cd: '0', msg_cd: 'MCA00000', msg1: '정상처리 되었습니다.', output1: {}, output2: page },
        { tr_id: trId, tr_cont: more ? 'M' : 'D' },
      );
      return;
    }
    if (endpoint === 'balance') {
      const answer = this.balance.answer(trId, String(req.headers.tr_cont ?? ''), param, (c) => this.host.model(c));
      reply(res, 200, answer.body, { tr_id: trId, tr_cont: answer.trCont });
      return;
    }
    if (endpoint === 'holiday') {
      ok({ output: this.holidays(param('BASS_DT')) });
      return;
    }
    const div = param('FID_COND_MRKT_DIV_CODE');
    this.marketDivs.set(div, (this.marketDivs.get(div) ?? 0) + 1);
    const code = param('FID_INPUT_ISCD');
    if (!isKrxCode(code) || this.unknown.has(code)) {
      ok({
        output:
          endpoint === 'price'
            ? { stck_prpr: '', prdy_vrss: '', prdy_vrss_sign: '', prdy_ctrt: '', stck_sdpr: '' }
            : {},
        output2: [],
      });
      return;
    }
    // The exchange asked for: J (KRX, and anything unknown), NX (NXT) or UN (the unified tape).
    const venues = this.host.venues(code);
    const model = div === 'NX' ? venues.nxt : div === 'UN' ? venues.unified : venues.krx;
    if (path === DAY_MINUTE.path) {
      const date = param('FID_INPUT_DATE_1');
      ok({
        output1: {},
        output2: /^\d{8}$/.test(date)
          ? pastMinuteBars(
              model,
              this.host.now(),
              date,
              param('FID_INPUT_HOUR_1') || '235900',
              DAY_MINUTE_BARS_PER_CALL,
            )
          : [],
      });
    } else if (endpoint === 'price') ok({ output: this.quote(model) });
    else if (endpoint === 'minute')
      ok({
        output1: {},
        output2: minuteBars(
          model,
          this.host.now(),
          param('FID_INPUT_HOUR_1') || formatKstTime(new Date(this.host.now())),
          MINUTE_BARS_PER_CALL,
        ),
      });
    else
      ok({
        output1: {},
        output2: dailyBars(model, this.host.now(), param('FID_INPUT_DATE_2') || '99999999', DAILY_BARS_PER_CALL),
      });
  }

  private quote(m: SymbolModel): Record<string, string> {
    // A closed day (weekend, holiday) that saw no trade answers as KIS does: the last trading day's close
    // and its change against the day before (Friday 71,900 -300 on a Saturday), never 0 against itself.
    if (m.trades === 0 && !isSimTradingDay(formatKstDate(new Date(this.host.now())))) return this.closedDayQuote(m);
    const traded = m.trades > 0;
    const change = m.price - m.prevClose;
    return {
      stck_shrn_iscd: m.code,
      stck_prpr: String(m.price),
      prdy_vrss: String(change),
      prdy_vrss_sign: signOf(m.price, m.prevClose, m.upper, m.lower),
      prdy_ctrt: ((change / m.prevClose) * 100).toFixed(2),
      acml_vol: String(m.cumVolume),
      acml_tr_pbmn: String(Math.round(m.cumValue)),
      stck_oprc: String(traded ? m.open : 0),
      stck_hgpr: String(traded ? m.high : 0),
      stck_lwpr: String(traded ? m.low : 0),
      stck_mxpr: String(m.upper),
      stck_llam: String(m.lower),
      stck_sdpr: String(m.prevClose),
      wghn_avrg_stck_prc: (m.cumVolume > 0 ? m.cumValue / m.cumVolume : m.price).toFixed(2),
      temp_stop_yn: 'N',
      iscd_stat_cls_code: '55',
      vi_cls_code: 'N',
      mrkt_warn_cls_code: '00',
    };
  }

  /** inquire-price on a closed day: the last trading day's candle (restBars.ts `lastTradingDay`). */
  private closedDayQuote(m: SymbolModel): Record<string, string> {
    const day = lastTradingDay(m, this.host.now());
    const change = day.close - day.previousClose;
    const { upper, lower } = priceLimits(day.previousClose);
    return {
      stck_shrn_iscd: m.code,
      stck_prpr: String(day.close),
      prdy_vrss: String(change),
      prdy_vrss_sign: signOf(day.close, day.previousClose, upper, lower),
      prdy_ctrt: ((change / day.previousClose) * 100).toFixed(2),
      acml_vol: String(day.volume),
      acml_tr_pbmn: String(Math.round(day.value)),
      stck_oprc: String(day.open),
      stck_hgpr: String(day.high),
      stck_lwpr: String(day.low),
      stck_mxpr: String(upper),
      stck_llam: String(lower),
      stck_sdpr: String(day.previousClose),
      wghn_avrg_stck_prc: (day.volume > 0 ? day.value / day.volume : day.close).toFixed(2),
      temp_stop_yn: 'N',
      iscd_stat_cls_code: '55',
      vi_cls_code: 'N',
      mrkt_warn_cls_code: '00',
    };
  }

  private holidays(base: string): Record<string, string>[] {
    const start = /^\d{8}$/.test(base)
      ? Date.UTC(Number(base.slice(0, 4)), Number(base.slice(4, 6)) - 1, Number(base.slice(6, 8)))
      : this.host.now();
    const rows: Record<string, string>[] = [];
    for (let i = 0; i < 31; i++) {
      const d = new Date(start + i * 86_400_000);
      const wd = d.getUTCDay();
      const date = d.toISOString().slice(0, 10).replace(/-/g, '');
      const open = isSimTradingDay(date) ? 'Y' : 'N';
      rows.push({
        bass_dt: date,
        wday_dvsn_cd: String(wd + 1).padStart(2, '0'),
        bzdy_yn: open,
        tr_day_yn: open,
        opnd_yn: open,
        sttl_day_yn: open,
      });
    }
    return rows;
  }
}
