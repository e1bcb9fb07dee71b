/**
 * A stand-in for `lightweight-charts` (it draws on a canvas, which the unit tests' DOM has not): records the
 * charts created, their options and each series' data, so a test reads what the chart was told to draw.
 * Installed by hooking the module resolution of `'lightweight-charts'`, like the vscode stand-in.
 */
import { mapModule } from '../../support/moduleHook';

/** A recorded series. */
export class FakeSeries {
  data: unknown[] = [];
  readonly updates: unknown[] = [];
  readonly options: unknown[] = [];
  readonly scaleOptions: unknown[] = [];
  constructor(
    readonly kind: string,
    /** The options the series was created with. */
    readonly created: unknown = {},
  ) {}
  setData(data: unknown[]): void {
    this.data = data;
  }
  update(point: unknown): void {
    this.updates.push(point);
  }
  applyOptions(options: unknown): void {
    this.options.push(options);
  }
  priceScale(): { applyOptions(options: unknown): void } {
    return { applyOptions: (options) => this.scaleOptions.push(options) };
  }
}

/** A recorded chart. */
export class FakeChart {
  readonly series: FakeSeries[] = [];
  readonly options: unknown[] = [];
  readonly sizes: Array<[number, number]> = [];
  scrolled = 0;
  /** Each `timeScale().setVisibleLogicalRange` call (a reset that shows a span of bars). */
  readonly ranges: Array<{ from: number; to: number }> = [];
  removed = false;
  constructor(
    readonly container: unknown,
    readonly initial: {
      width: number;
      height: number;
      localization?: { priceFormatter?(price: number): string; timeFormatter?(time: unknown): string };
      timeScale?: { tickMarkFormatter?(time: unknown, tickType: number): string };
    },
  ) {}
  addSeries(kind: { kind: string } | undefined, options: unknown = {}): FakeSeries {
    // A series type the stand-in does not export arrives as undefined: say which, rather than fail on `.kind`.
    if (kind === undefined) throw new Error('the chart stand-in has no such series type (add it to fakeModule)');
    const s = new FakeSeries(kind.kind, options);
    this.series.push(s);
    return s;
  }
  applyOptions(options: unknown): void {
    this.options.push(options);
  }
  timeScale(): { scrollToRealTime(): void; setVisibleLogicalRange(range: { from: number; to: number }): void } {
    return {
      scrollToRealTime: () => void this.scrolled++,
      setVisibleLogicalRange: (range) => void this.ranges.push(range),
    };
  }
  resize(width: number, height: number): void {
    this.sizes.push([width, height]);
  }
  remove(): void {
    this.removed = true;
  }
  /** The series of `kind` ('Candlestick', 'Histogram' or 'Line'). */
  of(kind: string): FakeSeries {
    const s = this.series.find((x) => x.kind === kind);
    if (!s) throw new Error(`no ${kind} series`);
    return s;
  }
}

/** Every chart created since the last `charts.length = 0`. */
export const charts: FakeChart[] = [];

const fakeModule = {
  CandlestickSeries: { kind: 'Candlestick' },
  HistogramSeries: { kind: 'Histogram' },
  LineSeries: { kind: 'Line' },
  ColorType: { Solid: 'solid', VerticalGradient: 'gradient' },
  createChart(container: unknown, options: FakeChart['initial']): FakeChart {
    const chart = new FakeChart(container, options);
    charts.push(chart);
    return chart;
  },
};

/** Makes `require('lightweight-charts')` return the stand-in (idempotent). */
export function installCharts(): void {
  mapModule('lightweight-charts', fakeModule);
}
installCharts();
