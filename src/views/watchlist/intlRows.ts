/**
 * Index and US rows in the views, as small pure rules so the tree provider, the status bar and
 * the tests share them (no vscode here):
 *  - the "Indices" group: index symbols (KOSPI, KOSDAQ, KOSPI 200) sit in one group at the top of the
 *    watchlist, in watchlist order; every other symbol stays at the root, in watchlist order. The group
 *    exists only while an index is listed. It is a built-in group of the watchlist organiser (user groups
 *    sit below it; it cannot be renamed, deleted or dropped into).
 *  - the US session a US row is in, by the New York clock (src/market/usSessions.ts);
 *  - the status-bar index text.
 */
import type { Translate } from '../../common/translate';
import { formatRate } from '../../market/format';
import { formatSymbolChange, formatSymbolPrice } from '../../market/formatKind';
import { indexName, isIndexCode, parseUsKey } from '../../market/symbols';
import { usSession } from '../../market/usSessions';
import type { QuoteState } from '../../shared/snapshot';

/** The id of the built-in Indices group (its tree element is `group:indices`, see watchlistGroups.ts). */
export const INDICES_GROUP_ID = 'indices';

/**
 * The built-in groups for a watchlist: "Indices" holding the listed index symbols in watchlist order, or
 * none while no index is listed (an empty folder would only take room).
 */
export function builtInGroups(
  symbols: readonly string[],
  t: Translate,
): { id: string; name: string; symbols: string[] }[] {
  const indices = symbols.filter(isIndexCode);
  return indices.length === 0 ? [] : [{ id: INDICES_GROUP_ID, name: t('Indices'), symbols: indices }];
}

/**
 * The US session a US row is in now: a regular key (`D…`) trades pre-market, regular and after-hours; a
 * day-session key (`R…`) only in KIS's day session (10:00–16:00 KST). Undefined for other symbols.
 */
export function usRowSession(symbol: string, now: number): 'pre' | 'regular' | 'after' | 'day' | 'closed' | undefined {
  const us = parseUsKey(symbol);
  if (us === undefined) return undefined;
  const session = usSession(now);
  if (us.daySession) return session === 'day' ? 'day' : 'closed';
  return session === 'day' ? 'closed' : session;
}

/** The words for a US row's session (the row's description). */
export function usSessionWords(symbol: string, now: number, t: Translate): string | undefined {
  switch (usRowSession(symbol, now)) {
    case 'pre':
      return t('US pre-market');
    case 'regular':
      return t('US regular session');
    case 'after':
      return t('US after-hours');
    case 'day':
      return t('US day session');
    case 'closed':
      return t('US market closed');
    case undefined:
      return undefined;
  }
}

/** The status-bar text of the index `code`: `KOSPI 2,650.12 -0.46%`, or `KOSPI –` before its first value. */
export function statusBarIndexText(code: string, quote: QuoteState | undefined): string {
  const name = indexName(code) ?? code;
  if (quote === undefined || quote.last === 0) return `${name} –`;
  return `${name} ${formatSymbolPrice(code, quote.last)} ${formatRate(quote.rate)}`;
}

/** The status-bar tooltip line of the index `code`: its change in points. */
export function statusBarIndexTooltip(code: string, quote: QuoteState | undefined, t: Translate): string {
  const name = indexName(code) ?? code;
  if (quote === undefined || quote.last === 0)
    return t('{0}: no value yet (add it to the watchlist to stream it)', name);
  return t(
    '{0}: {1} ({2}, {3})',
    name,
    formatSymbolPrice(code, quote.last),
    formatSymbolChange(code, quote.change),
    formatRate(quote.rate),
  );
}
