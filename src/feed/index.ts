/**
 * The application core's public surface: the only part of `src/feed` that views, the webview and
 * `extension.ts` may import (enforced by eslint.config.mjs).
 */
export { MarketFeed } from './marketFeed';
export type { MarketView } from './readModel';
export { SESSION_BUDGET } from './subscriptionPlan';
export type { AddResult, Credentials, FeedOptions, FeedProblem, FeedState, ProblemCode, ProgressCallback, WatchlistStore } from './types';
export { simulatorSessions, type HubJoinOptions, type ShareStatus } from './hubSource';
