/**
 * The read-only "connection details" document: a virtual plain-text document (`kis-market:` scheme)
 * rendered from the current statistics each time it is opened or refreshed.
 */
import * as vscode from 'vscode';
import { DETAILS_SCHEME } from '../constants';

/**
 * The document's URI. No `.md` suffix on purpose: a Markdown document activates the built-in Markdown
 * extension, which starts its language server (a child process) just to show a table of numbers.
 * So the text is a plain-text table with aligned columns (statusBarModel.renderDetails), not Markdown.
 */
export const DETAILS_URI = vscode.Uri.from({ scheme: DETAILS_SCHEME, path: '/KIS connection details' });

export class DetailsDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;

  constructor(private readonly render: () => string) {}

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

  dispose(): void {
    this.emitter.dispose();
  }
}
