/**
 * One index in the status bar (issue 16, setting `kisMarket.statusBarIndex`, off by default): its value and
 * rate, from the feed's read model, redrawn on a throttle when that index's quote changes. Text and tooltip
 * come from the pure `statusBarIndexText` (intlRows.ts). It subscribes nothing itself: the index streams
 * while it is on the watchlist, so the item costs no registration of the 41. Click: open it in the ticker.
 */
import * as vscode from 'vscode';
import { Command } from '../constants';
import { Disposable } from '../common/lifecycle';
import { Throttle } from '../common/throttle';
import type { Logger } from '../common/logger';
import type { Config } from '../config';
import type { MarketFeed } from '../feed';
import type { QuoteState } from '../shared/snapshot';
import { statusBarIndexText, statusBarIndexTooltip } from './intlRows';

const REFRESH_MS = 500;

/** The status-bar index item. */
export class StatusBarIndex extends Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly throttle: Throttle;

  constructor(
    private readonly code: () => string,
    private readonly quote: (code: string) => QuoteState | undefined,
    log: Logger,
  ) {
    super();
    // Just right of the connection item (priority 100).
    this.item = this._register(vscode.window.createStatusBarItem('kisMarket.statusIndex', vscode.StatusBarAlignment.Left, 99));
    this.item.name = vscode.l10n.t('KIS index');
    this.throttle = this._register(new Throttle(() => this.render(), REFRESH_MS, (error) => log.error('Status-bar index update failed', error)));
    this.render();
  }

  /** Redraws when one of `quotes` is the shown index (throttled). */
  applyQuotes(quotes: readonly QuoteState[]): void {
    const code = this.code();
    if (code !== 'off' && quotes.some((q) => q.symbol === code)) this.throttle.schedule();
  }

  /** Redraws now (the setting changed). */
  render(): void {
    const code = this.code();
    if (code === 'off') {
      this.item.hide();
      return;
    }
    const quote = this.quote(code);
    this.item.text = `$(graph-line) ${statusBarIndexText(code, quote)}`;
    this.item.tooltip = statusBarIndexTooltip(code, quote, vscode.l10n.t);
    this.item.command = { command: Command.OpenInTicker, title: vscode.l10n.t('Open in Ticker'), arguments: [code] };
    this.item.show();
  }

  /** Creates the item for `feed` and follows its quotes and the setting. */
  static register(context: vscode.ExtensionContext, feed: MarketFeed, config: Config, log: Logger): StatusBarIndex {
    const item = new StatusBarIndex(() => config.current.statusBarIndex, (code) => feed.model.quote(code), log.child('statusIndex'));
    context.subscriptions.push(
      item,
      feed.onSnapshot((s) => item.applyQuotes(s.quotes)),
      feed.onRestQuotes((quotes) => item.applyQuotes(quotes)),
      feed.onDidResetModel(() => item.render()),
      config.onDidChange(({ changed }) => {
        if (changed.has('statusBarIndex')) item.render();
      }),
    );
    return item;
  }
}
