/**
 * The value types of the `vscode` stand-in (support/vscode.ts): events, URIs, tree items, theme colours,
 * Markdown strings, mementos and secret storage. Each behaves as VS Code's does where the code under test
 * depends on it (an event's disposer removes exactly its listener; a memento stores; `Uri.joinPath`
 * joins), and nothing more.
 */
import * as path from 'node:path';

type Listener<T> = (value: T) => unknown;

/** Every emitter built since the last reset, so a test can count listeners left behind. */
export const liveEmitters = new Set<EventEmitter<unknown>>();

/** `vscode.EventEmitter`: `event(listener)` returns a disposer; `fire` calls every listener in order. */
export class EventEmitter<T> {
  private readonly listeners = new Set<Listener<T>>();
  constructor() {
    liveEmitters.add(this as EventEmitter<unknown>);
  }
  readonly event = (
    listener: Listener<T>,
    thisArg?: unknown,
    disposables?: Array<{ dispose(): unknown }>,
  ): Disposable => {
    const bound: Listener<T> = thisArg === undefined ? listener : (v) => listener.call(thisArg, v);
    this.listeners.add(bound);
    const d = new Disposable(() => this.listeners.delete(bound));
    disposables?.push(d);
    return d;
  };
  fire(value: T): void {
    for (const l of [...this.listeners]) l(value);
  }
  /** Listeners registered and not disposed. */
  get listenerCount(): number {
    return this.listeners.size;
  }
  dispose(): void {
    this.listeners.clear();
    liveEmitters.delete(this as EventEmitter<unknown>);
  }
}

/** `vscode.Disposable`. */
export class Disposable {
  constructor(private readonly onDispose: () => unknown = () => undefined) {}
  static from(...items: Array<{ dispose(): unknown }>): Disposable {
    return new Disposable(() => items.forEach((i) => i.dispose()));
  }
  dispose(): void {
    this.onDispose();
  }
}

/** `vscode.Uri`, enough of it: file paths, custom schemes, `joinPath`. */
export class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
  ) {}
  get fsPath(): string {
    return this.path;
  }
  static file(p: string): Uri {
    return new Uri('file', p);
  }
  static parse(text: string): Uri {
    const colon = text.indexOf(':');
    return colon < 0
      ? new Uri('file', text)
      : new Uri(text.slice(0, colon), text.slice(colon + 1).replace(/^\/\//, ''));
  }
  static from(parts: { scheme: string; path?: string }): Uri {
    return new Uri(parts.scheme, parts.path ?? '');
  }
  static joinPath(base: Uri, ...segments: string[]): Uri {
    return new Uri(base.scheme, path.posix.join(base.path, ...segments));
  }
  with(change: { scheme?: string; path?: string }): Uri {
    return new Uri(change.scheme ?? this.scheme, change.path ?? this.path);
  }
  toString(): string {
    return `${this.scheme}://${this.path}`;
  }
}

/** `vscode.ThemeColor`. */
export class ThemeColor {
  constructor(readonly id: string) {}
}

/** `vscode.ThemeIcon`. */
export class ThemeIcon {
  static readonly File = new ThemeIcon('file');
  static readonly Folder = new ThemeIcon('folder');
  constructor(
    readonly id: string,
    readonly color?: ThemeColor,
  ) {}
}

/** `vscode.MarkdownString`. */
export class MarkdownString {
  supportThemeIcons = false;
  isTrusted = false;
  constructor(public value = '') {}
  appendMarkdown(text: string): this {
    this.value += text;
    return this;
  }
  appendText(text: string): this {
    this.value += text;
    return this;
  }
}

/** `vscode.TreeItem`: the label and collapsible state; every other field is set by the provider. */
export class TreeItem {
  id?: string;
  description?: string | boolean;
  tooltip?: string | MarkdownString;
  iconPath?: unknown;
  contextValue?: string;
  command?: { command: string; title: string; arguments?: unknown[] };
  accessibilityInformation?: { label: string };
  constructor(
    public label: string | { label: string },
    public collapsibleState = 0,
  ) {}
}

/** `vscode.Memento` over a map (`data` is open so a test can plant what a previous version stored). */
export class Memento {
  readonly data = new Map<string, unknown>();
  syncedKeys: readonly string[] = [];
  get<T>(key: string, fallback?: T): T | undefined {
    return this.data.has(key) ? (this.data.get(key) as T) : fallback;
  }
  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.data.delete(key);
    else this.data.set(key, value);
  }
  keys(): readonly string[] {
    return [...this.data.keys()];
  }
  setKeysForSync(keys: readonly string[]): void {
    this.syncedKeys = keys;
  }
}

/** `vscode.SecretStorage` over a map, with its change event. */
export class SecretStorage {
  readonly data = new Map<string, string>();
  private readonly changes = new EventEmitter<{ key: string }>();
  readonly onDidChange = this.changes.event;
  async get(key: string): Promise<string | undefined> {
    return this.data.get(key);
  }
  async store(key: string, value: string): Promise<void> {
    this.data.set(key, value);
    this.changes.fire({ key });
  }
  async delete(key: string): Promise<void> {
    this.data.delete(key);
    this.changes.fire({ key });
  }
  async keys(): Promise<string[]> {
    return [...this.data.keys()];
  }
}

/** `vscode.l10n.t`: `{0}` and `{name}` placeholders, as VS Code formats them. */
export function format(message: string, ...args: unknown[]): string {
  const named =
    args.length === 1 && typeof args[0] === 'object' && args[0] !== null
      ? (args[0] as Record<string, unknown>)
      : undefined;
  return message.replace(/\{(\w+)\}/g, (match, key: string) => {
    const value = named ? named[key] : args[Number(key)];
    return value === undefined ? match : String(value);
  });
}
