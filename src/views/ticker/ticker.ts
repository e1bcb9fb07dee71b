/**
 * The ticker: a webview view (`kisMarket.ticker`) and, on request, the same page in an editor panel.
 * Both surfaces share one code path: a {@link TickerChannel} per webview does the gating, coalescing,
 * replay and validation (see tickerFeed.ts); this file only wires it to VS Code.
 */
import * as vscode from 'vscode';
import { CONFIG_SECTION, Setting, View } from '../../constants';
import type { Snapshot } from '../../shared/snapshot';
import type { ChartView, ColorConvention, TickerSurfaceKind, WebviewToExtension } from '../../shared/webviewProtocol';
import { Disposable } from '../../common/lifecycle';
import { TickerChannel } from './tickerFeed';
import { FrameChanges } from './tickerFrame';
import type { TickerHost } from './tickerHost';
import { tickerExtraColumns, tickerStrings } from './tickerStrings';
import { ChartLoader } from './chartLoader';
import { createNonce, renderTickerHtml } from './tickerHtml';

export { renderTickerHtml } from './tickerHtml';

/** `viewType` of the editor-panel ticker. */
export const TICKER_PANEL_VIEW_TYPE = 'kisMarket.tickerPanel';

/** Refused webview messages are logged one by one up to this count, then one in every hundred. */
const INVALID_LOG_BURST = 20;

/** One webview (view or panel) and what was registered for it. */
interface Surface {
  readonly channel: TickerChannel;
  readonly disposables: vscode.Disposable[];
}

