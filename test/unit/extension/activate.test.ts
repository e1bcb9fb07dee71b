// activate() and deactivate() under the vscode stand-in, on the built-in simulator: what a user sees after
// activation (commands, views, status bar), a symbol streaming into the tree, the ticker and the status
// bar, the extension API, and deactivation releasing every socket, worker, timer and listener.
import { vscodeFake, type FakeContext } from '../support/vscode';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { activate, deactivate } from '../../../src/extension';
import type { ExtensionApi } from '../../../src/shared/extensionApi';
import { extensionFolder, REPO_ROOT, until } from '../support/extensionHost';

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  contributes: { commands: Array<{ command: string }> };
};
const IDLE = { socketOpen: false, workerRunning: false, simulatorRunning: false, trackedTasks: 0 };

describe('extension: activate and deactivate (vscode stand-in, built-in simulator)', function () {
  this.timeout(30_000);
  let folder: ReturnType<typeof extensionFolder>;
  let context: FakeContext;
  let api: ExtensionApi | undefined;
  const hubDir = process.env.KIS_MONITOR_HUB_DIR;

  beforeEach(() => {
    vscodeFake.reset();
    folder = extensionFolder();
    process.env.KIS_MONITOR_HUB_DIR = path.join(folder.root, 'hub');
    context = vscodeFake.context(folder.root);
    vscodeFake.setSetting('kisMarket.simulator.ratePerSymbol', 50);
  });

  afterEach(async () => {
    await deactivate();
    context.disposeAll();
    api = undefined;
    folder.remove();
    if (hubDir === undefined) delete process.env.KIS_MONITOR_HUB_DIR;
    else process.env.KIS_MONITOR_HUB_DIR = hubDir;
  });

  /** The watchlist tree as the stand-in holds it. */
  const tree = () => {
    const view = vscodeFake.trees.get('kisMarket.watchlist');
    assert.ok(view, 'the watchlist tree view is created');
    return view;
  };
  const treeChanged = (listener: () => unknown) => tree().provider.onDidChangeTreeData!(listener);

  it('registers every command of the manifest, the three views and the status bar, and streams nothing yet', () => {
    api = activate(context as never);
    for (const { command } of manifest.contributes.commands)
      assert.ok(vscodeFake.commands.has(command), `${command} is registered`);
    assert.ok(vscodeFake.trees.has('kisMarket.alerts'));
    assert.ok(vscodeFake.webviewProviders.has('kisMarket.ticker'));
    assert.ok(vscodeFake.panelSerializers.has('kisMarket.tickerPanel'));
    assert.equal(vscodeFake.panels.length, 0, 'Connection Details opens only when asked');
    const status = vscodeFake.statusItems.get('kisMarket.status');
    assert.ok(status?.shown);
    assert.equal(status.command, 'kisMarket.showConnectionDetails');
    assert.match(status.text, /\$\(/, 'the status text starts with a codicon');
    assert.equal(vscodeFake.contexts.get('kisMarket.hasSymbols'), false);
    assert.equal(vscodeFake.contexts.get('kisMarket.dataSource'), 'simulator');
    assert.deepEqual(api.watchlist(), []);
    assert.deepEqual(api.resources(), IDLE);
    assert.deepEqual(context.globalState.syncedKeys.slice(0, 1), ['kisMarket.watchlist']);
    // The title has ~50 px beside the view's buttons: the phase in a word or two (the status bar says the rest).
    assert.ok((tree().description ?? '').length <= 16 && !/until/.test(tree().description ?? ''), tree().description);
  });

  it('streams a subscribed symbol into the tree, the status bar, the ticker and the details; deactivate releases it all', async () => {
    const listenersBefore = vscodeFake.workspaceListeners();
    api = activate(context as never);
    const added = (await vscodeFake.execute('kisMarket.subscribe', ['005930'])) as { added: string[] };
    assert.deepEqual(added.added, ['005930']);
    assert.equal(vscodeFake.contexts.get('kisMarket.hasSymbols'), true);
    assert.deepEqual(context.globalState.get('kisMarket.watchlist'), ['005930']);

    const ticker = vscodeFake.showWebviewView('kisMarket.ticker');
    assert.match(ticker.webview.html, /Content-Security-Policy/);
    ticker.webview.receive({ type: 'ready' });
    assert.equal(ticker.webview.ofType('init').length, 1);

    // A priced row: the label carries the code and a price once a trade arrived.
    const item = await until(
      () => {
        if (api?.quote('005930') === undefined) return undefined;
        const [first] = tree().provider.getChildren(undefined) as string[];
        const row = tree().provider.getTreeItem(first);
        return /\d,\d{3}/.test(String(row.label)) ? row : undefined;
      },
      treeChanged,
      'a priced watchlist row',
    );
    assert.match(String(item.label), /^Samsung Elec {2}[\d,]+ {2}[+-]?\d+\.\d\d%$/);
    assert.equal(item.command?.command, 'kisMarket.openInTicker');
    assert.deepEqual(item.command?.arguments, ['005930']);
    assert.match(String(item.description), /^[+-]?[\d,]+( · |$)/, 'the change amount leads the description');
    assert.match(api.watchlistTree?.item('005930')?.tooltip ?? '', /삼성전자.*Samsung Electronics/);
    assert.equal(api.watchlistRow('005930')?.label, item.label);
    assert.equal(vscodeFake.contexts.get('kisMarket.connected'), true);

    // The ticker got snapshots; the status bar counts the symbol; the details document renders.
    await until(() => api!.tickerSnapshotsDelivered() > 0, treeChanged, 'a ticker snapshot');
    assert.ok(ticker.webview.ofType('snapshot').length > 0);
    await until(
      () => /1/.test(api!.statusBar().tooltip) && api!.statusBar().text,
      treeChanged,
      'the status bar to count the symbol',
    );
    const details = (await vscodeFake.execute('kisMarket.showConnectionDetails')) as string;
    assert.match(details, /005930|Samsung/);
    assert.deepEqual(
      vscodeFake.panels.map((p) => p.viewType),
      ['kisMarket.connectionDetails'],
    );
    assert.match(vscodeFake.panels[0]!.webview.html, /<h2>Connection<\/h2>/);
    assert.ok(api.agentStats());
    assert.ok(api.workerStats());
    assert.deepEqual(api.handlerStats(), []);
    assert.ok(api.simulatorRequests().some((r) => r.trKey === '005930'));
    assert.equal(api.simulateVi('005930'), true);
    assert.equal(api.sharing(), undefined);
    assert.deepEqual(api.simulatorSessions(), { live: 1, served: 1 });
    assert.deepEqual(api.resources(), {
      socketOpen: true,
      workerRunning: true,
      simulatorRunning: true,
      trackedTasks: api.resources().trackedTasks,
    });

    await deactivate();
    assert.deepEqual(api.resources(), IDLE);
    context.disposeAll();
    assert.equal(vscodeFake.commands.size, 0, 'every command is unregistered');
    assert.equal(vscodeFake.workspaceListeners(), listenersBefore, 'no configuration, trust or save listener is left');
    assert.equal(vscodeFake.statusItems.get('kisMarket.status')?.disposed, true);
    assert.equal(vscodeFake.trees.get('kisMarket.watchlist')?.disposed, true);
    assert.equal(vscodeFake.channels[0]?.disposed, true);
    assert.equal(await deactivate(), undefined, 'a second deactivate has nothing to release');
  });

  it('restores a stored watchlist and streams it at once; the API shuts the feed down', async () => {
    context.globalState.data.set('kisMarket.watchlist', ['000660']);
    api = activate(context as never);
    assert.deepEqual(api.watchlist(), ['000660']);
    await until(() => api!.resources().socketOpen, treeChanged, 'the restored watchlist to connect');
    await api.shutdown();
    assert.deepEqual(api.resources(), IDLE);
  });

  it('follows a settings change: the colour convention redraws the rows and reaches the ticker', async () => {
    api = activate(context as never);
    const ticker = vscodeFake.showWebviewView('kisMarket.ticker');
    ticker.webview.receive({ type: 'ready' });
    vscodeFake.setSetting('kisMarket.colorConvention', 'western');
    const config = ticker.webview.ofType('config');
    assert.equal(config.at(-1)?.colorConvention, 'western');
  });
});
