/**
 * Connection Details: a webview page (detailsModel.ts writes it) that reads as a document, with headings and
 * tables in the theme's colours, kept current while it is visible. A webview rather than a Markdown preview:
 * the preview would start the built-in Markdown extension and its language server just to show a table.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { Disposable, toDisposable } from '../../common/lifecycle';
import type { Config } from '../../config';
import type { MarketFeed } from '../../feed';
import { displayName } from '../../market/symbolInput';
import { detailsDocument, detailsHtml, detailsMarkdown, type DetailsDocument } from './detailsModel';
import { statusInputOf } from './statusInput';

/** The webview type of the details page. */
export const DETAILS_VIEW_TYPE = 'kisMarket.connectionDetails';
/** How often an open, visible page is redrawn (its counters move). */
const REFRESH_MS = 2000;

/** Shows Connection Details; one page at a time, revealed again when it is already open. */
export class DetailsPanel extends Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly document: () => DetailsDocument) {
    super();
    this._register(toDisposable(() => this.close()));
  }

  /** Opens (or reveals) the page, drawn now; returns the document as Markdown. */
  show(): string {
    const doc = this.document();
    if (this.panel === undefined) {
      const panel = vscode.window.createWebviewPanel(DETAILS_VIEW_TYPE, doc.title, vscode.ViewColumn.Active, {
        enableScripts: false,
        enableFindWidget: true,
      });
      this.panel = panel;
      panel.onDidDispose(() => this.closed(panel));
      panel.onDidChangeViewState(() => this.tick());
      this.timer = setInterval(() => this.tick(), REFRESH_MS);
    } else {
      this.panel.reveal();
    }
    this.draw(doc);
    return detailsMarkdown(doc);
  }

  /** Redraws while the page is visible (a hidden webview is not worth the work). */
  private tick(): void {
    if (this.panel?.visible === true) this.draw(this.document());
  }

  private draw(doc: DetailsDocument): void {
    if (this.panel === undefined) return;
    this.panel.webview.html = detailsHtml(doc, randomBytes(16).toString('base64'), vscode.env.language);
  }

  private closed(panel: vscode.WebviewPanel): void {
    if (this.panel !== panel) return;
    this.panel = undefined;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private close(): void {
    const panel = this.panel;
    if (panel === undefined) return;
    this.closed(panel);
    panel.dispose();
  }

  /** Creates the page's owner, reading the feed's status when it draws. */
  static register(context: vscode.ExtensionContext, feed: MarketFeed, config: Config): DetailsPanel {
    const input = statusInputOf(feed, config);
    const details = new DetailsPanel(() => detailsDocument(input(), (s) => displayName(s, vscode.env.language)));
    context.subscriptions.push(details);
    return details;
  }
}
