/**
 * Wiring only: build the parts, connect their events, push every disposable into the context, and
 * return the API the integration tests use. Nothing starts streaming here: the session starts when the
 * watchlist is non-empty (a restored one included) or the user connects.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ContextKey, DETAILS_SCHEME, View, WATCHLIST_STATE_KEY } from './constants';
import { Config } from './config';
import { kstStampClock, Logger } from './common/logger';
import { isMarketOpen, marketPhase, nextSessionStart } from './common/marketHours';
import { displayName } from './common/symbolInput';
import { toDisposable } from './common/lifecycle';
import { Session } from './app/session';
import type { ExtensionApi } from './shared/extensionApi';
import type { Bar, OrderBookTop } from './shared/snapshot';
import { TICKER_PANEL_VIEW_TYPE, TickerViewProvider } from './views/ticker';
import { WatchlistTreeProvider } from './views/watchlist';
import { StatusBar } from './views/statusBar';
import { DetailsDocumentProvider } from './views/details';
import { createProblemReporter, readCredentials, registerCommands } from './views/commands';
import { renderDetails, sourceLabel, type StatusInput } from './views/statusBarModel';

let activeSession: Session | undefined;

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const started = performance.now();
  const channel = vscode.window.createOutputChannel('KIS Market Monitor', { log: true });
  context.subscriptions.push(channel);
  // Lines carry their KST time too unless the machine is in KST (the UI shows KST everywhere).
  const log = new Logger(channel, '', undefined, kstStampClock(new Date().getTimezoneOffset()));
  const config = new Config(log.child('config'));
  context.subscriptions.push(config);
  context.globalState.setKeysForSync([WATCHLIST_STATE_KEY]);

  const session = new Session({
    settings: () => config.current,
    credentials: (source) => readCredentials(context.secrets, source),
    store: {
      load: () => context.globalState.get<unknown[]>(WATCHLIST_STATE_KEY, []),
      save: (symbols) => Promise.resolve(context.globalState.update(WATCHLIST_STATE_KEY, symbols)),
    },
    log: log.child('session'),
    workerScript: path.join(context.extensionUri.fsPath, 'dist', 'worker.js'),
  });
  activeSession = session;
  // The session is disposed by deactivate() (awaited); this entry covers a context disposed without it.
  context.subscriptions.push(toDisposable(() => void session.dispose()));

  /** Data is expected now: the simulator always streams; KIS only in KRX sessions. */
  const marketOpen = (): boolean => session.source === 'simulator' || isMarketOpen(new Date());

  const watchlist = new WatchlistTreeProvider(
    () => ({
      now: Date.now(),
      // Staleness applies only while a session runs: a disconnected list is old, not broken.
      marketOpen: session.state === 'running' && marketOpen(),
      staleAfterMs: config.current.staleAfterSeconds * 1000,
      convention: config.current.colorConvention,
      language: vscode.env.language,
      t: vscode.l10n.t,
      gapOf: (symbol) => session.lastGap(symbol),
      // Prices grey out while nothing streams: they are the last ones received, not live.
      live: session.state === 'running' && session.agentStats()?.state === 'open',
    }),
    log.child('watchlist'),
  );
  context.subscriptions.push(watchlist);
  watchlist.setSymbols(session.symbols);

  const statusInput = (): StatusInput => {
    const now = new Date();
    const failure = session.failureReason;
    return {
      source: session.source,
      session: session.state,
      sessionError: failure ? problemSentence(failure.code, failure.source) : undefined,
      agent: session.agentStats(),
      worker: session.workerStats(),
      marketOpen: marketOpen(),
      marketPhase: marketPhase(now),
      nextOpenAt: nextSessionStart(now).getTime(),
      watchlistSize: session.symbols.length,
      now: now.getTime(),
      staleAfterMs: config.current.staleAfterSeconds * 1000,
      t: vscode.l10n.t,
    };
  };
  const statusBar = new StatusBar(statusInput, log.child('status'));
  context.subscriptions.push(statusBar);

  const details = new DetailsDocumentProvider(() => renderDetails(statusInput(), (s) => displayName(s, vscode.env.language)));
  context.subscriptions.push(details, vscode.workspace.registerTextDocumentContentProvider(DETAILS_SCHEME, details));

  const ticker = new TickerViewProvider(
    context.extensionUri,
    {
      currentState: () => {
        const symbols = session.symbols;
        const worker = session.workerHost;
        const bars: Bar[] = [];
        const books: OrderBookTop[] = [];
        const names: Record<string, string> = {};
        for (const s of symbols) {
          names[s] = displayName(s, vscode.env.language);
          if (worker) {
            bars.push(...worker.bars(s));
            const book = worker.book(s);
            if (book) books.push(book);
          }
        }
        return { symbols, quotes: session.watchlistQuotes(), bars, books, names, colorConvention: config.current.colorConvention };
      },
      unsubscribe: (symbol) => void session.remove(symbol),
      onSelect: (symbol) => session.preferBook(symbol),
    },
    channel,
  );
  context.subscriptions.push(
    ticker,
    vscode.window.registerWebviewViewProvider(View.Ticker, ticker),
    // A ticker panel left open survives a restart of VS Code.
    vscode.window.registerWebviewPanelSerializer(TICKER_PANEL_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => ticker.restorePanel(panel),
    }),
  );

  // ---- events: session → views
  const setContext = (key: ContextKey, value: unknown): void => void vscode.commands.executeCommand('setContext', key, value);
  const describeSource = (): void => watchlist.setDescription(sourceLabel(session.source, vscode.l10n.t));
  setContext(ContextKey.HasSymbols, session.symbols.length > 0);
  setContext(ContextKey.Connected, false);
  setContext(ContextKey.DataSource, config.current.dataSource);
  describeSource();

  const showProblem = createProblemReporter();
  context.subscriptions.push(
    session.onSnapshot((snapshot) => {
      watchlist.applyQuotes(snapshot.quotes);
      ticker.onSnapshot(snapshot);
    }),
    session.onGap((gap) => watchlist.refreshRow(gap.trKey)),
    session.onDidChangeWatchlist((symbols) => {
      watchlist.setSymbols(symbols);
      ticker.onWatchlistChanged([...symbols]);
      setContext(ContextKey.HasSymbols, symbols.length > 0);
      statusBar.update();
    }),
    session.onDidChangeState((state) => {
      setContext(ContextKey.Connected, state === 'starting' || state === 'running');
      statusBar.setTicking(state === 'running');
      watchlist.setActive(state === 'running');
      statusBar.update();
      describeSource();
    }),
    session.onAgentState(() => {
      statusBar.update();
      watchlist.refreshAll(); // live or not: every row's colour depends on it
    }),
    session.onProblem((problem) => {
      statusBar.update();
      showProblem(problem);
    }),
  );

  // ---- settings: restart only for what needs it
  let restarting: Promise<void> = Promise.resolve();
  context.subscriptions.push(
    config.onDidChange(({ changed, current }) => {
      setContext(ContextKey.DataSource, current.dataSource);
      if (changed.has('colorConvention') || changed.has('staleAfterSeconds')) watchlist.refreshAll();
      const needsRestart = (['dataSource', 'snapshotIntervalMs', 'maxInFlight', 'simulatorRatePerSymbol', 'wsUrl', 'restUrl'] as const).some((k) => changed.has(k));
      if (needsRestart) {
        if (changed.has('dataSource')) watchlist.model.clearQuotes();
        restarting = session.restart();
        // The session dropped the old source's quotes; the ticker must not keep showing them.
        if (changed.has('dataSource')) void restarting.then(() => ticker.replay(), () => undefined);
      }
      describeSource();
      statusBar.update();
    }),
  );

  context.subscriptions.push(
    ...registerCommands({ session, config, ticker, watchlist, details, secrets: context.secrets, log: log.child('command'), settled: () => restarting }),
  );

  // A restored watchlist streams again at once (the views are what activated us).
  if (session.symbols.length > 0) void session.connect();

  log.info(`Activated in ${(performance.now() - started).toFixed(1)} ms`);

  return {
    watchlist: () => session.symbols,
    agentStats: () => session.agentStats(),
    workerStats: () => session.workerStats(),
    quote: (symbol) => session.quote(symbol),
    statusBar: () => statusBar.current(),
    tickerSnapshotsDelivered: () => ticker.delivered,
    simulatorRequests: () => session.simulatorRequests(),
    resources: () => session.resources(),
    shutdown: () => session.dispose(),
  };
}

/** deactivate() returns the session's dispose: VS Code waits for the socket, worker and simulator to close. */
export function deactivate(): Promise<void> | undefined {
  const session = activeSession;
  activeSession = undefined;
  return session?.dispose();
}

/** The status bar's one-line reason for a failed session. */
function problemSentence(code: string, source: 'simulator' | 'paper' | 'real'): string {
  const t = vscode.l10n.t;
  switch (code) {
    case 'NO_CREDENTIALS':
      return t('No app key and app secret are stored for {0}. Run "KIS: Set Credentials".', sourceLabel(source, t));
    default:
      return t('The {0} data source could not start. See the KIS Market Monitor log.', sourceLabel(source, t));
  }
}
