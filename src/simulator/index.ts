/**
 * The KIS-compatible simulator (see server.ts for the behaviour it reproduces and the choices it makes
 * where the live service is unconfirmed). Shares only src/kis with the client.
 */
export {
  KisSimulator,
  isKrxSessionOpen,
  type SimulatorEvents,
  type BlastOptions,
  type NoticeFields,
  type RequestLogEntry,
  type PingLogEntry,
} from './server';
export type { SimulatorOptions, SimCredentials, SimSymbol, SimRate, FatalClose } from './options';
export { SIM_HTS_ID } from './options';
export { SIM_ACCOUNT } from './rest/restBalance';
export { SimTrading } from './account/trading';
export { SIM_BRANCH } from './account/orderRest';
export type { SimOrder, OrderEvent } from './account/paperAccount';
export { MALFORMED_KINDS, type MalformedKind, type RequestView } from './faults';
export type { SendLogRow } from './ws/sendLog';
export { SymbolModel, basePriceOf, hashedBasePrice, type TradeWidth, type BookWidth } from './market/venueModel';
export { tickSize, isOnTick, priceLimits } from './market/krxRules';
export { APPROVAL_PATH } from './rest/restRoutes';
export { DaySim, VI_STATIC_RATE, VI_DURATION_MS, type DayStreamCursor } from './market/daySim';
export { parseClockInstant, simulatedClock } from './market/simClock';
export {
  ReplayFeed,
  checkSpeed,
  fromInstant,
  type ReplayOptions,
  type ReplayProgress,
  type ReplayEvents,
} from './replay/replayFeed';
