/**
 * Options of the KIS simulator and their defaults. Every default mirrors the live service where it is
 * known (kis-protocol.md §9, §12); the rest are chosen for fast, deterministic tests.
 */
import type { BookWidth, TradeWidth } from './market/venueModel';

/** An appkey / secret pair the approval endpoint accepts. */
export interface SimCredentials {
  appkey: string;
  secretkey: string;
}

/** A symbol the simulator knows in advance, optionally with its own previous close. */
export type SimSymbol = string | { code: string; basePrice?: number };

/** Records per second of one (tr_id, symbol) stream, or 'max': as fast as the socket drains. */
export type SimRate = number | 'max';

/** How the server ends a session after a fatal reply (OPSP0011, OPSP8996). */
export type FatalClose = 'abrupt' | number;

/** What `KisSimulator.start()` accepts. Everything is optional. */
export interface SimulatorOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Only these pairs get an approval key; default: any non-empty appkey and secretkey. */
  credentials?: SimCredentials | SimCredentials[];
  /** Symbols known in advance (their models exist from the start). Others can still be subscribed. */
  symbols?: SimSymbol[];
  /** Records per second per (tr_id, symbol) stream (default 5). */
  ratePerSymbol?: SimRate;
  /** Largest count of one data frame (default 10; KIS packs several records when trades pile up). */
  maxRecordsPerFrame?: number;
  /** Period of each connection's data timer in ms (default 50). */
  tickIntervalMs?: number;
  /** Seed of the random walks (default 1). The same seed gives the same trade sequence per symbol. */
  seed?: number;
  /** Largest price move of one trade, in ticks (default 1). */
  volatilityTicks?: number;
  /** H0STCNT0 record width: 46 (default) or 47 with MARKET_CLS_CODE. */
  tradeWidth?: TradeWidth;
  /** H0STASP0 record width: 59 (default), 62 with the midpoint fields, 63 with MARKET_CLS_CODE. */
  bookWidth?: BookWidth;
  /** PINGPONG period per connection in ms (default 110,000, as reported for the live server). */
  pingIntervalMs?: number;
  /** When the PINGPONG timer starts: at the first subscribe (default) or at connect. */
  pingFrom?: 'subscribe' | 'connect';
  /** Close a connection that does not echo a PINGPONG within `pingTimeoutMs` (default false). */
  strictPingPong?: boolean;
  /** Echo deadline in strict mode, ms (default 10,000). */
  pingTimeoutMs?: number;
  /** Registrations per session before OPSP0008 (default 41). */
  subscriptionLimit?: number;
  /** Approval key lifetime in ms (default 24 h). */
  approvalTtlMs?: number;
  /** Hold an appkey's slot this long after an unclean close (default 0: released at once). */
  zombieSlotMs?: number;
  /** How a fatal reply ends the session: 'abrupt' (default, the client sees 1006 as in S13) or a close code. */
  fatalClose?: FatalClose;
  /** Send data only during KRX sessions (weekdays 09:00–15:30 Asia/Seoul). Default false: always tick. */
  marketHours?: boolean;
  /** The clock (epoch ms). Default Date.now. Drives approval expiry, market hours and record times. */
  now?: () => number;
  /**
   * Follow the trading calendar: each feed streams only in its phases per the session clock
   * (src/market/sessionClock.ts). Default false: the demo, every feed streams at any hour.
   */
  calendar?: boolean;
  /** Records kept per (tr_id, symbol) for `sentRecords()` (default 10,000; counts are always exact). */
  sendLogLimit?: number;
  /** Initial simulated ack round trip in ms (default 0). */
  ackDelayMs?: number;
  /** Generate market data for acknowledged registrations (default true; false when a replay feeds the server). */
  synthetic?: boolean;
  /** REST requests per second per app key before EGW00201 (default 20, KIS real). */
  restPerSecond?: number;
  /**
   * 'own' (default): a fresh market per server. 'process': the process's one market (per calendar mode),
   * so a new server (a Disconnect/Connect of the embedded simulator) continues the same simulated day.
   */
  market?: 'own' | 'process';
  /** Demo only (no calendar): minutes of trading played before the start, the day behind it (default 0). */
  historyMinutes?: number;
  /** The paper account's HTS ID: its execution notices go to registrations with this tr_key (default SIM_HTS_ID). */
  htsId?: string;
  /**
   * How often the paper account matches its open orders against the market, ms (default 200). 0: only
   * when `matchOrders()` is called (tests drive each trade).
   */
  orderMatchMs?: number;
  /** Most shares one order fills per trade (default 100): larger orders fill in parts. */
  fillLotPerTrade?: number;
}

/** The paper account's HTS ID unless `htsId` says otherwise. */
export const SIM_HTS_ID = 'simuser1';

/** Options with every default filled in. */
export interface ResolvedOptions {
  port: number;
  credentials: SimCredentials[] | undefined;
  symbols: { code: string; basePrice?: number }[];
  ratePerSymbol: SimRate;
  maxRecordsPerFrame: number;
  tickIntervalMs: number;
  seed: number;
  volatilityTicks: number;
  tradeWidth: TradeWidth;
  bookWidth: BookWidth;
  pingIntervalMs: number;
  pingFrom: 'subscribe' | 'connect';
  strictPingPong: boolean;
  pingTimeoutMs: number;
  subscriptionLimit: number;
  approvalTtlMs: number;
  zombieSlotMs: number;
  fatalClose: FatalClose;
  marketHours: boolean;
  now: () => number;
  calendar: boolean;
  sendLogLimit: number;
  ackDelayMs: number;
  synthetic: boolean;
  restPerSecond: number;
  market: 'own' | 'process';
  historyMinutes: number;
  htsId: string;
  orderMatchMs: number;
  fillLotPerTrade: number;
}

