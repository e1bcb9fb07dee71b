/**
 * How a watchlist row says where its price comes from (issue 15), in words, pure: "live", "every N s"
 * (refreshed by REST: the session streams at most 41 registrations), "as of HH:MM" (a REST price while the
 * market is closed or the row is not live yet), "closed" / "closed: holiday", and "price unavailable" (REST
 * failed for that row; the WebSocket goes on). The label (`code  price  change rate`) is not touched: these
 * words go to the row's description and a sentence to its tooltip.
 */
import type { QuoteOrigin, RowMode } from '../feed';
import type { Translate } from '../common/translate';
import { formatKstClock } from '../market/time';

/** What the words depend on. */
export interface RowStateInput {
  /** Where the row's quote came from (undefined: no quote yet). */
  origin: QuoteOrigin | undefined;
  /** Streamed live, or refreshed by REST every N s. */
  mode: RowMode;
  /** Data is expected now from the chosen exchange (the demo simulator: always). */
  marketOpen: boolean;
  /** Today is an exchange holiday (the REST calendar said so). */
  holiday: boolean;
  /** The row's last REST failure code, if its last REST answer failed. */
  problem: string | undefined;
  /** False while no session streams (then the row already says "not live"). */
  streaming: boolean;
}

/** The row's state: the words for the description (none when there is nothing to say) and a tooltip sentence. */
export interface RowStateText {
  words: string | undefined;
  tooltip: string | undefined;
  /** No tick is expected for this row now (REST-refreshed, closed): the stale rule does not apply. */
  quiet: boolean;
}

/** "HH:MM" KST of an epoch ms. */
function hhmm(at: number): string {
  return formatKstClock(at).slice(0, 5);
}

/** The state words of one row (see the file comment). */
export function rowStateText(input: RowStateInput, t: Translate): RowStateText {
  const { origin, mode } = input;
  const asOf = origin?.kind === 'rest' ? origin.asOf : undefined;
  const asOfWords = asOf === undefined ? undefined : t('as of {0}', hhmm(asOf));
  const withAsOf = (words: string): string => (asOfWords === undefined ? words : `${words} · ${asOfWords}`);
  const liveNow = origin?.kind === 'live' && mode.kind === 'live' && input.marketOpen;
  if (input.problem !== undefined && !liveNow) {
    return { words: t('price unavailable'), tooltip: t('REST could not get a price ({0}); the live stream goes on.', input.problem), quiet: mode.kind === 'rest' || !input.marketOpen };
  }
  if (input.holiday) return { words: withAsOf(t('closed: holiday')), tooltip: t('The exchange is closed today (holiday).'), quiet: true };
  if (!input.marketOpen) {
    return { words: withAsOf(t('closed')), tooltip: asOf === undefined ? undefined : t('Market closed: last price as of {0} KST.', formatKstClock(asOf)), quiet: true };
  }
  if (mode.kind === 'rest') {
    const every = mode.everySeconds > 0 ? t('every {0} s', mode.everySeconds) : t('by REST');
    const tooltip = t('KIS streams 41 registrations per session: this row is refreshed by REST ({0}).', every);
    return { words: every, tooltip: asOf === undefined ? tooltip : `${tooltip} ${t('Last price as of {0} KST.', formatKstClock(asOf))}`, quiet: true };
  }
  if (!input.streaming) return { words: asOfWords, tooltip: undefined, quiet: false };
  if (origin?.kind === 'live') return { words: t('live'), tooltip: undefined, quiet: false };
  // Live but no tick yet: the REST price it started with.
  return { words: asOfWords, tooltip: asOf === undefined ? undefined : t('Last price as of {0} KST; live ticks replace it.', formatKstClock(asOf)), quiet: false };
}
