/**
 * The KIS REST client (plain Node, global fetch): prices, today's minute bars, daily candles and the
 * holiday calendar. Every request goes through the app key's shared rate limiter and token manager; every
 * failure is a RestError with a stable code and a counter in stats(); no secret (app key, app secret,
 * access token) appears in an error, a log line or stats.
 */
import { Redactor } from '../common/redact';
import { isKrxCode } from '../market';
import { formatKstDate, formatKstTime, KRX_OPEN_HHMMSS } from '../market';
import {
  classifyKisCode,
  ENDPOINTS,
  EGW,
  MINUTE_BARS_PER_CALL,
  minuteBefore,
  minuteQuery,
  dailyQuery,
  holidayQuery,
  priceQuery,
  parseDailyBars,
  parseEnvelope,
  parseGatewayError,
  parseHolidays,
  parseMinuteBars,
  parseQuote,
  parseToken,
  tokenRequestBody,
  uapiHeaders,
  TOKEN_PATH,
  type Endpoint,
  type EndpointSpec,
  type Envelope,
  type MarketDiv,
  type RestBar,
  type RestEnv,
  type RestHoliday,
  type RestQuote,
} from '../kis/rest';
import { RestError, type RestErrorCode } from './errors';
import { RateLimiter } from './rateLimiter';
import { TokenManager } from './tokenManager';
import { MemoryTokenStore, tokenStoreId, type TokenStore } from './tokenStore';
import { issueThroughAny, sharedKeyState, type KeyState } from './keyState';

/** Requests per second used per environment: under KIS's limits (REST_FACTS.ratePerSecondReal/Paper). */
export const DEFAULT_RATE: Readonly<Record<RestEnv, number>> = { real: 18, paper: 2 };

/** Options of a client. */
export interface RestClientOptions {
  /** e.g. `https://openapi.koreainvestment.com:9443` or the simulator's `restUrl`. */
  baseUrl: string;
  env: RestEnv;
  appkey: string;
  appsecret: string;
  store?: TokenStore;
  /** Requests per second for this key; default DEFAULT_RATE[env]. */
  perSecond?: number;
  /** Per-request timeout, ms (default 10 s). */
  timeoutMs?: number;
  /** EGW00201 retries before RATE_LIMITED (default 5). */
  maxRateRetries?: number;
  /** First backoff after EGW00201, ms (default 1000). */
  backoffMs?: number;
  /** Clock for token validity and holiday caching (default Date.now). */
  now?: () => number;
  /** Diagnostic lines, already redacted. */
  log?: (line: string) => void;
}

/** Counters of a client (no secrets, only numbers). */
export interface RestStats {
  requests: number;
  ok: number;
  errors: Record<RestErrorCode, number>;
  rateLimitedResponses: number;
  retries: number;
  tokensIssued: number;
  tokensFromStore: number;
  tokensInvalidated: number;
  limiterWaitMs: number;
  holidayQueries: number;
}

const ERROR_CODES: RestErrorCode[] = [
  'REST_DOWN',
  'TIMEOUT',
  'RATE_LIMITED',
  'TOKEN_EXPIRED',
  'TOKEN_TOO_SOON',
  'BAD_RESPONSE',
  'UNKNOWN_SYMBOL',
  'BAD_CREDENTIALS',
  'KIS_ERROR',
  'UNSUPPORTED',
  'CLOSED',
  'TOKEN_STORE',
];

interface RawResponse {
  status: number;
  body: unknown;
  trCont: string;
}

/** A KIS REST client for one credential pair. Clients of the same key share its limiter and token. */
export class KisRestClient {
  private readonly key: KeyState;
  private readonly redactor: Redactor;
  private readonly now: () => number;
  private readonly closer = new AbortController();
  private readonly counters: Omit<
    RestStats,
    'tokensIssued' | 'tokensFromStore' | 'tokensInvalidated' | 'limiterWaitMs'
  >;
  private readonly holidayCache = new Map<string, { day: string; days: RestHoliday[] }>();
  private released = false;
  private readonly issuer = (): Promise<{ accessToken: string; expiresIn: number }> => this.issueToken();