/** Provides the ticker webview view and the editor-panel ticker. */
export class TickerViewProvider extends Disposable implements vscode.WebviewViewProvider {
  private readonly strings = tickerStrings();
  private view: vscode.WebviewView | undefined;
  private viewSurface: Surface | undefined;
  private panel: vscode.WebviewPanel | undefined;
  private panelSurface: Surface | undefined;
  /** What the sidebar view charts, kept across its webview being recreated. */
  private viewSelected: string | undefined;
  /** Deliveries counted by channels already disposed, so that {@link delivered} never goes down. */
  private retiredDelivered = 0;
  private invalidCount = 0;
  private privacy = false;
  /** The chart's REST history; undefined when the host has none (the chart is live only). */
  private readonly charts: ChartLoader | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly host: TickerHost,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    const history = host.chartHistory;
    this.charts =
      history &&
      new ChartLoader(history, (symbol, view, code) =>
        log.warn(`[ticker] ${view} history of ${symbol} unavailable (${code}); the live chart goes on`),
      );
    this._register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (
          event.affectsConfiguration(`${CONFIG_SECTION}.${Setting.colorConvention}`) ||
          event.affectsConfiguration(`${CONFIG_SECTION}.${Setting.tickerExtraColumns}`)
        ) {
          const convention = this.colorConvention();
          const extra = tickerExtraColumns();
          this.viewSurface?.channel.setConfig(convention, extra);
          this.panelSurface?.channel.setConfig(convention, extra);
        }
      }),
    );
  }

  /** Chart requests that ended "history unavailable" (REST failed; the live chart went on). */
  get chartsUnavailable(): number {
    return this.charts?.unavailable ?? 0;
  }

  /** Shows each live webview's charted symbol again with its history (the source (re)started). */
  refreshCharts(): void {
    this.charts?.refresh((kind) => (kind === 'view' ? this.viewSurface : this.panelSurface)?.channel);
  }

  private showChart(kind: TickerSurfaceKind, symbol: string, view: ChartView): void {
    this.charts?.showIn(kind, symbol, view, (k) => (k === 'view' ? this.viewSurface : this.panelSurface)?.channel);
  }

  /** Snapshot messages delivered to a webview (view and panel together). */
  get delivered(): number {
    return (
      this.retiredDelivered + (this.viewSurface?.channel.delivered ?? 0) + (this.panelSurface?.channel.delivered ?? 0)
    );
  }

  /** Privacy mode on or off in every ticker webview (a new one starts covered while it is on). */
  setPrivacy(on: boolean): void {
    this.privacy = on;
    const text = vscode.l10n.t(
      'Privacy mode: the ticker is hidden. Run "Toggle Privacy Mode" (Ctrl+Alt+H) to show it.',
    );
    this.viewSurface?.channel.setPrivacy(on, text);
    this.panelSurface?.channel.setPrivacy(on, text);
  }

  /** True when a ticker webview is live and every live one said it applied the current privacy mode. */
  get privacyShown(): boolean {
    const live = [this.viewSurface, this.panelSurface].filter((s) => s !== undefined && s.channel.isLive);
    return live.length > 0 && live.every((s) => s?.channel.privacyShown === this.privacy);
  }

  /** Messages from a webview refused by validation. */
  get invalidMessages(): number {
    return this.invalidCount;
  }

  /** Called by VS Code when the view is first shown (and again if it was disposed and reopened). */
  resolveWebviewView(webviewView: vscode.WebviewView): void {
    if (this.isDisposed) {
      return;
    }
    this.retireSurface('view');
    this.view = webviewView;
    webviewView.webview.options = { enableScripts: true, localResourceRoots: this.resourceRoots() };
    const surface = this.createSurface('view', webviewView.webview, this.viewSelected);
    this.viewSurface = surface;
    surface.disposables.push(
      webviewView.onDidChangeVisibility(() => surface.channel.setVisible(webviewView.visible)),
      webviewView.onDidDispose(() => {
        if (this.view === webviewView) {
          this.view = undefined;
          this.retireSurface('view');
        }
      }),
    );
    webviewView.webview.html = this.renderHtml(webviewView.webview);
    webviewView.description = this.shownDescription;
    surface.channel.setVisible(webviewView.visible);
  }

  private subtitle: string | undefined;
  private phase: string | undefined;

  /** Sets the text beside the sidebar ticker's title (the replay label, set by recordingCommands.ts). */
  setDescription(text: string | undefined): void {
    this.subtitle = text;
    this.showDescription();
  }

  /**
   * The market phase in a word or two ("demo", "closed", "regular session"), beside the sidebar ticker's
   * title when no replay label is: the watchlist's title had it, but at the default sidebar width its
   * buttons leave it one letter ("d…"); the ticker's title has no buttons, so it reads whole there.
   */
  setPhase(text: string | undefined): void {
    this.phase = text;
    this.showDescription();
  }

  /** What the sidebar ticker's title says beside it: the replay label, else the phase. */
  private get shownDescription(): string | undefined {
    return this.subtitle ?? this.phase;
  }

  private showDescription(): void {
    const text = this.shownDescription;
    if (this.view && this.view.description !== text) this.view.description = text;
  }

  /** The text beside the sidebar ticker's title (for the extension API). */
  get description(): string | undefined {
    return this.shownDescription;
  }

  /**
   * Notes which bars and books a worker snapshot changed; they are posted with the next frame, read as the
   * model holds them then, so the last candle's close is the price the header and the rows show.
   */
  onSnapshot(snapshot: Pick<Snapshot, 'bars' | 'books'>): void {
    this.changes.note(snapshot);
  }

  private readonly changes = new FrameChanges();

  /**
   * A new frame of the views (quoteFrame.ts): every live webview gets, at once, the frame's quotes of
   * `changed` and the books and bars changed since the last frame, as the model holds them at this instant
   * (the frame is taken in the same turn). The list views draw the same frame, so all show one price.
   */
  drawFrame(changed: Iterable<string>): void {
    const frame = this.changes.take(changed, this.host.market);
    if (frame === undefined) return;
    for (const channel of [this.viewSurface?.channel, this.panelSurface?.channel]) {
      channel?.push(frame);
      channel?.flush();
    }
  }

  /** Replaces what every live webview shows with the current state (after a data-source switch). */
  replay(): void {
    this.viewSurface?.channel.replay();
    this.panelSurface?.channel.replay();
  }

  /** The watchlist changed: rows are added, removed or reordered in every live webview. */
  onWatchlistChanged(symbols: string[]): void {
    if (this.viewSelected !== undefined && !symbols.includes(this.viewSelected)) {
      this.viewSelected = undefined;
    }
    if (this.viewSurface === undefined && this.panelSurface === undefined) {
      return;
    }
    const names = this.readState()?.names ?? {};
    this.viewSurface?.channel.setWatchlist(symbols, names);
    this.panelSurface?.channel.setWatchlist(symbols, names);
  }

  /** Charts `symbol` in the ticker and reveals the view (and charts it in the panel too, if open). */
  select(symbol: string): void {
    if (this.isDisposed) {
      return;
    }
    this.viewSelected = symbol;
    this.viewSurface?.channel.select(symbol);
    this.panelSurface?.channel.select(symbol);
    this.showChart('view', symbol, 'minute');
    if (this.view !== undefined) {
      this.view.show(true);
      return;
    }
    // Not resolved yet: focusing the view makes VS Code resolve it, and `init` carries the selection.
    vscode.commands.executeCommand(`${View.Ticker}.focus`).then(undefined, (error: unknown) => {
      this.log.warn(`[ticker] could not reveal the ticker view: ${describe(error)}`);
    });
  }

  /** Opens the ticker in an editor panel, or reveals the one already open. */
  openPanel(): void {
    if (this.isDisposed) {
      return;
    }
    if (this.panel !== undefined) {
      this.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      TICKER_PANEL_VIEW_TYPE,
      vscode.l10n.t('KIS Ticker'),
      vscode.ViewColumn.Active,
      {
        enableScripts: true,
        localResourceRoots: this.resourceRoots(),
      },
    );
    this.adoptPanel(panel);
  }

  /**
   * A ticker panel VS Code restored after a restart (see `registerWebviewPanelSerializer` in extension.ts):
   * it is rendered afresh from the current state, as a new one would be (nothing is kept in the
   * webview's own state, so nothing stale comes back).
   */
  restorePanel(panel: vscode.WebviewPanel): void {
    if (this.isDisposed || this.panel !== undefined) {
      // One ticker panel at a time: a second restored one (or one restored after dispose) is closed.
      panel.dispose();
      return;
    }
    panel.webview.options = { enableScripts: true, localResourceRoots: this.resourceRoots() };
    this.adoptPanel(panel);
  }

  private adoptPanel(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    const surface = this.createSurface('panel', panel.webview, this.viewSelected);
    this.panelSurface = surface;
    surface.disposables.push(
      panel.onDidChangeViewState(() => surface.channel.setVisible(panel.visible)),
      panel.onDidDispose(() => {
        if (this.panel === panel) {
          this.panel = undefined;
          this.retireSurface('panel');
        }
      }),
    );
    panel.webview.html = this.renderHtml(panel.webview);
    surface.channel.setVisible(panel.visible);
  }

  /** Disposes the panel, both channels and every listener. */
  override dispose(): void {
    if (this.isDisposed) {
      return;
    }
    super.dispose();
    const panel = this.panel;
    this.panel = undefined;
    this.retireSurface('panel');
    panel?.dispose();
    this.view = undefined;
    this.retireSurface('view');
  }

  private createSurface(kind: TickerSurfaceKind, webview: vscode.Webview, selected: string | undefined): Surface {
    const channel = new TickerChannel({
      surface: kind,
      market: this.host.market,
      post: (message) => webview.postMessage(message),
      state: () => this.host.currentState(),
      strings: this.strings,
      selected,
      onRequest: (request) => this.onRequest(kind, request),
      onInvalid: (reason) => this.onInvalid(kind, reason),
      onError: (error) => this.log.warn(`[ticker] ${kind}: ${describe(error)}`),
      // Every (re)load charts its symbol from its history: fetched the first time, then from the model.
      onInit: () => {
        const selected = channel.selected;
        if (selected !== undefined) this.showChart(kind, selected, 'minute');
      },
    });
    if (this.privacy)
      channel.setPrivacy(
        true,
        vscode.l10n.t('Privacy mode: the ticker is hidden. Run "Toggle Privacy Mode" (Ctrl+Alt+H) to show it.'),
      );
    const disposables: vscode.Disposable[] = [webview.onDidReceiveMessage((raw: unknown) => channel.receive(raw))];
    return { channel, disposables };
  }

  private retireSurface(kind: TickerSurfaceKind): void {
    const surface = kind === 'view' ? this.viewSurface : this.panelSurface;
    if (surface === undefined) {
      return;
    }
    if (kind === 'view') {
      this.viewSurface = undefined;
    } else {
      this.panelSurface = undefined;
    }
    this.retiredDelivered += surface.channel.delivered;
    surface.channel.dispose();
    for (const disposable of surface.disposables.splice(0)) {
      disposable.dispose();
    }
  }

  private onRequest(
    kind: TickerSurfaceKind,
    request: Exclude<WebviewToExtension, { type: 'ready' | 'privacyApplied' }>,
  ): void {
    switch (request.type) {
      case 'select':
        if (kind === 'view') {
          this.viewSelected = request.symbol;
        }
        this.host.onSelect?.(request.symbol);
        this.showChart(kind, request.symbol, 'minute');
        return;
      case 'chartView':
        this.showChart(kind, request.symbol, request.view);
        return;
      case 'unsubscribe':
        this.host.unsubscribe(request.symbol);
        return;
      case 'openPanel':
        this.openPanel();
        return;
      default: {
        const unreachable: never = request;
        return unreachable;
      }
    }
  }

  private onInvalid(kind: TickerSurfaceKind, reason: string): void {
    this.invalidCount++;
    if (this.invalidCount <= INVALID_LOG_BURST || this.invalidCount % 100 === 0) {
      this.log.warn(`[ticker] ${kind}: refused a webview message (${reason}); ${this.invalidCount} refused so far`);
    }
  }

  private colorConvention(): ColorConvention {
    const configured = vscode.workspace.getConfiguration(CONFIG_SECTION).get<unknown>(Setting.colorConvention);
    if (configured === 'korean' || configured === 'western') {
      return configured;
    }
    return this.readState()?.colorConvention ?? 'korean';
  }

  private readState(): ReturnType<TickerHost['currentState']> | undefined {
    try {
      return this.host.currentState();
    } catch (error) {
      this.log.warn(`[ticker] could not read the current state: ${describe(error)}`);
      return undefined;
    }
  }

  private resourceRoots(): vscode.Uri[] {
    return [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')];
  }

  private renderHtml(webview: vscode.Webview): string {
    return renderTickerHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'ticker.css')).toString(),
      nonce: createNonce(),
      lang: vscode.env.language,
    });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
