/**
 * The VS Code host of the benchmarks that run the extension outside VS Code (bench/activation.ts,
 * bench/peak-load.ts): the unit tests' `vscode` stand-in (test/unit/support/vscode.ts: one stand-in for
 * tests and benchmarks), set up with the given settings and stored state, and a `FakeWorkbench`.
 *
 * The views' side of VS Code (`FakeWorkbench`): tree data providers are asked for their items as the
 * workbench asks them (on each `onDidChangeTreeData`, the changed element's `getTreeItem`, or the whole
 * tree for `undefined`), and the items are serialised as the extension host does to send them to the
 * renderer; webview views are resolved as soon as they are registered, every message posted to them is
 * serialised, and each answers the ticker's handshake (`ready`). So the views' own code runs, and costs
 * what it costs, on the main thread. The stand-in keeps no history here (a run lasts minutes): it counts.
 */
import { history, vscodeFake, type FakeContext, type TreeProvider } from '../../test/unit/support/vscode';

/** Counts what the views asked the workbench to draw, and the messages posted to webviews. */
export class FakeWorkbench {
  treeItemsDrawn = 0;
  treeRefreshes = 0;
  webviewPosts = 0;
  webviewPostedBytes = 0;
  private readonly disposables: { dispose(): unknown }[] = [];

  /** Draws every tree the extension creates from now on, and resolves every webview view it registers. */
  attach(): this {
    this.disposables.push(
      vscodeFake.treeCreated.event((view) => this.addTree(view.provider)),
      vscodeFake.webviewViewRegistered.event((viewType) => this.addWebviewView(viewType)),
    );
    return this;
  }

  /** Draws a tree as the workbench does: all of it on `undefined`, else the changed elements. */
  private addTree(provider: TreeProvider): void {
    const draw = (element: string): void => {
      const item = provider.getTreeItem(element);
      this.treeItemsDrawn++;
      // The extension host serialises each item to send it to the renderer.
      JSON.stringify(item);
    };
    const drawAll = async (parent?: string, depth = 0): Promise<void> => {
      const children = await provider.getChildren(parent);
      for (const child of children ?? []) {
        draw(child);
        if (depth < 2) await drawAll(child, depth + 1);
      }
    };
    let pending = new Set<string>();
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

  /** Shows a webview view whose webview serialises what it is posted, and whose script says it is ready. */
  private addWebviewView(viewType: string): void {
    const view = vscodeFake.showWebviewView(viewType, (v) =>
      this.disposables.push(
        v.webview.onDidPost((message) => {
          this.webviewPosts++;
          this.webviewPostedBytes += JSON.stringify(message).length;
        }),
      ),
    );
    // The webview's script loads and says it is ready (src/shared/webviewProtocol.ts).
    setImmediate(() => view.webview.receive({ type: 'ready' }));
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** What the host is set up with (all optional: a first install by default). */
export interface BenchHostOptions {
  /** `kisMarket.*` settings by key without the section, e.g. `{ dataSource: 'real' }` (user-level values). */
  settings?: Record<string, unknown>;
  /** Stored state (globalState) and credentials (SecretStorage) of the extension. */
  globalState?: Record<string, unknown>;
  secrets?: Record<string, string>;
  /** Draws the views as the workbench does (default: the views are registered and never asked). */
  workbench?: FakeWorkbench;
}

/**
 * Sets the stand-in up for one benchmark process (`require('vscode')` answers it once this module is
 * loaded) and returns an extension context rooted at `root`.
 */
export function benchHost(root: string, options: BenchHostOptions = {}): FakeContext {
  history.keep = false;
  vscodeFake.reset();
  for (const [key, value] of Object.entries(options.settings ?? {}))
    vscodeFake.globalValues.set(`kisMarket.${key}`, value);
  options.workbench?.attach();
  const context = vscodeFake.context(root);
  for (const [key, value] of Object.entries(options.globalState ?? {})) context.globalState.data.set(key, value);
  for (const [key, value] of Object.entries(options.secrets ?? {})) context.secrets.data.set(key, value);
  return context;
}
