/**
 * The webview's side of the chart's REST history, without the DOM: which view the chart shows
 * (today's minutes or daily candles), where each symbol's history stands (loading, ready, unavailable)
 * and the daily candles received. The minute bars themselves live with the live ones in the model.
 */
import type { Bar } from '../shared/snapshot';
import { fromBarColumns, type ChartDataMessage, type ChartView, type HistoryState } from '../shared/webviewProtocol';

/** Chart view and history states of every symbol (see the file comment). */
export class ChartState {
  private _view: ChartView = 'minute';
  private readonly states: Record<ChartView, Map<string, HistoryState>> = { minute: new Map(), daily: new Map() };
  private readonly daily = new Map<string, Bar[]>();
  /** The past trading day a symbol's minute history is of, or its notice (the last ready message's). */
  private readonly minuteLabels = new Map<string, Pick<ChartDataMessage, 'day' | 'notice'>>();

  /** The view the chart shows. */
  get view(): ChartView {
    return this._view;
  }

  /** Switches the view; false when it was already shown. */
  setView(view: ChartView): boolean {
    if (view === this._view) return false;
    this._view = view;
    return true;
  }

  /** Where `symbol`'s history of `view` stands (undefined: never asked). */
  stateOf(symbol: string, view: ChartView = this._view): HistoryState | undefined {
    return this.states[view].get(symbol);
  }

  /** The daily candles of `symbol`, oldest first (empty until they came). */
  dailyOf(symbol: string): readonly Bar[] {
    return this.daily.get(symbol) ?? [];
  }

  /**
   * Takes a validated `chartData` message. Returns the minute bars to put in place of the symbol's when
   * a minute history is ready (history merged with the live bars by the extension), else undefined.
   */
  apply(message: ChartDataMessage): Bar[] | undefined {
    this.states[message.view].set(message.symbol, message.state);
    if (message.view === 'minute' && message.state === 'ready')
      this.minuteLabels.set(message.symbol, { day: message.day, notice: message.notice });
    if (message.state !== 'ready' || message.bars === undefined) return undefined;
    const bars = fromBarColumns(message.symbol, message.bars).sort((a, b) => a.time - b.time);
    if (message.view === 'daily') {
      this.daily.set(message.symbol, bars);
      return undefined;
    }
    return bars;
  }

  /** The past trading day (YYYYMMDD) and the notice of `symbol`'s minute history. */
  minuteLabelOf(symbol: string): Pick<ChartDataMessage, 'day' | 'notice'> {
    return this.minuteLabels.get(symbol) ?? {};
  }

  /** Forgets every symbol not in `known` (the watchlist changed). */
  retain(known: ReadonlySet<string>): void {
    for (const map of [this.states.minute, this.states.daily, this.daily, this.minuteLabels]) {
      for (const symbol of map.keys()) if (!known.has(symbol)) map.delete(symbol);
    }
  }

  /** Forgets every state (an `init` replaces the data; the extension re-sends the states after it). */
  clear(): void {
    this.states.minute.clear();
    this.states.daily.clear();
    this.daily.clear();
    this.minuteLabels.clear();
  }
}
