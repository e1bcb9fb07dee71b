/**
 * The selected symbol's chart: one-minute (or daily) candles with a volume histogram on an overlay scale
 * and the VWAP line (lightweight-charts v5), themed from VS Code's CSS variables, sized to its container.
 * The time axis is KST whatever the machine's zone (chartTime.ts).
 */
import {
  CandlestickSeries,
  ColorType,
  createChart,
  HistogramSeries,
  LineSeries,
  type CandlestickData,
  type HistogramData,
  type IChartApi,
  type ISeriesApi,
  type LineData,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import { formatStyledPrice, type PriceStyle } from '../market/formatKind';
import type { Bar } from '../shared/snapshot';
import type { ChartView } from '../shared/webviewProtocol';
import { formatCrosshair, formatTick } from './chartTime';
import { vwapPoints, withAlpha } from './model';

/** Colours and font of the chart, read from the theme (see `readChartTheme` in main.ts). */
export interface ChartTheme {
  text: string;
  grid: string;
  border: string;
  rise: string;
  fall: string;
  fontFamily: string;
  fontSize: number;
  /** The VWAP line's colour. */
  vwap: string;
}

/** Bars in view after a reset of the minute chart: four hours, the morning of a mid-session open. */
const MINUTE_SPAN = 240;
/** Empty bar slots kept right of the latest bar. */
const RIGHT_OFFSET = 2;

/** Volume bars are drawn translucent so that the candles above them stay readable. */
const VOLUME_ALPHA = 0.45;

function toCandle(bar: Bar): CandlestickData<UTCTimestamp> {
  return { time: bar.time as UTCTimestamp, open: bar.open, high: bar.high, low: bar.low, close: bar.close };
}

/** Chart time (KST as UTC seconds) of lightweight-charts' `Time` (always a UTCTimestamp here). */
function secondsOf(time: Time): number {
  return typeof time === 'number' ? time : 0;
}

/** Candles plus volume for one symbol at a time. */
export class PriceChart {
  private readonly chart: IChartApi;
  private readonly candles: ISeriesApi<'Candlestick'>;
  private readonly volume: ISeriesApi<'Histogram'>;
  private readonly vwap: ISeriesApi<'Line'>;
  private readonly resizeObserver: ResizeObserver;
  private view: ChartView = 'minute';
  private theme: ChartTheme;
  private bars: readonly Bar[] = [];
  private lastTime = Number.NEGATIVE_INFINITY;
  /** How the charted symbol's prices read (won, index points, dollars): the axis reads like its row. */
  private priceStyle: PriceStyle = 'krw';

  constructor(
    private readonly container: HTMLElement,
    theme: ChartTheme,
  ) {
    this.theme = theme;
    this.chart = createChart(container, {
      width: Math.max(1, container.clientWidth),
      height: Math.max(1, container.clientHeight),
      layout: {
        // Transparent: the page's own background (sidebar or editor) shows through, whatever the surface.
        background: { type: ColorType.Solid, color: 'transparent' },
        // The logo injects a <style> element, which our CSP (no 'unsafe-inline') refuses; the page shows a
        // text credit instead (see the attribution footer).
        attributionLogo: false,
      },
      localization: {
        priceFormatter: (price: number) => formatStyledPrice(price, this.priceStyle),
        timeFormatter: (time: Time) => formatCrosshair(secondsOf(time), this.view),
      },
      timeScale: {
        timeVisible: true,
        secondsVisible: false,
        rightOffset: RIGHT_OFFSET,
        tickMarkFormatter: (time: Time, tickType: number) => formatTick(secondsOf(time), tickType),
      },
      rightPriceScale: { scaleMargins: { top: 0.1, bottom: 0.28 } },
    });
    this.candles = this.chart.addSeries(CandlestickSeries, {
      borderVisible: false,
      priceFormat: { type: 'price', precision: 0, minMove: 1 },
    });
    // An empty priceScaleId puts the histogram on its own overlay scale, squeezed into the bottom fifth.
    this.volume = this.chart.addSeries(HistogramSeries, {
      priceScaleId: '',
      priceFormat: { type: 'volume' },
      lastValueVisible: false,
      priceLineVisible: false,
    });
    this.volume.priceScale().applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    this.vwap = this.chart.addSeries(LineSeries, {
      lineWidth: 1,
      priceLineVisible: false,
      lastValueVisible: false,
      crosshairMarkerVisible: false,
      priceFormat: { type: 'price', precision: 0, minMove: 1 },
    });
    this.applyTheme(theme);
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(container);
  }

  /** The charted symbol's price style: axis labels and the series' precision follow it. */
  setPriceStyle(style: PriceStyle): void {
    if (style === this.priceStyle) return;
    this.priceStyle = style;
    // Won move by whole units; index points and dollars by hundredths.
    const priceFormat =
      style === 'krw'
        ? { type: 'price' as const, precision: 0, minMove: 1 }
        : { type: 'price' as const, precision: 2, minMove: 0.01 };
    this.candles.applyOptions({ priceFormat });
    this.vwap.applyOptions({ priceFormat });
  }

  /** Replaces the data with `bars` (oldest first) of `view`; the view scrolls to the latest bar. */
  setBars(bars: readonly Bar[], view: ChartView = this.view): void {
    if (view !== this.view) {
      this.view = view;
      this.chart.applyOptions({ timeScale: { timeVisible: view === 'minute' } });
    }
    this.bars = bars;
    this.candles.setData(bars.map(toCandle));
    this.volume.setData(bars.map((bar) => this.toVolume(bar)));
    // The VWAP is the day's: a daily chart has none.
    this.vwap.setData(view === 'minute' ? (vwapPoints(bars) as LineData<UTCTimestamp>[]) : []);
    this.lastTime = bars.length > 0 ? bars[bars.length - 1].time : Number.NEGATIVE_INFINITY;
    // Show the day so far (history included) up to four hours of minutes, or all the daily candles, ending
    // at the latest bar; the user can still zoom and scroll.
    const span = Math.min(bars.length, view === 'minute' ? MINUTE_SPAN : bars.length);
    if (span > 1)
      this.chart
        .timeScale()
        .setVisibleLogicalRange({ from: bars.length - span - 0.5, to: bars.length - 0.5 + RIGHT_OFFSET });
    else this.chart.timeScale().scrollToRealTime();
  }

  /**
   * Applies bars at or after the last one shown (a tick in the current minute, or a new minute).
   * `all`: the symbol's full list, kept so that a theme change can recolour the volume.
   */
  updateBars(bars: readonly Bar[], all: readonly Bar[]): void {
    this.bars = all;
    for (const bar of bars) {
      if (bar.time < this.lastTime) {
        // Out of order: the series refuses it; redraw everything instead.
        this.setBars(all);
        return;
      }
      this.candles.update(toCandle(bar));
      this.volume.update(this.toVolume(bar));
      if (bar.vwap !== undefined && bar.vwap > 0) this.vwap.update({ time: bar.time as UTCTimestamp, value: bar.vwap });
      this.lastTime = bar.time;
    }
  }

  /** Recolours everything (theme or colour convention changed). */
  applyTheme(theme: ChartTheme): void {
    this.theme = theme;
    this.chart.applyOptions({
      layout: { textColor: theme.text, fontFamily: theme.fontFamily, fontSize: theme.fontSize },
      grid: { vertLines: { color: theme.grid }, horzLines: { color: theme.grid } },
      rightPriceScale: { borderColor: theme.border },
      timeScale: { borderColor: theme.border },
    });
    this.candles.applyOptions({
      upColor: theme.rise,
      downColor: theme.fall,
      wickUpColor: theme.rise,
      wickDownColor: theme.fall,
    });
    this.volume.setData(this.bars.map((bar) => this.toVolume(bar)));
    this.vwap.applyOptions({ color: theme.vwap });
  }

  /** Stops observing and removes the chart's DOM. */
  dispose(): void {
    this.resizeObserver.disconnect();
    this.chart.remove();
  }

  private resize(): void {
    const width = Math.floor(this.container.clientWidth);
    const height = Math.floor(this.container.clientHeight);
    if (width > 0 && height > 0) {
      this.chart.resize(width, height);
    }
  }

  private toVolume(bar: Bar): HistogramData<UTCTimestamp> {
    const color = bar.close >= bar.open ? this.theme.rise : this.theme.fall;
    return { time: bar.time as UTCTimestamp, value: bar.volume, color: withAlpha(color, VOLUME_ALPHA) };
  }
}
