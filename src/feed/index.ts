/**
 * The application core's public surface: the only part of `src/feed` that views, the webview and
 * `extension.ts` may import (enforced by eslint.config.mjs).
 */
export { MarketFeed } from './marketFeed';
export type { MarketView } from './model/readModel';
export { SESSION_BUDGET } from './plan/subscriptionPlan';
export { FeedHandlers, prepareHandler, type HandlerProblem, type PreparedHandler } from './source/handlerModules';
export type {
  AddResult,
  AlertRuleSource,
  Credentials,
  FeedOptions,
  FeedProblem,
  FeedState,
  HubJoinOptions,
  ProblemCode,
  ProgressCallback,
  WatchlistStore,
} from './types';
export { dataExpectedNow, describePlan, venuesOf, type DayStatus } from './plan/dayPlan';
export type { MarketStatusChange } from './model/marketStatus';
export type { QuoteOrigin } from './model/readModel';
export type { RowMode, RestPriceStats } from './rest/restPrices';
export type { StoredToken, TokenStore } from '../rest';
export { simulatorSessions, type ShareStatus } from './source/hubSource';
export type { ChartNotice, ChartOutcome, ChartProblemCode } from './rest/chartHistory';
export {
  SymbolDirectory,
  type DirectoryOrigin,
  type DirectorySource,
  type SymbolDirectoryLoad,
  type SymbolDirectoryOptions,
} from './symbolDirectory';
export type {
  FeedRecorder,
  RecordingEnd,
  RecordingEndReason,
  RecordingLimits,
  RecordingProgress,
  RecordingStartResult,
} from './source/sessionRecording';
export type { ReplayStatus } from './source/replaySource';
export {
  holdingsOf,
  importBalance,
  formatAccountNumber,
  maskAccountNumber,
  parseAccountNumber,
  type AccountCheck,
  type AccountNumber,
  type BalanceEndpoint,
  type ImportOutcome,
} from './rest/balanceImport';
export { loadDailyOrders, type DailyOrdersOutcome } from './rest/dailyOrders';
export { FillBook, type FillRow, type NoticeResult } from './model/fillBook';
