/**
 * The REST client's counters as (label, value) rows for the status-bar tooltip and Connection Details:
 * requests, errors by stable code, rate-limit waits, token issuances, the round-robin and the
 * last error. Pure; numbers and codes only (no message could echo a secret).
 */
import type { RestPriceStats } from '../../feed';
import type { Translate } from '../../common/translate';
import { formatKstClock } from '../../market/time';
import { retryWords } from '../watchlist/rowState';

/** The REST rows (see the file comment). */
export function restRows(
  rest: RestPriceStats,
  t: Translate,
  shown: (at: number) => number = (a) => a,
): Array<[string, string]> {
  const errors = Object.entries(rest.errors)
    .filter(([, n]) => n > 0)
    .map(([code, n]) => `${code} ×${n}`);
  return [
    [t('REST requests'), t('{0} ({1} ok)', rest.requests, rest.ok)],
    [t('REST errors'), errors.length === 0 ? '0' : errors.join(', ')],
    [
      t('REST rate limit'),
      t('{0} ms waited, {1} refused (EGW00201)', Math.round(rest.limiterWaitMs), rest.rateLimitedResponses),
    ],
    [t('REST tokens'), t('{0} issued, {1} from the store', rest.tokensIssued, rest.tokensFromStore)],
    [t('REST refresh'), rest.refreshed === 0 ? '–' : t('{0} symbols every {1} s', rest.refreshed, rest.everySeconds)],
    [t('Rows without a price'), String(rest.unavailable)],
    [
      t('REST last error'),
      rest.lastError === undefined ? '–' : `${rest.lastError.code} ${formatKstClock(shown(rest.lastError.at))} KST`,
    ],
  ];
}

/** One REST-refreshed row for Connection Details: its cycle, the time of its price and its last failure. */
export interface RestSymbolState {
  symbol: string;
  everySeconds: number;
  /** Epoch ms the row's REST price was asked, when it has one. */
  asOf?: number;
  /** The code of its last REST failure. */
  problem?: string;
  /** When it is asked again (epoch ms of the machine, the REST scheduler's retry); absent: not retried. */
  retryAt?: number;
}

/**
 * The "Refreshed by REST" table of Connection Details: symbol, then "every N s, as of HH:MM:SS KST", or
 * "price unavailable (CODE), retry in N s" (the REST scheduler's retry, counted from the machine's `now`).
 */
export function restSymbolRows(
  states: readonly RestSymbolState[],
  names: (symbol: string) => string,
  t: Translate,
  shown: (at: number) => number = (a) => a,
  now: number = Date.now(),
): string[][] {
  return states.map((s) => {
    const every = s.everySeconds > 0 ? t('every {0} s', s.everySeconds) : t('by REST');
    const asOf = s.asOf === undefined ? '' : `, ${t('as of {0}', `${formatKstClock(shown(s.asOf))} KST`)}`;
    const failed = `${t('price unavailable')} (${s.problem}), ${retryWords(s.retryAt, now, t)}`;
    return [`${names(s.symbol)} ${s.symbol}`, s.problem === undefined ? `${every}${asOf}` : failed];
  });
}
