/**
 * `kis-monitor sim-order` and `kis-monitor watch --tr H0STCNI9 <HTS ID>` against one simulator: an order
 * placed from the CLI comes back decrypted as JSON lines (accepted, then filled); notices that cannot be
 * used (wrong key, bad padding, an unknown width) are counted and logged without content and the stream
 * goes on; the HTS ID, the account number and the keys appear in no log line.
 */
import * as assert from 'node:assert/strict';
import { main, type CliIo } from '../../src/cli/main';
import { KisSimulator } from '../../src/simulator';
import { waitFor } from './agent/helpers';

const HTS_ID = 'fillsuser7';

interface Run {
  io: CliIo;
  lines: () => Array<Record<string, unknown>>;
  err: () => string;
  stop: () => void;
}

function run(env: Record<string, string> = {}): Run {
  let out = '';
  let err = '';
  const controller = new AbortController();
  return {
    io: {
      stdout: { write: (t: string) => (out += t) },
      stderr: { write: (t: string) => (err += t) },
      env,
      signal: controller.signal,
      statsIntervalMs: 50,
    },
    lines: () =>
      out
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    err: () => err,
    stop: () => controller.abort(),
  };
}

describe('kis-monitor sim-order and watch --tr H0STCNI9 (in-process)', function () {
  this.timeout(20_000);
  let sim: KisSimulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('prints the order placed by sim-order as decrypted notice lines, and keeps going after unusable notices', async () => {
    const s = (sim = await KisSimulator.start({ port: 0, htsId: HTS_ID, orderMatchMs: 0, fillLotPerTrade: 4 }));
    const watch = run();
    const exit = main(['watch', '--url', s.wsUrl, '--tr', 'H0STCNI9', HTS_ID], watch.io);
    await waitFor(() => s.registrations().some((r) => r.trKey === HTS_ID), 'the notice registration');
    await waitFor(() => /H0STCNI9 fi…: subscribed/.test(watch.err()), 'the subscribe logged');

    const order = run();
    assert.equal(
      await main(['sim-order', '--url', s.restUrl, '--side', 'buy', '005930', '6', '--price', '93000'], order.io),
      0,
    );
    const [placed] = order.lines();
    assert.equal(placed.type, 'order');
    assert.equal(placed.accepted, true);
    assert.equal(placed.msgCd, '40600000');
    assert.match(placed.orderNo as string, /^\d{10}$/);

    const notices = (): Array<Record<string, unknown>> => watch.lines().filter((l) => l.kind === 'notice');
    await waitFor(() => notices().length === 1, 'the acceptance line');
    s.sendBadNotice(HTS_ID, 'wrong-key');
    s.sendBadNotice(HTS_ID, 'bad-padding');
    s.sendBadNotice(HTS_ID, 'short');
    s.matchOrders();
    s.matchOrders();
    await waitFor(() => notices().length === 3, 'two fill lines after the bad notices');
    await waitFor(
      () => watch.lines().some((l) => l.type === 'stats' && (l.parseErrors as number) === 3),
      'the three bad notices counted',
    );
    watch.stop();
    assert.equal(await exit, 0);

    const [accepted, ...fills] = notices();
    assert.deepEqual(
      {
        status: accepted.status,
        side: accepted.side,
        symbol: accepted.symbol,
        quantity: accepted.quantity,
        price: accepted.price,
      },
      { status: 'accepted', side: 'buy', symbol: '005930', quantity: 6, price: 93000 },
    );
    assert.equal(accepted.orderNo, placed.orderNo);
    assert.deepEqual(
      fills.map((f) => [f.status, f.quantity, f.orderQuantity, f.name]),
      [
        ['filled', 4, 6, '삼성전자'],
        ['filled', 2, 6, '삼성전자'],
      ],
    );
    const everything = `${JSON.stringify(watch.lines())}\n${watch.err()}`;
    const at = everything.indexOf(HTS_ID);
    assert.ok(at < 0, `no HTS ID in the output or the log: ${everything.slice(Math.max(0, at - 200), at + 50)}`);
    assert.ok(!everything.includes('5001234501') && !everything.includes('50012345-01'), 'no account number');
    assert.ok(!everything.includes('홍길동'), 'no account name');
    assert.match(watch.err(), /Undecryptable H0STCNI9 frame/);
  });

  it("sim-order with the simulator's own credentials says to wait when its token of the minute is taken", async () => {
    const s = (sim = await KisSimulator.start({
      port: 0,
      credentials: { appkey: 'ORDER-KEY-1234', secretkey: 'ORDER-SECRET' },
    }));
    const env = { KIS_APPKEY: 'ORDER-KEY-1234', KIS_APPSECRET: 'ORDER-SECRET' };
    const argv = ['sim-order', '--url', s.restUrl, '--side', 'buy', '005930', '1'];
    assert.equal(await main(argv, run(env).io), 0);
    const second = run(env);
    assert.equal(await main(argv, second.io), 1);
    assert.match(second.err(), /one token a minute per app key: wait a minute/);
    const wrong = run({ KIS_APPKEY: 'ORDER-KEY-1234', KIS_APPSECRET: 'NOT-IT' });
    assert.equal(await main(argv, wrong.io), 1);
    assert.match(wrong.err(), /refused the credentials \(EGW00103\)/);
    assert.ok(!wrong.err().includes('NOT-IT'));
  });

  it('sim-order refuses a URL that is not this machine, and reports a refused order with exit 1', async () => {
    const remote = run();
    assert.equal(
      await main(['sim-order', '--url', 'http://10.0.0.5:21000', '--side', 'buy', '005930', '1'], remote.io),
      2,
    );
    assert.match(remote.err(), /this machine/);
    const s = (sim = await KisSimulator.start({ port: 0, orderMatchMs: 0 }));
    const refused = run();
    assert.equal(
      await main(['sim-order', '--url', s.restUrl, '--side', 'sell', '005930', '1', '--price', '70050'], refused.io),
      1,
    );
    assert.deepEqual(
      { accepted: refused.lines()[0].accepted, msgCd: refused.lines()[0].msgCd },
      { accepted: false, msgCd: 'SIMORD05' },
    );
    // An order that waits (a bid at the lower limit), cancelled in two steps.
    const waiting = run();
    const lower = String(s.market('005930').lower);
    assert.equal(
      await main(['sim-order', '--url', s.restUrl, '--side', 'buy', '005930', '5', '--price', lower], waiting.io),
      0,
    );
    const orderNo = waiting.lines()[0].orderNo as string;
    const cancel = async (...extra: string[]): Promise<[number, Record<string, unknown>]> => {
      const r = run();
      const code = await main(['sim-order', '--url', s.restUrl, '--cancel', orderNo, ...extra], r.io);
      return [code, r.lines()[0]];
    };
    const [partCode, part] = await cancel('2');
    assert.deepEqual(
      [partCode, part.type, part.accepted, part.original, part.quantity],
      [0, 'cancel', true, orderNo, 2],
    );
    const [restCode, rest] = await cancel();
    assert.deepEqual([restCode, rest.accepted, rest.quantity], [0, true, 'all']);
    const [againCode, again] = await cancel();
    assert.deepEqual([againCode, again.msgCd], [1, 'SIMORD07']);
    assert.equal(s.trading.account.list().at(-1)?.cancelled, 5);
  });
});
