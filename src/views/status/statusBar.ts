/**
 * The status bar item (`kisMarket.status`). Its content comes from the pure `statusView()`; this file
 * only owns the item, the refresh throttle and the 1 s tick that keeps rates and countdowns current
 * while a session runs. Click: Show Connection Details.
 */
import * as vscode from 'vscode';
import { Command, STATUS_BAR_ID } from '../../constants';
import { Disposable, toDisposable } from '../../common/lifecycle';
import { Throttle } from '../../common/throttle';
import type { Logger } from '../../common/logger';
import type { Config } from '../../config';
import type { MarketFeed } from '../../feed';
import { statusView, type StatusInput, type StatusView } from './statusBarModel';
import { statusInputOf } from './statusInput';

const REFRESH_MS = 200;
const TICK_MS = 1000;

export class StatusBar extends Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly throttle: Throttle;
  private timer: NodeJS.Timeout | undefined;
  private last: StatusView | undefined;

  constructor(
    private readonly input: () => StatusInput,
    log: Logger,
  ) {
    super();
    this.item = this._register(vscode.window.createStatusBarItem(STATUS_BAR_ID, vscode.StatusBarAlignment.Left, 100));
    this.item.name = vscode.l10n.t('KIS Market Monitor');
    this.item.command = Command.ShowConnectionDetails;
    this.throttle = this._register(
      new Throttle(
        () => this.render(),
        REFRESH_MS,
        (error) => log.error('Status bar update failed', error),
      ),
    );
    this._register(toDisposable(() => this.setTicking(false)));
    this.render();
    this.item.show();
  }

  /** Asks for a redraw (throttled). */
  update(): void {
    this.throttle.schedule();
  }

  /** Keeps redrawing every second (while a session runs: rates and countdowns move on their own). */
  setTicking(on: boolean): void {
    if (on && !this.timer) {
      this.timer = setInterval(() => this.throttle.schedule(), TICK_MS);
    } else if (!on && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** The text and plain tooltip as last drawn (for the extension API). */
  current(): { text: string; tooltip: string } {
    const view = this.last ?? this.render();
    return { text: view.text, tooltip: view.tooltipPlain };
  }

  /** Draws now and returns what was drawn. */
  render(): StatusView {
    const view = statusView(this.input());
    this.last = view;
    this.item.text = view.text;
    const tooltip = new vscode.MarkdownString(view.tooltipMarkdown);
    tooltip.supportThemeIcons = true;
    this.item.tooltip = tooltip;
    this.item.backgroundColor =
      view.background === 'warning'
        ? new vscode.ThemeColor('statusBarItem.warningBackground')
        : view.background === 'error'
          ? new vscode.ThemeColor('statusBarItem.errorBackground')
          : undefined;
    this.item.accessibilityInformation = { label: view.tooltipPlain.split('\n')[0] ?? view.text };
    return view;
  }

  /** Creates the status bar for `feed`, redrawn on every feed event that changes what it says. */
  static register(context: vscode.ExtensionContext, feed: MarketFeed, config: Config, log: Logger): StatusBar {
    const bar = new StatusBar(statusInputOf(feed, config), log.child('status'));
    const update = (): void => bar.update();
    context.subscriptions.push(
      bar,
      feed.onDidChangeWatchlist(update),
      feed.onDidChangePhase(update),
      feed.onDidChangeState((state) => {
        bar.setTicking(state === 'running');
        bar.update();
      }),
      feed.onAgentState(update),
      feed.sharing.onDidChange(update),
      feed.onProblem(update),
      config.onDidChange(update),
    );
    return bar;
  }
}
