/**
 * The UI objects of the `vscode` stand-in: tree views, status bar items, webviews (view and panel), the
 * quick pick and the log channel. Each records what the extension set on it, so a test reads what a user
 * would see (a row's label, the status text, the messages posted to a webview).
 */
import { EventEmitter, type TreeItem, type Uri } from './vscodeTypes';

/**
 * Whether the UI objects keep what they were given (tree changes, posted messages, log lines) for a test to
 * read. Off in a benchmark that runs the extension for minutes: it only counts, and must not grow.
 */
export const history = { keep: true };

/** The tree data provider as the stand-in calls it. */
export interface TreeProvider {
  getChildren(element?: string): string[] | Promise<string[]>;
  getTreeItem(element: string): TreeItem;
  onDidChangeTreeData?: (listener: (element: string | string[] | undefined) => unknown) => { dispose(): unknown };
}

/** `vscode.TreeView`: visibility is driven by the test; `changes` records every `onDidChangeTreeData`. */
export class FakeTreeView {
  visible = true;
  description: string | undefined;
  disposed = false;
  /** Every element announced as changed (`undefined`: the whole tree). */
  readonly changes: Array<string | undefined> = [];
  /** Every `onDidChangeTreeData` event as fired (one element, several, or `undefined`). */
  readonly events: Array<string | string[] | undefined> = [];
  private readonly visibility = new EventEmitter<{ visible: boolean }>();
  readonly onDidChangeVisibility = this.visibility.event;
  private readonly changeListener: { dispose(): unknown } | undefined;

  constructor(
    readonly id: string,
    readonly provider: TreeProvider,
  ) {
    this.changeListener = provider.onDidChangeTreeData?.((element) => {
      if (!history.keep) return;
      this.events.push(element);
      this.changes.push(...(Array.isArray(element) ? element : [element]));
    });
  }

  /** Shows or hides the view, as the user would. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    this.visibility.fire({ visible });
  }

  /** The top-level items as the tree would draw them now. */
  async items(): Promise<TreeItem[]> {
    const children = await this.provider.getChildren(undefined);
    return children.map((c) => this.provider.getTreeItem(c));
  }

  dispose(): void {
    this.disposed = true;
    this.changeListener?.dispose();
    this.visibility.dispose();
  }
}

/** `vscode.StatusBarItem`. */
export class FakeStatusBarItem {
  name = '';
  private textValue = '';
  private readonly redrawn = new EventEmitter<string>();
  /** Fires with the new text each time the extension sets it. */
  readonly onDidSetText = this.redrawn.event;
  get text(): string {
    return this.textValue;
  }
  set text(value: string) {
    this.textValue = value;
    this.redrawn.fire(value);
  }
  tooltip: unknown;
  command: unknown;
  backgroundColor: unknown;
  accessibilityInformation: unknown;
  shown = false;
  disposed = false;
  constructor(
    readonly id: string,
    readonly alignment: number,
    readonly priority: number,
  ) {}
  show(): void {
    this.shown = true;
  }
  hide(): void {
    this.shown = false;
  }
  dispose(): void {
    this.disposed = true;
    this.shown = false;
  }
}

/** `vscode.Webview`: `posted` holds what the extension sent; `receive` plays a message from the page. */
export class FakeWebview {
  options: unknown = {};
  html = '';
  readonly cspSource = 'https://fake.vscode-cdn.net';
  readonly posted: unknown[] = [];
  /** What `postMessage` resolves to (false: the page is gone or hidden). */
  accept = true;
  private readonly messages = new EventEmitter<unknown>();
  readonly onDidReceiveMessage = this.messages.event;
  private readonly posts = new EventEmitter<unknown>();
  /** Fires with each message the extension posts. */
  readonly onDidPost = this.posts.event;
  asWebviewUri(uri: Uri): { toString(): string } {
    return { toString: () => `${this.cspSource}${uri.path}` };
  }
  postMessage(message: unknown): Promise<boolean> {
    if (history.keep) this.posted.push(message);
    this.posts.fire(message);
    return Promise.resolve(this.accept);
  }
  /** A message from the page's script. */
  receive(message: unknown): void {
    this.messages.fire(message);
  }
  /** The posted messages of one `type`. */
  ofType(type: string): Array<Record<string, unknown>> {
    return this.posted.filter(
      (m): m is Record<string, unknown> =>
        typeof m === 'object' && m !== null && (m as { type?: unknown }).type === type,
    );
  }
}

