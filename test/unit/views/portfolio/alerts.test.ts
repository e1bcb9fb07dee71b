// Alerts as a user meets them after the re-arm band and cooldown: the add-alert flow's last step says when
// the rule fires again (from the settings), a once-only rule turns itself off when it fires in the
// streaming simulator and is turned on again from its row; the words in English (alertTexts.ts).
import { vscodeFake } from '../../support/vscode';
import * as assert from 'node:assert/strict';
import { activated, until, type Activated, runCommand } from '../../support/extensionHost';
import { cooldownWords, rearmWords, repeatWords } from '../../../../src/views/portfolio/alertTexts';

/** The stand-in's translation: English, with the placeholders filled. */
const t = (message: string, ...args: Array<string | number | boolean>): string =>
  message.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));

interface ModeItem {
  label: string;
  detail: string;
  once: boolean;
  picked: boolean;
}

describe('views: alerts that fire once per crossing (vscode stand-in, built-in simulator)', function () {
  this.timeout(30_000);
  let ext: Activated;

  beforeEach(() => {
    ext = activated();
  });
  afterEach(async () => {
    await ext.close();
  });

  const run = runCommand;
  const alerts = () => vscodeFake.trees.get('kisMarket.alerts')!;
  const stored = () => ext.context.globalState.get('kisMarket.alerts') as Array<Record<string, unknown>>;

  it('says in the add-alert flow when a rule fires again, with the band and cooldown of the settings', async () => {
    let modes: ModeItem[] = [];
    vscodeFake.answer('quickPick', (shown: { items: Array<{ alertKind: string }> }) =>
      shown.items.find((i) => i.alertKind === 'priceAbove'),
    );
    vscodeFake.answer('inputBox', '200,000');
    vscodeFake.answer(
      'quickPick',
      (shown: { items: ModeItem[] }) => ((modes = shown.items), shown.items.find((i) => !i.once)),
    );
    await run('addAlert', '000660');
    assert.deepEqual(
      modes.map((m) => [m.label, m.detail]),
      [
        ['Every crossing', 'Fires again only after going back below 199,000, at most once every 5 min.'],
        ['Once only', 'Fires once, then turns itself off; turn it on again in the Alerts view.'],
      ],
    );
    assert.equal(stored()[0]?.once, undefined);
    const [row] = await alerts().items();
    assert.equal(
      row?.tooltip,
      '000660: price ≥ 200,000\nFires again only after going back below 199,000, at most once every 5 min.',
    );

    vscodeFake.setSetting('kisMarket.alerts.rearmPercent', 1);
    vscodeFake.setSetting('kisMarket.alerts.cooldownSeconds', 90);
    assert.equal(
      (await alerts().items())[0]?.tooltip,
      '000660: price ≥ 200,000\nFires again only after going back below 198,000, at most once every 90 s.',
    );

    const id = String(stored()[0]?.id);
    vscodeFake.answer('quickPick', (shown: { items: Array<{ alertKind: string }> }) =>
      shown.items.find((i) => i.alertKind === 'rateAbove'),
    );
    vscodeFake.answer('inputBox', '3');
    vscodeFake.answer(
      'quickPick',
      (shown: { items: ModeItem[] }) => ((modes = shown.items), shown.items.find((i) => i.once)),
    );
    await run('editAlert', id);
    assert.equal(
      modes[0]?.detail,
      'Fires again only after going back below +2.00%, at most once every 90 s.',
      'a change: 1 point, not 1 %',
    );
    assert.equal(modes.find((m) => m.picked)?.once, false, 'editing starts from the rule: every crossing');
    assert.deepEqual(stored(), [{ id, symbol: '000660', kind: 'rateAbove', threshold: 3, once: true }]);
    const [once] = await alerts().items();
    assert.equal(once?.description, 'change ≥ +3.00% · once only');
    assert.equal(once?.tooltip, '000660: change ≥ +3.00%\nFires once, then turns itself off.');

    vscodeFake.answer('quickPick', (shown: { items: Array<{ alertKind: string }> }) =>
      shown.items.find((i) => i.alertKind === 'priceBelow'),
    );
    vscodeFake.answer('inputBox', '70000');
    vscodeFake.answer('quickPick', undefined);
    await run('addAlert', '005930');
    assert.equal(stored().length, 1, 'dismissing the last step stores nothing');
  });

  it('turns a once-only rule off when it fires (one notification, one log line), and on again from its row', async () => {
    await run('subscribe', ['005930']);
    vscodeFake.answer('quickPick', (shown: { items: Array<{ alertKind: string }> }) =>
      shown.items.find((i) => i.alertKind === 'priceAbove'),
    );
    vscodeFake.answer('inputBox', '1');
    vscodeFake.answer('quickPick', (shown: { items: ModeItem[] }) => shown.items.find((i) => i.once));
    await run('addAlert', '005930');
    const notified = () => vscodeFake.messages('info').filter((m) => m.startsWith('Alert:'));
    const [message] = await until(
      () => (notified().length > 0 ? notified() : undefined),
      vscodeFake.messageShown.event,
      'the notification',
    );
    assert.equal(message, 'Alert: Samsung Electronics (005930) price ≥ 1 (once only: now off)');
    const [off] = await until(
      () => (stored()[0]?.disabled === true ? alerts().items() : undefined),
      (l) => alerts().provider.onDidChangeTreeData!(l),
      'the rule turned off',
    );
    assert.equal(off?.contextValue, 'alertOff');
    assert.equal(off?.description, 'price ≥ 1 · off (fired once)');
    assert.equal((off?.iconPath as { id: string }).id, 'bell-slash');
    assert.match(String(off?.tooltip), /Turn it on again from this row/);
    const logged = vscodeFake.channels.flatMap((c) => c.lines).filter((l) => l.includes('Alert fired'));
    assert.equal(logged.length, 1, logged.join('\n'));
    assert.match(logged[0] ?? '', /once only, turned off/);
    assert.equal(notified().length, 1, 'one notification');

    const id = String(stored()[0]?.id);
    await run('enableAlert', id);
    assert.equal(stored()[0]?.disabled, undefined);
    const [on] = await alerts().items();
    assert.equal(on?.contextValue, 'alert');
    await run('enableAlert', 'missing');
  });

  it('remembers a fired rule across Disconnect and Connect: no second notification while the price is still past it', async () => {
    await run('subscribe', ['005930']);
    vscodeFake.answer('quickPick', (shown: { items: Array<{ alertKind: string }> }) =>
      shown.items.find((i) => i.alertKind === 'priceAbove'),
    );
    vscodeFake.answer('inputBox', '1');
    vscodeFake.answer('quickPick', (shown: { items: ModeItem[] }) => shown.items.find((i) => !i.once));
    await run('addAlert', '005930');
    const id = String(stored()[0]?.id);
    const remembered = () =>
      (ext.context.globalState.get('kisMarket.alertStates') as Array<{ id: string; armed: boolean }> | undefined) ?? [];
    // Snapshots refresh the watchlist: its change event is the clock of these waits.
    const refreshed = (l: () => unknown) =>
      vscodeFake.trees.get('kisMarket.watchlist')!.provider.onDidChangeTreeData!(l);
    await until(() => remembered().some((r) => r.id === id && !r.armed), refreshed, 'the fired state kept');
    await run('disconnect');
    await run('connect');
    const seen = new Set<number>();
    await until(
      () => seen.add(ext.api.quote('005930')?.trades ?? -1).size > 5,
      refreshed,
      'five more trade counts after the reconnect',
    );
    assert.equal(vscodeFake.messages('info').filter((m) => m.startsWith('Alert:')).length, 1);
  });

  it('after a reload, a rule remembered as fired stays quiet; one edited before the next worker starts afresh', async () => {
    await ext.close();
    const firedAt = Date.now();
    ext = activated((context) => {
      context.globalState.data.set('kisMarket.alerts', [
        { id: 'r', symbol: '005930', kind: 'priceAbove', threshold: 1 },
        { id: 's', symbol: '005930', kind: 'priceAbove', threshold: 1 },
      ]);
      context.globalState.data.set('kisMarket.alertStates', [
        { id: 'r', armed: false, firedAt },
        { id: 's', armed: false, firedAt },
        { id: 'bad' },
      ]);
    });
    // Edited while no worker runs: what the old definition remembered must not carry over.
    vscodeFake.answer('quickPick', (shown: { items: Array<{ alertKind: string }> }) =>
      shown.items.find((i) => i.alertKind === 'priceAbove'),
    );
    vscodeFake.answer('inputBox', '2');
    vscodeFake.answer('quickPick', (shown: { items: ModeItem[] }) => shown.items.find((i) => !i.once));
    await run('editAlert', 's');
    await run('subscribe', ['005930']);
    const notified = () => vscodeFake.messages('info').filter((m) => m.startsWith('Alert:'));
    await until(
      () => (notified().length > 0 ? true : undefined),
      vscodeFake.messageShown.event,
      'the edited rule fires',
    );
    const refreshed = (l: () => unknown) =>
      vscodeFake.trees.get('kisMarket.watchlist')!.provider.onDidChangeTreeData!(l);
    const seen = new Set<number>();
    await until(() => seen.add(ext.api.quote('005930')?.trades ?? -1).size > 5, refreshed, 'five trade counts');
    assert.deepEqual(
      notified(),
      ['Alert: Samsung Electronics (005930) price ≥ 2'],
      'r: still at or above 1, the same crossing as before the reload',
    );
    await run('deleteAlert', 'r');
    await run('deleteAlert', 's');
    assert.deepEqual(stored(), []);
    assert.deepEqual(ext.context.globalState.get('kisMarket.alertStates'), [], 'nothing remembered of a deleted rule');
  });
});

