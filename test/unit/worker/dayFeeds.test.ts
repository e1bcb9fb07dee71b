import { strict as assert } from 'node:assert';
import type { QuoteState } from '../../../src/shared/snapshot';
import type { HandlerErrorMessage, InitMessage, WorkerToHost } from '../../../src/shared/workerProtocol';
import { WorkerRuntime, type RuntimeTimers } from '../../../src/worker/runtime';
import { book, frame, HandlerDir, tradeOf } from './helpers';

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

function init(extra: Partial<InitMessage> = {}): InitMessage {
  return {
    type: 'init',
    snapshotIntervalMs: 100,
    heartbeatIntervalMs: 1000,
    bookDepth: 5,
    userHandlers: [],
    alerts: [],
    ...extra,
  };
}

/** An expected-execution record (45 wide for H0STANC0, 46 otherwise). */
function expectedOf(
  symbol: string,
  price: number,
  hhmmss: string,
  width: number,
  extra: Record<number, string> = {},
): string[] {
  const f = new Array<string>(width).fill('0');
  Object.assign(f, {
    0: symbol,
    1: hhmmss,
    2: String(price),
    3: '2',
    4: '500',
    5: '0.72',
    12: '1200',
    43: 'A',
    ...extra,
  });
  return f;
}

/** A market-status record (11 wide). */
function statusOf(symbol: string, vi: 'Y' | 'N', halted: 'Y' | 'N' = 'N', reason = '(null)'): string[] {
  return [symbol, halted, reason, '', '', '', '', '55', vi, 'N', '1'];
}

