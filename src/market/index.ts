/**
 * The market domain, pure (no I/O, no vscode, no other part of the extension): Seoul time, KRX trading
 * hours, symbol-code rules, the symbol catalogue, price direction and colouring, number formatting, user
 * symbol input and the data-source names. Everything above the wire imports its market facts from here.
 */
export { KST_OFFSET_MS, DAY_MS, toKstWallClock, kstMidnight, formatKstDate, formatKstTime, formatKstDateTime, formatKstClock } from './time';
export { AFTER_MARKET_CHANGE_DATE, kstClock, marketPhase, isMarketOpen, nextSessionStart, type MarketPhase, type KstClock } from './hours';
export {
  symbolMarket,
  isKrxCode,
  isSymbolCode,
  isIndexCode,
  isUsKey,
  parseUsKey,
  usKey,
  indexName,
  KNOWN_INDICES,
  US_EXCHANGES,
  type SymbolMarket,
  type UsExchange,
} from './symbols';
export { usSession, usMarketTypeCode, wallClock, newYorkOffsetMinutes, US_SESSION_MINUTES, US_DAY_SESSION_KST_MINUTES, type UsSession, type WallClock } from './usSessions';
export * from './formatKind';
export { directionOfSign, type Direction, type PriceSign, type ColorConvention } from './direction';
export { isDataSource, isKisSource, type DataSource, type KisSource } from './sources';
export * from './catalogue';
export * from './format';
export * from './symbolInput';
export * from './search';
export * from './usCatalogue';
