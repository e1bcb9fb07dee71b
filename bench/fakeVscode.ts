/**
 * A stand-in for the `vscode` module, enough for `activate()` to run outside VS Code (bench/activation.ts)
 * and, with `FakeHostOptions`, for the extension to stream and draw (bench/peak-load.ts): the values whose
 * shape matters are real (configuration reads return the given settings or the default, mementos store,
 * secrets hold what they are given, events can be subscribed and fired, `l10n.t` formats); everything
 * else is a generous Proxy stub: any property is another stub, any call or `new` returns a stub, and a
 * stub is disposable and not thenable (so `await` on it resolves at once).
 *
 * The views' side of VS Code (`FakeWorkbench`): tree data providers are asked for their items as the
 * workbench asks them (on each `onDidChangeTreeData`, the changed element's `getTreeItem`, or the whole
 * tree for `undefined`), and the items are serialised as the extension host does to send them to the
 * renderer; webview view providers are resolved with a webview whose `postMessage` serialises each
 * message, and which answers the ticker's handshake (`ready`). So the views' own code runs, and costs
 * what it costs, on the main thread.
 */
import Module from 'node:module';
import * as path from 'node:path';

type Listener = (value: unknown) => void;

/** A disposable with a `dispose()` that does nothing. */
const disposable = (): { dispose(): void } => ({ dispose: () => undefined });

/** A Proxy stub standing in for any API object, function or class. */
export function stub(name = 'vscode'): unknown {
  const own = new Map<PropertyKey, unknown>();
  const target = function stubTarget(): void {
    /* callable */
  };
  return new Proxy(target, {
    get(_t, prop) {
      if (own.has(prop)) return own.get(prop);
      if (prop === 'then') return undefined;
      if (prop === 'dispose') return () => undefined;
      if (prop === Symbol.toPrimitive) return () => `[${name}]`;
      if (prop === Symbol.iterator) return function* empty() {};
      if (prop === 'toString' || prop === 'toJSON') return () => `[${name}]`;
      if (typeof prop === 'symbol') return undefined;
      const child = stub(`${name}.${prop}`);
      own.set(prop, child);
      return child;
    },
    set(_t, prop, value) {
      own.set(prop, value);
      return true;
    },
    has: () => true,
    apply: () => stub(`${name}()`),
    construct: () => stub(`new ${name}`) as object,
  });
}

class EventEmitter<T> {
  private listeners = new Set<Listener>();
  readonly event = (listener: (value: T) => void): { dispose(): void } => {
    const l = listener as Listener;
    this.listeners.add(l);
    return { dispose: () => this.listeners.delete(l) };
  };
  fire(value: T): void {
    for (const l of [...this.listeners]) l(value);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

class Disposable {
  constructor(private readonly onDispose: () => void = () => undefined) {}
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((i) => i.dispose()));
  }
  dispose(): void {
    this.onDispose();
  }
}

class Uri {
  private constructor(
    readonly scheme: string,
    readonly fsPath: string,
    readonly path: string,
  ) {}
  static file(p: string): Uri {
    return new Uri('file', p, p);
  }
  static parse(text: string): Uri {
    return new Uri(text.split(':')[0] ?? 'file', text, text);
  }
  static from(parts: { scheme: string; path?: string }): Uri {
    return new Uri(parts.scheme, parts.path ?? '', parts.path ?? '');
  }
  static joinPath(base: Uri, ...segments: string[]): Uri {
    const p = path.join(base.fsPath, ...segments);
    return new Uri(base.scheme, p, p);
  }
  with(): Uri {
    return this;
  }
  toString(): string {
    return `${this.scheme}://${this.path}`;
  }
}

class Plain {
  constructor(...args: unknown[]) {
    Object.assign(this, { args });
  }
}

function format(message: string, ...args: unknown[]): string {
  const values = args.length === 1 && typeof args[0] === 'object' && args[0] !== null ? (args[0] as Record<string, unknown>) : args;
  return message.replace(/\{(\w+)\}/g, (m, k: string) => (k in (values as object) ? String((values as Record<string, unknown>)[k]) : m));
}

function memento(): Record<string, unknown> {
  const data = new Map<string, unknown>();
  return {
    get: (key: string, fallback?: unknown) => (data.has(key) ? data.get(key) : fallback),
    update: async (key: string, value: unknown) => void data.set(key, value),
    keys: () => [...data.keys()],
    setKeysForSync: () => undefined,
  };
}

