/**
 * What holdings, alerts and privacy mode change in the watchlist rows and the status bar. Pure (no VS
 * Code), so every rule is unit-tested: the tree applies `decorateRow` to the row `buildRow` made.
 *
 * At the default sidebar width (~300 px) a row has room for its price and change only, so a held row adds
 * just its total P&L percent to the description; the amounts (today and total) go in the tooltip.
 */
import type { Translate } from '../../common/translate';
import { formatPrice } from '../../market/format';
import { formatAmount, formatPercent, pnlOf, type CurrencyTotal, type Holding } from '../../market/portfolio';
import type { AlertRule, QuoteState } from '../../shared/snapshot';
import { ColorId, type WatchlistRow } from '../watchlist/watchlistModel';

/** What decorating one row needs. */
export interface RowExtras {
  holding: Holding | undefined;
  quote: QuoteState | undefined;
  privacy: boolean;
  alerts: number;
  t: Translate;
}

/** The first tooltip line (the names), which privacy mode keeps. */
function namesOnly(tooltip: string): string {
  return tooltip.split('\n')[0] ?? '';
}

/** Applies holdings, alert count, the extra columns and privacy mode to a row. */
export function decorateRow(row: WatchlistRow, x: RowExtras): WatchlistRow {
  const { t } = x;
  const flags = [row.contextValue];
  if (x.holding !== undefined) flags.push('held');
  if (x.alerts > 0) flags.push('hasAlerts');
  const contextValue = flags.join(' ');
  if (x.privacy) {
    // Names only: no price, no change, no P&L, and no colour or arrow that would tell the direction.
    // The label carries the price and the change (buildRow): it becomes the short name alone.
    return {
      ...row,
      label: row.name,
      description: '',
      tooltip: `${namesOnly(row.tooltip)}\n\n${t('Privacy mode: amounts are hidden.')}`,
      iconId: 'eye-closed',
      colorId: ColorId.Flat,
      direction: 'none',
      contextValue,
    };
  }
  let description = row.description;
  const extra: string[] = [];
  const q = x.quote;
  if (q !== undefined && q.strength !== undefined)
    extra.push(`| ${t('Strength (체결강도)')} | ${q.strength.toFixed(2)} % |`);
  if (q !== undefined && q.volumeRatio !== undefined)
    extra.push(`| ${t('Volume vs yesterday')} | ${q.volumeRatio.toFixed(2)} % |`);
  if (x.holding !== undefined) {
    const h = x.holding;
    const p = pnlOf(h, q === undefined ? undefined : { last: q.last, change: q.change });
    extra.push(
      `| ${h.imported ? t('Held (from KIS account)') : t('Held')} | ${formatPrice(h.quantity, Number.isInteger(h.quantity) ? 0 : 4)} @ ${formatPrice(h.averageCost, h.currency === 'KRW' ? 0 : 2)} ${h.currency} |`,
      // Only an imported holding follows the account's fills: say which kind this is.
      `| | ${h.imported ? t('Follows your fills today.') : t('Entered by hand: your fills do not change it.')} |`,
    );
    if (p === undefined) {
      extra.push(`| ${t('P&L')} | ${t('no price yet')} |`);
    } else {
      description += `  ${t('P&L {0}', formatPercent(p.totalPercent))}`;
      extra.push(`| ${t('P&L today')} | ${formatAmount(p.today, h.currency)} (${formatPercent(p.todayPercent)}) |`);
      extra.push(`| ${t('P&L total')} | ${formatAmount(p.total, h.currency)} (${formatPercent(p.totalPercent)}) |`);
    }
  }
  if (x.alerts > 0) extra.push(`| ${t('Alerts')} | ${x.alerts} |`);
  return { ...row, description, tooltip: withTableRows(row.tooltip, extra), contextValue };
}

/**
 * `rows` appended to the tooltip's table (one table keeps the hover short), or as a table of their own
 * when the tooltip has none (no trade yet).
 */
function withTableRows(tooltip: string, rows: readonly string[]): string {
  if (rows.length === 0) return tooltip;
  const lines = tooltip.split('\n');
  let last = -1;
  lines.forEach((line, i) => {
    if (line.startsWith('|')) last = i;
  });
  if (last < 0) return `${tooltip}\n\n| | |\n|---|---:|\n${rows.join('\n')}`;
  lines.splice(last + 1, 0, ...rows);
  return lines.join('\n');
}

/** The portfolio status bar item: one entry per currency (never summed across them); '' when hidden. */
export function portfolioText(totals: readonly CurrencyTotal[], privacy: boolean): string {
  if (privacy || totals.length === 0) return '';
  const parts = totals
    .filter((c) => c.priced > 0)
    .map((c) => `${formatAmount(c.total, c.currency)} (${formatPercent(c.totalPercent)})`);
  return parts.length === 0 ? '' : `$(briefcase) ${parts.join(' · ')}`;
}

/** The portfolio tooltip: per currency, value, cost, total and today. */
export function portfolioTooltip(totals: readonly CurrencyTotal[], t: Translate): string {
  const lines = [`${t('Portfolio (hand-entered holdings)')}`];
  for (const c of totals) {
    lines.push(
      `${c.currency}: ${t('value')} ${formatAmount(c.marketValue, c.currency).replace(/^\+/, '')}, ${t('total')} ${formatAmount(c.total, c.currency)} (${formatPercent(c.totalPercent)}), ${t('today')} ${formatAmount(c.today, c.currency)} (${formatPercent(c.todayPercent)}) — ${c.priced}/${c.held}`,
    );
  }
  return lines.join('\n');
}

/** The words of a rule, e.g. "price ≥ 72,000", "VI triggered". */
export function alertWords(rule: Pick<AlertRule, 'kind' | 'threshold'>, t: Translate): string {
  switch (rule.kind) {
    case 'priceAbove':
      return t('price ≥ {0}', formatPrice(rule.threshold, Number.isInteger(rule.threshold) ? 0 : 2));
    case 'priceBelow':
      return t('price ≤ {0}', formatPrice(rule.threshold, Number.isInteger(rule.threshold) ? 0 : 2));
    case 'rateAbove':
      return t('change ≥ {0}', formatPercent(rule.threshold));
    case 'rateBelow':
      return t('change ≤ {0}', formatPercent(rule.threshold));
    case 'volumeRatioAbove':
      return t('volume ≥ {0} % of yesterday', String(rule.threshold));
    case 'viTriggered':
      return t('VI triggered');
    case 'viReleased':
      return t('VI released');
  }
}