/** Reported live PINGPONG period (kis-protocol.md §6: "약 110초 간격"). */
export const DEFAULT_PING_INTERVAL_MS = 110_000;
/** Registrations per session on the live server (§9). */
export const DEFAULT_SUBSCRIPTION_LIMIT = 41;
/** Approval key lifetime (§2). */
export const APPROVAL_TTL_MS = 24 * 60 * 60 * 1000;

function positive(name: string, value: number | undefined, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new RangeError(
      `simulator option ${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got ${value}`,
    );
  }
  return value;
}

/** Checks a rate value: a positive finite number or 'max'. */
export function checkRate(rate: SimRate): SimRate {
  if (rate === 'max') return rate;
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0) {
    throw new RangeError(
      `simulator rate must be a positive number of records per second or "max", got ${String(rate)}`,
    );
  }
  return rate;
}

/** An HTS ID as a notice tr_key may carry it (the option's value is not repeated: it is account data). */
function checkHtsId(htsId: string): string {
  if (!/^[A-Za-z0-9._-]{1,32}$/.test(htsId))
    throw new RangeError('simulator option htsId must be 1 to 32 letters, digits, ".", "_" or "-"');
  return htsId;
}

/**
 * Fills in defaults and validates.
 * @throws RangeError for an out-of-range option.
 */
export function resolveOptions(options: SimulatorOptions = {}): ResolvedOptions {
  const port = positive('port', options.port, 0, true);
  if (!Number.isInteger(port) || port > 65535)
    throw new RangeError(`simulator option port must be 0..65535, got ${port}`);
  const credentials =
    options.credentials === undefined
      ? undefined
      : Array.isArray(options.credentials)
        ? options.credentials
        : [options.credentials];
  const maxRecordsPerFrame = positive('maxRecordsPerFrame', options.maxRecordsPerFrame, 10);
  if (!Number.isInteger(maxRecordsPerFrame) || maxRecordsPerFrame > 999) {
    throw new RangeError(`simulator option maxRecordsPerFrame must be an integer 1..999, got ${maxRecordsPerFrame}`);
  }
  const tradeWidth = options.tradeWidth ?? 46;
  if (tradeWidth !== 46 && tradeWidth !== 47) throw new RangeError(`simulator option tradeWidth must be 46 or 47`);
  const bookWidth = options.bookWidth ?? 59;
  if (bookWidth !== 59 && bookWidth !== 62 && bookWidth !== 63)
    throw new RangeError(`simulator option bookWidth must be 59, 62 or 63`);
  const market = options.market ?? 'own';
  if (market !== 'own' && market !== 'process')
    throw new RangeError(`simulator option market must be "own" or "process", got ${String(market)}`);
  return {
    port,
    credentials,
    symbols: (options.symbols ?? []).map((s) => (typeof s === 'string' ? { code: s } : s)),
    ratePerSymbol: checkRate(options.ratePerSymbol ?? 5),
    maxRecordsPerFrame,
    tickIntervalMs: positive('tickIntervalMs', options.tickIntervalMs, 50),
    seed: Math.floor(positive('seed', options.seed, 1, true)),
    volatilityTicks: positive('volatilityTicks', options.volatilityTicks, 1),
    tradeWidth,
    bookWidth,
    pingIntervalMs: positive('pingIntervalMs', options.pingIntervalMs, DEFAULT_PING_INTERVAL_MS),
    pingFrom: options.pingFrom ?? 'subscribe',
    strictPingPong: options.strictPingPong ?? false,
    pingTimeoutMs: positive('pingTimeoutMs', options.pingTimeoutMs, 10_000),
    subscriptionLimit: positive('subscriptionLimit', options.subscriptionLimit, DEFAULT_SUBSCRIPTION_LIMIT),
    approvalTtlMs: positive('approvalTtlMs', options.approvalTtlMs, APPROVAL_TTL_MS),
    zombieSlotMs: positive('zombieSlotMs', options.zombieSlotMs, 0, true),
    fatalClose: options.fatalClose ?? 'abrupt',
    marketHours: options.marketHours ?? false,
    now: options.now ?? Date.now,
    calendar: options.calendar ?? false,
    sendLogLimit: positive('sendLogLimit', options.sendLogLimit, 10_000, true),
    ackDelayMs: positive('ackDelayMs', options.ackDelayMs, 0, true),
    synthetic: options.synthetic ?? true,
    restPerSecond: positive('restPerSecond', options.restPerSecond, 20),
    market,
    // The calendar mode's day follows its own clock and phases; a played history is the demo's.
    historyMinutes: options.calendar === true ? 0 : positive('historyMinutes', options.historyMinutes, 0, true),
    htsId: checkHtsId(options.htsId ?? SIM_HTS_ID),
    orderMatchMs: positive('orderMatchMs', options.orderMatchMs, 200, true),
    fillLotPerTrade: Math.floor(positive('fillLotPerTrade', options.fillLotPerTrade, 100)),
  };
}