  constructor(private readonly options: RestClientOptions) {
    this.now = options.now ?? Date.now;
    this.redactor = new Redactor(options.appkey, options.appsecret);
    const id = tokenStoreId(options.env, options.appkey, options.appsecret, options.baseUrl);
    this.key = sharedKeyState(`${options.baseUrl}\0${id}`, () => ({
      limiter: new RateLimiter({
        perSecond: options.perSecond ?? DEFAULT_RATE[options.env],
        backoffMs: options.backoffMs,
      }),
      tokens: new TokenManager(
        options.store ?? new MemoryTokenStore(),
        id,
        () => issueThroughAny(this.key),
        this.now,
        (t) => this.key.redactors.forEach((r) => r.addApprovalKey(t)),
      ),
      redactors: new Set(),
      issuers: new Set(),
    }));
    this.key.redactors.add(this.redactor);
    this.key.issuers.add(this.issuer);
    this.counters = {
      requests: 0,
      ok: 0,
      errors: Object.fromEntries(ERROR_CODES.map((c) => [c, 0])) as Record<RestErrorCode, number>,
      rateLimitedResponses: 0,
      retries: 0,
      holidayQueries: 0,
    };
  }

  /** Counters: this client's requests and errors, the shared key's token and limiter figures. */
  stats(): RestStats {
    const t = this.key.tokens.stats;
    return {
      ...this.counters,
      errors: { ...this.counters.errors },
      tokensIssued: t.issued,
      tokensFromStore: t.fromStore,
      tokensInvalidated: t.invalidated,
      limiterWaitMs: this.key.limiter.waitedMs,
    };
  }

  /** The current price of a stock on `exchange` (J KRX, NX NXT, UN unified). */
  async price(symbol: string, exchange: MarketDiv = 'J'): Promise<RestQuote> {
    this.checkSymbol(symbol);
    const env = await this.request('price', priceQuery(symbol, exchange));
    // KIS answers an unknown code with an empty output (REST_FACTS.unknownSymbol): no base price.
    const output = env.body.output as Record<string, unknown> | undefined;
    if (output !== undefined && output !== null && (output.stck_sdpr === '' || output.stck_sdpr === '0')) {
      throw this.fail('UNKNOWN_SYMBOL', `no such symbol: ${symbol}`);
    }
    return this.parse(() => parseQuote(env, symbol));
  }

  /**
   * One GET of an endpoint defined outside this file (index and overseas prices: indexPrice.ts,
   * overseasPrice.ts), with the same limiter, token and retries; `read` validates the answer, and a
   * RestError it throws (UNKNOWN_SYMBOL) is counted like the client's own.
   */
  async get<T>(spec: EndpointSpec, query: Record<string, string>, read: (env: Envelope) => T): Promise<T> {
    const env = await this.request(spec, query);
    return this.parse(() => read(env));
  }

  /**
   * Today's 1-minute bars from `since` (HHMMSS, default the 09:00 open) to `until` (default now), ascending,
   * one per minute: paged backwards 30 at a time by time (kis-rest.md §4.1), merged and deduplicated on
   * (date, time). `until` lets a caller on a simulated clock say what "now" is.
   */
  async minuteBars(
    symbol: string,
    exchange: MarketDiv = 'J',
    since = KRX_OPEN_HHMMSS,
    until?: string,
  ): Promise<RestBar[]> {
    this.checkSymbol(symbol);
    const byKey = new Map<string, RestBar>();
    let hour: string | undefined = until ?? formatKstTime(new Date(this.now()));
    // 24 pages cover 12 hours (NXT trades 08:00–20:00); a guard against a server that pages forever.
    for (let page = 0; page < 24 && hour !== undefined && hour >= since; page++) {
      const env = await this.request('minute', minuteQuery(symbol, exchange, hour));
      const bars = this.parse(() => parseMinuteBars(env));
      if (bars.length === 0) break;
      let oldest = bars[0].time;
      for (const bar of bars) {
        byKey.set(bar.date + bar.time, bar);
        if (bar.time < oldest) oldest = bar.time;
      }
      if (bars.length < MINUTE_BARS_PER_CALL) break;
      hour = minuteBefore(oldest);
    }
    return [...byKey.values()]
      .filter((b) => b.time >= since)
      .sort((a, b) => (a.date + a.time < b.date + b.time ? -1 : 1));
  }

  /** Daily candles between two dates (YYYYMMDD; at most 100), ascending. */
  async dailyBars(symbol: string, exchange: MarketDiv = 'J', from?: string, to?: string): Promise<RestBar[]> {
    this.checkSymbol(symbol);
    const end = to ?? formatKstDate(new Date(this.now()));
    const start = from ?? formatKstDate(new Date(this.now() - 140 * 86_400_000));
    const env = await this.request('daily', dailyQuery(symbol, exchange, start, end));
    return this.parse(() => parseDailyBars(env)).sort((a, b) => (a.date < b.date ? -1 : 1));
  }

