import { strict as assert } from 'node:assert';
import type { Snapshot } from '../../../src/shared/snapshot';
import { parseWorkerMessage, type InitMessage, type WorkerToHost } from '../../../src/shared/workerProtocol';
import { WorkerRuntime, type RuntimeTimers } from '../../../src/worker/runtime';
import { frame, tradeOf } from './helpers';

class ManualTimers implements RuntimeTimers {
  time = 1_000_000;
  setInterval(): unknown {
    return 1;
  }
  clearInterval(): void {}
  now(): number {
    return this.time;
  }
}

const init: InitMessage = {
  type: 'init',
  snapshotIntervalMs: 100,
  heartbeatIntervalMs: 1000,
  bookDepth: 5,
  userHandlers: [],
  alerts: [],
};

const HTS_ID = 'HTSUSER7';
const ACCOUNT = '5019920201';

/** A 26-field H0STCNI9 fill record of `symbol` (decrypted, as the agent hands it on). */
function notice(symbol: string, qty = 3, extra: Record<number, string> = {}): string[] {
  const f = [HTS_ID, ACCOUNT, '0000012345', '0000000000', '02', '0', '00', '0', symbol, String(qty), '71900'];
  f.push('105531', '0', '2', '2', '00950', '10', '홍길동', '0', '1', 'N', '', '', '', '삼성전자', '71900');
  for (const [i, v] of Object.entries(extra)) f[Number(i)] = v;
  return f;
}

describe('worker runtime: execution notices', () => {
  let posted: WorkerToHost[];
  let runtime: WorkerRuntime;
  let batch = 0;
  const send = (trId: string, records: string[][]): void =>
    runtime.handle({ type: 'frames', batchId: ++batch, frames: [frame(trId, records)] });
  const snapshots = (): Snapshot[] => posted.flatMap((m) => (m.type === 'snapshot' ? [m.snapshot] : []));

  beforeEach(() => {
    posted = [];
    runtime = new WorkerRuntime(
      (m) => posted.push(m),
      () => undefined,
      new ManualTimers(),
    );
    runtime.handle(init);
  });
  afterEach(() => runtime.handle({ type: 'stop' }));

  it('a notice frame reaches the next snapshot as fills, which the host accepts', () => {
    send('H0STCNI9', [notice('005930', 3), notice('005930', 7)]);
    runtime.flush();
    const [snap] = snapshots();
    assert.ok(snap.fills);
    assert.deepEqual(
      snap.fills.map((f) => [f.symbol, f.quantity, f.status, f.orderNo]),
      [
        ['005930', 3, 'filled', '12345'],
        ['005930', 7, 'filled', '12345'],
      ],
    );
    const last = posted[posted.length - 1];
    assert.ok(parseWorkerMessage(JSON.parse(JSON.stringify(last))), 'the host accepts the snapshot');
    runtime.flush();
    assert.equal(snapshots().length, 1, 'fills are sent once');
  });

  it('an unknown width and an unknown symbol are counted and reported without content; the stream goes on', () => {
    send('H0STCNI9', [notice('005930').slice(0, 24)]);
    send('H0STCNI9', [notice('NOPE!!'), notice('000660')]);
    send('H0STCNT0', [tradeOf('005930', 70100)]);
    runtime.flush();
    const [snap] = snapshots();
    assert.deepEqual(
      snap.fills?.map((f) => f.symbol),
      ['000660'],
    );
    assert.equal(snap.counters.noticeErrors, 2);
    assert.equal(snap.quotes[0]?.last, 70100, 'the trade after the bad notices went through');
    const errors = posted.flatMap((m) => (m.type === 'handlerError' ? [m.message] : []));
    assert.ok(errors.length >= 1);
    for (const text of errors) {
      assert.ok(!text.includes(HTS_ID) && !text.includes(ACCOUNT) && !text.includes('홍길동'), text);
      assert.match(text, /UNKNOWN_WIDTH|UNKNOWN_SYMBOL/);
    }
  });

  it('the host refuses a snapshot whose fill is malformed', () => {
    send('H0STCNI9', [notice('005930')]);
    runtime.flush();
    const message = JSON.parse(JSON.stringify(posted[posted.length - 1])) as {
      snapshot: { fills: Record<string, unknown>[] };
    };
    for (const bad of [{ status: 'done' }, { quantity: -1 }, { symbol: '' }, { side: 'short' }, { market: 'jp' }]) {
      const copy = structuredClone(message);
      Object.assign(copy.snapshot.fills[0], bad);
      assert.equal(parseWorkerMessage(copy), undefined, JSON.stringify(bad));
    }
  });
});
