/**
 * A stand-in for the `vscode` module, enough for `activate()` to run outside VS Code (bench/activation.ts).
 * The values whose shape matters are real (configuration reads return the default, mementos store,
 * secrets are empty, events can be subscribed and fired, `l10n.t` formats); everything else is a
 * generous Proxy stub: any property is another stub, any call or `new` returns a stub, and a stub is
 * disposable and not thenable (so `await` on it resolves at once).
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

/** Builds the fake module (a Proxy over the real parts, stubbing the rest). */
export function fakeVscode(): unknown {
  const window = {
    createOutputChannel: () => stub('LogOutputChannel'),
    createTreeView: () => stub('TreeView'),
    createStatusBarItem: () => stub('StatusBarItem'),
    registerWebviewViewProvider: disposable,
    registerTreeDataProvider: disposable,
    showInformationMessage: async () => undefined,
    showWarningMessage: async () => undefined,
    showErrorMessage: async () => undefined,
  };
  const workspace = {
    getConfiguration: () => ({
      get: (_key: string, fallback?: unknown) => fallback,
      has: () => false,
      inspect: () => undefined,
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

/** A fake `ExtensionContext` rooted at `root` (nothing stored: an empty watchlist, no credentials). */
export function fakeContext(root: string): unknown {
  const uri = Uri.file(root);
  const context = {
    subscriptions: [] as { dispose(): unknown }[],
    extensionUri: uri,
    extensionPath: root,
    globalState: memento(),
    workspaceState: memento(),
    secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: disposable },
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
