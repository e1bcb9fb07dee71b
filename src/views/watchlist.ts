/**
 * The watchlist tree (`kisMarket.watchlist`): one row per symbol, built by the pure `WatchlistModel`.
 * Rows are refreshed individually (`fire(symbol)`) and at most every REFRESH_MS; nothing is redrawn while
 * the view is hidden (a full refresh happens when it is shown again). A slow timer catches rows that
 * turn stale without any new data.
 */
import * as vscode from 'vscode';
import { Command, View } from '../constants';
import { Disposable, toDisposable } from '../common/lifecycle';
import { Throttle } from '../common/throttle';
import type { Logger } from '../common/logger';
import type { QuoteState } from '../shared/snapshot';
import type { WatchlistTreeApi } from '../shared/extensionApi';
import type { Config } from '../config';
import type { MarketFeed } from '../feed';
import { sourceLabel } from './statusBarModel';
import { WatchlistModel, type QuoteSource, type RowContext, type WatchlistRow } from './watchlistModel';
import { dataExpectedNow, phaseWords } from './dayText';
import { rowStateText } from './rowState';
import type { WatchlistOrganiser } from './watchlistOrganiser';

/** Longest delay between a quote and its row (a few refreshes per second at most). */
const REFRESH_MS = 250;
/** How often rows are checked for turning stale with no new data. */
const STALE_CHECK_MS = 5000;

/** What the tree needs to draw a row "now". */
export type RowContextSource = () => RowContext;

/**
 * Tree elements are the symbol codes themselves (stable, cheap, and `fire(symbol)` just works) and, with
 * an organiser, group elements (`group:<id>`); the organiser decides the structure and the order.
 */
export class WatchlistTreeProvider extends Disposable implements vscode.TreeDataProvider<string> {
  readonly model: WatchlistModel;
  private readonly changeEmitter = this._register(new vscode.EventEmitter<string | undefined>());
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly view: vscode.TreeView<string>;
  private readonly pending = new Set<string>();
  private fullRefresh = false;
  private staleTimer: NodeJS.Timeout | undefined;
  private readonly throttle: Throttle;
  /** Holdings, alerts and privacy mode (portfolioView.ts) dress the row `buildRow` made. */
  private decorate: ((row: WatchlistRow) => WatchlistRow) | undefined;

  constructor(
    private readonly context: RowContextSource,
    quotes: QuoteSource,
    log: Logger,
    private readonly organiser?: WatchlistOrganiser,
  ) {
    super();
    this.model = new WatchlistModel(quotes);
    this.throttle = this._register(new Throttle(() => this.flush(), REFRESH_MS, (error) => log.error('Watchlist refresh failed', error)));
    this.view = this._register(
      vscode.window.createTreeView(View.Watchlist, { treeDataProvider: this, showCollapseAll: organiser !== undefined, dragAndDropController: organiser, canSelectMany: organiser !== undefined }),
    );
    if (organiser) this._register(organiser.onDidChange(() => this.refreshAll()));
    this._register(
      this.view.onDidChangeVisibility((event) => {
        if (event.visible) this.refreshAll();
      }),
    );
    this._register(toDisposable(() => this.setActive(false)));
  }

  /**
   * Runs the stale check only while a session runs: no timer outlives the session (the leak checks
   * compare timer counts after shutdown), and nothing can turn stale without a session anyway.
   */
  setActive(on: boolean): void {
    if (on && !this.staleTimer) {
      this.staleTimer = setInterval(() => this.checkStale(), STALE_CHECK_MS);
    } else if (!on && this.staleTimer) {
      clearInterval(this.staleTimer);
      this.staleTimer = undefined;
      // One last pass so rows do not keep saying "stale" for a session that is gone.
      this.refreshAll();
    }
  }

  /** The view's description (next to its title): the data source. */
  setDescription(text: string | undefined): void {
    this.view.description = text;
  }

  /** A new list (order or membership changed): every row may have moved, so refresh all. */
  setSymbols(symbols: readonly string[]): void {
    this.model.setSymbols(symbols);
    this.refreshAll();
  }

  /** New quotes: only their rows are refreshed. */
  applyQuotes(quotes: readonly QuoteState[]): void {
    const changed = this.model.applyQuotes(quotes);
    if (changed.length === 0) return;
    for (const s of changed) this.pending.add(s);
    this.schedule();
  }

  /** Something only `symbol`'s row depends on changed (e.g. a data gap was reported). */
  refreshRow(symbol: string): void {
    this.pending.add(symbol);
    this.schedule();
  }

  /** Something every row depends on changed (colour convention, language, stale limit). */
  refreshAll(): void {
    this.fullRefresh = true;
    this.schedule();
  }

  private schedule(): void {
    // Hidden: keep the pending set, draw when shown (refreshAll on visibility covers it).
    if (this.view.visible) this.throttle.schedule();
  }

  private checkStale(): void {
    if (!this.view.visible) return;
    // Sorted by a live number: re-sort here, every few seconds, not on every tick (rows would jump).
    if (this.organiser?.liveSort === true) this.fullRefresh = true;
    for (const s of this.model.staleChanges(this.context())) this.pending.add(s);
    if (this.pending.size > 0 || this.fullRefresh) this.throttle.schedule();
  }

