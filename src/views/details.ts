/**
 * The read-only "connection details" document: a virtual plain-text document (`kis-market:` scheme)
 * rendered from the current statistics each time it is opened or refreshed.
 */
import * as vscode from 'vscode';
import { DETAILS_SCHEME } from '../constants';
import { Disposable } from '../common/lifecycle';
import type { Config } from '../config';
import type { MarketFeed } from '../feed';
import { displayName } from '../market/symbolInput';
import { renderDetails } from './statusBarModel';
import { statusInputOf } from './statusInput';

/**
 * The document's URI. No `.md` suffix on purpose: a Markdown document activates the built-in Markdown
 * extension, which starts its language server (a child process) just to show a table of numbers.
 * So the text is a plain-text table with aligned columns (statusBarModel.renderDetails), not Markdown.
 */
export const DETAILS_URI = vscode.Uri.from({ scheme: DETAILS_SCHEME, path: '/KIS connection details' });

export class DetailsDocumentProvider extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly emitter = this._register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.emitter.event;

  constructor(private readonly render: () => string) {
    super();
  }

  provideTextDocumentContent(): string {
    return this.render();
  }

  /** Re-renders the document (if open) and shows it. Returns the document. */
  async show(): Promise<vscode.TextDocument> {
    this.emitter.fire(DETAILS_URI);
    const document = await vscode.workspace.openTextDocument(DETAILS_URI);
    await vscode.window.showTextDocument(document, { preview: true });
    return document;
  }

  /** Registers the connection-details document, rendered from the feed's status when opened. */
  static register(context: vscode.ExtensionContext, feed: MarketFeed, config: Config): DetailsDocumentProvider {
    const input = statusInputOf(feed, config);
    const details = new DetailsDocumentProvider(() => renderDetails(input(), (s) => displayName(s, vscode.env.language)));
    context.subscriptions.push(details, vscode.workspace.registerTextDocumentContentProvider(DETAILS_SCHEME, details));
    return details;
  }
}
