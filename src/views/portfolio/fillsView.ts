/**
 * The Fills view and what a fill does in the editor: today's fills and order events, newest first (the
 * FillBook merges the live notices with the day's orders read by REST at each session start); a
 * notification per fill or refusal, held while privacy mode is on (as alerts are) and shown when it ends;
 * and an imported holding that follows the fills (a hand-entered one is the user's figure, left alone).
 */
import * as vscode from 'vscode';
import { View } from '../../constants';
import { Disposable } from '../../common/lifecycle';
import type { Logger } from '../../common/logger';
import { FillBook, loadDailyOrders, type FillRow, type MarketFeed } from '../../feed';
import type { FillNotice } from '../../shared/snapshot';
import type { FillsApi } from '../../shared/extensionApi';
import { displayName } from '../../market/symbolInput';
import { formatKstDate } from '../../market/time';
import type { Holding } from '../../market/portfolio';
import type { PortfolioState } from './portfolioState';
import { fillRowText, fillToast, holdingAfterFill } from './fillTexts';
import { endpointOf, storedAccount, type BalanceImportDeps } from './balanceImportCommand';

/** See the file comment. */
export class FillsView extends Disposable implements vscode.TreeDataProvider<string> {
  private readonly changeEmitter = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeTreeData = this.changeEmitter.event;
  readonly book = new FillBook();
  /** Every notification shown, in order (the extension API exposes it to the tests). */
  readonly notified: string[] = [];
  private held: FillRow[] = [];
  /** The KST day the book holds; a new day starts an empty book. */
  private day = '';

  constructor(
    private readonly state: Pick<PortfolioState, 'privacy' | 'imported' | 'setImported' | 'holdings'>,
    private readonly log: Logger,
    private readonly today: () => string,
  ) {
    super();
  }

  getChildren(element?: string): string[] {
    return element === undefined ? this.book.rows().map((r) => r.key) : [];
  }

  getTreeItem(key: string): vscode.TreeItem {
    const row = this.book.row(key);
    const item = new vscode.TreeItem(key);
    if (row === undefined) return item;
    const text = fillRowText(row, this.nameOf(row), this.state.privacy, vscode.l10n.t);
    item.id = key;
    item.label = text.label;
    item.description = text.description;
    item.tooltip = text.tooltip;
    item.contextValue = `fill.${row.status}`;
    item.iconPath = new vscode.ThemeIcon(
      row.status === 'refused'
        ? 'error'
        : row.status === 'cancelled'
          ? 'circle-slash'
          : row.side === 'buy'
            ? 'arrow-down'
            : 'arrow-up',
    );
    return item;
  }

  /**
   * Notices of a snapshot: each row added is logged (by order number and status only), followed by the
   * imported holding, and notified (or held by privacy mode). `tell` is false in a window that follows
   * another's session: the holdings are shared, so only the window that runs the session applies and tells.
   */
  onNotices(notices: readonly FillNotice[], tell = true): void {
    this.startDay();
    const { added, repeats } = this.book.addNotices(notices);
    if (repeats > 0) this.log.info(`${repeats} repeated notice(s) dropped`);
    if (added.length > 0) this.changeEmitter.fire();
    if (!tell) return;
    for (const row of added) {
      this.log.info(`Order ${row.orderNo}: ${row.status}`);
      void this.follow(row);
      if (fillToast(row, '', vscode.l10n.t) === undefined) continue;
      if (this.state.privacy) this.held.push(row);
      else this.notify(row);
    }
  }

  /** Privacy mode changed: redraw (quantities and prices are covered), and show what was held when it ends. */
  onPrivacy(on: boolean): void {
    this.changeEmitter.fire();
    if (on) return;
    const held = this.held;
    this.held = [];
    for (const row of held) this.notify(row);
  }

  /** Notifications held by privacy mode. */
  get heldCount(): number {
    return this.held.length;
  }

  /** Merges the day's orders read by REST (the view is complete after a restart). */
  onOrders(orders: Parameters<FillBook['addOrders']>[0]): void {
    this.startDay();
    if (this.book.addOrders(orders) > 0) this.changeEmitter.fire();
  }

  private startDay(): void {
    const day = this.today();
    if (day === this.day) return;
    this.day = day;
    this.book.clear();
    this.held = [];
  }

  private nameOf(row: FillRow): string {
    const known = displayName(row.symbol, vscode.env.language);
    return known !== row.symbol ? known : row.name || row.symbol;
  }

  private notify(row: FillRow): void {
    const message = fillToast(row, this.nameOf(row), vscode.l10n.t);
    if (message === undefined) return;
    this.notified.push(message);
    if (row.status === 'refused') void vscode.window.showWarningMessage(message);
    else void vscode.window.showInformationMessage(message);
  }

  /** An imported holding follows a live fill (fills read by REST are already in the imported balance). */
  private async follow(row: FillRow): Promise<void> {
    if (row.origin !== 'notice') return;
    // A hand-entered holding of the symbol is what the user sees: leave both alone.
    const shown = this.state.holdings.find((h) => h.symbol === row.symbol);
    if (shown !== undefined && shown.imported !== true) return;
    const imported = this.state.imported;
    const current = imported.find((h) => h.symbol === row.symbol);
    const next = holdingAfterFill(current, row);
    if (next === undefined) return;
    const others: Holding[] = imported.filter((h) => h.symbol !== row.symbol);
    await this.state.setImported(next === null ? others : [...others, next]);
  }

  /** Creates the view, follows the feed's snapshots and privacy mode, and reads the day's orders at each start. */
  static register(
    context: vscode.ExtensionContext,
    feed: MarketFeed,
    state: PortfolioState,
    account: BalanceImportDeps,
    log: Logger,
  ): FillsView {
    const view = new FillsView(state, log, () => formatKstDate(new Date(feed.feedTime())));
    context.subscriptions.push(
      view,
      vscode.window.createTreeView(View.Fills, { treeDataProvider: view }),
      feed.onSnapshot((snapshot) => {
        if (snapshot.fills !== undefined && snapshot.fills.length > 0) view.onNotices(snapshot.fills, feed.runsSession);
      }),
      state.onDidChangePrivacy((on) => view.onPrivacy(on)),
      feed.onDidChangeState((s) => {
        if (s === 'running') void view.loadToday(account);
      }),
    );
    return view;
  }

  /** What the tests read (the extension API). */
  api(simulatorRestUrl: () => string | undefined): FillsApi {
    return {
      rows: () =>
        this.getChildren().map((key) => {
          const item = this.getTreeItem(key);
          return { label: String(item.label ?? ''), description: String(item.description ?? '') };
        }),
      notified: () => [...this.notified],
      held: () => this.heldCount,
      simulatorRestUrl,
    };
  }

  /** Reads today's orders of the stored account (none stored: the notices alone). Failures are logged. */
  async loadToday(deps: BalanceImportDeps): Promise<void> {
    const source = deps.config.current.dataSource;
    if (source === 'replay') return;
    const account = await storedAccount(deps.secrets, source);
    if (account === undefined) return;
    const endpoint = await endpointOf(deps, source);
    if (typeof endpoint === 'string') return;
    const outcome = await loadDailyOrders(endpoint, account, this.today());
    if (!outcome.ok) {
      this.log.warn(`Today's orders could not be read: ${outcome.code}`);
      return;
    }
    this.log.info(`Today's orders read: ${outcome.orders.length} (${outcome.pages} pages)`);
    this.onOrders(outcome.orders);
  }
}