  private flush(): void {
    if (this.fullRefresh) {
      this.fullRefresh = false;
      this.pending.clear();
      this.changeEmitter.fire(undefined);
      return;
    }
    for (const s of this.pending) {
      if (!this.model.has(s)) continue;
      this.changeEmitter.fire(s);
      // A group row shows the P&L of the positions it holds: redraw it too when one of them changed.
      const parent = this.organiser?.groupToRedraw(s);
      if (parent !== undefined) this.changeEmitter.fire(parent);
    }
    this.pending.clear();
  }

  getChildren(element?: string): string[] {
    if (this.organiser) return this.organiser.children(element);
    return element === undefined ? this.model.symbols : [];
  }

  getParent(element: string): string | undefined {
    return this.organiser?.parent(element);
  }

  /** Sets what dresses each row (then redraws them all). */
  setRowDecorator(decorate: (row: WatchlistRow) => WatchlistRow): void {
    this.decorate = decorate;
    this.refreshAll();
  }

  /** The tree as drawn, for the extension API (integration tests). */
  treeApi(): WatchlistTreeApi {
    return {
      children: (element) => this.getChildren(element),
      item: (element) => {
        const item = this.getTreeItem(element);
        const tooltip = item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : String(item.tooltip ?? '');
        const label = typeof item.label === 'object' ? item.label.label : item.label ?? '';
        return { label, description: String(item.description ?? ''), tooltip, contextValue: item.contextValue ?? '' };
      },
    };
  }

  /** A row's text as the tree shows it (tests read it through the extension API). */
  rowText(symbol: string): { label: string; description: string; tooltip: string } | undefined {
    const row = this.model.row(symbol, this.context());
    return row && { label: row.label, description: row.description, tooltip: row.tooltip };
  }

  getTreeItem(symbol: string): vscode.TreeItem {
    const group = this.organiser?.groupItem(symbol);
    if (group !== undefined) return group;
    const plain = this.model.row(symbol, this.context());
    if (!plain) return new vscode.TreeItem(symbol);
    this.model.markShown(plain);
    const row = this.decorate ? this.decorate(plain) : plain;
    const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
    item.id = row.id;
    item.description = row.description;
    item.iconPath = new vscode.ThemeIcon(row.iconId, new vscode.ThemeColor(row.colorId));
    const tooltip = new vscode.MarkdownString(row.tooltip);
    tooltip.supportThemeIcons = false;
    item.tooltip = tooltip;
    // Move Up/Down act on the watchlist's order, which only the root shows (and only unsorted).
    item.contextValue = this.organiser?.keepsMoveFlags(symbol) === false ? row.contextValue.replace(/ canMove(Up|Down)\b/g, '') : row.contextValue;
    item.accessibilityInformation = { label: `${row.label}, ${row.description}` };
    item.command = { command: Command.OpenInTicker, title: vscode.l10n.t('Open in Ticker'), arguments: [symbol] };
    return item;
  }

  /** Creates the watchlist tree for `feed` and follows its events and the settings its rows depend on. */
  static register(context: vscode.ExtensionContext, feed: MarketFeed, config: Config, log: Logger, organiser?: WatchlistOrganiser): WatchlistTreeProvider {
    const tree = new WatchlistTreeProvider(
      () => {
        const day = feed.dayStatus();
        const open = dataExpectedNow(day);
        const streaming = feed.state === 'running' && feed.agentStats()?.state === 'open';
        const pinned = new Set(feed.pinned());
        const holiday = day.calendar && day.session.day === 'holiday';
        return {
          now: Date.now(),
          // Staleness applies only while the feed runs: a disconnected list is old, not broken.
          marketOpen: feed.state === 'running' && open,
          staleAfterMs: config.current.staleAfterSeconds * 1000,
          convention: config.current.colorConvention,
          language: vscode.env.language,
          t: vscode.l10n.t,
          gapOf: (symbol) => feed.model.gap(symbol),
          // Prices grey out while nothing streams: they are the last ones received, not live.
          live: streaming,
          pinned: (symbol) => pinned.has(symbol),
          // "live", "every N s", "as of HH:MM", "closed: holiday", "price unavailable" (rowState.ts).
          rowState: (symbol) =>
            rowStateText({ origin: feed.model.origin(symbol), mode: feed.rowMode(symbol), marketOpen: open, holiday, problem: feed.restProblem(symbol), streaming }, vscode.l10n.t),
        };
      },
      feed.model,
      log.child('watchlist'),
      organiser,
    );
    const describeSource = (): void => tree.setDescription(`${sourceLabel(feed.source, vscode.l10n.t)} · ${phaseWords(feed.dayStatus(), vscode.l10n.t)}`);
    tree.setSymbols(feed.symbols);
    describeSource();
    context.subscriptions.push(
      tree,
      feed.onSnapshot((snapshot) => tree.applyQuotes(snapshot.quotes)),
      feed.onRestQuotes((quotes) => tree.applyQuotes(quotes)),
      feed.onGap((gap) => tree.refreshRow(gap.trKey)),
      feed.onDidChangePhase(() => {
        describeSource();
        tree.refreshAll();
      }),
      feed.onDidChangeWatchlist((symbols) => tree.setSymbols(symbols)),
      feed.onDidChangeState((state) => {
        tree.setActive(state === 'running');
        describeSource();
      }),
      feed.onAgentState(() => tree.refreshAll()), // live or not: every row's colour depends on it
      feed.onDidResetModel(() => {
        tree.model.clearQuotes();
        tree.refreshAll();
      }),
      config.onDidChange(({ changed }) => {
        if (changed.has('colorConvention') || changed.has('staleAfterSeconds')) tree.refreshAll();
        describeSource();
      }),
    );
    return tree;
  }
}
