/**
 * REST prices of indices and US stocks, for when the market is closed or the symbol does not
 * stream: 국내업종 현재지수 and 해외주식 현재체결가 (src/kis/rest/intlEndpoints.ts) through the client's
 * shared limiter and token. `routedPrices` gives the feed one `price(symbol)` for every market, so the
 * REST path of the feed (src/feed/rest/restPrices.ts) needs no change per market.
 */
import {
  INDEX_PRICE,
  indexPriceQuery,
  isEmptyPrice,
  OVERSEAS_PRICE,
  overseasPriceQuery,
  parseIndexPrice,
  parseOverseasPrice,
  type EndpointSpec,
  type Envelope,
  type MarketDiv,
  type RestBar,
  type RestQuote,
} from '../kis/rest';
import { isIndexCode, parseUsKey, symbolMarket, US_EXCHANGES } from '../market/symbols';
import type { RestStats } from './client';
import { RestError } from './errors';

/** What these functions need of the client (KisRestClient.get; a fake in tests). */
export interface RestGetter {
  get<T>(spec: EndpointSpec, query: Record<string, string>, read: (env: Envelope) => T): Promise<T>;
}

/** The current level of the index `code` (`0001` KOSPI, `1001` KOSDAQ, `2001` KOSPI 200). */
export function indexPrice(client: RestGetter, code: string): Promise<RestQuote> {
  if (!isIndexCode(code))
    return Promise.reject(new RestError('UNKNOWN_SYMBOL', `not an index code: ${JSON.stringify(code.slice(0, 12))}`));
  return client.get(INDEX_PRICE, indexPriceQuery(code), (env) => {
    if (isEmptyPrice(env, 'bstp_nmix_prpr')) throw new RestError('UNKNOWN_SYMBOL', `no such index: ${code}`);
    return parseIndexPrice(env, code);
  });
}

/**
 * The last price of the US key `key` (`DNASAAPL`; a day-session key `RBAQAAPL` asks EXCD BAQ). KIS
 * answers an unknown ticker with empty fields (REST_FACTS.unknownSymbol): UNKNOWN_SYMBOL.
 */
export function overseasPrice(client: RestGetter, key: string): Promise<RestQuote> {
  const us = parseUsKey(key);
  if (us === undefined)
    return Promise.reject(new RestError('UNKNOWN_SYMBOL', `not a US key: ${JSON.stringify(key.slice(0, 16))}`));
  const excd = us.daySession ? US_EXCHANGES[us.exchange] : us.exchange;
  return client.get(OVERSEAS_PRICE, overseasPriceQuery(excd, us.ticker), (env) => {
    if (isEmptyPrice(env, 'last'))
      throw new RestError('UNKNOWN_SYMBOL', `${us.ticker} is not listed on ${us.exchange}`);
    return parseOverseasPrice(env, key);
  });
}

/** The stock-price client the feed's REST path uses (src/feed/rest/restPrices.ts `RestPriceClient`). */
export interface StockPriceClient extends RestGetter {
  price(symbol: string, exchange?: MarketDiv): Promise<RestQuote>;
  minuteBars(symbol: string, exchange?: MarketDiv): Promise<RestBar[]>;
  stats(): RestStats;
}

/**
 * The client with `price` routed by the symbol's market: KRX stocks to inquire-price, indices to the
 * index price, US keys to the overseas price. Minute bars exist for KRX stocks only here: an index or a
 * US chart starts with its live bars (an empty history, not a failure).
 */
export function routedPrices(client: StockPriceClient): Pick<StockPriceClient, 'price' | 'minuteBars' | 'stats'> {
  return {
    price: (symbol, exchange) => {
      const market = symbolMarket(symbol);
      if (market === 'index') return indexPrice(client, symbol);
      if (market === 'us') return overseasPrice(client, symbol);
      return client.price(symbol, exchange);
    },
    minuteBars: (symbol, exchange) =>
      symbolMarket(symbol) === 'krx' ? client.minuteBars(symbol, exchange) : Promise.resolve([]),
    stats: () => client.stats(),
  };
}
