/**
 * Wiring only: build the feed, let each view register itself, push every disposable into the context,
 * and return the API the integration tests use. Nothing starts streaming here: the feed starts when the
 * watchlist is non-empty (a restored one included) or the user connects.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { HOLIDAY_STATE_KEY, PINNED_STATE_KEY, WATCHLIST_GROUPS_STATE_KEY, WATCHLIST_STATE_KEY } from './constants';
import { Config } from './config';
import { feedStampClock, Logger } from './common/logger';
import { toDisposable } from './common/lifecycle';
import { MarketFeed, simulatorSessions } from './feed';
import type { ExtensionApi } from './shared/extensionApi';
import type { TickerViewProvider } from './views/ticker/ticker';
import { registerTicker } from './views/ticker/tickerRegistration';
import { WatchlistTreeProvider } from './views/watchlist/watchlist';
import { SecretTokenStore } from './views/secretTokenStore';
import { StatusBar } from './views/status/statusBar';
import { DetailsPanel } from './views/status/details';
import { registerContextKeys } from './views/contextKeys';
import { createProblemReporter, readCredentials, readHtsId, registerCommands } from './views/commands';
import { SymbolPicker } from './views/symbolPicker';
import { StatusBarIndex } from './views/status/statusBarIndex';
import { HandlerController } from './views/handlerSetup';
import { PortfolioState } from './views/portfolio/portfolioState';
import { PortfolioView, portfolioApi } from './views/portfolio/portfolioView';
import { AlertTreeProvider } from './views/portfolio/alertTree';
import { FillsView } from './views/portfolio/fillsView';
import { registerPortfolioCommands } from './views/portfolio/portfolioCommands';
import { RecordingController } from './views/recording/recordingCommands';
import { WatchlistOrganiser } from './views/watchlist/watchlistOrganiser';
import { registerGroupCommands } from './views/watchlist/groupCommands';
import { registerBalanceImport } from './views/portfolio/balanceImportCommand';
import { QuoteFrames } from './views/quoteFrame';

let activeFeed: MarketFeed | undefined;

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const started = performance.now();
  const channel = vscode.window.createOutputChannel('KIS Market Monitor', { log: true });
  // Lines carry their KST time too unless the machine is in KST (the UI shows KST everywhere).
  // Lines carry the feed clock's time when it is simulated or replayed (the time every view shows).
  let feedNow: () => number = Date.now;
  const log = new Logger(
    channel,
    '',
    undefined,
    feedStampClock(new Date().getTimezoneOffset(), () => feedNow()),
  );
  const config = new Config(log.child('config'));
  context.subscriptions.push(channel, config);
  context.globalState.setKeysForSync([
    WATCHLIST_STATE_KEY,
    WATCHLIST_GROUPS_STATE_KEY,
    PINNED_STATE_KEY,
    ...PortfolioState.SYNCED_KEYS,
  ]);
  const portfolio = new PortfolioState(context.globalState);
  context.subscriptions.push(portfolio);

  const userHandlers = HandlerController.register(context, log);
  const tokenStore = new SecretTokenStore(context.secrets);
  const feed = createFeed(context, config, log, { portfolio, userHandlers, tokenStore });
  activeFeed = feed;
  feedNow = () => feed.feedTime();
  // The feed is disposed by deactivate() (awaited); this entry covers a context disposed without it.
  context.subscriptions.push(
    toDisposable(() => void feed.dispose()),
    config.onDidChange(({ changed }) => feed.applySettings(changed)),
  );
  // Holdings may be off the watchlist: a US holding asks for the overseas fill notices too.
  const holdingsToFeed = (): void => feed.setHeldSymbols(portfolio.holdings.map((h) => h.symbol));
  holdingsToFeed();
  context.subscriptions.push(portfolio.onDidChangeHoldings(holdingsToFeed));

  // One instant of the read model for the rows, the group rows, the portfolio item and the status-bar index.
  const frames = QuoteFrames.register(context, feed, portfolio, config, log);
  const organiser = WatchlistOrganiser.create(context, feed, frames, portfolio, log.child('groups'));
  const watchlist = WatchlistTreeProvider.register(context, feed, config, log, frames, organiser);
  context.subscriptions.push(...registerGroupCommands(organiser, log.child('groups')));
  const statusBar = StatusBar.register(context, feed, config, log);
  StatusBarIndex.register(context, frames, config, log);
  const picker = SymbolPicker.register(context, feed, config, log);
  const details = DetailsPanel.register(context, feed, config);
  const ticker = registerTicker(context, feed, config, channel, frames);
  registerContextKeys(context, feed, config);
  const recording = RecordingController.register(context, feed, config, log, ticker);
  const portfolioView = PortfolioView.register(
    context,
    feed,
    frames,
    portfolio,
    watchlist,
    ticker,
    log.child('alerts'),
  );
  AlertTreeProvider.register(context, portfolio);
  const fills = FillsView.register(
    context,
    feed,
    portfolio,
    { secrets: context.secrets, tokenStore, config, feed, state: portfolio, log: log.child('fills') },
    log.child('fills'),
  );
  context.subscriptions.push(
    ...registerBalanceImport({
      secrets: context.secrets,
      tokenStore,
      config,
      feed,
      state: portfolio,
      log: log.child('balance'),
    }),
  );
  context.subscriptions.push(
    ...registerPortfolioCommands({ state: portfolio, symbols: () => feed.symbols, log: log.child('portfolio') }),
  );
  context.subscriptions.push(
    feed.onProblem(createProblemReporter()),
    ...registerCommands({
      session: feed,
      config,
      ticker,
      watchlist,
      details,
      secrets: context.secrets,
      log: log.child('command'),
      settled: () => feed.settled(),
      picker,
    }),
  );

  // A restored watchlist streams again at once (the views are what activated us).
  if (feed.symbols.length > 0) void feed.connect();
  log.info(`Activated in ${(performance.now() - started).toFixed(1)} ms`);
  const api = extensionApi(
    feed,
    userHandlers,
    statusBar,
    ticker,
    watchlist,
    portfolioApi(portfolio, portfolioView, watchlist, ticker),
    picker,
  );
  return {
    ...api,
    recordingIndicator: () => recording.indicator(),
    fills: fills.api(() => feed.embeddedSimulator?.restUrl),
    replayStatus: () => feed.replayStatus(),
    tickerDescription: () => ticker.description,
  };
}

/** The application core of this window over the extension's storage, secrets and settings. */
function createFeed(
  context: vscode.ExtensionContext,
  config: Config,
  log: Logger,
  {
    portfolio,
    userHandlers,
    tokenStore,
  }: { portfolio: PortfolioState; userHandlers: HandlerController; tokenStore: SecretTokenStore },
): MarketFeed {
  return new MarketFeed({
    settings: () => config.current,
    credentials: (source) => readCredentials(context.secrets, source),
    htsId: (source) => readHtsId(context.secrets, source),
    tokenStore,
    store: {
      load: () => context.globalState.get<unknown[]>(WATCHLIST_STATE_KEY, []),
      save: (symbols) => Promise.resolve(context.globalState.update(WATCHLIST_STATE_KEY, symbols)),
      loadPinned: () => context.globalState.get<unknown[]>(PINNED_STATE_KEY, []),
      savePinned: (symbols) => Promise.resolve(context.globalState.update(PINNED_STATE_KEY, symbols)),
    },
    // chk-holiday at most once a day, across restarts too (holidayCalendar.ts).
    holidayCache: {
      load: () => context.globalState.get(HOLIDAY_STATE_KEY),
      save: (value) => Promise.resolve(context.globalState.update(HOLIDAY_STATE_KEY, value)),
    },
    log: log.child('feed'),
    workerScript: path.join(context.extensionUri.fsPath, 'dist', 'worker.js'),
    handlers: userHandlers.handlers,
    alertRules: portfolio,
    // One KIS session for every window of this user; the name says which window leads.
    hub: { name: `${vscode.workspace.name ?? vscode.env.appName} (${process.pid})` },
  });
}

