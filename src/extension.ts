/**
 * Wiring only: build the feed, let each view register itself, push every disposable into the context,
 * and return the API the integration tests use. Nothing starts streaming here: the feed starts when the
 * watchlist is non-empty (a restored one included) or the user connects.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { WATCHLIST_STATE_KEY } from './constants';
import { Config } from './config';
import { kstStampClock, Logger } from './common/logger';
import { toDisposable } from './common/lifecycle';
import { MarketFeed, simulatorSessions } from './feed';
import type { ExtensionApi } from './shared/extensionApi';
import { TickerViewProvider } from './views/ticker';
import { WatchlistTreeProvider } from './views/watchlist';
import { StatusBar } from './views/statusBar';
import { DetailsDocumentProvider } from './views/details';
import { registerContextKeys } from './views/contextKeys';
import { createProblemReporter, readCredentials, registerCommands } from './views/commands';

let activeFeed: MarketFeed | undefined;

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const started = performance.now();
  const channel = vscode.window.createOutputChannel('KIS Market Monitor', { log: true });
  // Lines carry their KST time too unless the machine is in KST (the UI shows KST everywhere).
  const log = new Logger(channel, '', undefined, kstStampClock(new Date().getTimezoneOffset()));
  const config = new Config(log.child('config'));
  context.subscriptions.push(channel, config);
  context.globalState.setKeysForSync([WATCHLIST_STATE_KEY]);

  const feed = new MarketFeed({
    settings: () => config.current,
    credentials: (source) => readCredentials(context.secrets, source),
    store: {
      load: () => context.globalState.get<unknown[]>(WATCHLIST_STATE_KEY, []),
      save: (symbols) => Promise.resolve(context.globalState.update(WATCHLIST_STATE_KEY, symbols)),
    },
    log: log.child('feed'),
    workerScript: path.join(context.extensionUri.fsPath, 'dist', 'worker.js'),
    // One KIS session for every window of this user (issue 18); the name says which window leads.
    hub: { name: `${vscode.workspace.name ?? vscode.env.appName} (${process.pid})` },
  });
  activeFeed = feed;
  // The feed is disposed by deactivate() (awaited); this entry covers a context disposed without it.
  context.subscriptions.push(toDisposable(() => void feed.dispose()), config.onDidChange(({ changed }) => feed.applySettings(changed)));

  const watchlist = WatchlistTreeProvider.register(context, feed, config, log);
  const statusBar = StatusBar.register(context, feed, config, log);
  const details = DetailsDocumentProvider.register(context, feed, config);
  const ticker = TickerViewProvider.register(context, feed, config, channel);
  registerContextKeys(context, feed, config);
  context.subscriptions.push(
    feed.onProblem(createProblemReporter()),
    ...registerCommands({ session: feed, config, ticker, watchlist, details, secrets: context.secrets, log: log.child('command'), settled: () => feed.settled() }),
  );

  // A restored watchlist streams again at once (the views are what activated us).
  if (feed.symbols.length > 0) void feed.connect();
  log.info(`Activated in ${(performance.now() - started).toFixed(1)} ms`);
  return {
    watchlist: () => feed.symbols,
    agentStats: () => feed.agentStats(),
    workerStats: () => feed.workerStats(),
    quote: (symbol) => feed.model.quote(symbol),
    statusBar: () => statusBar.current(),
    tickerSnapshotsDelivered: () => ticker.delivered,
    simulatorRequests: () => feed.simulatorRequests(),
    resources: () => feed.resources(),
    sharing: () => feed.sharing.current,
    simulatorSessions: () => simulatorSessions(feed.embeddedSimulator),
    shutdown: () => feed.dispose(),
  };
}

/** deactivate() returns the feed's dispose: VS Code waits for the socket, worker and simulator to close. */
export function deactivate(): Promise<void> | undefined {
  const feed = activeFeed;
  activeFeed = undefined;
  return feed?.dispose();
}
