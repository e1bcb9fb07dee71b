// Holdings, alerts and privacy mode as a user meets them (src/views/portfolio*.ts, alertTree.ts): the
// commands with their input boxes, the alerts tree, the portfolio status item, alert notifications from a
// streaming simulator (held while privacy mode is on), on the activated extension under the stand-in.
import { vscodeFake, nextEvent } from '../../support/vscode';
import * as assert from 'node:assert/strict';
import { activated, until, type Activated, runCommand } from '../../support/extensionHost';

/** A scripted input box: checks its validation on `bad` (a message) and `good` (none), then types `good`. */
function typed(bad: string, good: string) {
  return (shown: { options?: Record<string, unknown> }): string => {
    const validate = shown.options?.validateInput as (v: string) => string | undefined;
    assert.ok(validate(bad), `"${bad}" is refused where it is typed`);
    assert.equal(validate(good), undefined);
    return good;
  };
}

describe('views: holdings, alerts and privacy mode (vscode stand-in, built-in simulator)', function () {
  this.timeout(30_000);
  let ext: Activated;

  beforeEach(() => {
    ext = activated((context) => {
      // What another version (or a sync) may have stored: only the well-formed entries are used.
      context.globalState.data.set('kisMarket.alerts', [
        { id: 'old', symbol: '005930', kind: 'priceAbove', threshold: 'high' },
        7,
      ]);
      context.globalState.data.set('kisMarket.holdings', [{ symbol: 7 }]);
    });
  });

  afterEach(async () => {
    await ext.close();
  });

  const run = runCommand;
  /** The add-alert flow's last step: every crossing (not once only). */
  const everyCrossing = (shown: { items: Array<{ once: boolean }> }) => shown.items.find((i) => !i.once);
  const alerts = () => vscodeFake.trees.get('kisMarket.alerts')!;
  const portfolio = () => ext.api.portfolio!;

  it('offers and accepts Set Holding only for what can be held: a stock, never an index', async () => {
    await run('subscribe', ['0001', '005930']);
    const stored = ext.context.globalState.get('kisMarket.holdings');
    await run('setHolding', '0001');
    assert.deepEqual(vscodeFake.messages('warning'), [
      'KOSPI cannot be held: a holding is a stock, an ETF or a US stock, not an index.',
    ]);
    assert.equal(vscodeFake.shown.filter((s) => s.kind === 'inputBox').length, 0, 'no input box for an index');
    vscodeFake.answer('quickPick', (shown: { items: Array<{ symbol: string }> }) => {
      assert.deepEqual(
        shown.items.map((i) => i.symbol),
        ['005930'],
        'the pick lists no index',
      );
      return undefined;
    });
    await run('setHolding');
    await portfolio().setHolding('0001', 1, 2600);
    assert.deepEqual(ext.context.globalState.get('kisMarket.holdings'), stored, 'nothing stored for an index');
    const tree = ext.api.watchlistTree!;
    assert.doesNotMatch(
      tree.item('0001')?.contextValue ?? '',
      /\bholdable\b/,
      'the row menu has no Set Holding on an index',
    );
    assert.match(tree.item('005930')?.contextValue ?? '', /\bholdable\b/);
  });

  it('sets a holding through two validated input boxes, prices it in the status bar, and removes it', async () => {
    assert.deepEqual(ext.context.globalState.syncedKeys, [
      'kisMarket.watchlist',
      'kisMarket.watchlistGroups',
      'kisMarket.pinnedLive',
      'kisMarket.holdings',
      'kisMarket.alerts',
    ]);
    await run('setHolding');
    assert.deepEqual(vscodeFake.messages('info'), ['Add a symbol to the watchlist first.']);
    await run('subscribe', ['005930']);
    vscodeFake.answer('quickPick', (shown: { items: Array<{ symbol: string; label: string }> }) => {
      assert.equal(shown.items[0]?.label, 'Samsung Electronics');
      return shown.items[0];
    });
    vscodeFake.answer('inputBox', typed('1.5', '10'));
    vscodeFake.answer('inputBox', typed('-3', '70,000'));
    await run('setHolding');
    assert.deepEqual(ext.context.globalState.get('kisMarket.holdings'), [
      { symbol: '005930', quantity: 10, averageCost: 70000, currency: 'KRW' },
    ]);

    const status = vscodeFake.statusItems.get('kisMarket.portfolio')!;
    await until(
      () => status.shown && status.text,
      (l) => vscodeFake.trees.get('kisMarket.watchlist')!.provider.onDidChangeTreeData!(l),
      'the priced portfolio item',
    );
    assert.match(status.text, /^\$\(briefcase\) [+-]?[\d,]+/);
    assert.match(String(status.tooltip), /KRW: value/);
    assert.equal(portfolio().statusText(), status.text);
    assert.match(portfolio().row('005930')?.tooltip ?? '', /10/);

    // Editing starts from the stored values; a dismissal at either box stores nothing.
    vscodeFake.answer('inputBox', (shown: { options?: Record<string, unknown> }) => {
      assert.equal(shown.options?.value, '10');
      return undefined;
    });
    await run('setHolding', '005930');
    vscodeFake.answer('inputBox', '20');
    vscodeFake.answer('inputBox', undefined);
    await run('setHolding', '005930');
    vscodeFake.answer('inputBox', 'x');
    vscodeFake.answer('inputBox', '1');
    await run('setHolding', '005930');
    assert.equal((ext.context.globalState.get('kisMarket.holdings') as Array<{ quantity: number }>)[0]?.quantity, 10);

    vscodeFake.answer('inputBox', typed('0', '1.25'));
    vscodeFake.answer('inputBox', '180.5');
    await run('setHolding', 'DNASAAPL');
    assert.deepEqual(
      (ext.context.globalState.get('kisMarket.holdings') as Array<{ currency: string }>).map((h) => h.currency),
      ['KRW', 'USD'],
    );

    vscodeFake.answer('quickPick', (shown: { items: Array<{ symbol: string }> }) =>
      shown.items.find((i) => i.symbol === 'DNASAAPL'),
    );
    await run('removeHolding');
    await run('removeHolding', '005930');
    assert.deepEqual(ext.context.globalState.get('kisMarket.holdings'), []);
    assert.equal(status.shown, false, 'no holding: the item is hidden');
  });

  it('holds a KRX ETN (Q500001) in won, in whole shares: the currency comes from the market rules', async () => {
    vscodeFake.answer('inputBox', typed('1.5', '3'));
    vscodeFake.answer('inputBox', '9,150');
    await run('setHolding', 'Q500001');
    assert.deepEqual(ext.context.globalState.get('kisMarket.holdings'), [
      { symbol: 'Q500001', quantity: 3, averageCost: 9150, currency: 'KRW' },
    ]);
    await run('removeHolding', 'Q500001');
  });

  it('adds, edits and deletes alerts; the alerts tree lists them and privacy mode hides price thresholds', async () => {
    assert.deepEqual(await alerts().items(), [], 'a malformed stored rule is not listed');
    vscodeFake.answer('quickPick', (shown: { items: Array<{ alertKind: string }> }) =>
      shown.items.find((i) => i.alertKind === 'priceAbove'),
    );
    vscodeFake.answer('inputBox', typed('abc', '80000'));
    vscodeFake.answer('quickPick', everyCrossing);
    await run('addAlert', '005930');
    vscodeFake.answer('quickPick', (shown: { items: Array<{ alertKind: string }> }) =>
      shown.items.find((i) => i.alertKind === 'viTriggered'),
    );
    vscodeFake.answer('quickPick', everyCrossing);
    await run('addAlert', '000660');
    vscodeFake.answer('quickPick', (shown: { items: Array<{ alertKind: string }> }) =>
      shown.items.find((i) => i.alertKind === 'rateBelow'),
    );
    vscodeFake.answer(
      'inputBox',
      (shown: { options?: Record<string, unknown> }) => (
        assert.match(String(shown.options?.prompt), /percent/),
        undefined
      ),
    );
    await run('addAlert', '000660');
    vscodeFake.answer('quickPick', undefined);
    await run('addAlert', '000660');

    let items = await alerts().items();
    assert.deepEqual(
      items.map((i) => i.label),
      ['SK hynix 000660', 'Samsung Electronics 005930'],
    );
    assert.match(String(items[1]?.description), /80,000/);
    assert.equal(items[1]?.command?.command, 'kisMarket.editAlert');
    assert.equal(alerts().provider.getTreeItem('gone').label, 'gone');

    const id = portfolio()
      .alertIds()
      .find((i) => i.startsWith('005930'))!;
    vscodeFake.answer('quickPick', (shown: { items: Array<{ alertKind: string; picked: boolean }> }) => {
      assert.equal(shown.items.find((i) => i.picked)?.alertKind, 'priceAbove', 'editing starts from the rule');
      return shown.items.find((i) => i.alertKind === 'volumeRatioAbove');
    });
    vscodeFake.answer(
      'inputBox',
      (shown: { options?: Record<string, unknown> }) => (assert.equal(shown.options?.value, ''), '150'),
    );
    vscodeFake.answer('quickPick', everyCrossing);
    await run('editAlert', id);
    assert.equal(portfolio().alertIds().length, 2, 'edited in place');
    await run('editAlert', 'missing');
    assert.deepEqual(vscodeFake.messages('warning'), ['That alert no longer exists.']);

    await run('togglePrivacy');
    assert.equal(vscodeFake.contexts.get('kisMarket.privacy'), true);
    assert.equal(ext.context.globalState.get('kisMarket.privacy'), true);
    vscodeFake.answer('quickPick', (shown: { items: Array<{ alertKind: string }> }) =>
      shown.items.find((i) => i.alertKind === 'priceBelow'),
    );
    vscodeFake.answer('inputBox', '100');
    vscodeFake.answer('quickPick', everyCrossing);
    await run('addAlert', '035420');
    items = await alerts().items();
    const hidden = items.find((i) => String(i.label).endsWith('035420'));
    assert.equal(hidden?.description, 'price alert');
    assert.match(String(hidden?.tooltip), /Privacy mode/);
    await portfolio().setPrivacy(true);
    assert.equal(vscodeFake.contexts.get('kisMarket.privacy'), true, 'no change: nothing fires');
    await run('togglePrivacy');
    assert.equal(vscodeFake.contexts.get('kisMarket.privacy'), false);

    await run('deleteAlert', id);
    await run('deleteAlert', 42);
    assert.equal(portfolio().alertIds().length, 2);
    assert.equal(
      (await portfolio().addAlert('005930', 'priceAbove', -5)) !== undefined,
      true,
      'a bad threshold is refused with a message',
    );
  });

  it('notifies a fired alert with "Open in Ticker", holds alerts while privacy mode is on and shows them after', async () => {
    await run('subscribe', ['005930']);
    await portfolio().setPrivacy(true);
    assert.equal(await portfolio().addAlert('005930', 'priceAbove', 1), undefined);
    await until(
      () => portfolio().held() > 0,
      (l) => vscodeFake.trees.get('kisMarket.watchlist')!.provider.onDidChangeTreeData!(l),
      'an alert held by privacy mode',
    );
    assert.deepEqual(portfolio().notified(), []);
    assert.equal(vscodeFake.statusItems.get('kisMarket.portfolio')?.shown, false);

    vscodeFake.answer('info', 'Open in Ticker');
    const shown = nextEvent(vscodeFake.messageShown.event, 'the held alert');
    await portfolio().setPrivacy(false);
    assert.match((await shown).message, /^Alert: Samsung Electronics \(005930\)/);
    assert.equal(portfolio().held(), 0);
    assert.ok(portfolio().notified().length >= 1);
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.ok(vscodeFake.executed.some((e) => e.id === 'kisMarket.openInTicker' && e.args[0] === '005930'));
    assert.equal(portfolio().tickerCovered(), false, 'no ticker webview is live');
  });
});
