/**
 * The ticker webview script (bundled to dist/webview.js). It validates every message from the extension,
 * applies it to the {@link TickerModel} and redraws only what the resulting change names. It keeps nothing
 * big across reloads: `setState` holds the selection; the extension replays the rest with `init`.
 */
import { checkExtensionMessage } from '../shared/webviewValidation';
import { priceStyleOf } from '../market/formatKind';
import type { ChartView } from '../shared/webviewProtocol';
import { PriceChart, type ChartTheme } from './chart';
import { barDate, formatCrosshair, formatSessionDay } from './chartTime';
import { headerText, neighbourSymbol, parseStoredState, TickerModel, vwapPoints, type ModelChange } from './model';
import { TickerRows } from './rows';
import { renderLadder, type LadderElements } from './ladderTable';
import { vscodeApi } from './vscodeApi';

function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) {
    throw new Error(`ticker page is missing #${id}`);
  }
  return element as T;
}

const api = vscodeApi();
const model = new TickerModel(parseStoredState(api.getState()).selected);

const dom = {
  body: document.body,
  empty: byId('empty'),
  emptyTitle: byId('empty-title'),
  emptyHint: byId('empty-hint'),
  header: byId('ticker-header'),
  rows: byId('ticker-rows'),
  chartSection: byId('chart-section'),
  chart: byId('chart'),
  chartEmpty: byId('chart-empty'),
  selectedSymbol: byId('selected-symbol'),
  selectedName: byId('selected-name'),
  selectedLast: byId('selected-last'),
  openPanel: byId<HTMLButtonElement>('open-panel'),
  bidLabel: byId('book-bid-label'),
  askLabel: byId('book-ask-label'),
  bid: byId('book-bid'),
  ask: byId('book-ask'),
  attribution: byId('attribution'),
  viewMinute: byId<HTMLButtonElement>('view-minute'),
  viewDaily: byId<HTMLButtonElement>('view-daily'),
  chartStatus: byId('chart-status'),
  vwapLegend: byId('vwap-legend'),
};

const ladder: LadderElements = {
  section: byId('ladder-section'),
  table: byId('ladder'),
  caption: byId('ladder-caption'),
  askHead: byId('ladder-ask-head'),
  priceHead: byId('ladder-price-head'),
  bidHead: byId('ladder-bid-head'),
  body: byId('ladder-body'),
  foot: byId('ladder-foot'),
};

let chart: PriceChart | undefined;
let invalidMessages = 0;

/** Reads a CSS custom property of the page (VS Code defines the theme's colours on <html>). */
function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const value = style.getPropertyValue(name).trim();
  return value === '' ? fallback : value;
}

/**
 * The chart's colours from the current theme. `--kis-rise`/`--kis-fall` are defined in ticker.css from the
 * contributed `kisMarket.*` colours and the colour convention; the literals only matter outside VS Code.
 */
function readChartTheme(): ChartTheme {
  const style = getComputedStyle(dom.body);
  const text = cssVar(style, '--vscode-descriptionForeground', cssVar(style, '--vscode-foreground', '#888888'));
  const border = cssVar(style, '--vscode-panel-border', cssVar(style, '--vscode-widget-border', '#80808059'));
  return {
    text,
    border,
    grid: cssVar(style, '--kis-grid', '#80808026'),
    rise: cssVar(style, '--kis-rise', '#e51400'),
    fall: cssVar(style, '--kis-fall', '#1a85ff'),
    fontFamily: cssVar(style, '--vscode-font-family', 'sans-serif'),
    fontSize: Math.max(9, (parseFloat(cssVar(style, '--vscode-font-size', '13')) || 13) - 2),
    vwap: cssVar(style, '--kis-vwap', '#c586c0'),
  };
}

