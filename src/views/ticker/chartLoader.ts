/**
 * The ticker chart's REST history on the extension side, without `vscode`: when a webview
 * charts a symbol (init, a selection, the view toggle) it gets `loading`, then the bars (`ready`) or
 * `unavailable`. The feed does the fetching and caching (src/feed/rest/chartHistory.ts); this only turns its
 * outcomes into `chartData` messages and counts the failures.
 */
import type { ChartOutcome, ChartProblemCode } from '../../feed';
import {
  toBarColumns,
  type ChartDataMessage,
  type ChartView,
  type TickerSurfaceKind,
} from '../../shared/webviewProtocol';

/** A webview that can take chart messages (a TickerChannel). */
export interface ChartTarget {
  postChart(message: ChartDataMessage): void;
  /** The symbol it charts. */
  readonly selected?: string;
}

/** The live webview of a surface, if any. */
export type TargetOf = (kind: TickerSurfaceKind) => ChartTarget | undefined;

/** Asks the feed for a symbol's chart data (`MarketFeed.chartHistory`). */
export type ChartSource = (symbol: string, view: ChartView) => Promise<ChartOutcome>;

/** Turns chart requests into `chartData` messages (see the file comment). */
export class ChartLoader {
  private failures = 0;

  constructor(
    private readonly source: ChartSource,
    private readonly onUnavailable: (symbol: string, view: ChartView, code: ChartProblemCode) => void,
  ) {}

  /** Chart requests that ended "history unavailable". */
  get unavailable(): number {
    return this.failures;
  }

  /** Minute history goes to every webview (the model's bars changed for all); daily only to the asking one. */
  showIn(kind: TickerSurfaceKind, symbol: string, view: ChartView, targetOf: TargetOf): void {
    const kinds: TickerSurfaceKind[] = view === 'minute' ? ['view', 'panel'] : [kind];
    void this.show(symbol, view, () => kinds.flatMap((k) => targetOf(k) ?? []));
  }

  /** Shows each webview's charted symbol again with its minute history (the source (re)started). */
  refresh(targetOf: TargetOf): void {
    for (const kind of ['view', 'panel'] as const) {
      const selected = targetOf(kind)?.selected;
      if (selected !== undefined) this.showIn(kind, selected, 'minute', targetOf);
    }
  }

  /**
   * Shows `view` of `symbol` in the targets: `loading` now, then the outcome. `targets` is read again when
   * the answer comes, so a webview shown meanwhile gets it and one disposed meanwhile does not.
   */
  async show(symbol: string, view: ChartView, targets: () => readonly ChartTarget[]): Promise<void> {
    const post = (message: ChartDataMessage): void => {
      for (const target of targets()) target.postChart(message);
    };
    post({ type: 'chartData', symbol, view, state: 'loading' });
    let outcome: ChartOutcome;
    try {
      outcome = await this.source(symbol, view);
    } catch {
      // The feed never rejects; should it, the chart must still leave "loading".
      outcome = { state: 'unavailable', code: 'BAD_RESPONSE' };
    }
    if (outcome.state === 'ready') {
      const { day, notice } = outcome;
      post({
        type: 'chartData',
        symbol,
        view,
        state: 'ready',
        bars: toBarColumns(outcome.bars),
        ...(day !== undefined ? { day } : {}),
        ...(notice !== undefined ? { notice } : {}),
      });
      return;
    }
    this.failures++;
    this.onUnavailable(symbol, view, outcome.code);
    post({ type: 'chartData', symbol, view, state: 'unavailable' });
  }
}
