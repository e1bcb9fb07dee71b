import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { main, type CliIo } from '../../src/cli/main';
import { KisSimulator } from '../../src/simulator';
import { waitFor } from './agent/helpers';

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
      statsIntervalMs: 100,
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

describe('kis-monitor watch end to end (in-process)', function () {
  this.timeout(20_000);
  let sim: KisSimulator | undefined;
  let tmp: string | undefined;

  afterEach(async () => {
    await sim?.close();
    sim = undefined;
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    tmp = undefined;
  });

  it('streams record and stats lines from the embedded simulator and exits 0 on stop', async () => {
    const r = run();
    const exit = main(['watch', '--tr', 'H0STCNT0', '--tr', 'H0STASP0', '005930', '000660'], r.io);
    await waitFor(() => {
      const lines = r.lines();
      return (
        lines.some((l) => l.type === 'record' && l.trId === 'H0STCNT0') &&
        lines.some((l) => l.type === 'record' && l.trId === 'H0STASP0') &&
        lines.some((l) => l.type === 'stats' && (l.subscriptionsUsed as number) === 4)
      );
    }, 'trade, order-book and stats lines');
    r.stop();
    assert.equal(await exit, 0);
    const lines = r.lines();
    const trade = lines.find((l) => l.type === 'record' && l.trId === 'H0STCNT0') as Record<string, unknown>;
    assert.ok(['005930', '000660'].includes(trade.symbol as string));
    assert.match(trade.time as string, /^\d{6}$/);
    assert.ok((trade.price as number) > 0 && (trade.volume as number) > 0);
    const book = lines.find((l) => l.type === 'record' && l.trId === 'H0STASP0') as Record<string, unknown>;
    assert.ok((book.bestAsk as number) > (book.bestBid as number) && (book.bestBid as number) > 0);
    const stats = lines.filter((l) => l.type === 'stats').at(-1) as Record<string, unknown>;
    assert.equal(stats.state, 'open');
    assert.ok((stats.records as number) > 0);
    assert.match(r.err(), /embedded simulator at ws:\/\/127\.0\.0\.1:\d+/);
    assert.match(r.err(), /H0STCNT0 005930: subscribed/);
  });

  it('connects to an external simulator with --source simulator --url, and runs --handler modules in the worker', async () => {
    sim = await KisSimulator.start({ port: 0, ratePerSymbol: 50 });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-cli-'));
    const handler = path.join(tmp, 'throwing-handler.js');
    fs.writeFileSync(
      handler,
      "module.exports = function (record) { throw new Error('handler saw ' + record.symbol); };\n",
    );
    const r = run({ KIS_APPKEY: 'CLI-TEST-APPKEY', KIS_APPSECRET: 'CLI-TEST-SECRET' });
    const exit = main(['watch', '--source', 'simulator', '--url', sim.wsUrl, '--handler', handler, '005930'], r.io);
    await waitFor(
      () =>
        r
          .lines()
          .some(
            (l) => l.type === 'stats' && ((l.worker as { handlerErrors?: number } | undefined)?.handlerErrors ?? 0) > 0,
          ),
      'the user handler ran (and threw) inside the worker',
    );
    assert.ok(
      r.lines().some((l) => l.type === 'record' && l.symbol === '005930'),
      'records are still printed',
    );
    assert.ok(sim.requests.some((r2) => r2.trKey === '005930'));
    r.stop();
    assert.equal(await exit, 0);
    await waitFor(() => sim!.connectionCount === 0, 'the CLI closed its connection');
    assert.ok(!r.err().includes('CLI-TEST-SECRET'));
  });

  it('exits 0 on stop while it is still trying to reach an unreachable server', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const r = run();
    const exit = main(['watch', '--source', 'simulator', '--url', `ws://127.0.0.1:${port}`, '005930'], r.io);
    await waitFor(
      () => r.lines().some((l) => l.type === 'stats' && l.state === 'reconnecting'),
      'the agent backing off',
    );
    r.stop();
    assert.equal(await exit, 0);
  });

  it('exits 1 when the agent stops on bad credentials', async () => {
    sim = await KisSimulator.start({ port: 0, credentials: { appkey: 'RIGHT-KEY-123', secretkey: 'RIGHT-SECRET' } });
    const r = run({ KIS_APPKEY: 'WRONG-KEY-123', KIS_APPSECRET: 'WRONG-SECRET-456' });
    assert.equal(await main(['watch', '--url', sim.wsUrl, '005930'], r.io), 1);
    assert.match(r.err(), /stopped: KIS rejected the appkey WRON… \/ appsecret \(EGW00103\)/);
    assert.ok(!r.err().includes('WRONG-SECRET-456') && !r.err().includes('WRONG-KEY-123'));
  });
});
