/**
 * Symbol-code rules by market: the one place that says what a code looks like. The agent (what it may
 * subscribe), the watchlist and command input, the persisted watchlist, the CLI, the simulator and the
 * ticker webview all use these, so a code one part accepts is never refused by another.
 *
 * KRX short codes as KIS takes them in `tr_key` (kis-protocol.md §4): six digits or capitals — plain stock
 * codes (`005930`) and the newer alphanumeric ones (`0088M0`, `0126Z0`) — or an ETN code, `Q` + six digits
 * (`Q500001`). Index symbols are KIS's 4-digit 업종코드 (`0001` KOSPI, `1001` KOSDAQ, `2001` KOSPI 200; H0UPCNT0's
 * tr_key, kis-ws-more.md §6). US symbols are the overseas tr_key itself: `D` + exchange + ticker for the
 * free real-time feed (`DNASAAPL`), `R` + BAQ/BAY/BAA + ticker for KIS's US day session (`RBAQAAPL`)
 * (kis-ws-more.md §7), so a watchlist entry names its exchange and needs no lookup to subscribe.
 */

/** A market whose symbols we know how to recognise: KRX stocks, KRX indices, US stocks. */
export type SymbolMarket = 'krx' | 'index' | 'us';

/** US exchanges (EXCD, kis-rest.md §7) → the day-session market code KIS uses in `R` keys (kis-ws-more.md §7). */
export const US_EXCHANGES = { NAS: 'BAQ', NYS: 'BAY', AMS: 'BAA' } as const;
/** A US exchange code. */
export type UsExchange = keyof typeof US_EXCHANGES;

/** A US overseas tr_key: `DNASAAPL`, `RBAQAAPL`; tickers may carry `.` (`BRK.B`) — KIS's own spelling. */
const US_KEY = /^(?:D(NAS|NYS|AMS)|R(BAQ|BAY|BAA))([A-Z][A-Z0-9.]{0,11})$/;
/** A KRX index code (업종코드). */
const INDEX_CODE = /^[0-9]{4}$/;

/** The indices the extension knows by name (kis-rest.md §5; kis-ws-more.md §6). */
export const KNOWN_INDICES: readonly { readonly code: string; readonly name: string }[] = Object.freeze([
  { code: '0001', name: 'KOSPI' },
  { code: '1001', name: 'KOSDAQ' },
  { code: '2001', name: 'KOSPI 200' },
]);

/** A KRX stock/ETF code (`005930`, `0088M0`). */
const KRX_SHORT = /^[0-9A-Z]{6}$/;
/** A KRX ETN code (`Q500001`). */
const KRX_ETN = /^Q[0-9]{6}$/;

/** The market a well-formed code belongs to, or undefined when no market's rule accepts it. */
export function symbolMarket(code: string): SymbolMarket | undefined {
  // US first: a key such as `DNASAB` is six capitals and would otherwise pass as a KRX code.
  if (US_KEY.test(code)) return 'us';
  if (INDEX_CODE.test(code)) return 'index';
  if (KRX_SHORT.test(code) || KRX_ETN.test(code)) return 'krx';
  return undefined;
}

/** True for a KRX short code as KIS takes it in `tr_key`: `005930`, `0088M0`, `Q500001`. */
export function isKrxCode(code: string): boolean {
  return symbolMarket(code) === 'krx';
}

/** True for any code we can subscribe (today: KRX). The rule every input check uses. */
export function isSymbolCode(code: unknown): code is string {
  return typeof code === 'string' && symbolMarket(code) !== undefined;
}

/** True for a KRX index code as H0UPCNT0 takes it (`0001`). */
export function isIndexCode(code: string): boolean {
  return INDEX_CODE.test(code);
}

/** True for a US overseas tr_key (`DNASAAPL`, `RBAQAAPL`). */
export function isUsKey(code: string): boolean {
  return US_KEY.test(code);
}

/** The parts of a US key: exchange (NAS/NYS/AMS), ticker, and whether it is KIS's day-session (`R`) key. */
export function parseUsKey(code: string): { exchange: UsExchange; ticker: string; daySession: boolean } | undefined {
  const m = US_KEY.exec(code);
  if (m === null) return undefined;
  if (m[1] !== undefined) return { exchange: m[1] as UsExchange, ticker: m[3], daySession: false };
  const exchange = (Object.keys(US_EXCHANGES) as UsExchange[]).find((e) => US_EXCHANGES[e] === m[2]) as UsExchange;
  return { exchange, ticker: m[3], daySession: true };
}

/** The free real-time key of a US ticker (`usKey('NAS', 'AAPL')` → `DNASAAPL`); `daySession` gives the `R` key. */
export function usKey(exchange: UsExchange, ticker: string, daySession = false): string {
  return daySession ? `R${US_EXCHANGES[exchange]}${ticker}` : `D${exchange}${ticker}`;
}

/** The display name of an index code, or undefined for an index we do not know by name. */
export function indexName(code: string): string | undefined {
  return KNOWN_INDICES.find((i) => i.code === code)?.name;
}
