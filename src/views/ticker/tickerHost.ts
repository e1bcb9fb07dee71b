/**
 * The ticker's view of the application core: what a webview shows comes from the feed's read model (so a
 * replay after a disconnect still has the bars and books) as of the views' current frame (quoteFrame.ts:
 * the price and book the watchlist and the status bar show now), and what the user does goes back to the feed.
 */
import * as vscode from 'vscode';
import type { Bar, OrderBookTop, QuoteState } from '../../shared/snapshot';
import type { ColorConvention } from '../../shared/webviewProtocol';
import type { Config } from '../../config';
import type { MarketFeed } from '../../feed';
import { displayName } from '../../market/symbolInput';
import { tickerExtraColumns } from './tickerStrings';
import type { Translate } from '../../common/translate';
import { shortPhase } from '../dayText';
import { sourceLabel } from '../status/statusBarModel';
import type { ChartSource } from './chartLoader';
import type { TickerMarket } from './tickerFeed';
import type { QuoteFrame } from '../quoteFrame';
import { barsAtFrame } from './tickerFrame';

/** What the ticker needs from the rest of the extension. */
export interface TickerHost {
  currentState(): {
    symbols: string[];
    quotes: QuoteState[];
    bars: Bar[];
    books: OrderBookTop[];
    names: Record<string, string>;
    colorConvention: ColorConvention;
    extraColumns?: boolean;
  };
  /**
   * The views' current frame of the feed's read model, the one the watchlist and the status bar draw: every
   * post to a webview carries its quote, book and bars of the symbols that changed, so every view shows one
   * price per instant.
   */
  market: TickerMarket;
  unsubscribe(symbol: string): void;
  /** Optional: the chart's REST history (`MarketFeed.chartHistory`); without it the chart is live only. */
  chartHistory?: ChartSource;
  /**
   * Optional: the user charted `symbol` in a ticker webview (a click, the keyboard, or the webview's own
   * first pick). The session can give that symbol the first claim on an order-book registration.
   */
  onSelect?(symbol: string): void;
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
      return {
        symbols,
        quotes,
        bars,
        books,
        names,
        colorConvention: config.current.colorConvention,
        extraColumns: tickerExtraColumns(),
      };
    },
    market: {
      quote,
      book,
      barAt: (symbol, time) => feed.model.barAt(symbol, time),
      lastBar: (symbol) => feed.model.lastBar(symbol),
    },
    // The minute history is the model's bars as of its answer, newer than the frame the header draws.
    chartHistory: async (symbol, view) => {
      const outcome = await feed.chartHistory(symbol, view);
      return outcome.state === 'ready' && view === 'minute'
        ? { ...outcome, bars: barsAtFrame(outcome.bars, quote(symbol)) }
        : outcome;
    },
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