function select(symbol: string): void {
  if (!model.selectLocal(symbol)) {
    return;
  }
  api.postMessage({ type: 'select', symbol });
  askChartView();
  render({
    structure: false,
    rows: new Map(),
    selection: true,
    chart: 'reset',
    tailBars: [],
    book: true,
    theme: false,
    chartStatus: true,
  });
  rows.focus(symbol);
}

/** In the daily view, the selected symbol's daily candles are asked for (minute history comes with `select`). */
function askChartView(): void {
  const symbol = model.selected;
  if (symbol !== undefined && model.chart.view === 'daily') {
    api.postMessage({ type: 'chartView', symbol, view: 'daily' });
  }
}

function setChartView(view: ChartView): void {
  if (!model.chart.setView(view)) {
    return;
  }
  const symbol = model.selected;
  if (symbol !== undefined) {
    api.postMessage({ type: 'chartView', symbol, view });
  }
  render({
    structure: false,
    rows: new Map(),
    selection: false,
    chart: 'reset',
    tailBars: [],
    book: false,
    theme: false,
    chartStatus: true,
  });
}

dom.viewMinute.addEventListener('click', () => setChartView('minute'));
dom.viewDaily.addEventListener('click', () => setChartView('daily'));

const rows = new TickerRows(dom.rows, {
  onSelect: select,
  onUnsubscribe: (symbol) => api.postMessage({ type: 'unsubscribe', symbol }),
  onMove: (delta) => {
    const next = neighbourSymbol(model.symbols, model.selected, delta);
    if (next !== undefined) {
      select(next);
    }
  },
});

dom.openPanel.addEventListener('click', () => api.postMessage({ type: 'openPanel' }));

function renderStrings(): void {
  const strings = model.strings;
  if (strings === undefined) {
    return;
  }
  dom.emptyTitle.textContent = strings.emptyTitle;
  dom.emptyHint.textContent = strings.emptyHint;
  dom.openPanel.title = strings.openPanel;
  dom.openPanel.setAttribute('aria-label', strings.openPanel);
  dom.bidLabel.textContent = strings.bid;
  dom.askLabel.textContent = strings.ask;
  dom.chartEmpty.textContent = strings.noBars;
  dom.attribution.textContent = strings.attribution;
  dom.viewMinute.textContent = strings.viewMinute;
  dom.viewDaily.textContent = strings.viewDaily;
  dom.vwapLegend.textContent = `— ${strings.vwap}`;
  dom.header.replaceChildren(
    ...[strings.name, strings.last, strings.change, strings.volume].map((text) => {
      const cell = document.createElement('span');
      cell.textContent = text;
      return cell;
    }),
  );
}

function renderSelection(): void {
  const symbol = model.selected;
  rows.setSelected(symbol);
  // A KRX code is what Korean traders know a stock by; an index's or a US symbol's key is not shown.
  const code = symbol !== undefined && priceStyleOf(symbol) === 'krw' ? symbol : '';
  dom.selectedSymbol.textContent = code;
  dom.selectedSymbol.hidden = code === '';
  dom.selectedName.textContent = symbol !== undefined ? model.nameOf(symbol) : '';
  api.setState(symbol !== undefined ? { selected: symbol } : {});
}

/** The selected symbol's ladder; `flash`: its book just changed, so the sizes that moved flash. */
function renderLadderOf(symbol: string | undefined, flash: boolean): void {
  const strings = model.strings;
  if (strings === undefined) return;
  renderLadder(ladder, symbol === undefined ? undefined : model.ladderOf(symbol, flash), strings);
  // Odd books received so far, readable by the end-to-end test and a curious user's devtools.
  const odd = model.anomalies;
  dom.body.dataset['crossedBooks'] = String(odd.crossed);
  dom.body.dataset['shortBooks'] = String(odd.fewer);
  dom.body.dataset['zeroSizeLevels'] = String(odd.zeroSizes);
}

