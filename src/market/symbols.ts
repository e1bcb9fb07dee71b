/**
 * Symbol-code rules by market: the one place that says what a code looks like. The agent (what it may
 * subscribe), the watchlist and command input, the persisted watchlist, the CLI, the simulator and the
 * ticker webview all use these, so a code one part accepts is never refused by another.
 *
 * KRX short codes as KIS takes them in `tr_key` (kis-protocol.md §4): six digits or capitals — plain stock
 * codes (`005930`) and the newer alphanumeric ones (`0088M0`, `0126Z0`) — or an ETN code, `Q` + six digits
 * (`Q500001`). Index and US symbols get their own rule here when their feeds arrive (kis-ws-more.md).
 */

/** A market whose symbols we know how to recognise. */
export type SymbolMarket = 'krx';

/** A KRX stock/ETF code (`005930`, `0088M0`). */
const KRX_SHORT = /^[0-9A-Z]{6}$/;
/** A KRX ETN code (`Q500001`). */
const KRX_ETN = /^Q[0-9]{6}$/;

/** The market a well-formed code belongs to, or undefined when no market's rule accepts it. */
export function symbolMarket(code: string): SymbolMarket | undefined {
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