/** deactivate() returns the feed's dispose: VS Code waits for the socket, worker and simulator to close. */
export function deactivate(): Promise<void> | undefined {
  const feed = activeFeed;
  activeFeed = undefined;
  return feed?.dispose();
}

/** What the integration tests read: the feed, the views and the worker, through their public surfaces. */
function extensionApi(
  feed: MarketFeed,
  userHandlers: HandlerController,
  statusBar: StatusBar,
  ticker: TickerViewProvider,
  watchlist: WatchlistTreeProvider,
  portfolio: ExtensionApi['portfolio'],
  picker?: SymbolPicker,
): ExtensionApi {
  return {
    watchlist: () => feed.symbols,
    agentStats: () => feed.agentStats(),
    workerStats: () => feed.workerStats(),
    handlerStats: () => userHandlers.handlers.stats(),
    quote: (symbol) => feed.model.quote(symbol),
    statusBar: () => statusBar.current(),
    tickerSnapshotsDelivered: () => ticker.delivered,
    simulatorRequests: () => feed.simulatorRequests(),
    watchlistRow: (symbol) => watchlist.rowText(symbol),
    simulateVi: (symbol) => {
      const simulator = feed.embeddedSimulator;
      simulator?.day.startVi(symbol, 'KRX', feed.dayStatus().session.at);
      return simulator !== undefined;
    },
    resources: () => feed.resources(),
    sharing: () => feed.sharing.current,
    simulatorSessions: () => simulatorSessions(feed.embeddedSimulator),
    shutdown: () => feed.dispose(),
    portfolio,
    watchlistTree: watchlist.treeApi(),
    pickSymbols: async (query) => (picker ? (await picker.search(query, feed.symbols)).map((r) => r.code) : []),
  };
}
