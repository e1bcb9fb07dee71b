/**
 * A stand-in for the `vscode` module in unit tests, loaded by hooking the module resolution of `'vscode'`
 * (installVscode(), called by the mocha `--require` file support/register.ts and by every test file that
 * uses it, so a file run alone with `--no-config` works too). It records what the extension does, so a
 * test asserts behaviour: the commands registered (and runs them), tree views and their rows, status bar
 * items, webview views and panels with the messages in and out, settings with change events, mementos,
 * secrets, the messages and pickers shown (answered by scripted replies), workspace trust, saved files and
 * text document content providers. `vscodeFake.reset()` between tests.
 */
import { readFileSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { mapModule } from '../../support/moduleHook';
import {
  Disposable,
  EventEmitter,
  format,
  liveEmitters,
  MarkdownString,
  Memento,
  SecretStorage,
  ThemeColor,
  ThemeIcon,
  TreeItem,
  Uri,
} from './vscodeTypes';
import {
  FakeLogChannel,
  FakePanel,
  FakeQuickPick,
  FakeStatusBarItem,
  FakeTreeView,
  FakeWebviewView,
  type TreeProvider,
} from './vscodeUi';

export * from './vscodeTypes';
export * from './vscodeUi';

type Fn = (...args: never[]) => unknown;
/** A message or picker the extension showed. */
export interface Shown {
  kind: 'info' | 'warning' | 'error' | 'quickPick' | 'inputBox' | 'saveDialog' | 'openDialog';
  message: string;
  items: unknown[];
  options: Record<string, unknown> | undefined;
}
/** A scripted reply: a value, or a function of what was shown. */
export type Reply = unknown | ((shown: Shown) => unknown);
/** A `withProgress` run: its options, the steps reported, and a cancel button. */
export interface ProgressRun {
  options: Record<string, unknown>;
  reports: Array<{ increment?: number; message?: string }>;
  cancel(): void;
}

/** The settings' defaults, read from the manifest (what VS Code would answer with nothing set). */
function manifestDefaults(): Map<string, unknown> {
  const manifest = JSON.parse(
    readFileSync(path.resolve(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8'),
  ) as {
    contributes: {
      configuration:
        | { properties: Record<string, { default?: unknown }> }
        | Array<{ properties: Record<string, { default?: unknown }> }>;
    };
  };
  const sections = ([] as Array<{ properties: Record<string, { default?: unknown }> }>).concat(
    manifest.contributes.configuration,
  );
  return new Map(
    sections.flatMap((s) => Object.entries(s.properties).map(([k, v]) => [k, v.default] as [string, unknown])),
  );
}
const DEFAULTS = manifestDefaults();

/** The controller: what the extension did, and the levers a test pulls. */
class VscodeFake {
  readonly commands = new Map<string, Fn>();
  /** Every `executeCommand`, in order (registered or not). */
  executed: Array<{ id: string; args: unknown[] }> = [];
  readonly contexts = new Map<string, unknown>();
  readonly trees = new Map<string, FakeTreeView>();
  readonly statusItems = new Map<string, FakeStatusBarItem>();
  readonly webviewProviders = new Map<
    string,
    { resolveWebviewView(view: FakeWebviewView, ...rest: unknown[]): unknown }
  >();
  readonly panelSerializers = new Map<
    string,
    { deserializeWebviewPanel(panel: FakePanel, state: unknown): Promise<void> }
  >();
  readonly contentProviders = new Map<string, { provideTextDocumentContent(uri: Uri): string }>();
  panels: FakePanel[] = [];
  channels: FakeLogChannel[] = [];
  quickPicks: FakeQuickPick[] = [];
  shown: Shown[] = [];
  progress: ProgressRun[] = [];
  documentsShown: Array<{ uri: Uri; text: string | undefined }> = [];
  private replies: Array<{ kind: Shown['kind']; reply: Reply }> = [];
  /** `kisMarket.x` → value, per scope. */
  readonly globalValues = new Map<string, unknown>();
  readonly workspaceValues = new Map<string, unknown>();
  isTrusted = true;
  workspaceFolders: Array<{ uri: Uri; name: string; index: number }> | undefined;
  language = 'en';
  readonly configuration = new EventEmitter<{ affectsConfiguration(section: string): boolean }>();
  readonly trust = new EventEmitter<void>();
  readonly saves = new EventEmitter<{ uri: Uri }>();
  readonly quickPickShown = new EventEmitter<FakeQuickPick>();
  readonly progressStarted = new EventEmitter<ProgressRun>();
  readonly messageShown = new EventEmitter<Shown>();
  /** Fires with each tree view the extension creates (or tree data provider it registers). */
  readonly treeCreated = new EventEmitter<FakeTreeView>();
  /** Fires with the view type of each webview view provider the extension registers. */
  readonly webviewViewRegistered = new EventEmitter<string>();

  /** Forgets everything a test did (settings, registrations, recordings, scripted replies). */
  reset(): void {
    for (const m of [
      this.commands,
      this.contexts,
      this.trees,
      this.statusItems,
      this.webviewProviders,
      this.panelSerializers,
      this.contentProviders,
      this.globalValues,
      this.workspaceValues,
    ])
      m.clear();
    this.executed = [];
    this.panels = [];
    this.channels = [];
    this.quickPicks = [];
    this.shown = [];
    this.progress = [];
    this.documentsShown = [];
    this.replies = [];
    this.isTrusted = true;
    this.workspaceFolders = undefined;
    this.language = 'en';
    for (const e of [...liveEmitters]) if (!this.own(e)) liveEmitters.delete(e);
  }

  private own(e: EventEmitter<unknown>): boolean {
    return [
      this.configuration,
      this.trust,
      this.saves,
      this.quickPickShown,
      this.progressStarted,
      this.messageShown,
      this.treeCreated,
      this.webviewViewRegistered,
    ].includes(e as never);
  }

  /** Listeners still registered on the workspace's own events (configuration, trust, saves). */
  workspaceListeners(): number {
    return this.configuration.listenerCount + this.trust.listenerCount + this.saves.listenerCount;
  }

  /** Queues the answer to the next message or picker of `kind` (unanswered ones resolve undefined). */
  answer(kind: Shown['kind'], reply: Reply): void {
    this.replies.push({ kind, reply });
  }

  /** The messages shown at `kind` (all kinds when omitted), as text. */
  messages(kind?: Shown['kind']): string[] {
    return this.shown.filter((s) => kind === undefined || s.kind === kind).map((s) => s.message);
  }

  /** Runs a registered command as VS Code would (what its handler returns). */
  async execute(id: string, ...args: unknown[]): Promise<unknown> {
    return vscode.commands.executeCommand(id, ...args);
  }

  /** The setting as the extension reads it (workspace over user over default). */
  setting(key: string): unknown {
    return this.workspaceValues.get(key) ?? this.globalValues.get(key) ?? DEFAULTS.get(key);
  }

  /** The user changes a setting (in the user scope, or the workspace's): the change event fires. */
  setSetting(key: string, value: unknown, scope: 'global' | 'workspace' = 'global'): void {
    const values = scope === 'global' ? this.globalValues : this.workspaceValues;
    if (value === undefined) values.delete(key);
    else values.set(key, value);
    this.configuration.fire({ affectsConfiguration: (section) => key === section || key.startsWith(`${section}.`) });
  }

  /** VS Code shows a webview view: the registered provider resolves a new one (`prepare` sees it first). */
  showWebviewView(viewType: string, prepare?: (view: FakeWebviewView) => void): FakeWebviewView {
    const provider = this.webviewProviders.get(viewType);
    if (!provider) throw new Error(`no webview view provider for ${viewType}`);
    const view = new FakeWebviewView(viewType);
    prepare?.(view);
    void provider.resolveWebviewView(view, { state: undefined }, { isCancellationRequested: false });
    return view;
  }

  /** VS Code restores a panel after a restart through the registered serializer. */
  async restorePanel(viewType: string): Promise<FakePanel> {
    const serializer = this.panelSerializers.get(viewType);
    if (!serializer) throw new Error(`no panel serializer for ${viewType}`);
    const panel = new FakePanel(viewType, 'restored');
    await serializer.deserializeWebviewPanel(panel, undefined);
    return panel;
  }

  /** An extension context rooted at `root` (an empty memento, no secrets). */
  context(root: string): FakeContext {
    return new FakeContext(root);
  }

  show(kind: Shown['kind'], message: string, items: unknown[], options?: Record<string, unknown>): unknown {
    const shown: Shown = { kind, message, items, options };
    this.shown.push(shown);
    this.messageShown.fire(shown);
    const at = this.replies.findIndex((r) => r.kind === kind);
    if (at < 0) return undefined;
    const [{ reply }] = this.replies.splice(at, 1);
    return typeof reply === 'function' ? (reply as (s: Shown) => unknown)(shown) : reply;
  }
}

/** A fake `vscode.ExtensionContext`. */
export class FakeContext {
  readonly subscriptions: Array<{ dispose(): unknown }> = [];
  readonly globalState = new Memento();
  readonly workspaceState = new Memento();
  readonly secrets = new SecretStorage();
  readonly extensionUri: Uri;
  readonly globalStorageUri: Uri;
  readonly logUri: Uri;
  readonly storageUri = undefined;
  readonly extensionMode = 3;
  constructor(readonly extensionPath: string) {
    this.extensionUri = Uri.file(extensionPath);
    this.globalStorageUri = Uri.file(path.join(extensionPath, 'global-storage'));
    this.logUri = Uri.file(path.join(extensionPath, 'log'));
  }
  asAbsolutePath(p: string): string {
    return path.join(this.extensionPath, p);
  }
  /** What VS Code does on deactivation: disposes every subscription. */
  disposeAll(): void {
    for (const d of this.subscriptions.splice(0).reverse()) d.dispose();
  }
}

/** The controller of the stand-in (one per process). */
export const vscodeFake = new VscodeFake();
const f = vscodeFake;

function configurationSection(section: string): Record<string, unknown> {
  const full = (key: string): string => (section ? `${section}.${key}` : key);
  return {
    get: (key: string, fallback?: unknown) => f.setting(full(key)) ?? fallback,
    has: (key: string) => f.setting(full(key)) !== undefined,
    inspect: (key: string) => ({
      key: full(key),
      defaultValue: DEFAULTS.get(full(key)),
      globalValue: f.globalValues.get(full(key)),
      workspaceValue: f.workspaceValues.get(full(key)),
      workspaceFolderValue: undefined,
    }),
    update: async (key: string, value: unknown, target?: number | boolean) =>
      f.setSetting(full(key), value, target === 2 || target === 3 || target === false ? 'workspace' : 'global'),
  };
}

/** The `vscode` module object (an ES module namespace, so imports read its members live). */
export const vscode = {
  __esModule: true,
  version: '1.138.0',
  EventEmitter,
  Disposable,
  Uri,
  ThemeColor,
  ThemeIcon,
  TreeItem,
  MarkdownString,
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  StatusBarAlignment: { Left: 1, Right: 2 },
  ViewColumn: { Active: -1, Beside: -2, One: 1 },
  ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
  ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
  ExtensionMode: { Production: 1, Development: 2, Test: 3 },
  LogLevel: { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5 },
  l10n: { t: format, bundle: undefined, uri: undefined },
  env: {
    get language(): string {
      return f.language;
    },
    appName: 'unit',
    uriScheme: 'vscode',
    machineId: 'unit',
  },
  commands: {
    registerCommand(id: string, handler: Fn): Disposable {
      if (f.commands.has(id)) throw new Error(`command '${id}' already exists`);
      f.commands.set(id, handler);
      return new Disposable(() => f.commands.get(id) === handler && f.commands.delete(id));
    },
    async executeCommand(id: string, ...args: unknown[]): Promise<unknown> {
      f.executed.push({ id, args });
      if (id === 'setContext') return void f.contexts.set(String(args[0]), args[1]);
      const handler = f.commands.get(id);
      return handler ? await (handler as (...a: unknown[]) => unknown)(...args) : undefined;
    },
    getCommands: async () => [...f.commands.keys()],
  },
  window: {
    createOutputChannel(name: string): FakeLogChannel {
      const channel = new FakeLogChannel(name);
      f.channels.push(channel);
      return channel;
    },
    createTreeView(id: string, options: { treeDataProvider: TreeProvider }): FakeTreeView {
      const view = new FakeTreeView(id, options.treeDataProvider);
      f.trees.set(id, view);
      f.treeCreated.fire(view);
      return view;
    },
    registerTreeDataProvider(id: string, provider: TreeProvider): Disposable {
      const view = new FakeTreeView(id, provider);
      f.trees.set(id, view);
      f.treeCreated.fire(view);
      return new Disposable(() => view.dispose());
    },
    createStatusBarItem(id: string, alignment: number, priority: number): FakeStatusBarItem {
      const item = new FakeStatusBarItem(id, alignment, priority);
      f.statusItems.set(id, item);
      return item;
    },
    registerWebviewViewProvider(
      id: string,
      provider: { resolveWebviewView(view: FakeWebviewView): unknown },
    ): Disposable {
      f.webviewProviders.set(id, provider);
      f.webviewViewRegistered.fire(id);
      return new Disposable(() => f.webviewProviders.delete(id));
    },
    registerWebviewPanelSerializer(
      viewType: string,
      serializer: { deserializeWebviewPanel(panel: FakePanel, state: unknown): Promise<void> },
    ): Disposable {
      f.panelSerializers.set(viewType, serializer);
      return new Disposable(() => f.panelSerializers.delete(viewType));
    },
    createWebviewPanel(viewType: string, title: string): FakePanel {
      const panel = new FakePanel(viewType, title);
      f.panels.push(panel);
      return panel;
    },
    showInformationMessage: async (message: string, ...items: unknown[]) => f.show('info', message, items),
    showWarningMessage: async (message: string, ...items: unknown[]) => f.show('warning', message, items),
    showErrorMessage: async (message: string, ...items: unknown[]) => f.show('error', message, items),
    showQuickPick: async (items: unknown, options?: Record<string, unknown>) =>
      f.show(
        'quickPick',
        String(options?.title ?? options?.placeHolder ?? ''),
        [...((await items) as unknown[])],
        options,
      ),
    showInputBox: async (options?: Record<string, unknown>) =>
      f.show('inputBox', String(options?.title ?? options?.prompt ?? ''), [], options),
    showSaveDialog: async (options?: Record<string, unknown>) =>
      f.show('saveDialog', String(options?.title ?? ''), [], options),
    showOpenDialog: async (options?: Record<string, unknown>) =>
      f.show('openDialog', String(options?.title ?? ''), [], options),
    createQuickPick(): FakeQuickPick {
      const pick = new FakeQuickPick((p) => f.quickPickShown.fire(p));
      f.quickPicks.push(pick);
      return pick;
    },
    async withProgress<R>(
      options: Record<string, unknown>,
      task: (progress: unknown, token: unknown) => Promise<R>,
    ): Promise<R> {
      const cancelled = new EventEmitter<void>();
      const token = { isCancellationRequested: false, onCancellationRequested: cancelled.event };
      const run: ProgressRun = {
        options,
        reports: [],
        cancel: () => {
          token.isCancellationRequested = true;
          cancelled.fire();
        },
      };
      f.progress.push(run);
      const result = task(
        { report: (step: { increment?: number; message?: string }) => run.reports.push(step) },
        token,
      );
      f.progressStarted.fire(run);
      return result;
    },
    async showTextDocument(doc: { uri: Uri; getText?(): string } | Uri): Promise<unknown> {
      const uri = doc instanceof Uri ? doc : doc.uri;
      f.documentsShown.push({ uri, text: doc instanceof Uri ? undefined : doc.getText?.() });
      return {};
    },
  },
  workspace: {
    getConfiguration: (section = '') => configurationSection(section),
    onDidChangeConfiguration: f.configuration.event,
    onDidGrantWorkspaceTrust: f.trust.event,
    onDidSaveTextDocument: f.saves.event,
    get isTrusted(): boolean {
      return f.isTrusted;
    },
    get workspaceFolders(): unknown {
      return f.workspaceFolders;
    },
    name: undefined,
    registerTextDocumentContentProvider(
      scheme: string,
      provider: { provideTextDocumentContent(uri: Uri): string },
    ): Disposable {
      f.contentProviders.set(scheme, provider);
      return new Disposable(() => f.contentProviders.delete(scheme));
    },
    async openTextDocument(uri: Uri): Promise<{ uri: Uri; getText(): string }> {
      const provider = f.contentProviders.get(uri.scheme);
      const text = provider ? provider.provideTextDocumentContent(uri) : await fs.readFile(uri.fsPath, 'utf8');
      return { uri, getText: () => text };
    },
    fs: {
      createDirectory: async (uri: Uri) => void (await fs.mkdir(uri.fsPath, { recursive: true })),
      copy: async (from: Uri, to: Uri, options?: { overwrite?: boolean }) =>
        fs.copyFile(from.fsPath, to.fsPath, options?.overwrite ? 0 : fs.constants.COPYFILE_EXCL),
    },
  },
};

/** Makes `require('vscode')` return the stand-in in this process (idempotent). */
export function installVscode(): void {
  mapModule('vscode', vscode);
}
installVscode();

export { nextEvent } from '../../support/wait';
