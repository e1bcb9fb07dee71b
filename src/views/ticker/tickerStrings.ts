/** The ticker webview's strings (localized here: the webview has no l10n API) and its one own setting. */
import * as vscode from 'vscode';
import { CONFIG_SECTION, Setting } from '../../constants';
import type { TickerStrings } from '../../shared/webviewProtocol';

/** Every user-visible string of the ticker page, in the UI language. */
export function tickerStrings(): TickerStrings {
  return {
    emptyTitle: vscode.l10n.t('No symbols on the watchlist.'),
    emptyHint: vscode.l10n.t('Subscribe to a symbol with KIS: Subscribe…'),
    unsubscribe: vscode.l10n.t('Unsubscribe'),
    openPanel: vscode.l10n.t('Open Ticker in Editor'),
    name: vscode.l10n.t('Name'),
    last: vscode.l10n.t('Last'),
    change: vscode.l10n.t('Change'),
    volume: vscode.l10n.t('Volume'),
    bid: vscode.l10n.t('Bid'),
    ask: vscode.l10n.t('Ask'),
    halted: vscode.l10n.t('Halted'),
    noBars: vscode.l10n.t('No trades yet for this symbol.'),
    attribution: vscode.l10n.t('Charts by TradingView Lightweight Charts™'),
    viewMinute: vscode.l10n.t('1m'),
    viewDaily: vscode.l10n.t('1D'),
    historyLoading: vscode.l10n.t('Loading today’s history…'),
    historyUnavailable: vscode.l10n.t('History unavailable: showing live bars only.'),
    historyDay: vscode.l10n.t('Last trading day: {0}'),
    weekdays: vscode.l10n.t('Sun Mon Tue Wed Thu Fri Sat'),
    historyNoUs: vscode.l10n.t('No minute history for US stocks: showing live bars only.'),
    vwap: vscode.l10n.t('VWAP'),
    strength: vscode.l10n.t('Strength'),
    volumeRatio: vscode.l10n.t('Vol vs yday'),
    orderBook: vscode.l10n.t('Order book'),
    askSize: vscode.l10n.t('Ask size'),
    price: vscode.l10n.t('Price'),
    bidSize: vscode.l10n.t('Bid size'),
    total: vscode.l10n.t('Total'),
    imbalance: vscode.l10n.t('Imbalance {0}'),
    expected: vscode.l10n.t('Expected'),
    crossedBook: vscode.l10n.t('Crossed book: bid at or above ask, drawn as sent'),
    fewerLevels: vscode.l10n.t('Fewer levels than usual, drawn as sent'),
    lastTrade: vscode.l10n.t('last trade'),
    venueUnified: vscode.l10n.t('KRX+NXT'),
  };
}

/** `kisMarket.ticker.extraColumns`: the rows' optional line (체결강도, volume ratio, VWAP). */
export function tickerExtraColumns(): boolean {
  return vscode.workspace.getConfiguration(CONFIG_SECTION).get<unknown>(Setting.tickerExtraColumns) === true;
}
