// Watchlist groups through their commands, as the user drives them under the vscode stand-in on
// the built-in simulator: a group made from the title menu, a symbol moved into it from the command palette
// (which asks which symbol, then which group) and from a row's menu, the sort picked, the group deleted with
// its symbols kept; and the built-in Indices group on top while an index is listed.
import { vscodeFake } from '../support/vscode';
import * as assert from 'node:assert/strict';
import { activatedEachTest, runCommand } from '../support/extensionHost';

describe('views: watchlist group commands (vscode stand-in, built-in simulator)', function () {
  this.timeout(30_000);
  activatedEachTest(() => undefined);

  const run = runCommand;
  const provider = () => vscodeFake.trees.get('kisMarket.watchlist')!.provider;
  const children = async (element?: string): Promise<string[]> => [...(await provider().getChildren(element))];
  const labelOf = (element: string): string => String(provider().getTreeItem(element).label);

  it('moves a symbol into a new group from the palette (symbol, then group), back out from its row, and keeps it when the group goes', async () => {
    await run('subscribe', ['005930', '000660', '035420']);
    vscodeFake.answer('inputBox', 'Chips');
    await run('createGroup');
    let root = await children();
    const group = root.find((e) => e.startsWith('group:'));
    assert.ok(group, `a group row at the root: ${JSON.stringify(root)}`);
    assert.equal(labelOf(group), 'Chips');

    // From the palette: which symbol (the listed ones, with names), then which group.
    vscodeFake.answer('quickPick', (shown: { items: unknown[] }) => {
      const items = shown.items as Array<{ label: string; description?: string }>;
      assert.deepEqual(
        items.map((i) => i.label),
        ['005930', '000660', '035420'],
        'every listed symbol, in the tree order',
      );
      assert.ok(
        items.every((i) => (i.description ?? '') !== ''),
        'each with its name',
      );
      return items.find((i) => i.label === '000660');
    });
    vscodeFake.answer('quickPick', (shown: { items: unknown[] }) =>
      (shown.items as Array<{ label: string }>).find((i) => i.label === 'Chips'),
    );
    await run('moveToGroup');
    assert.deepEqual(await children(group), ['000660']);
    root = await children();
    assert.ok(!root.includes('000660'), 'the moved symbol left the root');
    assert.deepEqual(
      root.filter((e) => !e.startsWith('group:')),
      ['005930', '035420'],
    );

    // Dismissing the symbol pick changes nothing.
    vscodeFake.answer('quickPick', undefined);
    await run('moveToGroup');
    assert.deepEqual(await children(group), ['000660']);

    // From the row's menu (the row gives the symbol): "(no group)" puts it back at the root.
    vscodeFake.answer('quickPick', (shown: { items: unknown[] }) =>
      (shown.items as Array<{ label: string }>).find((i) => i.label === '(no group)'),
    );
    await run('moveToGroup', '000660');
    assert.deepEqual(await children(group), []);

    await run('moveToGroup', '035420', group);
    assert.deepEqual(await children(group), ['035420']);
    await run('deleteGroup', group);
    root = await children();
    assert.ok(!root.some((e) => e.startsWith('group:')), 'the group is gone');
    assert.deepEqual([...root].sort(), ['000660', '005930', '035420'], 'its symbols stay listed');
  });

  it('sorts by name from the palette and shows the listed indices in a built-in group on top', async () => {
    await run('subscribe', ['005930', '035420', '0001']);
    const root = await children();
    assert.equal(root[0], 'group:indices', `the Indices group first: ${JSON.stringify(root)}`);
    assert.equal(labelOf('group:indices'), 'Indices');
    assert.deepEqual(await children('group:indices'), ['0001']);
    assert.match(
      String(provider().getTreeItem('group:indices').contextValue),
      /builtInGroup/,
      'no rename or delete in its menu',
    );

    vscodeFake.answer('quickPick', (shown: { items: unknown[] }) =>
      (shown.items as Array<{ label: string; key?: string }>).find((i) => i.key === 'name'),
    );
    await run('sortWatchlist');
    // English names under the stand-in: NAVER before Samsung Electronics, against the watchlist's order.
    assert.deepEqual(
      (await children()).filter((e) => !e.startsWith('group:')),
      ['035420', '005930'],
      'rows by name',
    );

    await run('unsubscribe', '0001');
    assert.ok(!(await children()).includes('group:indices'), 'no Indices group without an index');
  });
});