/** `vscode.WebviewView`. */
export class FakeWebviewView {
  readonly webview = new FakeWebview();
  visible = true;
  readonly shown: Array<boolean | undefined> = [];
  private readonly visibility = new EventEmitter<void>();
  readonly onDidChangeVisibility = this.visibility.event;
  private readonly disposal = new EventEmitter<void>();
  readonly onDidDispose = this.disposal.event;
  constructor(readonly viewType: string) {}
  show(preserveFocus?: boolean): void {
    this.shown.push(preserveFocus);
  }
  setVisible(visible: boolean): void {
    this.visible = visible;
    this.visibility.fire();
  }
  /** The user closed the view (VS Code disposes the webview). */
  close(): void {
    this.disposal.fire();
  }
}

/** `vscode.WebviewPanel`. */
export class FakePanel {
  readonly webview = new FakeWebview();
  visible = true;
  revealed = 0;
  disposed = false;
  private readonly viewState = new EventEmitter<void>();
  readonly onDidChangeViewState = this.viewState.event;
  private readonly disposal = new EventEmitter<void>();
  readonly onDidDispose = this.disposal.event;
  constructor(
    readonly viewType: string,
    readonly title: string,
  ) {}
  reveal(): void {
    this.revealed++;
  }
  setVisible(visible: boolean): void {
    this.visible = visible;
    this.viewState.fire();
  }
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposal.fire();
  }
}

/** An item of a quick pick. */
export interface PickItem {
  label: string;
  description?: string;
  detail?: string;
  [key: string]: unknown;
}

/** `vscode.QuickPick`: the test types (`type`), checks items (`selectedItems`) and accepts or hides it. */
export class FakeQuickPick {
  title = '';
  placeholder = '';
  canSelectMany = false;
  matchOnDescription = false;
  matchOnDetail = false;
  /** True while the picker loads its lists (the extension sets it). */
  busy = false;
  private shownItems: readonly PickItem[] = [];
  selectedItems: readonly PickItem[] = [];
  activeItems: readonly PickItem[] = [];
  value = '';
  visible = false;
  disposed = false;
  private readonly valueEmitter = new EventEmitter<string>();
  private readonly acceptEmitter = new EventEmitter<void>();
  private readonly hideEmitter = new EventEmitter<void>();
  readonly onDidChangeValue = this.valueEmitter.event;
  readonly onDidAccept = this.acceptEmitter.event;
  readonly onDidHide = this.hideEmitter.event;
  private readonly itemsEmitter = new EventEmitter<readonly PickItem[]>();
  /** Fires whenever the extension replaces the items (on a keystroke, or when its lists finish loading). */
  readonly onItemsChanged = this.itemsEmitter.event;
  get items(): readonly PickItem[] {
    return this.shownItems;
  }
  set items(items: readonly PickItem[]) {
    this.shownItems = items;
    this.itemsEmitter.fire(items);
  }
  constructor(private readonly onShow: (pick: FakeQuickPick) => void) {}
  show(): void {
    this.visible = true;
    this.onShow(this);
  }
  hide(): void {
    if (!this.visible) return;
    this.visible = false;
    this.hideEmitter.fire();
  }
  /** The user typed `value`. */
  type(value: string): void {
    this.value = value;
    this.valueEmitter.fire(value);
  }
  /** The user pressed Enter. */
  accept(): void {
    this.acceptEmitter.fire();
  }
  dispose(): void {
    this.disposed = true;
  }
}

/** A `LogOutputChannel` that keeps its lines (`level: message`). */
export class FakeLogChannel {
  readonly lines: string[] = [];
  disposed = false;
  private readonly written = new EventEmitter<string>();
  /** Fires with each line written. */
  readonly onLine = this.written.event;
  constructor(readonly name: string) {}
  trace(message: string): void {
    this.write(`trace: ${message}`);
  }
  debug(message: string): void {
    this.write(`debug: ${message}`);
  }
  info(message: string): void {
    this.write(`info: ${message}`);
  }
  warn(message: string): void {
    this.write(`warn: ${message}`);
  }
  error(message: string | Error): void {
    this.write(`error: ${String(message)}`);
  }
  appendLine(message: string): void {
    this.write(message);
  }
  private write(line: string): void {
    if (history.keep) this.lines.push(line);
    this.written.fire(line);
  }
  show(): void {}
  dispose(): void {
    this.disposed = true;
  }
}