function renderBook(flash = false): void {
  const symbol = model.selected;
  renderLadderOf(symbol, flash);
  if (symbol === undefined) {
    dom.selectedLast.textContent = '';
    dom.bid.textContent = '';
    dom.ask.textContent = '';
    return;
  }
  // The row's own texts: header and row are one quote through one formatter.
  const row = model.row(symbol);
  dom.selectedLast.textContent = headerText(row);
  dom.selectedLast.dataset['direction'] = row.direction;
  const book = model.bookOf(symbol);
  dom.bid.textContent = book.bid;
  dom.ask.textContent = book.ask;
}

function renderChart(change: ModelChange): void {
  const symbol = model.selected;
  if (symbol === undefined) {
    return;
  }
  if (chart === undefined) {
    chart = new PriceChart(dom.chart, readChartTheme());
    change = { ...change, chart: 'reset', theme: false };
  }
  if (change.theme) {
    chart.applyTheme(readChartTheme());
  }
  const view = model.chart.view;
  const bars = model.chartBars(symbol);
  if (change.chart === 'reset') {
    chart.setPriceStyle(priceStyleOf(symbol));
    chart.setBars(bars, view);
  } else if (change.chart === 'tail' && view === 'minute') {
    // Live bars extend the minute chart only; the daily candles stay as REST gave them.
    chart.updateBars(change.tailBars, bars);
  }
  dom.chartEmpty.hidden = bars.length > 0 || model.chart.stateOf(symbol) === 'loading';
  // What the canvas shows, readable by the end-to-end test: bar count and first/last bar on the KST axis.
  dom.chart.dataset['bars'] = String(bars.length);
  dom.chart.dataset['first'] = bars.length > 0 ? formatCrosshair(bars[0].time, view) : '';
  dom.chart.dataset['last'] = bars.length > 0 ? formatCrosshair(bars[bars.length - 1].time, view) : '';
  dom.chart.dataset['vwapPoints'] = String(view === 'minute' ? vwapPoints(bars).length : 0);
  // The last candle's close and the view it is of: the tour holds the close to the header's price.
  dom.chart.dataset['view'] = view;
  dom.chart.dataset['lastClose'] = bars.length > 0 ? String(bars[bars.length - 1].close) : '';
}

/** The view toggle and the history status line (loading, unavailable) of the selected symbol. */
function renderChartStatus(): void {
  const view = model.chart.view;
  dom.viewMinute.setAttribute('aria-pressed', String(view === 'minute'));
  dom.viewDaily.setAttribute('aria-pressed', String(view === 'daily'));
  dom.vwapLegend.hidden = view !== 'minute';
  const symbol = model.selected;
  const state = symbol !== undefined ? model.chart.stateOf(symbol) : undefined;
  const strings = model.strings;
  dom.chartStatus.dataset['state'] = state ?? 'none';
  dom.chartStatus.textContent =
    state === 'loading'
      ? (strings?.historyLoading ?? '')
      : state === 'unavailable'
        ? (strings?.historyUnavailable ?? '')
        : readyLabel(symbol, view);
  dom.body.dataset['chartView'] = view;
  dom.body.dataset['history'] = state ?? 'none';
  if (symbol !== undefined) {
    dom.chartEmpty.hidden = model.chartBars(symbol).length > 0 || state === 'loading';
  }
}

/** The note of a ready chart: the past trading day its minute bars are of while nothing newer came, or why it has no history. */
function readyLabel(symbol: string | undefined, view: 'minute' | 'daily'): string {
  const strings = model.strings;
  if (symbol === undefined || strings === undefined || view !== 'minute') return '';
  const { day, notice } = model.chart.minuteLabelOf(symbol);
  if (notice === 'no-us-minutes') return strings.historyNoUs;
  const bars = model.chartBars(symbol);
  const newest = bars[bars.length - 1];
  // Once today's live bars join, the chart is today's again and the label goes.
  return day !== undefined && newest !== undefined && barDate(newest.time) === day
    ? strings.historyDay.replace('{0}', formatSessionDay(day, strings.weekdays))
    : '';
}