describe('alert texts', () => {
  it('puts a cooldown in words', () => {
    assert.deepEqual(
      [0, 45, 90, 300, 3600, 5400, 86_400].map((s) => cooldownWords(s, t)),
      ['0 s', '45 s', '90 s', '5 min', '1 h', '1 h 30 min', '24 h'],
    );
  });

  it('states the re-arm level in the unit of the rule', () => {
    assert.equal(rearmWords('priceAbove', 200_000, 0.5), '199,000');
    assert.equal(rearmWords('priceBelow', 70_000, 0.5), '70,350');
    assert.equal(rearmWords('rateBelow', -3, 0.5), '-2.50%');
    assert.equal(rearmWords('volumeRatioAbove', 150, 0.5), '149.25 %');
    assert.equal(rearmWords('priceAbove', 188.5, 0.5), '187.56');
  });

  it('says when a rule fires again, with and without a cooldown', () => {
    const quiet = { rearmPercent: 0.5, cooldownSeconds: 300 };
    assert.equal(
      repeatWords({ kind: 'priceBelow', threshold: 70_000 }, quiet, t),
      'Fires again only after going back above 70,350, at most once every 5 min.',
    );
    assert.equal(
      repeatWords({ kind: 'priceBelow', threshold: 70_000 }, { ...quiet, cooldownSeconds: 0 }, t),
      'Fires again only after going back above 70,350.',
    );
    assert.equal(
      repeatWords({ kind: 'priceAbove', threshold: 200_000 }, { ...quiet, cooldownSeconds: 0 }, t),
      'Fires again only after going back below 199,000.',
    );
    assert.equal(
      repeatWords({ kind: 'viTriggered', threshold: 0 }, quiet, t),
      'Fires at every VI of this stock, at most once every 5 min.',
    );
    assert.equal(
      repeatWords({ kind: 'viReleased', threshold: 0 }, { ...quiet, cooldownSeconds: 0 }, t),
      'Fires at every VI of this stock.',
    );
    assert.equal(
      repeatWords({ kind: 'viReleased', threshold: 0, once: true }, quiet, t),
      'Fires once, then turns itself off.',
    );
  });
});
