/**
 * How a watchlist row says where its price comes from, in words, pure: "live", "every N s"
 * (refreshed by REST: the session streams at most 41 registrations), "as of HH:MM" (a REST price while the
 * market is closed or the row is not live yet), "closed" / "closed: holiday", and "price unavailable" (REST
 * failed for that row; the WebSocket goes on). The label (`code  price  change rate`) is not touched: these
 * words go to the row's description and a sentence to its tooltip.
 */
import type { QuoteOrigin, RowMode } from '../../feed';
import type { Translate } from '../../common/translate';
import { formatKstClock } from '../../market/time';

/** What the words depend on. */
export interface RowStateInput {
  /** Where the row's quote came from (undefined: no quote yet). */
  origin: QuoteOrigin | undefined;
  /** Streamed live, or refreshed by REST every N s. */
  mode: RowMode;
  /** Data is expected now from the chosen exchange (the demo simulator: always). */
  marketOpen: boolean;
  /**
   * Trades are expected now (false in an auction, where only books and the expected price stream, and
   * while closed): silence then is the phase, never "stale". Absent: as `marketOpen`.
   */
  tradesNow?: boolean;
  /** Today is an exchange holiday (the REST calendar said so). */
  holiday: boolean;
  /** The row's last REST failure code, if its last REST answer failed. */
  problem: string | undefined;
  /** When the failed row is asked again (epoch ms of the machine, from the REST scheduler); absent: not retried. */
  retryAt?: number;
  /** The machine's now (epoch ms) the retry's countdown is read against; absent: Date.now(). */
  now?: number;
  /** False while no session streams (then the row already says "not live"). */
  streaming: boolean;
  /** The feed clock's time of a machine instant (simulated, replayed); absent: the machine's clock. */
  shown?: (at: number) => number;
  /**
   * HHMMSS (KST, the feed's own clock) of the auction's expected-price record the row shows, while it shows
   * one: the row's time follows the auction, not the REST price it started with.
   */
  auctionTime?: string;
}

/** The row's state: the words for the description (none when there is nothing to say) and a tooltip sentence. */
export interface RowStateText {
  words: string | undefined;
  tooltip: string | undefined;
  /** No tick is expected for this row now (REST-refreshed, closed, an auction): the stale rule does not apply. */
  quiet: boolean;
}

/** What a REST failure means for the user, in words (the code stays for the log and Connection Details). */
export function restProblemWords(code: string, t: Translate): string {
  switch (code) {
    case 'TOKEN_TOO_SOON':
      return t('KIS token limit (one a minute)');
    case 'RATE_LIMITED':
      return t('KIS request limit');
    case 'REST_DOWN':
      return t('KIS REST unreachable');
    case 'TIMEOUT':
      return t('KIS REST timed out');
    case 'UNKNOWN_SYMBOL':
      return t('unknown symbol');
    case 'BAD_CREDENTIALS':
      return t('credentials refused');
    default:
      return code;
  }
}

/**
 * When a failed refresh is tried again, counted from `now`: "retry in 42 s", "retrying now", or "not
 * retried" for a failure asking again cannot mend (an unknown symbol, refused credentials).
 */
export function retryWords(retryAt: number | undefined, now: number, t: Translate): string {
  if (retryAt === undefined) return t('not retried');
  const seconds = Math.ceil((retryAt - now) / 1000);
  return seconds > 0 ? t('retry in {0} s', seconds) : t('retrying now');
}

/** The state words of one row (see the file comment). */
export function rowStateText(input: RowStateInput, t: Translate): RowStateText {
  const { origin, mode } = input;
  const shown = input.shown ?? ((at: number): number => at);
  const asOf = origin?.kind === 'rest' ? shown(origin.asOf) : undefined;
  const auction =
    input.auctionTime !== undefined && /^\d{4}/.test(input.auctionTime)
      ? `${input.auctionTime.slice(0, 2)}:${input.auctionTime.slice(2, 4)}`
      : undefined;
  const asOfWords =
    auction !== undefined
      ? t('as of {0}', auction)
      : asOf === undefined
        ? undefined
        : t('as of {0}', formatKstClock(asOf).slice(0, 5));
  const withAsOf = (words: string): string => (asOfWords === undefined ? words : `${words} · ${asOfWords}`);
  const liveNow = origin?.kind === 'live' && mode.kind === 'live' && input.marketOpen;
  const tradesNow = input.tradesNow ?? input.marketOpen;
  if (input.problem !== undefined && !liveNow) {
    const words = restProblemWords(input.problem, t);
    const reason = words === input.problem ? words : `${words} (${input.problem})`;
    // The retry time is the REST scheduler's, read at the moment the text is made (a hover makes the tooltip).
    const retry = retryWords(input.retryAt, input.now ?? Date.now(), t);
    // Closed, or nothing streams for this row: the failed refresh is all there is, and the price shown is older.
    if (!input.marketOpen || input.holiday || mode.kind === 'rest' || !input.streaming) {
      const closedWords = input.holiday ? t('closed: holiday') : t('closed');
      const words =
        origin !== undefined && !input.marketOpen
          ? `${withAsOf(closedWords)} · ${t('refresh failed')}`
          : t('price unavailable');
      const tooltip =
        asOf === undefined
          ? t('No price yet, refresh failed: {0}, {1}.', reason, retry)
          : t('Last price from {0}, refresh failed: {1}, {2}.', formatKstClock(asOf).slice(0, 5), reason, retry);
      return { words, tooltip, quiet: true };
    }
    return {
      words: t('price unavailable'),
      tooltip: t('REST could not get a price ({0}), {1}; the live stream goes on.', reason, retry),
      quiet: !tradesNow,
    };
  }
  if (input.holiday)
    return {
      words: withAsOf(t('closed: holiday')),
      tooltip: t('The exchange is closed today (holiday).'),
      quiet: true,
    };
  if (!input.marketOpen) {
    return {
      words: withAsOf(t('closed')),
      tooltip: asOf === undefined ? undefined : t('Market closed: last price as of {0} KST.', formatKstClock(asOf)),
      quiet: true,
    };
  }
  if (mode.kind === 'rest') {
    const every = mode.everySeconds > 0 ? t('every {0} s', mode.everySeconds) : t('by REST');
    const tooltip = t('KIS streams 41 registrations per session: this row is refreshed by REST ({0}).', every);
    return {
      words: every,
      tooltip: asOf === undefined ? tooltip : `${tooltip} ${t('Last price as of {0} KST.', formatKstClock(asOf))}`,
      quiet: true,
    };
  }
  if (!input.streaming) return { words: asOfWords, tooltip: undefined, quiet: !tradesNow };
  // An auction streams its expected price: the row's time is its newest record's, until the open's trade.
  if (auction !== undefined)
    return {
      words: asOfWords,
      tooltip: t(
        'Expected price as of {0} KST; the first trade of the open replaces it.',
        `${auction}:${input.auctionTime?.slice(4, 6) ?? '00'}`,
      ),
      quiet: !tradesNow,
    };
  if (origin?.kind === 'live') return { words: t('live'), tooltip: undefined, quiet: !tradesNow };
  // Live but no tick yet: the REST price it started with.
  return {
    words: asOfWords,
    tooltip:
      asOf === undefined ? undefined : t('Last price as of {0} KST; live ticks replace it.', formatKstClock(asOf)),
    quiet: !tradesNow,
  };
}