describe('worker runtime: whole-day feeds', () => {
  let posted: WorkerToHost[];
  let runtime: WorkerRuntime;
  let batch = 0;
  const send = (trId: string, records: string[][]): void =>
    runtime.handle({ type: 'frames', batchId: ++batch, frames: [frame(trId, records)] });
  const quote = (symbol: string): QuoteState => {
    const q = runtime.market?.quote(symbol);
    assert.ok(q, `no quote for ${symbol}`);
    return q;
  };

  beforeEach(() => {
    posted = [];
    runtime = new WorkerRuntime(
      (m) => posted.push(m),
      () => undefined,
      new ManualTimers(),
    );
    runtime.handle(init());
  });
  afterEach(() => runtime.handle({ type: 'stop' }));

  it('a unified trade updates the quote and says which feed it came from; a KRX trade after it says KRX', () => {
    send('H0UNCNT0', [tradeOf('005930', 70100, '170001', 3, { 45: '77000' })]);
    assert.deepEqual(
      [quote('005930').last, quote('005930').exchange, quote('005930').viPrice],
      [70100, 'unified', 77000],
    );
    send('H0NXCNT0', [tradeOf('005930', 70200, '170002')]);
    assert.equal(quote('005930').exchange, 'NXT');
    send('H0STCNT0', [tradeOf('005930', 70300, '170003')]);
    assert.deepEqual([quote('005930').last, quote('005930').exchange], [70300, 'KRX']);
  });

  it('KRX-only quotes carry no exchange field (the views see what they saw before)', () => {
    send('H0STCNT0', [tradeOf('000660', 120000)]);
    assert.equal('exchange' in quote('000660'), false);
  });

  it('an expected execution is marked expected and dropped when continuous trading starts', () => {
    send('H0STANC0', [expectedOf('005930', 70500, '084000', 45)]);
    assert.deepEqual(quote('005930').expected, {
      price: 70500,
      change: 500,
      rate: 0.72,
      sign: '2',
      volume: 1200,
      time: '084000',
      exchange: 'KRX',
    });
    assert.equal(quote('005930').last, 0, 'an expected price is not a trade');
    send('H0NXCNT0', [tradeOf('005930', 70000, '084500')]);
    assert.ok(quote('005930').expected, 'an NXT pre-market trade leaves the KRX auction');
    send('H0STCNT0', [tradeOf('005930', 70000, '085959')]);
    assert.ok(quote('005930').expected, 'nothing trades continuously before 09:00');
    send('H0STCNT0', [tradeOf('005930', 70500, '090000')]);
    assert.equal(quote('005930').expected, undefined);
  });

  it('keeps the expected price past 09:00:00 until the first trade prints: books, status and another venue’s trade leave it', () => {
    send('H0STANC0', [expectedOf('005930', 70500, '085959', 45)]);
    send('H0STASP0', [book({ 0: '005930', 1: '090000' })]);
    send('H0STMKO0', [statusOf('005930', 'N')]);
    send('H0NXCNT0', [tradeOf('005930', 70400, '090001')]);
    assert.equal(quote('005930').expected?.price, 70500, 'no KRX trade yet at 09:00:01');
    send('H0STCNT0', [tradeOf('005930', 70500, '090002')]);
    assert.equal(quote('005930').expected, undefined, 'the open’s first trade replaces it');
  });

  it('a unified expected (with its VI reference price) is dropped by a unified trade from 09:00', () => {
    send('H0UNANC0', [expectedOf('005930', 70500, '085900', 46, { 45: '70000' })]);
    assert.equal(quote('005930').viPrice, 70000);
    send('H0NXCNT0', [tradeOf('005930', 70000, '090001')]);
    assert.equal(quote('005930').expected, undefined);
  });

  it('market status sets the VI and halt state and clears it', () => {
    send('H0STMKO0', [statusOf('005930', 'Y')]);
    assert.deepEqual([quote('005930').vi, quote('005930').halted, quote('005930').haltReason], [true, false, '']);
    send('H0NXMKO0', [statusOf('005930', 'N', 'Y', '정지')]);
    assert.deepEqual([quote('005930').vi, quote('005930').halted, quote('005930').haltReason], [false, true, '정지']);
    runtime.flush();
    const snap = posted.filter((m) => m.type === 'snapshot').pop();
    assert.ok(snap && snap.type === 'snapshot' && snap.snapshot.quotes.some((q) => q.symbol === '005930' && q.halted));
  });

  it('reads NXT books into the book state', () => {
    const f = new Array<string>(65).fill('0');
    Object.assign(f, { 0: '005930', 1: '170000', 3: '70100', 13: '70000', 23: '10', 33: '20' });
    send('H0NXASP0', [f]);
    runtime.flush();
    const snap = posted.filter((m) => m.type === 'snapshot').pop();
    assert.ok(snap && snap.type === 'snapshot');
    assert.deepEqual(snap.snapshot.books[0].asks[0], { price: 70100, size: 10 });
    assert.equal(snap.snapshot.books[0].venue, 'NXT', 'the ladder says whose book it draws');
  });

  it('says a unified book is the unified feed’s and a KRX book KRX’s, all ten levels carried', () => {
    const f = new Array<string>(65).fill('0');
    Object.assign(f, { 0: '005930', 1: '100000', 3: '70100', 12: '71000', 13: '70000', 22: '69100', 32: '7' });
    send('H0UNASP0', [f]);
    runtime.flush();
    const unified = posted.filter((m) => m.type === 'snapshot').pop();
    assert.ok(unified && unified.type === 'snapshot');
    const book = unified.snapshot.books[0];
    assert.equal(book.venue, 'unified');
    assert.equal(book.asks.length, 5, 'this runtime keeps five levels');
    const krx = new Array<string>(59).fill('0');
    Object.assign(krx, { 0: '000660', 1: '100000', 3: '198500', 13: '198000' });
    send('H0STASP0', [krx]);
    runtime.flush();
    const snap = posted.filter((m) => m.type === 'snapshot').pop();
    assert.ok(snap && snap.type === 'snapshot');
    assert.equal(snap.snapshot.books.find((b) => b.symbol === '000660')?.venue, 'KRX');
  });

  it('counts an MKO record without a symbol and an unknown width, reports them, and goes on', () => {
    send('H0STMKO0', [statusOf('', 'Y'), statusOf('000660', 'Y')]);
    assert.equal(quote('000660').vi, true);
    send('H0NXASP0', [new Array<string>(64).fill('1')]);
    send('H0UNCNT0', [tradeOf('005930', 70100)]);
    assert.equal(quote('005930').last, 70100);
    runtime.flush();
    const last = posted.filter((m) => m.type === 'snapshot' || m.type === 'ack').pop();
    assert.ok(last && (last.type === 'snapshot' ? last.snapshot.counters : last.counters).dayRecordErrors === 2);
    const errors = posted.filter((m): m is HandlerErrorMessage => m.type === 'handlerError');
    assert.match(errors[0].message, /NO_SYMBOL/);
  });

  it('passes whole-day records to user handlers too', () => {
    const dir = new HandlerDir();
    try {
      const p = dir.write(
        'module.exports = (r) => { globalThis.__dayRecords = (globalThis.__dayRecords || []).concat(r.trId + ":" + r.symbol); };',
      );
      runtime.handle({ type: 'addHandler', modulePath: p });
      send('H0UNANC0', [expectedOf('005930', 70500, '085900', 46)]);
      assert.deepEqual((globalThis as { __dayRecords?: string[] }).__dayRecords, ['H0UNANC0:005930']);
      assert.ok(quote('005930').expected);
    } finally {
      delete (globalThis as { __dayRecords?: string[] }).__dayRecords;
      dir.cleanup();
    }
  });
});
