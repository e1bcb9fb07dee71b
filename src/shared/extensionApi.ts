/**
 * What `activate()` returns. The integration tests drive and inspect the extension through it;
 * nothing in the product depends on it.
 */
import type { QuoteState } from './snapshot';
import type { AgentStats, HandlerStat, WorkerHostStats } from './stats';

/** Live resources owned by the extension, for leak checks. Everything is false / 0 after deactivate. */
export interface LiveResources {
  /** The agent exists and its socket is not closed. */
  socketOpen: boolean;
  /** The handler worker thread is running. */
  workerRunning: boolean;
  /** The embedded simulator is listening. */
  simulatorRunning: boolean;
  /** Tasks (promises and timers) held by the agent's tracker. */
  trackedTasks: number;
}

/** A request the embedded simulator received (tr_type "1" subscribe, "2" unsubscribe). */
export interface SimulatorRequest {
  trType: string;
  trId: string;
  trKey: string;
}

export interface ExtensionApi {
  /** Symbols on the watchlist, in display order. */
  watchlist(): string[];
  /** Agent statistics, or undefined while no session exists. */
  agentStats(): AgentStats | undefined;
  workerStats(): WorkerHostStats | undefined;
  /** Each user handler's counters, named by its source file. */
  handlerStats(): HandlerStat[];
  /** The latest quote of a symbol as the views show it. */
  quote(symbol: string): QuoteState | undefined;
  /** The status bar item's current text and tooltip (plain text). */
  statusBar(): { text: string; tooltip: string };
  /** Snapshots delivered to the ticker webview (0 while it has never been visible). */
  tickerSnapshotsDelivered(): number;
  /** Requests the embedded simulator has received, oldest first (empty when not on the simulator). */
  simulatorRequests(): SimulatorRequest[];
  /** The watchlist row of a symbol as the tree shows it (label, description, tooltip Markdown). */
  watchlistRow(symbol: string): { label: string; description: string; tooltip: string } | undefined;
  /** Starts a KRX volatility interruption of `symbol` in the embedded simulator (false when not on it). */
  simulateVi(symbol: string): boolean;
  resources(): LiveResources;
  /** The session shared between windows: role, windows, leader; undefined while this window runs alone. */
  sharing(): { role: 'leader' | 'follower'; windows: number; leaderName: string; overBudget: string[] } | undefined;
  /** This window's embedded simulator's WebSocket sessions (live, served), undefined when it runs none. */
  simulatorSessions(): { live: number; served: number } | undefined;
  /** Stops everything the extension started, as deactivate() does. */
  shutdown(): Promise<void>;
  /** The codes the symbol picker offers for `query` (the same search the QuickPick runs per keystroke). */
  pickSymbols?(query: string): Promise<string[]>;
  /** Holdings, alerts and privacy mode, for the integration tests (the commands prompt; these do not). */
  portfolio?: PortfolioApi;
  /** The Fills view and its notifications, for the tests. */
  fills?: FillsApi;
  /** The text beside the sidebar ticker's title ("replay 10× · 09:01:23 KST" during a replay). */
  tickerDescription?(): string | undefined;
  /** The recording indicator's text while recording (`$(record) REC 0:12 · 1.2 MB`), else undefined. */
  recordingIndicator?(): string | undefined;
  /** Where the `replay` source is (state, speed, recorded time, frames), undefined on other sources. */
  replayStatus?():
    | { state: string; speed: number | 'max'; recordedAt: number | undefined; frames: number; truncated: boolean }
    | undefined;
  /** The watchlist tree's structure (the Indices group, user groups, the sort) as drawn. */
  watchlistTree?: WatchlistTreeApi;
}

/** The watchlist tree as VS Code sees it: elements are symbol codes and `group:<id>`. */
export interface WatchlistTreeApi {
  /** The children of an element (undefined: the root), in display order. */
  children(element?: string): string[];
  /** The row of an element as drawn (label, description, tooltip text). */
  item(element: string): { label: string; description: string; tooltip: string; contextValue: string } | undefined;
}

/** What the tests read of the Fills view (and where to place a simulated paper order). */
export interface FillsApi {
  /** The rows as drawn, newest first. */
  rows(): { label: string; description: string }[];
  /** Fill notifications shown so far, and those held by privacy mode. */
  notified(): string[];
  held(): number;
  /** The embedded simulator's REST base URL (order-cash, inquire-daily-ccld), undefined when not on it. */
  simulatorRestUrl(): string | undefined;
}

/** What the integration tests drive and read of holdings, alerts and privacy mode. */
export interface PortfolioApi {
  setHolding(symbol: string, quantity: number, averageCost: number): Promise<void>;
  /** Adds a rule after the same check as the command; the refusal message when it can never fire. */
  addAlert(symbol: string, kind: string, threshold: number): Promise<string | undefined>;
  alertIds(): string[];
  setPrivacy(on: boolean): Promise<void>;
  /** The watchlist row of `symbol` as drawn (label, description, tooltip text). */
  row(symbol: string): { label: string; description: string; tooltip: string } | undefined;
  /** The portfolio status bar item ('' when hidden). */
  statusText(): string;
  /** Alert notifications shown so far, and those held by privacy mode. */
  notified(): string[];
  held(): number;
  /** True when every live ticker webview reported that it applied the current privacy mode. */
  tickerCovered(): boolean;
}
