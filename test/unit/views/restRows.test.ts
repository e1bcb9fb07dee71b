// A watchlist longer than KIS's 41 live registrations and the status-bar index, as the
// user sees them under the vscode stand-in on the built-in simulator: the rows refreshed by REST say "every
// N s" in the tree and in Connection Details, "Pin to Live" moves a row into the live set and "Unpin" back,
// and the index item follows its setting and its quotes.
import { vscodeFake, nextEvent } from '../support/vscode';
import * as assert from 'node:assert/strict';
import type { TreeItem } from '../support/vscodeTypes';
import { activatedEachTest, until, type Activated, runCommand } from '../support/extensionHost';
import { CATALOGUE } from '../../../src/market/catalogue';

describe('views: REST rows, Pin to Live and the status-bar index (vscode stand-in, built-in simulator)', function () {
  this.timeout(30_000);
  let ext: Activated;
  activatedEachTest((fresh) => (ext = fresh));

  const run = runCommand;
  const tree = () => vscodeFake.trees.get('kisMarket.watchlist')!;
  const treeChanged = (listener: (value: unknown) => unknown) => tree().provider.onDidChangeTreeData!(listener);
  /** The tree's rows once `check` holds for them (re-read on each tree change). */
  async function rowsWhen(check: (rows: TreeItem[]) => boolean, what: string): Promise<TreeItem[]> {
    for (;;) {
      const changed = nextEvent(treeChanged, what, undefined, 20_000);
      const rows = await tree().items();
      if (check(rows)) return rows;
      await changed;
    }
  }
  const row = (rows: TreeItem[], code: string): TreeItem | undefined =>
    rows.find((r) => r.id === `kisMarket.symbol.${code}`);
  /** 45 KRX codes: the catalogue's, then well-formed ones of the simulator's making. */
  const many = (): string[] => {
    const krx = CATALOGUE.map((c) => c.code);
    for (let i = 0; krx.length < 45; i++) krx.push(String(900_100 + i));
    return krx.slice(0, 45);
  };

  it('refreshes the symbols beyond the 41 live registrations by REST and says so, and pins one to live and back', async () => {
    const codes = many();
    await run('subscribe', codes);
    const last = codes.at(-1)!;
    let rows = await rowsWhen(
      (r) => /every \d+ s/.test(String(row(r, last)?.description ?? '')),
      'the last rows refreshed by REST',
    );
    // The tooltip is made when a hover opens (the extension API asks for it the same way).
    const tooltip = ext.api.watchlistTree?.item(last)?.tooltip;
    assert.match(
      tooltip ?? '',
      /KIS streams 41 registrations per session: this row is refreshed by REST \(every \d+ s\)/,
    );
    assert.ok(!/every/.test(String(row(rows, codes[0])?.description)), 'the first rows stream live');

    const details = (await run('showConnectionDetails')) as string;
    assert.match(details, /Refreshed by REST/);
    assert.match(details, new RegExp(`${last} \\| (every \\d+ s|price unavailable)`));
    assert.doesNotMatch(
      details,
      new RegExp(`${codes[0]} \\| (every|by REST|price unavailable)`),
      'a live row is not in the REST table',
    );

    assert.equal(await run('pinLive', last), true);
    rows = await rowsWhen((r) => !/every/.test(String(row(r, last)?.description ?? 'every')), 'the pinned row live');
    assert.deepEqual(ext.context.globalState.get('kisMarket.pinnedLive'), [last]);
    assert.ok(
      rows.some((r) => r.id !== last && /every \d+ s/.test(String(r.description))),
      'another row made room',
    );

    assert.equal(await run('unpinLive', last), true);
    await rowsWhen((r) => /every \d+ s/.test(String(row(r, last)?.description ?? '')), 'the unpinned row back on REST');
    assert.deepEqual(ext.context.globalState.get('kisMarket.pinnedLive') ?? [], []);
    assert.equal(await run('pinLive', 42), false);
    assert.equal(await run('unpinLive'), false);
  });

  it('shows the chosen index in the status bar, follows its quotes, opens it in the ticker, and hides when off', async () => {
    const item = () => vscodeFake.statusItems.get('kisMarket.statusIndex')!;
    assert.equal(item().shown, false, 'off by default');
    vscodeFake.setSetting('kisMarket.statusBarIndex', '0001');
    assert.equal(item().shown, true);
    assert.equal(item().text, '$(graph-line) KOSPI –', 'no quote yet');
    assert.deepEqual((item().command as { arguments: unknown[] }).arguments, ['0001']);
    assert.equal((item().command as { command: string }).command, 'kisMarket.openInTicker');

    await run('subscribe', ['0001']);
    await until(
      () => /^\$\(graph-line\) KOSPI [\d,]+\.\d\d [+-]?\d+\.\d\d%$/.test(item().text) || undefined,
      item().onDidSetText,
      'a KOSPI quote in the status bar',
    );
    assert.match(String(item().tooltip), /KOSPI/);

    vscodeFake.setSetting('kisMarket.statusBarIndex', 'off');
    assert.equal(item().shown, false);
  });
});
