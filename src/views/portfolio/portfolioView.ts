/**
 * Wires holdings, alerts and privacy mode into the views: dresses the watchlist rows, keeps a portfolio
 * status bar item (totals per currency), turns the worker's alert events into notifications (held while
 * privacy mode is on, shown when it is turned off), and covers the ticker in privacy mode.
 */
import * as vscode from 'vscode';
import { Command } from '../../constants';
import { Disposable } from '../../common/lifecycle';
import type { Logger } from '../../common/logger';
import type { MarketFeed } from '../../feed';
import { currencyOfSymbol, portfolioTotals } from '../../market/portfolio';
import { displayName } from '../../market/symbolInput';
import type { AlertEvent } from '../../shared/snapshot';
import type { PortfolioApi } from '../../shared/extensionApi';
import { checkAlertRule, type AlertKind } from '../../market/alertRules';
import type { PortfolioState } from './portfolioState';
import { alertWords, decorateRow, portfolioText, portfolioTooltip } from './portfolioRows';
import type { WatchlistTreeProvider } from '../watchlist/watchlist';
import type { QuoteFrames } from '../quoteFrame';

/** Where privacy mode covers the ticker (TickerViewProvider). */
export interface PrivacyTarget {
  setPrivacy(on: boolean): void;
  readonly privacyShown: boolean;
}

/** Status bar item id of the portfolio totals. */
export const PORTFOLIO_STATUS_ID = 'kisMarket.portfolio';

/** See the file comment. */
export class PortfolioView extends Disposable {
  private readonly item: vscode.StatusBarItem;
  private held: AlertEvent[] = [];
  /** Every notification shown, in order (the extension API exposes it to the integration tests). */
  readonly notified: string[] = [];

  constructor(
    private readonly frames: Pick<QuoteFrames, 'current'>,
    private readonly state: PortfolioState,
    private readonly log: Logger,
  ) {
    super();
    this.item = this._register(
      vscode.window.createStatusBarItem(PORTFOLIO_STATUS_ID, vscode.StatusBarAlignment.Left, 99),
    );
    this.item.name = vscode.l10n.t('KIS portfolio');
    this.item.command = Command.SetHolding;
    this.render();
  }

  /** Redraws the portfolio item from the current frame (hidden with no priced holding, or in privacy mode). */
  render(): { text: string; tooltip: string } {
    const frame = this.frames.current;
    const totals = portfolioTotals(this.state.holdings, (s) => frame.quote(s));
    const text = portfolioText(totals, this.state.privacy);
    const tooltip = text === '' ? '' : portfolioTooltip(totals, vscode.l10n.t);
    this.item.text = text;
    this.item.tooltip = tooltip;
    if (text === '') this.item.hide();
    else this.item.show();
    return { text, tooltip };
  }

  /** The portfolio item as drawn ('' when hidden). */
  current(): { text: string; tooltip: string } {
    return { text: this.item.text, tooltip: typeof this.item.tooltip === 'string' ? this.item.tooltip : '' };
  }

  /**
   * Alerts of a snapshot: each logged (one line), then shown (one notification), or held while privacy mode
   * is on. A once-only rule that fired is turned off in the store, which the Alerts view shows.
   */
  onAlerts(alerts: readonly AlertEvent[]): void {
    for (const a of alerts) {
      this.log.info(
        `Alert fired: ${a.symbol} ${a.kind} ${a.threshold} at ${a.price} (${a.rate} %) ${a.time} KST${a.once === true ? '; once only, turned off' : ''}`,
      );
      if (a.once === true) void this.state.setAlertDisabled(a.ruleId, true);
      if (this.state.privacy) this.held.push(a);
      else this.notify(a);
    }
  }

  /** Privacy mode changed: redraw, and show what was held when it ends. */
  onPrivacy(on: boolean): void {
    this.render();
    if (on) return;
    const held = this.held;
    this.held = [];
    for (const a of held) this.notify(a);
  }

  /** Alerts held by privacy mode, not yet shown. */
  get heldCount(): number {
    return this.held.length;
  }

  private notify(a: AlertEvent): void {
    const t = vscode.l10n.t;
    const name = displayName(a.symbol, vscode.env.language);
    const message =
      a.once === true
        ? t('Alert: {0} ({1}) {2} (once only: now off)', name, a.symbol, alertWords(a, t))
        : t('Alert: {0} ({1}) {2}', name, a.symbol, alertWords(a, t));
    this.notified.push(message);
    const open = t('Open in Ticker');
    void vscode.window.showInformationMessage(message, open).then((choice) => {
      if (choice === open) void vscode.commands.executeCommand(Command.OpenInTicker, a.symbol);
    });
  }

  /** Creates the view and follows the feed, its frames and the state. */
  static register(
    context: vscode.ExtensionContext,
    feed: MarketFeed,
    frames: QuoteFrames,
    state: PortfolioState,
    watchlist: WatchlistTreeProvider,
    ticker: PrivacyTarget,
    log: Logger,
  ): PortfolioView {
    const view = new PortfolioView(frames, state, log);
    // The row's P&L reads the frame the row was drawn from, as the item does: one price for both.
    watchlist.setRowDecorator((row) =>
      decorateRow(row, {
        holding: state.holding(row.symbol),
        quote: frames.current.quote(row.symbol),
        privacy: state.privacy,
        alerts: state.rulesOf(row.symbol).length,
        t: vscode.l10n.t,
      }),
    );
    ticker.setPrivacy(state.privacy);
    context.subscriptions.push(
      view,
      feed.onSnapshot((snapshot) => {
        if (snapshot.alerts.length > 0) view.onAlerts(snapshot.alerts);
      }),
      // The item redraws with every frame, the same tick as the rows.
      frames.onFrame(() => view.render()),
      state.onDidChangeHoldings(() => {
        view.render();
        watchlist.refreshAll();
      }),
      state.onDidChangeAlerts(() => watchlist.refreshAll()),
      state.onDidChangePrivacy((on) => {
        view.onPrivacy(on);
        ticker.setPrivacy(on);
        watchlist.refreshAll();
      }),
    );
    return view;
  }
}

/** The extension API's view of holdings, alerts and privacy mode (integration tests). */
export function portfolioApi(
  state: PortfolioState,
  view: PortfolioView,
  watchlist: WatchlistTreeProvider,
  ticker: PrivacyTarget,
): PortfolioApi {
  return {
    setHolding: async (symbol, quantity, averageCost) =>
      void (await state.setHolding(symbol, { symbol, quantity, averageCost, currency: currencyOfSymbol(symbol) })),
    addAlert: async (symbol, kind, threshold) => {
      const checked = checkAlertRule(symbol, kind, threshold);
      if (!checked.ok) return checked.message;
      await state.putAlert({
        id: `${symbol}-${kind}-${threshold}`,
        symbol,
        kind: kind as AlertKind,
        threshold: checked.threshold,
      });
      return undefined;
    },
    alertIds: () => state.current().map((r) => r.id),
    setPrivacy: (on) => state.setPrivacy(on),
    row: (symbol) => {
      const item = watchlist.getTreeItem(symbol);
      // The tooltip is made on demand (when a hover opens), from the same frame as the row.
      const tooltip = watchlist.tooltipOf(symbol);
      return {
        label: String(typeof item.label === 'object' ? item.label.label : (item.label ?? '')),
        description: String(item.description ?? ''),
        tooltip,
      };
    },
    statusText: () => view.current().text,
    notified: () => [...view.notified],
    held: () => view.heldCount,
    tickerCovered: () => ticker.privacyShown,
  };
}
