/**
 * One index in the status bar (setting `kisMarket.statusBarIndex`, off by default): its value and rate,
 * redrawn with each view frame (quoteFrame.ts) that brings a new quote of it, so it says what the index's
 * watchlist row says at the same instant. Text and tooltip
 * come from the pure `statusBarIndexText` (intlRows.ts). It subscribes nothing itself: the index streams
 * while it is on the watchlist, so the item costs no registration of the 41. Click: open it in the ticker.
 */
import * as vscode from 'vscode';
import { Command } from '../../constants';
import { Disposable } from '../../common/lifecycle';
import type { Logger } from '../../common/logger';
import type { Config } from '../../config';
import type { QuoteState } from '../../shared/snapshot';
import { statusBarIndexText, statusBarIndexTooltip } from '../watchlist/intlRows';
import type { QuoteFrames } from '../quoteFrame';

/** The status-bar index item. */
export class StatusBarIndex extends Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor(
    private readonly code: () => string,
    private readonly quote: (code: string) => QuoteState | undefined,
    private readonly log: Logger,
  ) {
    super();
    // Just right of the connection item (priority 100).
    this.item = this._register(
      vscode.window.createStatusBarItem('kisMarket.statusIndex', vscode.StatusBarAlignment.Left, 99),
    );
    this.item.name = vscode.l10n.t('KIS index');
    this.render();
  }

  /** Redraws when a new frame brought the shown index (`changed`: the symbols with a new quote), or on a full frame. */
  applyFrame(changed: ReadonlySet<string>, full = false): void {
    const code = this.code();
    if (code === 'off' || (!full && !changed.has(code))) return;
    try {
      this.render();
    } catch (error) {
      this.log.error('Status-bar index update failed', error);
    }
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

  /** Creates the item, drawn from `frames`, and follows the setting. */
  static register(context: vscode.ExtensionContext, frames: QuoteFrames, config: Config, log: Logger): StatusBarIndex {
    const item = new StatusBarIndex(
      () => config.current.statusBarIndex,
      (code) => frames.current.quote(code),
      log.child('statusIndex'),
    );
    context.subscriptions.push(
      item,
      frames.onFrame(({ changed, full }) => item.applyFrame(changed, full)),
      config.onDidChange(({ changed }) => {
        if (changed.has('statusBarIndex')) item.render();
      }),
    );
    return item;
  }
}
