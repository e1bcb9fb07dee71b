/**
 * Handlers in the editor: the `kisMarket.handlers` setting lists workspace-relative handler
 * modules; in a trusted workspace they are prepared (TypeScript compiled) and handed to the feed, whose
 * worker runs them; saving one of them reloads the set in place (no reconnect). Errors go to the output
 * channel with the handler's own stack. "KIS: New Handler…" writes a typed template.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Command, CONFIG_SECTION, Setting } from '../constants';
import { Disposable, toDisposable } from '../common/lifecycle';
import type { Logger } from '../common/logger';
import { FeedHandlers, prepareHandler } from '../feed';

/** Optional arguments of "New Handler…" (checked: they come from any caller of the command). */
interface NewHandlerArgs {
  language?: 'TypeScript' | 'JavaScript';
  name?: string;
}

function newHandlerArgs(value: unknown): NewHandlerArgs {
  if (typeof value !== 'object' || value === null) return {};
  const { language, name } = value as Record<string, unknown>;
  return {
    ...(language === 'TypeScript' || language === 'JavaScript' ? { language } : {}),
    ...(typeof name === 'string' && /^[A-Za-z0-9_-]+$/.test(name) ? { name } : {}),
  };
}

/** Folder (workspace-relative) where "New Handler…" puts new handlers and the types file. */
export const HANDLER_FOLDER = 'kis-handlers';

/** Keeps the feed's handler set in step with the setting, the workspace trust and saved files. */
export class HandlerController extends Disposable {
  private sources: string[] = [];
  /** Serializes applies: a burst of saves compiles in order, the last one wins. */
  private chain: Promise<void> = Promise.resolve();

  private constructor(
    private readonly context: vscode.ExtensionContext,
    readonly handlers: FeedHandlers,
    private readonly log: Logger,
  ) {
    super();
    this._register(toDisposable(() => handlers.dispose()));
    this._register(
      handlers.onProblem((p) => log.error(`Handler ${p.handler}: ${p.message}${p.stack ? `\n${p.stack}` : ''}`)),
    );
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(() => void this.apply()));
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${CONFIG_SECTION}.${Setting.handlers}`)) void this.apply();
      }),
    );
    this._register(
      vscode.workspace.onDidSaveTextDocument((doc) => {
        // A saved handler, or a file beside one (a TypeScript handler bundles its relative imports).
        const dir = path.dirname(doc.uri.fsPath);
        if (this.sources.some((s) => s === doc.uri.fsPath || path.dirname(s) === dir)) void this.apply();
      }),
    );
    this._register(
      vscode.commands.registerCommand(Command.NewHandler, (args?: unknown) => this.newHandler(newHandlerArgs(args))),
    );
  }

  /** Builds the controller and the feed's handler set (pass `handlers` to the feed's options). */
  static register(context: vscode.ExtensionContext, log: Logger): HandlerController {
    const controller = new HandlerController(context, new FeedHandlers(), log.child('handlers'));
    context.subscriptions.push(controller);
    void controller.apply();
    return controller;
  }

  /** Re-reads the setting, prepares every handler and hands the set to the feed; resolves when done. */
  apply(): Promise<void> {
    this.chain = this.chain.then(() => this.applyNow());
    return this.chain;
  }

  private async applyNow(): Promise<void> {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const listed = vscode.workspace.getConfiguration(CONFIG_SECTION).get<unknown>(Setting.handlers, []);
    const relative = Array.isArray(listed)
      ? listed.filter((p): p is string => typeof p === 'string' && p.trim() !== '')
      : [];
    if (root === undefined || relative.length === 0) return this.use([]);
    if (!vscode.workspace.isTrusted) {
      this.log.warn(vscode.l10n.t('Handlers are not run in an untrusted workspace ({0} listed).', relative.length));
      return this.use([]);
    }
    const sources = relative.map((p) => path.resolve(root, p));
    const outDir = path.join(this.context.globalStorageUri.fsPath, 'handlers');
    const prepared = await Promise.all(sources.map((s) => prepareHandler(s, root, outDir)));
    const modules: Array<{ module: string; source: string }> = [];
    for (const p of prepared) {
      if (p.ok) modules.push({ module: p.module, source: p.source });
      else this.handlers.report({ handler: p.source, message: `${p.code}: ${p.message}` });
    }
    this.sources = sources;
    this.handlers.set(modules);
    this.log.info(`Handlers: ${modules.map((m) => path.relative(root, m.source)).join(', ') || 'none'}`);
  }

  private use(modules: Array<{ module: string; source: string }>): void {
    this.sources = [];
    this.handlers.set(modules);
  }

  /**
   * "KIS: New Handler…": a typed template in `kis-handlers/`, listed in the workspace setting, opened.
   * The language and name are asked for unless given (tests pass them).
   */
  private async newHandler(given: NewHandlerArgs): Promise<vscode.Uri | undefined> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (folder === undefined) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Open a folder first: handlers live in the workspace.'));
      return undefined;
    }
    const language =
      given.language ??
      (await vscode.window.showQuickPick(['TypeScript', 'JavaScript'], {
        placeHolder: vscode.l10n.t('Handler language'),
      }));
    if (language === undefined) return undefined;
    const name =
      given.name ??
      (await vscode.window.showInputBox({
        prompt: vscode.l10n.t('Handler name'),
        value: 'myHandler',
        validateInput: (v) => (/^[A-Za-z0-9_-]+$/.test(v) ? undefined : vscode.l10n.t('Letters, digits, _ and - only')),
      }));
    if (name === undefined) return undefined;
    const ext = language === 'TypeScript' ? 'ts' : 'js';
    const dir = vscode.Uri.joinPath(folder.uri, HANDLER_FOLDER);
    const file = vscode.Uri.joinPath(dir, `${name}.${ext}`);
    const media = vscode.Uri.joinPath(this.context.extensionUri, 'media', 'handler');
    await vscode.workspace.fs.createDirectory(dir);
    await vscode.workspace.fs.copy(
      vscode.Uri.joinPath(media, 'kis-handler.d.ts'),
      vscode.Uri.joinPath(dir, 'kis-handler.d.ts'),
      { overwrite: true },
    );
    await vscode.workspace.fs.copy(vscode.Uri.joinPath(media, `template.${ext}`), file, { overwrite: false });
    const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
    const listed = config.get<string[]>(Setting.handlers, []);
    const entry = `${HANDLER_FOLDER}/${name}.${ext}`;
    if (!listed.includes(entry))
      await config.update(Setting.handlers, [...listed, entry], vscode.ConfigurationTarget.Workspace);
    await vscode.window.showTextDocument(file);
    return file;
  }
}
