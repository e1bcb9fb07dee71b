/**
 * The market domain, pure (no I/O, no vscode, no other part of the extension): Seoul time, KRX trading
 * hours, symbol-code rules, the symbol catalogue, price direction and colouring, number formatting, user
 * symbol input and the data-source names. Everything above the wire imports its market facts from here.
 */
export {
  KST_OFFSET_MS,
  DAY_MS,
  toKstWallClock,
  kstMidnight,
  kstMinuteOfDay,
  kstWeekday,
  kstInstant,
  isKstTimezoneOffset,
  formatKstDate,
  formatKstTime,
  formatKstDateTime,
  formatKstHourMinute,
  formatKstClock,
} from './time';
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
export {
  usSession,
  usMarketTypeCode,
  wallClock,
  newYorkOffsetMinutes,
  US_SESSION_MINUTES,
  US_DAY_SESSION_KST_MINUTES,
  type UsSession,
  type WallClock,
} from './usSessions';
export * from './formatKind';
export { directionOfSign, type Direction, type PriceSign, type ColorConvention } from './direction';
export { isDataSource, isKisSource, type DataSource, type KisSource } from './sources';
export * from './catalogue';
export * from './format';
export * from './symbolInput';
export { tradeVenue, type TradeVenue } from './tradeVenue';
export {
  sessionAt,
  venuePhaseAt,
  kstWeekdayTime,
  trFor,
  type SessionState,
  type VenuePhase,
  type ExchangeChoice,
  type HolidayProvider,
  type HolidayAnswer,
} from './sessionClock';
export { PHASE_WORDS, PHASE_TABLE, KRX_DAY_SESSION_MINUTES, KRX_OPEN_HHMMSS, type PhaseId, type Venue } from './phases';
export * from './search';
export * from './usCatalogue';
