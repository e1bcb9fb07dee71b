/**
 * The ticker wired into VS Code and the application core: the sidebar view, the serializer that brings a
 * ticker panel back after a restart, and the feed and frame events the ticker follows. Everything it shows
 * comes from the feed's read model, so a replay after a disconnect still has the bars and books.
 */
import * as vscode from 'vscode';
import { View } from '../../constants';
import type { Config } from '../../config';
import type { MarketFeed } from '../../feed';
import type { QuoteFrames } from '../quoteFrame';
import { TICKER_PANEL_VIEW_TYPE, TickerViewProvider } from './ticker';
import { feedTickerHost, phaseWords } from './tickerHost';

/** Registers the ticker view, the panel serializer and the feed events it follows. */
export function registerTicker(
  context: vscode.ExtensionContext,
  feed: MarketFeed,
  config: Config,
  log: vscode.LogOutputChannel,
  frames: QuoteFrames,
): TickerViewProvider {
  const ticker = new TickerViewProvider(context.extensionUri, feedTickerHost(feed, config, frames), log);
  const describePhase = (): void => ticker.setPhase(phaseWords(feed, vscode.l10n.t));
  describePhase();
  context.subscriptions.push(
    feed.onDidChangePhase(describePhase),
    feed.onDidChangeState(describePhase),
    config.onDidChange(describePhase),
    ticker,
    vscode.window.registerWebviewViewProvider(View.Ticker, ticker),
    // A ticker panel left open survives a restart of VS Code.
    vscode.window.registerWebviewPanelSerializer(TICKER_PANEL_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => ticker.restorePanel(panel),
    }),
    // What changed is noted as it arrives and drawn with the next frame, the list views' instant; REST
    // quotes come as no snapshot, but they make a frame too (quoteFrame.ts).
    feed.onSnapshot((snapshot) => ticker.onSnapshot(snapshot)),
    frames.onFrame(({ changed }) => ticker.drawFrame(changed)),
    feed.onDidChangeState((state) => state === 'running' && ticker.refreshCharts()),
    feed.onDidChangeWatchlist((symbols) => ticker.onWatchlistChanged([...symbols])),
    // The feed dropped the old source's data; the ticker must not keep showing it.
    feed.onDidResetModel(() => ticker.replay()),
  );
  return ticker;
}
