// The palette commands (src/views/commands.ts) run as VS Code runs them, on the activated extension with the
// built-in simulator: pickers answered by scripted replies, the messages a user would read, the settings and
// secrets written. Secrets never reach the log.
import { vscodeFake, nextEvent, type FakeQuickPick } from '../support/vscode';
import * as assert from 'node:assert/strict';
import { activatedEachTest, until, type Activated, runCommand } from '../support/extensionHost';
import { poll } from '../../support/wait';
import { createProblemReporter } from '../../../src/views/commands';

describe('views: palette commands (vscode stand-in, built-in simulator)', function () {
  this.timeout(30_000);
  let ext: Activated;
  activatedEachTest((fresh) => (ext = fresh));

  const run = runCommand;
  const nextPick = (): Promise<FakeQuickPick> => nextEvent(vscodeFake.quickPickShown.event, 'the symbol picker');

  describe('subscribe', () => {
    it('adds codes given as an argument, says which pieces are not codes, and that a code is already listed', async () => {
      const result = (await run('subscribe', '005930, abc')) as { added: string[] };
      assert.deepEqual(result.added, ['005930']);
      assert.match(vscodeFake.messages('error')[0] ?? '', /Not a KRX code: abc/);
      assert.equal(vscodeFake.progress[0]?.options.location, 10, 'one symbol: progress in the window');
      assert.equal(await run('subscribe', 'abc'), undefined);
      await run('subscribe', ['005930']);
      assert.match(
        vscodeFake.messages('info').at(-1) ?? '',
        /Samsung Electronics \(005930\) is already on the watchlist/,
      );
      assert.deepEqual(ext.api.watchlist(), ['005930']);
    });

    it('reports progress per acknowledgement for several symbols, and stops waiting when cancelled', async () => {
      const adding = run('subscribe', ['005930', '000660']);
      const progress = vscodeFake.progress[0];
      assert.equal(progress?.options.location, 15, 'several symbols: a cancellable notification');
      assert.equal(progress.options.cancellable, true);
      const result = (await adding) as { added: string[] };
      assert.deepEqual(result.added.sort(), ['000660', '005930']);
      assert.match(
        progress.reports.at(-1)?.message ?? '',
        /(\d+) of \1 acknowledged/,
        'the last step: every registration acknowledged',
      );

      const cancelled = run('subscribe', ['035420', '051910']);
      vscodeFake.progress[1]?.cancel();
      assert.equal(await cancelled, undefined, 'a cancelled wait resolves without a result');
    });

    /** The picker once its lists are loaded (the title then counts the listings; `busy` is off). */
    const loadedPick = async (): Promise<FakeQuickPick> => {
      const quickPick = await nextPick();
      await until(
        () => !quickPick.busy && /— [\d,]+ listings$/.test(quickPick.title),
        quickPick.onItemsChanged,
        "the simulator's master files loaded",
      );
      return quickPick;
    };
    const codes = (quickPick: FakeQuickPick): string[] => quickPick.items.map((i) => String(i.code));

    it('searches the listings by code, Korean name, English name and initials (초성), and subscribes to what is checked', async () => {
      assert.equal(await run('connect'), 'running', "the simulator's master files are served once it runs");
      const pick = loadedPick();
      const first = run('subscribe');
      const quickPick = await pick;
      assert.equal(quickPick.canSelectMany, true);
      assert.equal(quickPick.matchOnDescription, false, "VS Code's own filter would hide 초성 matches");
      assert.match(quickPick.title, /^KIS: Subscribe — /);
      // KRX by code, Korean name and 초성; US by English name, ticker and Korean name (KIS's KRX master files
      // carry no English names: src/market/master/krxMaster.ts).
      const expected = {
        '005930': '005930',
        삼성전자: '005930',
        ㅅㅅㅈㅈ: '005930',
        apple: 'DNASAAPL',
        aapl: 'DNASAAPL',
        애플: 'DNASAAPL',
      };
      for (const [query, code] of Object.entries(expected)) {
        quickPick.type(query);
        assert.equal(codes(quickPick)[0], code, `"${query}" finds ${code} first`);
        assert.ok(
          quickPick.items.every((i) => i.alwaysShow === true),
          'every row shows: the search already filtered',
        );
      }
      assert.match(quickPick.items[0].label, /^AAPL {2}Apple/, 'a US row leads with its ticker');
      quickPick.type('삼성전자');
      const samsung = quickPick.items[0];
      assert.equal(samsung.label, '삼성전자');
      assert.match(String(samsung.description), /^005930 · KOSPI$/);
      quickPick.selectedItems = [samsung];
      quickPick.type('SK하이닉스'); // a row checked under an earlier query stays, on top and checked
      assert.deepEqual(codes(quickPick).slice(0, 2), ['005930', '000660']);
      assert.deepEqual(
        quickPick.selectedItems.map((i) => i.code),
        ['005930'],
      );
      quickPick.selectedItems = [...quickPick.selectedItems, quickPick.items[1]];
      quickPick.type('ㅎㅇㄴㅅ');
      assert.deepEqual(
        codes(quickPick).slice(0, 2),
        ['005930', '000660'],
        'a checked row the search finds is not shown twice',
      );
      assert.deepEqual(
        quickPick.selectedItems.map((i) => i.code),
        ['005930', '000660'],
      );
      quickPick.accept();
      assert.deepEqual(((await first) as { added: string[] }).added.sort(), ['000660', '005930']);
      assert.equal(quickPick.disposed, true);
      assert.equal(quickPick.visible, false);
    });

    it('offers a well-formed unknown code as "subscribe by code", leaves listed symbols out, and accepts the active row', async () => {
      await run('subscribe', ['000660']);
      assert.equal(await run('connect'), 'running');
      const pick = loadedPick();
      const adding = run('subscribe');
      const quickPick = await pick;
      quickPick.type('SK하이닉스');
      assert.ok(!codes(quickPick).includes('000660'), 'a listed symbol is not offered again');
      quickPick.type('000660');
      assert.ok(!codes(quickPick).includes('000660'), 'nor as a code');
      quickPick.type('123456');
      const extra = quickPick.items[0];
      assert.equal(extra.code, '123456');
      assert.equal(extra.label, '123456');
      assert.equal(extra.description, 'subscribe by code');
      assert.equal(quickPick.items.filter((i) => i.code === '123456').length, 1, 'offered once');
      quickPick.type('035420');
      assert.ok(
        !quickPick.items.some((i) => i.description === 'subscribe by code'),
        'a listed code is offered as its listing, not by code',
      );
      quickPick.activeItems = [quickPick.items[0]];
      quickPick.accept();
      assert.deepEqual(((await adding) as { added: string[] }).added, ['035420']);
    });

    it('takes a typed code on Enter when nothing is checked or highlighted (the list reloaded under the user)', async () => {
      assert.equal(await run('connect'), 'running');
      const pick = loadedPick();
      const adding = run('subscribe');
      const quickPick = await pick;
      quickPick.type('035420');
      quickPick.selectedItems = [];
      quickPick.activeItems = [];
      quickPick.accept();
      assert.deepEqual(((await adding) as { added: string[] }).added, ['035420']);
    });

    it('shows why nothing matches, warns on Enter without closing, and resolves nothing when dismissed', async () => {
      assert.equal(await run('connect'), 'running');
      const pick = loadedPick();
      const picking = run('subscribe');
      const quickPick = await pick;
      quickPick.type('nothing like this');
      assert.equal(quickPick.items.length, 1);
      assert.equal(quickPick.items[0].code, '');
      assert.match(quickPick.items[0].label, /^\$\(info\) "nothing like this" is not in the \d+ listings/);
      const listed = /(\d[\d,]*) listings/.exec(quickPick.title)?.[1]?.replace(/,/g, '');
      assert.equal(
        /not in the (\d+) listings/.exec(quickPick.items[0].label)?.[1],
        listed,
        'the loaded lists are searched, not the built-in catalogue',
      );
      quickPick.activeItems = [quickPick.items[0]];
      quickPick.accept();
      assert.match(vscodeFake.messages('warning').at(-1) ?? '', /"nothing like this" is not in the \d+ listings/);
      assert.equal(quickPick.visible, true, 'the picker stays open for another try');
      quickPick.type('HKS:00700');
      assert.match(quickPick.items[0]?.label ?? '', /delayed 15 minutes/, 'a paid, delayed market says so');
      quickPick.type('   ');
      quickPick.accept();
      assert.equal(vscodeFake.messages('warning').length, 1, 'Enter on an empty query says nothing');
      quickPick.hide();
      assert.equal(await picking, undefined);
      assert.equal(quickPick.disposed, true);
      assert.deepEqual(ext.api.watchlist(), []);
    });
  });

  describe('unsubscribe and the row commands', () => {
    it('removes picked or given symbols, says when the list is empty or a code is not on it', async () => {
      assert.deepEqual(await run('unsubscribe'), []);
      assert.deepEqual(vscodeFake.messages('info'), ['The watchlist is empty.']);
      await run('subscribe', ['005930', '000660']);
      vscodeFake.answer('quickPick', (shown: { items: Array<{ code: string }> }) =>
        shown.items.filter((i) => i.code === '000660'),
      );
      assert.deepEqual(await run('unsubscribe'), ['000660']);
      vscodeFake.answer('quickPick', undefined);
      assert.deepEqual(await run('unsubscribe'), []);
      assert.deepEqual(await run('unsubscribe', '005930,035420,zz'), ['005930']);
      assert.match(vscodeFake.messages('warning').at(-1) ?? '', /035420 is not on the watchlist/);
      assert.match(vscodeFake.messages('error').at(-1) ?? '', /Not a KRX code: zz/);
      assert.deepEqual(ext.api.watchlist(), []);
    });

    it('moves, removes and opens a row given by the tree, and ignores anything but a code', async () => {
      await run('subscribe', ['005930', '000660']);
      assert.equal(await run('moveDown', '005930'), true);
      assert.deepEqual(ext.api.watchlist(), ['000660', '005930']);
      assert.equal(await run('moveUp', '005930'), true);
      assert.deepEqual(ext.api.watchlist(), ['005930', '000660']);
      assert.equal(await run('moveUp', 7), false);
      assert.equal(await run('moveDown', undefined), false);
      assert.equal(await run('openInTicker', 'nope'), false);
      assert.equal(await run('openInTicker', '000660'), true);
      assert.ok(
        vscodeFake.executed.some((e) => e.id === 'kisMarket.ticker.focus'),
        'the ticker view is revealed',
      );
      assert.equal(await run('unsubscribeItem', 42), false);
      assert.equal(await run('unsubscribeItem', '000660'), true);
      assert.deepEqual(ext.api.watchlist(), ['005930']);
    });

    it('connects and disconnects on request; Show Ticker opens the editor panel, then reveals it; the view on request', async () => {
      assert.equal(await run('connect'), 'running');
      assert.equal(await run('disconnect'), 'off');
      await run('showTicker');
      assert.equal(vscodeFake.panels.length, 1, 'Show Ticker opens a panel');
      assert.equal(vscodeFake.panels[0]?.viewType, 'kisMarket.tickerPanel');
      assert.ok(!vscodeFake.executed.some((e) => e.id === 'kisMarket.ticker.focus'), 'not only the sidebar');
      await run('showTicker');
      assert.equal(vscodeFake.panels.length, 1, 'a second run reveals the same panel');
      assert.equal(vscodeFake.panels[0]?.revealed, 1);
      await run('showTicker', 'view');
      assert.ok(vscodeFake.executed.some((e) => e.id === 'kisMarket.ticker.focus'));
    });
  });

  describe('credentials and the data source', () => {
    const appkey = 'PSabcdefghijklmnop';
    const appsecret = 'secret-0123456789-abcdefghij';

    it('stores credentials given as an argument, refuses malformed ones with a message, and never logs them', async () => {
      assert.equal(await run('setCredentials', { source: 'paper', appkey: ` ${appkey} `, appsecret }), true);
      assert.equal(await ext.context.secrets.get('kisMarket.paper.appkey'), appkey);
      assert.equal(await ext.context.secrets.get('kisMarket.paper.appsecret'), appsecret);
      assert.equal(await run('setCredentials', { source: 'demo', appkey, appsecret }), undefined);
      assert.match(vscodeFake.messages('error')[0] ?? '', /^KIS: setCredentials expects/);
      assert.equal(await run('setCredentials', { source: 'real', appkey: ' ', appsecret }), undefined);
      assert.match(vscodeFake.messages('error')[1] ?? '', /must not be empty/);
      assert.equal(await run('setCredentials', 'paper'), undefined);
      const log = vscodeFake.channels.flatMap((c) => c.lines).join('\n');
      assert.match(log, /Credentials for paper stored/);
      assert.ok(!log.includes(appkey) && !log.includes(appsecret), 'no secret in the log');
    });

    it('restarts the simulator with a paper HTS ID, and the session then subscribes the fill notices first', async () => {
      await run('subscribe', ['005930']);
      assert.equal(await run('connect'), 'running');
      const notices = (): number =>
        ext.api.simulatorRequests().filter((r) => r.trId === 'H0STCNI9' && r.trType === '1').length;
      assert.equal(notices(), 0, 'no HTS ID, no notice registration');
      assert.equal(await run('setCredentials', { source: 'paper', appkey, appsecret, htsId: 'e2etrader' }), true);
      assert.equal(await ext.context.secrets.get('kisMarket.paper.htsId'), 'e2etrader');
      await until(() => notices() === 1, poll(20), 'the H0STCNI9 registration after the restart', 10_000);
      const log = vscodeFake.channels.flatMap((c) => c.lines).join('\n');
      assert.ok(!log.includes('e2etrader'), 'the HTS ID is not logged');
      // A US holding that is not on the watchlist asks for the overseas notices too.
      const overseas = (): number =>
        ext.api.simulatorRequests().filter((r) => r.trId === 'H0GSCNI9' && r.trType === '1').length;
      assert.equal(overseas(), 0);
      await ext.api.portfolio?.setHolding('DNASAAPL', 2, 180);
      await until(() => overseas() === 1, poll(20), 'the H0GSCNI9 registration for a US holding', 10_000);
      assert.deepEqual(ext.api.watchlist(), ['005930'], 'the holding did not join the watchlist');
    });

    it('asks which account, the key and the secret (validated as typed), and stops at any dismissal', async () => {
      vscodeFake.answer('quickPick', (shown: { items: Array<{ source: string }> }) =>
        shown.items.find((i) => i.source === 'real'),
      );
      const validated: Array<string | undefined> = [];
      const typed = (value: string) => (shown: { options?: Record<string, unknown> }) => {
        const validate = shown.options?.validateInput as (v: string) => string | undefined;
        validated.push(validate(''), validate('a b'), validate(value));
        return value;
      };
      vscodeFake.answer('inputBox', typed(appkey));
      vscodeFake.answer('inputBox', typed(appsecret));
      assert.equal(await run('setCredentials'), true);
      assert.deepEqual(validated, [
        'Required.',
        'Must not contain spaces.',
        undefined,
        'Required.',
        'Must not contain spaces.',
        undefined,
      ]);
      assert.equal(await ext.context.secrets.get('kisMarket.real.appsecret'), appsecret);
      assert.match(vscodeFake.messages('info').at(-1) ?? '', /Credentials for .* saved/);
      assert.equal(vscodeFake.shown.find((s) => s.kind === 'inputBox')?.options?.password, true);

      assert.equal(await run('setCredentials'), false, 'no account picked');
      vscodeFake.answer('quickPick', (shown: { items: unknown[] }) => shown.items[0]);
      assert.equal(await run('setCredentials'), false, 'no key typed');
      vscodeFake.answer('quickPick', (shown: { items: unknown[] }) => shown.items[0]);
      vscodeFake.answer('inputBox', appkey);
      assert.equal(await run('setCredentials'), false, 'no secret typed');
    });

    it('switches the data source (by argument or pick), offers to set missing credentials, and refuses an unknown one', async () => {
      assert.equal(await run('selectDataSource', 'moon'), undefined);
      assert.match(vscodeFake.messages('error')[0] ?? '', /Unknown data source "moon"/);
      assert.equal(await run('selectDataSource', 'paper'), 'paper');
      assert.equal(vscodeFake.globalValues.get('kisMarket.dataSource'), 'paper');
      assert.equal(vscodeFake.contexts.get('kisMarket.dataSource'), 'paper');
      assert.deepEqual(vscodeFake.messages('warning'), [], 'a command argument never asks');

      vscodeFake.answer('quickPick', (shown: { items: Array<{ source: string; description?: string }> }) => {
        assert.equal(shown.items.find((i) => i.source === 'paper')?.description, 'current');
        return shown.items.find((i) => i.source === 'real');
      });
      vscodeFake.answer('warning', 'Set Credentials');
      vscodeFake.answer('quickPick', undefined); // the credentials command that follows is dismissed
      assert.equal(await run('selectDataSource'), 'real');
      assert.match(vscodeFake.messages('warning')[0] ?? '', /No app key and app secret are stored for/);
      assert.ok(vscodeFake.executed.some((e) => e.id === 'kisMarket.setCredentials'));

      vscodeFake.answer('quickPick', undefined);
      assert.equal(await run('selectDataSource'), undefined);
      vscodeFake.answer('quickPick', (shown: { items: Array<{ source: string }> }) =>
        shown.items.find((i) => i.source === 'simulator'),
      );
      assert.equal(await run('selectDataSource'), 'simulator');
      assert.equal(vscodeFake.globalValues.get('kisMarket.dataSource'), 'simulator');
    });
  });

  describe('problem notifications', () => {
    it('says what to do for each problem once a minute, and runs the action picked', async () => {
      const report = createProblemReporter();
      const picked = nextEvent(vscodeFake.messageShown.event, 'the first problem message');
      vscodeFake.answer('warning', 'Use Simulator');
      report({ code: 'NO_CREDENTIALS', source: 'paper', message: 'x' } as never);
      assert.match((await picked).message, /No app key and app secret are stored for/);
      report({ code: 'NO_CREDENTIALS', source: 'paper', message: 'x' } as never);
      assert.equal(vscodeFake.messages('warning').length, 1, 'the same problem is not repeated within a minute');
      vscodeFake.answer('error', 'Set Credentials');
      report({ code: 'BAD_CREDENTIALS', source: 'real', message: 'x' } as never);
      vscodeFake.answer('error', 'Show Connection Details');
      report({ code: 'APPKEY_IN_USE', source: 'real', message: 'x' } as never);
      report({ code: 'START_FAILED', source: 'simulator', message: 'port in use' } as never);
      report({ code: 'CONNECTION_LOST', source: 'real', message: 'x' } as never);
      const errors = vscodeFake.messages('error');
      assert.equal(errors.length, 3);
      assert.match(errors[0] ?? '', /rejected the app key/);
      assert.match(errors[1] ?? '', /already in use/);
      assert.match(errors[2] ?? '', /Could not start the .* data source: port in use/);
      await new Promise<void>((resolve) => setImmediate(resolve));
      const ran = vscodeFake.executed.map((e) => e.id);
      assert.ok(ran.includes('kisMarket.selectDataSource'));
      assert.ok(ran.includes('kisMarket.setCredentials'));
      assert.ok(ran.includes('kisMarket.showConnectionDetails'));
    });
  });
});