/** Redraws what `change` names. */
function render(change: ModelChange): void {
  if (change.theme) {
    dom.body.dataset['convention'] = model.convention;
  }
  if (change.structure) {
    dom.body.dataset['surface'] = model.surface;
    dom.openPanel.hidden = model.surface === 'panel';
    renderStrings();
    const empty = model.symbols.length === 0;
    dom.empty.hidden = !empty;
    dom.header.hidden = empty;
    dom.rows.hidden = empty;
    dom.chartSection.hidden = empty;
    dom.attribution.hidden = empty;
    const strings = model.strings;
    rows.rebuild(model.symbols, (symbol) => model.row(symbol), {
      unsubscribe: strings?.unsubscribe ?? '',
      halted: strings?.halted ?? '',
      extra: model.extraColumns,
      strength: strings?.strength,
      volumeRatio: strings?.volumeRatio,
      vwap: strings?.vwap,
    });
  } else {
    for (const [symbol, flash] of change.rows) {
      rows.update(symbol, model.row(symbol), flash);
    }
  }
  if (change.structure || change.selection) {
    renderSelection();
  }
  if (change.structure || change.selection || change.book) {
    renderBook(change.ladderLevels === true && !change.structure && !change.selection);
  }
  if (change.chart !== 'none' || change.theme) {
    renderChart(change);
  }
  // A live bar of a new day ends a past day's label (the check is a date compare; the frame is one a second).
  if (change.structure || change.selection || change.chartStatus === true || change.tailBars.length > 0) {
    renderChartStatus();
  }
}

/**
 * Privacy mode: a cover over the whole ticker (its content hidden by CSS, not removed, so uncovering needs
 * no replay). The extension hears back that it was applied.
 */
function setPrivacy(on: boolean, text: string): void {
  let cover = document.getElementById('privacy-cover');
  if (cover === null) {
    cover = document.createElement('div');
    cover.id = 'privacy-cover';
    cover.className = 'privacy-cover';
    cover.setAttribute('data-testid', 'privacy-cover');
    cover.setAttribute('role', 'status');
    dom.body.appendChild(cover);
  }
  cover.textContent = text;
  cover.hidden = !on;
  dom.body.classList.toggle('private', on);
  dom.body.dataset['privacy'] = on ? 'on' : 'off';
  api.postMessage({ type: 'privacyApplied', on });
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const checked = checkExtensionMessage(event.data);
  if (!checked.ok) {
    invalidMessages++;
    dom.body.dataset['invalidMessages'] = String(invalidMessages);
    console.warn(`[kis ticker] refused a message from the extension: ${checked.reason}`);
    return;
  }
  const message = checked.message;
  if (message.type === 'privacy') {
    setPrivacy(message.on, message.text);
    return;
  }
  try {
    render(model.apply(message));
    // The extension did not name a selection (or named one no longer listed): tell it ours.
    if (message.type === 'init' && model.selected !== undefined && model.selected !== message.selected) {
      api.postMessage({ type: 'select', symbol: model.selected });
    }
    if (message.type === 'init' || message.type === 'select') {
      askChartView();
    }
  } catch (error) {
    console.error('[kis ticker] failed to render a message', error);
  }
});

// The theme lives in <html style> and <body class>; recolour the chart when either changes.
let themeFrame = 0;
const themeObserver = new MutationObserver(() => {
  if (themeFrame !== 0) {
    return;
  }
  themeFrame = requestAnimationFrame(() => {
    themeFrame = 0;
    chart?.applyTheme(readChartTheme());
  });
});
themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
themeObserver.observe(document.body, { attributes: true, attributeFilter: ['class'] });

window.addEventListener('pagehide', () => {
  themeObserver.disconnect();
  chart?.dispose();
  chart = undefined;
});

api.postMessage({ type: 'ready' });
