/**
 * The feed's REST side for one running source: a KisRestClient on the source's REST host
 * (the embedded simulator's too) with the host's TokenStore (SecretStorage in the extension), and the
 * RestPrices that write REST quotes into the one read model. Closed with the source.
 */
import { DEFAULT_RATE, dayMinuteBars, indexMinuteBars, KisRestClient, routedPrices, type TokenStore } from '../../rest';
import type { MarketDiv } from '../../kis/rest';
import type { ExchangeChoice } from '../../market/sessionClock';
import type { DataSource } from '../../settings';
import { effectiveExchange } from '../plan/dayPlan';
import { HolidayCalendar, memoryHolidayCache } from './holidayCalendar';
import type { QuoteState } from '../../shared/snapshot';
import type { MarketModel } from '../model/readModel';
import { RestPrices } from './restPrices';
import { ChartHistory, type ChartClient } from './chartHistory';
import type { OpenedSource } from '../source/source';
import type { FeedOptions } from '../types';

/** The REST side of a running source. */
export interface RestRuntime {
  client: KisRestClient;
  prices: RestPrices;
  /** The ticker chart's history: today's minute bars and daily candles. */
  charts: ChartHistory;
  /** chk-holiday, at most once a day (holidayCalendar.ts). */
  calendar: HolidayCalendar;
}

/**
 * The REST market code (`FID_COND_MRKT_DIV_CODE`) of the exchange setting: inquire-price, the minute bars
 * and the daily candles take `J` KRX, `NX` NXT, `UN` unified (kis-rest.md §3, §4; [OFFICIAL] R5, R6).
 * Paper uses `J` whatever the setting: whether paper accepts NX/UN is UNCONFIRMED (kis-rest.md §3), and the
 * paper WebSocket serves KRX only, so the REST price matches the stream.
 */
const MARKET_DIV: Readonly<Record<ExchangeChoice, MarketDiv>> = { krx: 'J', nxt: 'NX', unified: 'UN' };

/** The REST market code for an exchange choice on a source (see MARKET_DIV). */
export function marketDivFor(exchange: ExchangeChoice, source: DataSource): MarketDiv {
  return MARKET_DIV[effectiveExchange(exchange, source)];
}

/** Share of the key's rate the round-robin may use: the rest is kept for one-shot quotes and history. */
const ROUND_ROBIN_SHARE = 2 / 3;

/** Opens the REST side of `opened` (see the file comment); `onQuotes` gets the quotes it put into `model`. */
export function openRestRuntime(
  opened: OpenedSource,
  source: DataSource,
  model: MarketModel,
  opts: Pick<FeedOptions, 'tokenStore' | 'log' | 'settings' | 'holidayCache'>,
  onQuotes: (quotes: QuoteState[]) => void,
): RestRuntime {
  const env = source === 'paper' ? 'paper' : 'real';
  // A token lasts across restarts and windows in the store (SecretStorage), except an embedded server's: it
  // is gone with its server (a new port each start), so keeping its tokens would only fill the store.
  const store: TokenStore | undefined = opened.simulator === undefined ? opts.tokenStore : undefined;
  const client = new KisRestClient({
    baseUrl: opened.restUrl,
    env,
    ...opened.credentials,
    store,
    log: (line) => opts.log.info(line),
  });
  const exchange = (): MarketDiv => marketDivFor(opts.settings().exchange, source);
  // Indices and US keys are priced by their own endpoints (src/rest/intlPrices.ts).
  const prices = new RestPrices({
    client: routedPrices(client),
    model,
    exchange,
    refreshPerSecond: DEFAULT_RATE[env] * ROUND_ROBIN_SHARE,
  });
  prices.onDidChange((symbols) => onQuotes(model.quotesOf(symbols)));
  const calendar = new HolidayCalendar(client, opts.holidayCache ?? memoryHolidayCache(), (message) =>
    opts.log.warn(message),
  );
  // The chart's "now" and "today" follow the source's clock (a simulated day's bars end at its time).
  // The simulator's demo (no calendar) has its day behind it whatever the hour: ask from midnight.
  const demo = source === 'simulator' && !opened.clock.calendar;
  const charts = new ChartHistory({
    client: chartClientOf(client),
    model,
    exchange,
    now: () => opened.clock.now(),
    holidays: () => calendar.known(),
    ...(demo ? { since: '000000', previousDay: false } : {}),
  });
  return { client, prices, calendar, charts };
}

/** The chart's REST calls on one client: today's and past days' minute bars, index bars, daily candles. */
export function chartClientOf(client: KisRestClient): ChartClient {
  return {
    minuteBars: (...args) => client.minuteBars(...args),
    dailyBars: (...args) => client.dailyBars(...args),
    dayMinuteBars: (symbol, div, date) => dayMinuteBars(client, symbol, div, date),
    indexMinuteBars: (code, date) => indexMinuteBars(client, code, date),
  };
}

/** Detaches (`detach`, so nothing new starts on it), stops the round-robin, waits for requests in flight, releases the client. */
export async function closeRestRuntime(rest: RestRuntime | undefined, detach: () => void): Promise<void> {
  detach();
  if (rest === undefined) return;
  rest.prices.dispose();
  rest.client.close();
  await rest.prices.settled();
}