  /** The holiday calendar from `baseDate` (YYYYMMDD): asked at most once a day per base date, then cached. */
  async holidays(baseDate: string): Promise<RestHoliday[]> {
    if (this.options.env === 'paper') throw this.fail('UNSUPPORTED', 'chk-holiday is not served on paper');
    const today = formatKstDate(new Date(this.now()));
    const cached = this.holidayCache.get(baseDate);
    if (cached !== undefined && cached.day === today) return cached.days;
    this.counters.holidayQueries += 1;
    const env = await this.request('holiday', holidayQuery(baseDate));
    const days = this.parse(() => parseHolidays(env));
    this.holidayCache.set(baseDate, { day: today, days });
    return days;
  }

  /** Whether KRX is closed on `date` (YYYYMMDD). Uses the month's calendar (one query per month per day). */
  async isHoliday(date: string): Promise<boolean> {
    const days = await this.holidays(`${date.slice(0, 6)}01`);
    const day = days.find((d) => d.date === date) ?? (await this.holidays(date)).find((d) => d.date === date);
    if (day === undefined) throw this.fail('BAD_RESPONSE', `chk-holiday has no row for ${date}`);
    return !day.open;
  }

  /**
   * One page of a paged TR (inquire-balance; src/rest/balance.ts does the paging): the request header
   * `tr_cont` ('' first, 'N' next), the page as `parse` validated it, and the response's `tr_cont`.
   */
  async page<T>(
    endpoint: Endpoint | EndpointSpec,
    query: Record<string, string>,
    trCont: '' | 'N',
    parse: (env: Envelope) => T,
  ): Promise<{ value: T; trCont: string }> {
    const answer = await this.exchange(endpoint, query, trCont);
    return { value: this.parse(() => parse(answer.env)), trCont: answer.trCont };
  }

  /** Forget the token (credentials changed): the next request issues a new one, at most once a minute. */
  revokeToken(): Promise<void> {
    return this.key.tokens.revoke();
  }

  /** Aborts requests in flight and releases the shared key state if this was its last client. */
  close(): void {
    if (this.released) return;
    this.released = true;
    this.closer.abort();
    this.key.redactors.delete(this.redactor);
    this.key.issuers.delete(this.issuer);
    this.key.release();
  }

  // ---- internals --------------------------------------------------------------------------------

  private checkSymbol(symbol: string): void {
    if (!isKrxCode(symbol)) throw this.fail('UNKNOWN_SYMBOL', `not a KRX code: ${JSON.stringify(symbol.slice(0, 12))}`);
  }

  private fail(code: RestErrorCode, message: string, kisCode?: string, status?: number): RestError {
    this.counters.errors[code] += 1;
    const safe = this.redactor.redact(message);
    this.options.log?.(`rest: ${code} ${safe}`);
    return new RestError(code, safe, kisCode, status);
  }

