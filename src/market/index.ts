/**
 * The market domain, pure (no I/O, no vscode, no other part of the extension): Seoul time, KRX trading
 * hours, symbol-code rules, the symbol catalogue, price direction and colouring, number formatting, user
 * symbol input and the data-source names. Everything above the wire imports its market facts from here.
 */
export { KST_OFFSET_MS, DAY_MS, toKstWallClock, kstMidnight, formatKstDate, formatKstTime, formatKstDateTime, formatKstClock } from './time';
export { symbolMarket, isKrxCode, isSymbolCode, type SymbolMarket } from './symbols';
export { directionOfSign, type Direction, type PriceSign, type ColorConvention } from './direction';
export { isDataSource, isKisSource, type DataSource, type KisSource } from './sources';
export * from './catalogue';
export * from './format';
export * from './symbolInput';
export { kstInstant, tradeVenue, type TradeVenue } from './tradeVenue';
export { sessionAt, venuePhaseAt, kstWeekdayTime, trFor, type SessionState, type VenuePhase, type ExchangeChoice, type HolidayProvider, type HolidayAnswer } from './sessionClock';
export { PHASE_WORDS, PHASE_TABLE, type PhaseId, type Venue } from './phases';
