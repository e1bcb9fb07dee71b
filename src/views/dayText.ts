/**
 * The trading day in words, for the status bar, the watchlist and Connection Details: the phase of each
 * exchange ("KRX opening auction, NXT pre-market", "closed until Mon 08:00"), the exchange a row's last
 * trade came from, its auction (expected) price and its VI/halt badge. vscode-free; English strings are
 * the l10n keys (l10n/bundle.l10n.ko.json has the Korean).
 */
import type { QuoteState } from '../shared/snapshot';
import { dataExpectedNow, venuesOf, type DayStatus } from '../feed';
import type { Translate } from '../common/translate';
import type { PhaseId } from '../market';
import { kstInstant, tradeVenue } from '../market/tradeVenue';
import { formatChange, formatPrice, formatRate } from '../market/format';
import { formatKstHourMinute, kstWeekday } from '../market/time';

/** The words of a phase (one t() key per phase, so the bundle lists each). */
export function phaseName(phase: PhaseId, t: Translate): string {
  switch (phase) {
    case 'closed':
      return t('closed');
    case 'pre-market':
      return t('pre-market');
    case 'opening-auction':
      return t('opening auction');
    case 'regular':
      return t('regular session');
    case 'closing-auction':
      return t('closing auction');
    case 'after-hours-close':
      return t('after-hours closing price');
    case 'after-hours-single':
      return t('after-hours single price');
    case 'after-market':
      return t('after-market');
  }
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

/** "Mon 08:00" (KST), the weekday localised. */
export function weekdayTime(at: number, t: Translate): string {
  return `${weekdayName(WEEKDAYS[kstWeekday(at)], t)} ${formatKstHourMinute(at)}`;
}

function weekdayName(day: (typeof WEEKDAYS)[number], t: Translate): string {
  switch (day) {
    case 'Sun':
      return t('Sun');
    case 'Mon':
      return t('Mon');
    case 'Tue':
      return t('Tue');
    case 'Wed':
      return t('Wed');
    case 'Thu':
      return t('Thu');
    case 'Fri':
      return t('Fri');
    case 'Sat':
      return t('Sat');
  }
}

/** The venues an exchange choice covers. */
/**
 * The phase in words for the chosen exchange: "NXT after-market", "KRX opening auction, NXT pre-market",
 * "closed until Mon 08:00"; the demo simulator says it streams at any hour.
 */
export function phaseWords(day: Pick<DayStatus, 'exchange' | 'session' | 'calendar'>, t: Translate): string {
  if (!day.calendar) return t('demo: streams at any hour');
  const venues = venuesOf(day);
  const open = venues.filter((v) => v.phase !== 'closed');
  let words: string;
  if (open.length === 0) {
    const until = weekdayTime(Math.min(...venues.map((v) => v.until)), t);
    words = day.session.day === 'holiday' ? t('closed: holiday, until {0}', until) : t('closed until {0}', until);
  } else {
    // Both venues in the same phase read once: "KRX+NXT regular session".
    const same = open.length === 2 && open[0].phase === open[1].phase;
    words = same
      ? `KRX+NXT ${phaseName(open[0].phase, t)}`
      : open.map((v) => `${v.venue} ${phaseName(v.phase, t)}`).join(', ');
  }
  if (day.session.day === 'holiday-unknown') words += ` ${t('(holiday calendar unknown)')}`;
  return words;
}

/**
 * The phase in one or two words, for the watchlist's title, which has ~50 px beside the view's buttons
 * at the default sidebar width: "demo", "closed", "holiday", "regular session". The status bar says the
 * whole phase ("closed until Tue 08:00").
 */
export function shortPhase(day: Pick<DayStatus, 'exchange' | 'session' | 'calendar'>, t: Translate): string {
  if (!day.calendar) return t('demo');
  const open = venuesOf(day).filter((v) => v.phase !== 'closed');
  if (open.length === 0) return day.session.day === 'holiday' ? t('holiday') : t('closed');
  // KRX's phase when it trades (it sets the reference price); else the other venue's.
  return phaseName(open[0].phase, t);
}

/** True when data is expected now from the chosen exchange (the feed's rule, src/feed/plan/dayPlan.ts). */
export { dataExpectedNow };

/**
 * True when trades are expected now from the chosen exchange: not in an auction (books and the expected
 * price only) nor while closed. A row without a trade then is the phase, not a stale stream.
 */
export function tradesExpectedNow(day: Pick<DayStatus, 'exchange' | 'session' | 'calendar'>): boolean {
  return !day.calendar || venuesOf(day).some((v) => v.streams.includes('trade'));
}

/** Where the last trade came from, when a non-KRX feed was seen (undefined for KRX-only rows). */
export function exchangeTag(quote: QuoteState): string | undefined {
  if (quote.exchange === undefined) return undefined;
  return tradeVenue(quote.exchange, kstInstant(quote.businessDate, quote.lastTickTime));
}

/** The row's VI badge ("VI") while a volatility interruption is in force. */
export function viBadge(quote: QuoteState, t: Translate): string | undefined {
  return quote.vi === true ? t('VI') : undefined;
}

/** Tooltip lines about the auction price, VI and halt. */
export function statusTooltipLines(quote: QuoteState, t: Translate): string[] {
  const lines: string[] = [];
  const e = quote.expected;
  if (e !== undefined)
    lines.push(
      t(
        'Expected (auction) price {0} ({1}, {2}) from {3}; not a trade.',
        formatPrice(e.price),
        formatChange(e.change),
        formatRate(e.rate),
        e.exchange,
      ),
    );
  if (quote.vi === true) {
    lines.push(
      quote.viPrice !== undefined && quote.viPrice > 0
        ? t('Volatility interruption (VI) in force; reference price {0}.', formatPrice(quote.viPrice))
        : t('Volatility interruption (VI) in force.'),
    );
  }
  if (quote.halted && quote.haltReason) lines.push(t('Halt reason: {0}', quote.haltReason));
  const tag = exchangeTag(quote);
  if (tag !== undefined) lines.push(t('Last trade from {0}.', tag));
  return lines;
}

/** Connection Details rows about the day: phase, exchange (and why paper uses KRX), the plan. */
export function dayRows(day: DayStatus, t: Translate): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  rows.push([t('Trading phase'), phaseWords(day, t)]);
  rows.push([
    t('Exchange'),
    day.reason !== undefined ? t('{0} (asked {1}: {2})', day.exchange, day.asked, t(day.reason)) : day.exchange,
  ]);
  if (day.calendar) rows.push([t('Next phase change'), weekdayTime(day.session.nextChangeAt, t)]);
  return rows;
}