  private parse<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof RestError) throw this.fail(e.code, e.message.replace(`${e.code}: `, ''));
      // BodyError names the field at fault, never its value.
      throw this.fail('BAD_RESPONSE', (e as Error).message);
    }
  }

  /** One `/uapi` GET (see `exchange`), its envelope only. */
  private async request(endpoint: Endpoint | EndpointSpec, query: Record<string, string>): Promise<Envelope> {
    return (await this.exchange(endpoint, query, '')).env;
  }

  /** One `/uapi` GET with the limiter, the token, one re-issue on an expired token and EGW00201 retries. */
  private async exchange(
    endpoint: Endpoint | EndpointSpec,
    query: Record<string, string>,
    trCont: string,
  ): Promise<{ env: Envelope; trCont: string }> {
    const spec = typeof endpoint === 'string' ? ENDPOINTS[endpoint] : endpoint;
    let tokenRetried = false;
    let rateRetries = 0;
    for (;;) {
      const token = await this.token();
      const release = await this.key.limiter.acquire();
      const url = `${this.options.baseUrl}${spec.path}?${new URLSearchParams(query).toString()}`;
      let raw: RawResponse;
      try {
        raw = await this.send(url, {
          method: 'GET',
          headers: uapiHeaders(this.options.appkey, this.options.appsecret, token, spec.trId[this.options.env], trCont),
        });
      } finally {
        release();
      }
      const env = parseEnvelope(raw.body);
      if (env !== undefined && env.rtCd === '0' && raw.status === 200) {
        this.key.limiter.succeeded();
        this.counters.ok += 1;
        return { env, trCont: raw.trCont };
      }
      const code = env?.msgCd ?? parseGatewayError(raw.body)?.code;
      if (code === undefined) throw this.httpFailure(raw.status);
      switch (classifyKisCode(code)) {
        case 'rate': {
          this.counters.rateLimitedResponses += 1;
          if (rateRetries >= (this.options.maxRateRetries ?? 5))
            throw this.fail('RATE_LIMITED', 'KIS kept refusing: too many requests per second', code, raw.status);
          rateRetries += 1;
          this.counters.retries += 1;
          // Not inside log?.(): optional chaining would skip the backoff itself when there is no log.
          const pause = this.key.limiter.backoff();
          this.options.log?.(`rest: ${code}, backing off ${pause} ms`);
          continue;
        }
        case 'token':
          await this.key.tokens.invalidate(token);
          if (tokenRetried) throw this.fail('TOKEN_EXPIRED', 'KIS refused a freshly issued token', code, raw.status);
          tokenRetried = true;
          this.counters.retries += 1;
          continue;
        case 'credentials':
          throw this.fail('BAD_CREDENTIALS', `KIS refused the app key (${code})`, code, raw.status);
        default:
          throw this.fail(
            raw.status >= 500 ? 'REST_DOWN' : 'KIS_ERROR',
            `KIS answered ${code}: ${env?.msg ?? ''}`,
            code,
            raw.status,
          );
      }
    }
  }

  private async token(): Promise<string> {
    try {
      return await this.key.tokens.get();
    } catch (e) {
      // A failing TokenStore (a read-only cache directory) is the only non-RestError here.
      const error = e instanceof RestError ? e : new RestError('TOKEN_STORE', 'the token store failed');
      this.counters.errors[error.code] += 1;
      throw error;
    }
  }

  /** POST /oauth2/tokenP. Errors are counted by token() (the manager's caller). */
  private async issueToken(): Promise<{ accessToken: string; expiresIn: number }> {
    const release = await this.key.limiter.acquire();
    let raw: RawResponse;
    try {
      raw = await this.send(
        `${this.options.baseUrl}${TOKEN_PATH}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: tokenRequestBody(this.options.appkey, this.options.appsecret),
        },
        false,
      );
    } finally {
      release();
    }
    const gateway = parseGatewayError(raw.body);
    if (gateway !== undefined || raw.status !== 200) {
      const code = gateway?.code;
      if (code === EGW.tokenTooSoon) {
        this.key.tokens.refusedByKis();
        throw new RestError('TOKEN_TOO_SOON', 'KIS allows one token a minute (EGW00133)', code, raw.status);
      }
      if (code !== undefined && classifyKisCode(code) === 'credentials')
        throw new RestError('BAD_CREDENTIALS', `KIS refused the app key (${code})`, code, raw.status);
      if (raw.status >= 500 || code === undefined)
        throw new RestError('REST_DOWN', `token endpoint answered HTTP ${raw.status}`, code, raw.status);
      throw new RestError('KIS_ERROR', `token endpoint answered ${code}`, code, raw.status);
    }
    try {
      return parseToken(raw.body);
    } catch (e) {
      throw new RestError('BAD_RESPONSE', (e as Error).message);
    }
  }

  private httpFailure(status: number): RestError {
    return this.fail(
      status >= 500 || status === 0 ? 'REST_DOWN' : 'BAD_RESPONSE',
      `HTTP ${status} with a body that is not a KIS answer`,
      undefined,
      status,
    );
  }

  /** fetch with a timeout; a network failure or timeout becomes REST_DOWN / TIMEOUT. */
  private async send(url: string, init: RequestInit, count = true): Promise<RawResponse> {
    if (this.released) throw this.fail('CLOSED', 'the client is closed');
    if (count) this.counters.requests += 1;
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    const signal = AbortSignal.any([this.closer.signal, AbortSignal.timeout(timeoutMs)]);
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, { ...init, signal });
      text = await res.text();
    } catch (e) {
      const wrap = (code: RestErrorCode, message: string): RestError =>
        count ? this.fail(code, message) : new RestError(code, message);
      if (this.closer.signal.aborted) throw wrap('CLOSED', 'the client is closed');
      if ((e as Error).name === 'TimeoutError') throw wrap('TIMEOUT', `no answer within ${timeoutMs} ms`);
      throw wrap(
        'REST_DOWN',
        `cannot reach the REST server (${(e as { cause?: { code?: string } }).cause?.code ?? 'network error'})`,
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (body === undefined && res.status === 200)
      throw count
        ? this.fail('BAD_RESPONSE', 'the body is not JSON')
        : new RestError('BAD_RESPONSE', 'the body is not JSON');
    return { status: res.status, body, trCont: res.headers.get('tr_cont') ?? '' };
  }
}
