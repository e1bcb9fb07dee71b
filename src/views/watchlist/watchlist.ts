/**
 * The watchlist tree (`kisMarket.watchlist`): one row per symbol, built by the pure `WatchlistModel` from
 * the current view frame (quoteFrame.ts), the instant the portfolio item and the status-bar index draw too.
 * Nothing is redrawn while the view is hidden (a full refresh happens when it is shown again). A slow timer
 * catches rows that turn stale without any new data.
 *
 * Tooltips while streaming: VS Code closes a row's hover whenever that row is refreshed, and a live row
 * changes several times a second. So a row is refreshed only when what it shows changed (not on every
 * quote), its tooltip is made on demand (`resolveTreeItem`, from the current frame), and the row a hover
 * just opened on holds its refreshes for HOVER_HOLD_MS or until another row is hovered (VS Code tells an
 * extension when a hover opens, through `resolveTreeItem`, but not when it closes).
 */
import * as vscode from 'vscode';
import { Command, View } from '../../constants';
import { Disposable, toDisposable } from '../../common/lifecycle';
import { Throttle } from '../../common/throttle';
import type { Logger } from '../../common/logger';
import type { WatchlistTreeApi } from '../../shared/extensionApi';
import type { Config } from '../../config';
import type { MarketFeed } from '../../feed';
import { WatchlistModel, type QuoteSource, type RowContext, type WatchlistRow } from './watchlistModel';
import { dataExpectedNow, tradesExpectedNow } from '../dayText';
import { rowStateText } from './rowState';
import type { WatchlistOrganiser } from './watchlistOrganiser';
import type { QuoteFrames } from '../quoteFrame';

/** Longest delay of a redraw that is not a new frame (a setting, a data gap, a row turning stale). */
const REFRESH_MS = 250;
/** How long the row a hover opened on keeps its text (and so its hover), unless another row is hovered. */
export const HOVER_HOLD_MS = 10_000;
/**
 * How long no row at all is redrawn after a hover opened: a person reads a tooltip for a few seconds and
 * moves on to the next row, whose hover needs 500 ms without a redraw of that row (VS Code's
 * `workbench.hover.delay`); each hover that opens starts it again.
 */
