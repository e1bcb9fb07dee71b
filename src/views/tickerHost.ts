/**
 * The ticker's view of the application core: what a webview shows comes from the feed's read model (so a
 * replay after a disconnect still has the bars and books), and what the user does goes back to the feed.
 */
import * as vscode from 'vscode';
import type { Bar, OrderBookTop } from '../shared/snapshot';
import type { Config } from '../config';
import type { MarketFeed } from '../feed';
import { displayName } from '../market/symbolInput';
import { tickerExtraColumns } from './tickerStrings';
import type { TickerHost } from './ticker';

/** The TickerHost of `feed` (see the file comment). */
export function feedTickerHost(feed: MarketFeed, config: Config): TickerHost {
  return {
    currentState: () => {
      const symbols = feed.symbols;
      const names: Record<string, string> = {};
      const bars: Bar[] = [];
      const books: OrderBookTop[] = [];
      for (const s of symbols) {
        names[s] = displayName(s, vscode.env.language);
        bars.push(...feed.model.bars(s));
        const book = feed.model.book(s);
        if (book) books.push(book);
      }
      return { symbols, quotes: feed.model.quotesOf(symbols), bars, books, names, colorConvention: config.current.colorConvention, extraColumns: tickerExtraColumns() };
    },
    market: feed.model,
    chartHistory: (symbol, view) => feed.chartHistory(symbol, view),
    unsubscribe: (symbol) => void feed.remove(symbol),
    onSelect: (symbol) => feed.preferBook(symbol),
  };
}
