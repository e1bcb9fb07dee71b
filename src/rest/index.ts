/** The KIS REST client (plain Node): client, token store, limiter, refresh scheduler, errors. */
export { KisRestClient, DEFAULT_RATE, type RestClientOptions, type RestStats } from './client';
export { RestError, type RestErrorCode } from './errors';
export {
  FileTokenStore,
  MemoryTokenStore,
  defaultCacheDir,
  tokenStoreId,
  type StoredToken,
  type TokenStore,
} from './tokenStore';
export { RateLimiter } from './rateLimiter';
export { RefreshScheduler, retryDelayMs, RETRY_FIRST_MS, RETRY_MAX_MS, type RefreshPlan } from './refreshScheduler';
export { indexPrice, overseasPrice, routedPrices, type RestGetter, type StockPriceClient } from './intlPrices';
export {
  BalanceError,
  fetchBalance,
  MAX_BALANCE_PAGES,
  type AccountBalance,
  type BalanceErrorCode,
  type BalancePager,
} from './balance';
export { dayMinuteBars, indexMinuteBars, type MinuteHistoryClient } from './minuteHistory';
export { barsOfDay, type BarsOfDay, type BarsOfDayClient } from './barsOfDay';
export { fetchDailyOrders, MAX_DAILY_CCLD_PAGES, type DailyOrders } from './dailyCcld';