export const HOVER_QUIET_MS = 5000;
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
  private readonly changeEmitter = this._register(new vscode.EventEmitter<string | string[] | undefined>());
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly view: vscode.TreeView<string>;
  private readonly pending = new Set<string>();
  private fullRefresh = false;
  private staleTimer: NodeJS.Timeout | undefined;
  private readonly throttle: Throttle;
  /** Holdings, alerts and privacy mode (portfolioView.ts) dress the row `buildRow` made. */
  private decorate: ((row: WatchlistRow) => WatchlistRow) | undefined;
  /** What each element's row showed when last handed to VS Code (label, description, icon…). */
  private readonly drawn = new Map<string, string>();
  /** The row a hover is open on (as far as we can tell) and until when it holds its text. */
  private hovered: { element: string; until: number; timer: NodeJS.Timeout } | undefined;

  constructor(
    private readonly context: RowContextSource,
    quotes: QuoteSource,
    log: Logger,
    private readonly organiser?: WatchlistOrganiser,
    private readonly now: () => number = Date.now,
  ) {
    super();
    this.model = new WatchlistModel(quotes);
    this.throttle = this._register(
      new Throttle(
        () => this.flush(),
        REFRESH_MS,
        (error) => log.error('Watchlist refresh failed', error),
      ),
    );
    this.view = this._register(
      vscode.window.createTreeView(View.Watchlist, {
        treeDataProvider: this,
        showCollapseAll: organiser !== undefined,
        dragAndDropController: organiser,
        canSelectMany: organiser !== undefined,
      }),
    );
    if (organiser) this._register(organiser.onDidChange(() => this.refreshAll()));
    this._register(
      this.view.onDidChangeVisibility((event) => {
        if (event.visible) this.refreshAll();
      }),
    );
    this._register(toDisposable(() => this.setActive(false)));
    this._register(toDisposable(() => this.releaseHover()));
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

  /** A new list (order or membership changed): every row may have moved, so refresh all. */
  setSymbols(symbols: readonly string[]): void {
    this.model.setSymbols(symbols);
    this.refreshAll();
  }

  /** A new frame with new quotes of `changed`: their rows are redrawn now (from that frame) if their text changed. */
  applyFrame(changed: Iterable<string>): void {
    for (const s of this.model.applyQuotes([...changed].map((symbol) => ({ symbol })))) this.pending.add(s);
    if (this.pending.size === 0 && !this.fullRefresh) return;
    if (this.view.visible) this.flush();
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
    const held = this.heldElement();
    if (this.now() < this.quietUntil) {
      // A hover just opened: no row is redrawn, so the pointer moving on to the next row gets its tooltip
      // too (a redraw of the row under the pointer cancels VS Code's pending hover).
      this.throttle.schedule();
      return;
    }
    // One event with every changed row: VS Code's extension host debounces a tree's change events by
    // 200 ms, so one event per row held all but the first row of a frame back for another 200 ms (and
    // spread the redraws over the frame, each one a chance to cancel a pending hover).
    const fired = new Set<string>();
    const fireIfChanged = (element: string): void => {
      if (!fired.has(element) && this.differsFromDrawn(element)) fired.add(element);
    };
    const deferred: string[] = [];
    for (const s of this.pending) {
      if (!this.model.has(s)) continue;
      if (s === held) {
        deferred.push(s);
        continue;
      }
      fireIfChanged(s);
      // A group row shows the P&L of the positions it holds: redraw it too when one of them changed.
      const parent = this.organiser?.groupToRedraw(s);
      if (parent !== undefined && parent !== held) fireIfChanged(parent);
    }
    this.pending.clear();
    for (const s of deferred) this.pending.add(s);
    if (fired.size > 0) this.changeEmitter.fire([...fired]);
  }

  /** Until when no row is redrawn (a hover opened a moment ago). */
  private quietUntil = 0;

  /** The element whose hover holds its text now, if any. */
  private heldElement(): string | undefined {
    const h = this.hovered;
    return h !== undefined && this.now() < h.until ? h.element : undefined;
  }

  /** A hover opened on `element`: hold its text, release the row held before (the pointer left it). */
  private holdForHover(element: string): void {
    const previous = this.hovered?.element;
    this.releaseHover();
    const timer = setTimeout(() => {
      this.hovered = undefined;
      this.refreshRow(element);
    }, HOVER_HOLD_MS);
    this.hovered = { element, until: this.now() + HOVER_HOLD_MS, timer };
    this.quietUntil = this.now() + HOVER_QUIET_MS;
    if (previous !== undefined && previous !== element) this.refreshRow(previous);
  }

  private releaseHover(): void {
    if (this.hovered !== undefined) clearTimeout(this.hovered.timer);
    this.hovered = undefined;
  }

  /** True when `element`'s row would now show something else than what VS Code last got. */
  private differsFromDrawn(element: string): boolean {
    return this.drawn.get(element) !== this.signatureOf(element);
  }

  /** What a row shows, as one string (the tooltip is not part of it: it is made on demand). */
  private signatureOf(element: string): string {
    const group = this.organiser?.groupItem(element);
    if (group !== undefined) return `${String(group.label)}\n${String(group.description)}`;
    const row = this.rowOf(element);
    return row === undefined
      ? ''
      : [row.label, row.description, row.iconId, row.colorId, this.contextValueOf(row)].join('\n');
  }

  /** The dressed row of a listed symbol, from the current frame. */
  private rowOf(symbol: string): WatchlistRow | undefined {
    const plain = this.model.row(symbol, this.context());
    if (plain === undefined) return undefined;
    this.model.markShown(plain);
    return this.decorate ? this.decorate(plain) : plain;
  }

  private contextValueOf(row: WatchlistRow): string {
    // Move Up/Down act on the watchlist's order, which only the root shows (and only unsorted).
    return this.organiser?.keepsMoveFlags(row.symbol) === false
      ? row.contextValue.replace(/ canMove(Up|Down)\b/g, '')
      : row.contextValue;
  }

  /** The tooltip of an element as Markdown, from the current frame ('' for none). */
  tooltipOf(element: string): string {
    const group = this.organiser?.groupItem(element);
    if (group !== undefined) return typeof group.tooltip === 'string' ? group.tooltip : (group.tooltip?.value ?? '');
    return this.rowOf(element)?.tooltip ?? '';
  }

  /** VS Code asks for a row's tooltip when a hover opens on it: made now, and the row holds still meanwhile. */
  resolveTreeItem(item: vscode.TreeItem, element: string): vscode.TreeItem {
    this.holdForHover(element);
    const markdown = new vscode.MarkdownString(this.tooltipOf(element));
    markdown.supportThemeIcons = false;
    item.tooltip = markdown;
    return item;
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
        const tooltip = this.tooltipOf(element);
        const label = typeof item.label === 'object' ? item.label.label : (item.label ?? '');
        return { label, description: String(item.description ?? ''), tooltip, contextValue: item.contextValue ?? '' };
      },
    };
  }

  /** A row's text as the tree shows it (tests read it through the extension API). */
  rowText(symbol: string): { label: string; description: string; tooltip: string } | undefined {
    const row = this.model.row(symbol, this.context());
    return row && { label: row.label, description: row.description, tooltip: row.tooltip };
  }

  /** A row without its tooltip (resolveTreeItem makes it when a hover opens). */
  getTreeItem(symbol: string): vscode.TreeItem {
    const group = this.organiser?.groupItem(symbol);
    if (group !== undefined) {
      this.drawn.set(symbol, this.signatureOf(symbol));
      group.tooltip = undefined;
      return group;
    }
    const row = this.rowOf(symbol);
    if (!row) return new vscode.TreeItem(symbol);
    const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
    item.id = row.id;
    item.description = row.description;
    item.iconPath = new vscode.ThemeIcon(row.iconId, new vscode.ThemeColor(row.colorId));
    item.contextValue = this.contextValueOf(row);
    this.drawn.set(symbol, [row.label, row.description, row.iconId, row.colorId, item.contextValue].join('\n'));
    item.accessibilityInformation = { label: `${row.label}, ${row.description}` };
    item.command = { command: Command.OpenInTicker, title: vscode.l10n.t('Open in Ticker'), arguments: [symbol] };
    return item;
  }

  /** Creates the watchlist tree for `feed`, drawn from `frames`, and follows the events and settings its rows depend on. */
  static register(
    context: vscode.ExtensionContext,
    feed: MarketFeed,
    config: Config,
    log: Logger,
    frames: QuoteFrames,
    organiser?: WatchlistOrganiser,
  ): WatchlistTreeProvider {
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
          shown: feed.feedTime,
          // "live", "every N s", "as of HH:MM", "closed: holiday", "price unavailable" (rowState.ts).
          rowState: (symbol) =>
            rowStateText(
              {
                origin: feed.model.origin(symbol),
                mode: feed.rowMode(symbol),
                marketOpen: open,
                tradesNow: tradesExpectedNow(day),
                holiday,
                problem: feed.restProblem(symbol),
                retryAt: feed.restRetryAt(symbol),
                streaming,
                shown: feed.feedTime,
                auctionTime: frames.current.quote(symbol)?.expected?.time,
              },
              vscode.l10n.t,
            ),
        };
      },
      { quote: (symbol) => frames.current.quote(symbol) },
      log.child('watchlist'),
      organiser,
    );
    // No phase beside the title: at the default sidebar width the view's buttons leave it one letter. The
    // status bar and the sidebar ticker's title say it (ticker.ts).
    tree.setSymbols(feed.symbols);
    context.subscriptions.push(
      tree,
      frames.onFrame(({ changed }) => tree.applyFrame(changed)),
      feed.onGap((gap) => tree.refreshRow(gap.trKey)),
      feed.onDidChangePhase(() => tree.refreshAll()),
      feed.onDidChangeWatchlist((symbols) => tree.setSymbols(symbols)),
      feed.onDidChangeState((state) => tree.setActive(state === 'running')),
      feed.onAgentState(() => tree.refreshAll()), // live or not: every row's colour depends on it
      feed.onDidResetModel(() => {
        tree.model.clearQuotes();
        tree.refreshAll();
      }),
      config.onDidChange(({ changed }) => {
        if (changed.has('colorConvention') || changed.has('staleAfterSeconds')) tree.refreshAll();
      }),
    );
    return tree;
  }
}
