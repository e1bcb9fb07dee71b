/**
 * The ticker's view of the application core: what a webview shows comes from the feed's read model (so a
 * replay after a disconnect still has the bars and books) as of the views' current frame (quoteFrame.ts:
 * the price and book the watchlist and the status bar show now), and what the user does goes back to the feed.
 */
import * as vscode from 'vscode';
import type { Bar, OrderBookTop, QuoteState } from '../shared/snapshot';
import type { Config } from '../config';
import type { MarketFeed } from '../feed';
import { displayName } from '../market/symbolInput';
import { tickerExtraColumns } from './tickerStrings';
import type { Translate } from '../common/translate';
import { shortPhase } from './dayText';
import { sourceLabel } from './statusBarModel';
import type { TickerHost } from './ticker';
import type { QuoteFrame } from './quoteFrame';

/**
 * `bars` with the last one's close at the frame's price: the model's bar may hold a trade newer than the
 * frame, and the chart's last candle must say what the header says.
 */
export function barsAtFrame(bars: readonly Bar[], quote: Pick<QuoteState, 'last'> | undefined): Bar[] {
  const last = bars.at(-1);
  if (last === undefined || quote === undefined || quote.last <= 0 || last.close === quote.last) return [...bars];
  const close = quote.last;
  return [...bars.slice(0, -1), { ...last, close, high: Math.max(last.high, close), low: Math.min(last.low, close) }];
}

/** The TickerHost of `feed`, drawing the quotes of `frames.current` (see the file comment). */
export function feedTickerHost(feed: MarketFeed, config: Config, frames: { readonly current: QuoteFrame }): TickerHost {
  const quote = (symbol: string): QuoteState | undefined => frames.current.quote(symbol);
  // The book of the frame too, never the model's newer one: a webview opened between two frames must show
  // the sizes the other ticker shows (both draw the frame's instant).
  const book = (symbol: string): OrderBookTop | undefined => frames.current.book(symbol);
  return {
    currentState: () => {
      const symbols = feed.symbols;
      const names: Record<string, string> = {};
      const bars: Bar[] = [];
      const books: OrderBookTop[] = [];
      for (const s of symbols) {
        names[s] = displayName(s, vscode.env.language);
        bars.push(...barsAtFrame(feed.model.bars(s), quote(s)));
        const b = book(s);
        if (b) books.push(b);
      }
      const quotes = symbols.flatMap((s) => quote(s) ?? []);
      return { symbols, quotes, bars, books, names, colorConvention: config.current.colorConvention, extraColumns: tickerExtraColumns() };
    },
    market: { quote, book, barAt: (symbol, time) => feed.model.barAt(symbol, time) },
    chartHistory: (symbol, view) => feed.chartHistory(symbol, view),
    unsubscribe: (symbol) => void feed.remove(symbol),
    onSelect: (symbol) => feed.preferBook(symbol),
  };
}

/**
 * The market phase in a word or two for the sidebar ticker's title: "demo", "closed", "regular session"
 * with the simulator (the default), the data source first otherwise ("Replay · closed").
 */
export function phaseWords(feed: Pick<MarketFeed, 'dayStatus' | 'source'>, t: Translate): string {
  const phase = shortPhase(feed.dayStatus(), t);
  return feed.source === 'simulator' ? phase : `${sourceLabel(feed.source, t)} · ${phase}`;
}