/** The parts of a tree data provider the workbench calls. */
interface TreeProvider {
  onDidChangeTreeData?: (listener: (element: unknown) => void) => { dispose(): void };
  getChildren(element?: unknown): unknown;
  getTreeItem(element: unknown): unknown;
}

/** The parts of a webview view provider the workbench calls. */
interface WebviewViewProvider {
  resolveWebviewView(view: unknown, context: unknown, token: unknown): unknown;
}

/**
 * The workbench side of the views (see the file comment): counts what the views asked to draw, and the
 * ticker's posted messages. `onPost` sees every message a webview is sent (for tests of the wire-to-screen
 * path it could find a marker; here it only counts).
 */
export class FakeWorkbench {
  treeItemsDrawn = 0;
  treeRefreshes = 0;
  webviewPosts = 0;
  webviewPostedBytes = 0;
  private readonly disposables: { dispose(): void }[] = [];

  /** Draws a tree as the workbench does: all of it on `undefined`, else the changed elements. */
  addTree(provider: TreeProvider): void {
    const draw = (element: unknown): void => {
      const item = provider.getTreeItem(element);
      this.treeItemsDrawn++;
      // The extension host serialises each item to send it to the renderer.
      JSON.stringify(item);
    };
    const drawAll = async (parent?: unknown, depth = 0): Promise<void> => {
      const children = (await provider.getChildren(parent)) as unknown[] | undefined;
      for (const child of children ?? []) {
        draw(child);
        if (depth < 2) await drawAll(child, depth + 1);
      }
    };
    let pending = new Set<unknown>();
    let all = false;
    let scheduled = false;
    const flush = (): void => {
      scheduled = false;
      const elements = pending;
      const everything = all;
      pending = new Set();
      all = false;
      this.treeRefreshes++;
      if (everything) void drawAll();
      else for (const element of elements) draw(element);
    };
    const subscription = provider.onDidChangeTreeData?.((element) => {
      if (element === undefined || element === null) all = true;
      else for (const e of Array.isArray(element) ? element : [element]) pending.add(e);
      // The workbench takes the events of one turn together (they arrive over one RPC batch).
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
    if (subscription) this.disposables.push(subscription);
    void drawAll();
  }

  /** Resolves a webview view provider with a visible view whose webview serialises what it is posted. */
  addWebviewView(provider: WebviewViewProvider): void {
    const received = new EventEmitter<unknown>();
    const webview = {
      options: {},
      html: '',
      cspSource: 'bench-webview',
      asWebviewUri: (uri: unknown) => uri,
      onDidReceiveMessage: received.event,
      postMessage: async (message: unknown): Promise<boolean> => {
        this.webviewPosts++;
        this.webviewPostedBytes += JSON.stringify(message).length;
        return true;
      },
    };
    const view = withStub(
      {
        webview,
        visible: true,
        onDidChangeVisibility: new EventEmitter<void>().event,
        onDidDispose: new EventEmitter<void>().event,
        show: () => undefined,
      },
      'WebviewView',
    );
    provider.resolveWebviewView(view, {}, stub('CancellationToken'));
    // The webview's script loads and says it is ready (src/shared/webviewProtocol.ts).
    setImmediate(() => received.fire({ type: 'ready' }));
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** What a fake host is set up with (all optional: a first install by default). */
export interface FakeHostOptions {
  /** `kisMarket.*` settings by key without the section, e.g. `{ dataSource: 'real' }` (user-level values). */
  settings?: Record<string, unknown>;
  /** Draws the views as the workbench does (default: the views are registered and never asked). */
  workbench?: FakeWorkbench;
}

/** A TreeView whose visibility is real (views draw only while visible). */
function treeView(): unknown {
  return withStub({ visible: true, onDidChangeVisibility: new EventEmitter<{ visible: boolean }>().event, onDidChangeSelection: new EventEmitter<unknown>().event }, 'TreeView');
}

/** Builds the fake module (a Proxy over the real parts, stubbing the rest). */
export function fakeVscode(options: FakeHostOptions = {}): unknown {
  const settings = options.settings ?? {};
  const bench = options.workbench;
  const window = {
    createOutputChannel: () => stub('LogOutputChannel'),
    createTreeView: (_id: string, viewOptions?: { treeDataProvider?: TreeProvider }) => {
      if (bench && viewOptions?.treeDataProvider) bench.addTree(viewOptions.treeDataProvider);
      return bench ? treeView() : stub('TreeView');
    },
    createStatusBarItem: () => stub('StatusBarItem'),
    registerWebviewViewProvider: (_id: string, provider: WebviewViewProvider) => {
      if (bench) bench.addWebviewView(provider);
      return disposable();
    },
    registerTreeDataProvider: (_id: string, provider: TreeProvider) => {
      bench?.addTree(provider);
      return disposable();
    },
    showInformationMessage: async () => undefined,
    showWarningMessage: async () => undefined,
    showErrorMessage: async () => undefined,
  };
  const workspace = {
    getConfiguration: () => ({
      get: (key: string, fallback?: unknown) => (key in settings ? settings[key] : fallback),
      has: (key: string) => key in settings,
      inspect: (key: string) => (key in settings ? { key, globalValue: settings[key] } : undefined),
      update: async () => undefined,
    }),
    onDidChangeConfiguration: disposable,
    registerTextDocumentContentProvider: disposable,
    workspaceFolders: undefined,
  };
  const real: Record<string, unknown> = {
    window: withStub(window, 'window'),
    workspace: withStub(workspace, 'workspace'),
    commands: withStub({ registerCommand: disposable, executeCommand: async () => undefined }, 'commands'),
    env: withStub({ language: 'en', appName: 'bench', uriScheme: 'vscode', machineId: 'bench' }, 'env'),
    l10n: { t: format, bundle: undefined, uri: undefined },
    EventEmitter,
    Disposable,
    Uri,
    ThemeColor: Plain,
    ThemeIcon: Object.assign(Plain, { File: new Plain('file'), Folder: new Plain('folder') }),
    TreeItem: Plain,
    MarkdownString: class extends Plain {
      value = '';
      appendMarkdown(s: string): this {
        this.value += s;
        return this;
      }
      appendText(s: string): this {
        this.value += s;
        return this;
      }
    },
    TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
    StatusBarAlignment: { Left: 1, Right: 2 },
    ViewColumn: { Active: -1, Beside: -2, One: 1 },
    ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    ExtensionMode: { Production: 1, Development: 2, Test: 3 },
    LogLevel: { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5 },
    version: '1.138.0',
  };
  return withStub(real, 'vscode');
}

/** `base`'s own properties, and a stub for anything else. */
function withStub<T extends object>(base: T, name: string): T {
  const fallback = stub(name) as Record<PropertyKey, unknown>;
  return new Proxy(base, {
    get: (t, prop) => (prop in t ? (t as Record<PropertyKey, unknown>)[prop] : fallback[prop]),
  });
}

/** A fake `ExtensionContext` rooted at `root`: nothing stored (an empty watchlist, no credentials) unless given. */
export function fakeContext(root: string, stored: { globalState?: Record<string, unknown>; secrets?: Record<string, string> } = {}): unknown {
  const uri = Uri.file(root);
  const globalState = memento();
  for (const [key, value] of Object.entries(stored.globalState ?? {})) void (globalState.update as (k: string, v: unknown) => Promise<void>)(key, value);
  const secrets = new Map(Object.entries(stored.secrets ?? {}));
  const context = {
    subscriptions: [] as { dispose(): unknown }[],
    extensionUri: uri,
    extensionPath: root,
    globalState,
    workspaceState: memento(),
    secrets: {
      get: async (key: string) => secrets.get(key),
      store: async (key: string, value: string) => void secrets.set(key, value),
      delete: async (key: string) => void secrets.delete(key),
      onDidChange: disposable,
    },
    extensionMode: 1,
    storageUri: undefined,
    globalStorageUri: Uri.file(path.join(root, '.bench-storage')),
    logUri: Uri.file(path.join(root, '.bench-log')),
    asAbsolutePath: (p: string) => path.join(root, p),
  };
  return withStub(context, 'ExtensionContext');
}

/** Makes `require('vscode')` return `api` in this process (for the module loader and the bundle alike). */
export function installFakeVscode(api: unknown): void {
  const id = path.join(__dirname, '__fake_vscode__.js');
  const loader = Module as unknown as {
    _resolveFilename: (request: string, ...rest: unknown[]) => string;
    _cache: Record<string, unknown>;
  };
  const original = loader._resolveFilename;
  loader._resolveFilename = function resolve(request: string, ...rest: unknown[]): string {
    return request === 'vscode' ? id : original.call(this, request, ...rest);
  };
  const cached = new Module(id);
  cached.filename = id;
  cached.loaded = true;
  cached.exports = api;
  require.cache[id] = cached;
}
