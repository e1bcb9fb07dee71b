/**
 * Sorting the rows of a group, and the text of a group's row (its size and, when it holds positions, its
 * P&L per currency). Pure, unit-tested; the tree applies it to what `WatchlistGroups.layout()` returns.
 */
import type { Translate } from '../../common/translate';
import {
  formatAmount,
  formatPercent,
  pnlOf,
  portfolioTotals,
  type Holding,
  type PriceInput,
} from '../../market/portfolio';
import type { SortKey } from './watchlistGroups';

/** What sorting needs to know about one symbol; a missing number sorts last. */
export interface SortFacts {
  /** The name the row shows (Korean or English by the display language). */
  name: string;
  /** Change today, percent. */
  rate?: number;
  /** Volume today. */
  volume?: number;
  /** Total P&L of the holding, percent (currencies differ, percents compare). */
  pnlPercent?: number;
}

/**
 * `symbols` ordered by `key`: name ascending; change, volume and P&L descending (the biggest mover on top);
 * ties and symbols lacking the number keep their given order (a stable sort), the latter after the rest.
 * `manual` returns the given order.
 */
export function sortSymbols(symbols: readonly string[], key: SortKey, facts: (symbol: string) => SortFacts): string[] {
  if (key === 'manual') return symbols.slice();
  const rows = symbols.map((symbol, index) => ({ symbol, index, f: facts(symbol) }));
  const numberOf = (f: SortFacts): number | undefined =>
    key === 'change' ? f.rate : key === 'volume' ? f.volume : f.pnlPercent;
  rows.sort((a, b) => {
    if (key === 'name') return a.f.name.localeCompare(b.f.name) || a.index - b.index;
    const x = numberOf(a.f);
    const y = numberOf(b.f);
    if (x === undefined || y === undefined)
      return (x === undefined ? 1 : 0) - (y === undefined ? 1 : 0) || a.index - b.index;
    return y - x || a.index - b.index;
  });
  return rows.map((r) => r.symbol);
}

/** The facts of one symbol from its quote and holding (a price ≤ 0 is "no trade yet": no change, no P&L). */
export function sortFacts(
  name: string,
  quote: { last: number; change: number; rate: number; volume: number } | undefined,
  holding: Holding | undefined,
): SortFacts {
  if (quote === undefined || quote.last <= 0) return { name };
  const pnl = holding === undefined ? undefined : pnlOf(holding, quote);
  return { name, rate: quote.rate, volume: quote.volume, pnlPercent: pnl?.totalPercent };
}

/** What a group row shows besides its name. */
export interface GroupRowText {
  /** e.g. "3 · +12,300 KRW (+1.52 %)"; only the count in privacy mode. */
  description: string;
  /** Markdown-free lines: one per currency held. */
  tooltip: string;
}

/**
 * The text of a group's row: how many symbols it shows and, for the positions it holds, the P&L total
 * per currency (KRW and USD apart, never summed). Privacy mode keeps only the count.
 */
export function groupRowText(
  name: string,
  symbols: readonly string[],
  holdings: readonly Holding[],
  priceOf: (symbol: string) => PriceInput | undefined,
  privacy: boolean,
  t: Translate,
): GroupRowText {
  const count = String(symbols.length);
  const members = new Set(symbols);
  const held = holdings.filter((h) => members.has(h.symbol));
  if (privacy || held.length === 0) return { description: count, tooltip: t('{0}: {1} symbols', name, count) };
  const totals = portfolioTotals(held, priceOf).filter((c) => c.priced > 0);
  const parts = totals.map((c) => `${formatAmount(c.total, c.currency)} (${formatPercent(c.totalPercent)})`);
  const lines = [t('{0}: {1} symbols', name, count)];
  for (const c of totals)
    lines.push(
      t(
        '{0} P&L total {1} ({2}), today {3}',
        c.currency,
        formatAmount(c.total, c.currency),
        formatPercent(c.totalPercent),
        formatAmount(c.today, c.currency),
      ),
    );
  return { description: [count, ...parts].join(' · '), tooltip: lines.join('\n') };
}
