// The status bar and the watchlist tree as a user reads them (src/views/status/statusBar.ts, statusInput.ts,
// watchlist.ts) under the vscode stand-in: the words for not connected, disconnected and connecting, and a
// tree redrawn whole when it is shown again.
import { vscodeFake, type FakeStatusBarItem } from '../support/vscode';
import * as assert from 'node:assert/strict';
import { activated, until, type Activated } from '../support/extensionHost';

describe('views: status bar and watchlist tree (vscode stand-in, built-in simulator)', function () {
  this.timeout(30_000);
  let ext: Activated | undefined;

  afterEach(async () => {
    await ext?.close();
    ext = undefined;
  });

  const status = (): FakeStatusBarItem => vscodeFake.statusItems.get('kisMarket.status')!;
  const tree = () => vscodeFake.trees.get('kisMarket.watchlist')!;
  const treeChanged = (listener: () => unknown) => tree().provider.onDidChangeTreeData!(listener);

  it('says "not connected" in words with an empty list, and "disconnected" once a list stops streaming', async () => {
    ext = activated();
    assert.match(status().text, /KIS not connected/);
    assert.equal(status().backgroundColor, undefined);
    await vscodeFake.execute('kisMarket.subscribe', ['005930']);
    await until(() => /\$\(pulse\)/.test(status().text), status().onDidSetText, 'the live status');
    await vscodeFake.execute('kisMarket.disconnect');
    const text = await until(
      () => /disconnected/.test(status().text) && status().text,
      status().onDidSetText,
      'the disconnected status',
    );
    assert.match(text, /^\$\(debug-disconnect\) KIS disconnected/);
    assert.match(ext.api.statusBar().tooltip, /Run "KIS: Connect" to stream again/);
    assert.equal(
      status().accessibilityInformation && (status().accessibilityInformation as { label: string }).label,
      'Disconnected. Run "KIS: Connect" to stream again.',
    );
  });

  it('says which KIS source it is connecting to while no window can lead it (no credentials here)', async () => {
    ext = activated(() => vscodeFake.setSetting('kisMarket.dataSource', 'paper'));
    const log = vscodeFake.channels[0]!;
    const waiting = until(
      () => log.lines.find((l) => /cannot lead \(no credentials\)/.test(l)),
      log.onLine,
      'the hub to wait for a leader',
    );
    await vscodeFake.execute('kisMarket.subscribe', ['005930']);
    await waiting;
    const tooltip = await until(
      () => /Connecting to/.test(ext!.api.statusBar().tooltip) && ext!.api.statusBar().tooltip,
      status().onDidSetText,
      'the connecting status',
    );
    assert.match(tooltip, /^Connecting to Paper trading/);
    assert.match(status().text, /^\$\(sync~spin\) KIS/);
    assert.equal(vscodeFake.contexts.get('kisMarket.connected'), true, 'starting counts as connected for the menus');
    // The source and phase go beside the sidebar ticker's title: the watchlist's buttons leave its title no room.
    assert.match(ext.api.tickerDescription?.() ?? '', /^Paper trading · /);
    assert.equal(tree().description, undefined, 'nothing beside the watchlist title to be cut to one letter');
  });

  it('redraws the whole tree when it is shown again (rows changed while it was hidden)', async () => {
    ext = activated();
    await vscodeFake.execute('kisMarket.subscribe', ['005930']);
    await until(() => tree().changes.includes('005930'), treeChanged, 'a row refresh');
    tree().setVisible(false);
    await vscodeFake.execute('kisMarket.subscribe', ['000660']);
    // (A refresh scheduled before the view was hidden may still land; nothing new is scheduled while hidden.)
    const shownAt = tree().changes.length;
    const shown = until(
      () => tree().changes.slice(shownAt).includes(undefined),
      treeChanged,
      'the whole-tree refresh on show',
    );
    tree().setVisible(true);
    await shown;
    assert.deepEqual(await tree().provider.getChildren(undefined), ['005930', '000660']);
    assert.deepEqual(tree().provider.getChildren('005930'), []);
    assert.equal(tree().provider.getTreeItem('999999').label, '999999', 'a code no longer listed draws as itself');
  });
});
