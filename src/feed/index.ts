/**
 * The application core's public surface: the only part of `src/feed` that views, the webview and
 * `extension.ts` may import (enforced by eslint.config.mjs).
 */
export { MarketFeed } from './marketFeed';
export type { MarketView } from './readModel';
export { SESSION_BUDGET } from './subscriptionPlan';
export { FeedHandlers, prepareHandler, type HandlerProblem, type PreparedHandler } from './handlers';
export type { AddResult, AlertRuleSource, Credentials, FeedOptions, FeedProblem, FeedState, ProblemCode, ProgressCallback, WatchlistStore } from './types';
export { dataExpectedNow, describePlan, venuesOf, type DayStatus } from './dayPlan';
export type { MarketStatusChange } from './marketStatus';
export type { QuoteOrigin } from './readModel';
export type { RowMode, RestPriceStats } from './restPrices';
export type { StoredToken, TokenStore } from '../rest';
export { simulatorSessions, type HubJoinOptions, type ShareStatus } from './hubSource';
export type { ChartNotice, ChartOutcome, ChartProblemCode } from './chartHistory';
export { SymbolDirectory, type DirectoryOrigin, type DirectorySource, type SymbolDirectoryLoad, type SymbolDirectoryOptions } from './symbolDirectory';
export type { FeedRecorder, RecordingEnd, RecordingEndReason, RecordingLimits, RecordingProgress, RecordingStartResult } from './recording';
export type { ReplayStatus } from './replaySource';
export { holdingsOf, importBalance, formatAccountNumber, maskAccountNumber, parseAccountNumber, type AccountCheck, type AccountNumber, type BalanceEndpoint, type ImportOutcome } from './balanceImport';
