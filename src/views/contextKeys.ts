/** The `when`-clause context keys the menus depend on, kept in step with the feed and the settings. */
import * as vscode from 'vscode';
import { ContextKey } from '../constants';
import type { Config } from '../config';
import type { MarketFeed } from '../feed';

/** Sets the context keys now and on every change of what they reflect. */
export function registerContextKeys(context: vscode.ExtensionContext, feed: MarketFeed, config: Config): void {
  const set = (key: ContextKey, value: unknown): void => void vscode.commands.executeCommand('setContext', key, value);
  set(ContextKey.HasSymbols, feed.symbols.length > 0);
  set(ContextKey.Connected, false);
  set(ContextKey.DataSource, config.current.dataSource);
  context.subscriptions.push(
    feed.onDidChangeWatchlist((symbols) => set(ContextKey.HasSymbols, symbols.length > 0)),
    feed.onDidChangeState((state) => set(ContextKey.Connected, state === 'starting' || state === 'running')),
    config.onDidChange(({ current }) => set(ContextKey.DataSource, current.dataSource)),
  );
}
