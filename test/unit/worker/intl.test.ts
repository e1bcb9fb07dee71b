import { strict as assert } from 'node:assert';
import type { OrderBookTop, QuoteState } from '../../../src/shared/snapshot';
import type { InitMessage, WorkerToHost } from '../../../src/shared/workerProtocol';
import { WorkerRuntime, type RuntimeTimers } from '../../../src/worker/runtime';
import { frame } from './helpers';

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

/** An H0UPCNT0 record (30 wide): KOSPI down 12.34 (sign 5, the change unsigned on the wire). */
function indexOf(code: string, value: string, time: string, set: Record<number, string> = {}): string[] {
  const f = new Array<string>(30).fill('0');
  Object.assign(
    f,
    {
      0: code,
      1: time,
      2: value,
      3: '5',
      4: '12.34',
      5: '412345',
      9: '-0.46',
      10: '2660.00',
      11: '2671.50',
      12: '2640.10',
    },
    set,
  );
  return f;
}

/** An HDFSCNT0 record as captured (26 wide, RSYM first; kis-protocol.md §7.1). */
function usTradeOf(key: string, last: string, set: Record<number, string> = {}): string[] {
  const f = [
    'DNASAAPL',
    'AAPL',
    '4',
    '20230502',
    '20230502',
    '091912',
    '20230502',
    '221912',
    '169.9200',
    '170.1000',
    '169.4200',
    '169.7850',
    '2',
    '0.1950',
    '+0.11',
    '169.7700',
    '169.7900',
    '201',
    '5',
    '1',
    '108464',
    '18414163',
    '24757',
    '20513',
    '82.86',
    '1',
  ];
  f[0] = key;
  f[11] = last;
  return Object.assign(f, set);
}

/** An HDFSASP0 record of one level (17 wide). */
function usBookOf(key: string, bid: string, ask: string): string[] {
  return [
    key,
    key.slice(4),
    '4',
    '20230502',
    '091913',
    '20230502',
    '221913',
    '1000',
    '900',
    '0',
    '0',
    bid,
    ask,
    '300',
    '200',
    '0',
    '0',
  ];
}

describe('worker runtime: index and US records', () => {
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
  const book = (symbol: string): OrderBookTop | undefined =>
    runtime.market?.fullState().books.find((b) => b.symbol === symbol);

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

  it('an index tick becomes the quote of its 업종코드: points with two decimals, the change signed by the sign code', () => {
    send('H0UPCNT0', [indexOf('0001', '2650.12', '101500')]);
    const q = quote('0001');
    assert.deepEqual(
      [q.last, q.change, q.rate, q.sign, q.open, q.high, q.low, q.volume, q.lastTickTime],
      [2650.12, -12.34, -0.46, '5', 2660, 2671.5, 2640.1, 412345, '101500'],
    );
    assert.match(q.businessDate, /^\d{8}$/, 'the KST date of receipt (H0UPCNT0 has no date field)');
    assert.equal(q.vwap, 0, 'an index has no VWAP');
    assert.equal(book('0001'), undefined, 'an index has no book');
  });

  it('dates an index tick by the feed’s clock (a simulated day), not the machine’s calendar, across its midnight', () => {
    runtime.handle({ type: 'stop' });
    const timers = new ManualTimers();
    runtime = new WorkerRuntime(
      (m) => posted.push(m),
      () => undefined,
      timers,
    );
    // The machine is in 1970; the simulated clock is at Tue 2026-12-08 23:59:30 KST and runs 4× as fast.
    runtime.handle(
      init({ feedClock: { realAt: timers.time, feedAt: Date.parse('2026-12-08T23:59:30+09:00'), speed: 4 } }),
    );
    send('H0UPCNT0', [indexOf('0001', '2650.12', '235930')]);
    assert.equal(quote('0001').businessDate, '20261208');
    assert.equal(
      runtime.market?.fullState().bars.find((b) => b.symbol === '0001')?.time,
      Date.parse('2026-12-08T23:59:00Z') / 1000,
      'the bar of the simulated minute',
    );
    timers.time += 10_000; // 40 s simulated: Wed 00:00:10
    send('H0UPCNT0', [indexOf('0001', '2651.00', '000010')]);
    assert.equal(quote('0001').businessDate, '20261209', 'the simulated day turned, the machine’s did not');
  });

  it('KOSPI and KOSDAQ in one frame are two quotes, and a second tick moves the value and the minute bar', () => {
    send('H0UPCNT0', [
      indexOf('0001', '2650.12', '101500'),
      indexOf('1001', '870.55', '101500', { 3: '2', 4: '3.10', 9: '0.36' }),
    ]);
    assert.deepEqual([quote('1001').last, quote('1001').change, quote('1001').sign], [870.55, 3.1, '2']);
    send('H0UPCNT0', [indexOf('0001', '2651.00', '101530', { 5: '412400' })]);
    assert.equal(quote('0001').last, 2651);
    assert.equal(quote('0001').trades, 2);
    const bar = runtime.market?.fullState().bars.find((b) => b.symbol === '0001');
    assert.ok(bar);
    assert.deepEqual(
      [bar.open, bar.close, bar.high, bar.volume],
      [2650.12, 2651, 2651, 55],
      'the bar takes the growth of the cumulative volume',
    );
  });

  it('a US trade becomes the quote of its key in dollars, with the KST time and date of the record', () => {
    send('HDFSCNT0', [usTradeOf('DNASAAPL', '169.7850')]);
    const q = quote('DNASAAPL');
    assert.deepEqual(
      [q.last, q.change, q.rate, q.sign, q.open, q.high, q.low],
      [169.785, 0.195, 0.11, '2', 169.92, 170.1, 169.42],
    );
    assert.deepEqual(
      [q.volume, q.value, q.bestBid, q.bestAsk, q.lastTickTime, q.businessDate],
      [108464, 18414163, 169.77, 169.79, '221912', '20230502'],
    );
    assert.equal(q.vwap, Math.round((18414163 / 108464) * 10_000) / 10_000);
  });

  it('derives what a partial record leaves empty (0): OHLC from the values seen, volume and value from the trades', () => {
    send('HDFSCNT0', [
      usTradeOf('DNASTSLA', '250.0000', { 1: 'TSLA', 8: '0', 9: '0', 10: '0', 19: '10', 20: '0', 21: '0' }),
    ]);
    send('HDFSCNT0', [
      usTradeOf('DNASTSLA', '249.0000', { 1: 'TSLA', 8: '0', 9: '0', 10: '0', 19: '30', 20: '0', 21: '0' }),
    ]);
    const us = quote('DNASTSLA');
    assert.deepEqual(
      [us.open, us.high, us.low, us.volume, us.value, us.vwap],
      [250, 250, 249, 40, 250 * 10 + 249 * 30, (2500 + 7470) / 40],
    );
    send('H0UPCNT0', [indexOf('1001', '870.00', '101500', { 10: '0', 11: '0', 12: '0' })]);
    send('H0UPCNT0', [indexOf('1001', '871.00', '101501', { 10: '0', 11: '0', 12: '0' })]);
    send('H0UPCNT0', [indexOf('1001', '869.50', '101502', { 10: '0', 11: '0', 12: '0' })]);
    const ix = quote('1001');
    assert.deepEqual([ix.open, ix.high, ix.low], [870, 871, 869.5]);
  });

  it('a US fall carries a negative change although DIFF is unsigned on the wire', () => {
    send('HDFSCNT0', [usTradeOf('DNYSKO', '61.9000', { 1: 'KO', 12: '5', 13: '0.2000', 14: '-0.32' })]);
    assert.deepEqual([quote('DNYSKO').change, quote('DNYSKO').rate, quote('DNYSKO').sign], [-0.2, -0.32, '5']);
  });

  it('a US best bid/ask is the book (one level) and then wins over the trade record’s bid/ask', () => {
    send('HDFSCNT0', [usTradeOf('DNASAAPL', '169.7850')]);
    send('HDFSASP0', [usBookOf('DNASAAPL', '169.7800', '169.8000')]);
    const b = book('DNASAAPL');
    assert.ok(b);
    assert.deepEqual(
      [b.bids[0], b.asks[0], b.bids[1], b.totalBidSize, b.totalAskSize, b.time],
      [{ price: 169.78, size: 300 }, { price: 169.8, size: 200 }, { price: 0, size: 0 }, 1000, 900, '221913'],
    );
    send('HDFSCNT0', [usTradeOf('DNASAAPL', '169.8000')]);
    assert.deepEqual([quote('DNASAAPL').bestBid, quote('DNASAAPL').bestAsk], [169.78, 169.8]);
    assert.equal(b.venue, 'US');
  });

  it('a ten-level US book keeps its levels as KIS sends them (up to the runtime’s depth)', () => {
    const levels = Array.from({ length: 10 }, (_, i) => [
      (169.78 - i * 0.01).toFixed(4),
      (169.8 + i * 0.01).toFixed(4),
      String(300 + i),
      String(200 + i),
      '0',
      '0',
    ]).flat();
    send('HDFSASP0', [[...usBookOf('DNASAAPL', '169.7800', '169.8000').slice(0, 11), ...levels]]);
    const b = book('DNASAAPL');
    assert.ok(b);
    assert.equal(b.bids.length, 5);
    assert.deepEqual(
      [b.bids[4], b.asks[4]],
      [
        { price: 169.74, size: 304 },
        { price: 169.84, size: 204 },
      ],
    );
  });

  it('a US book before any trade makes a book but no quote (no price is known yet)', () => {
    send('HDFSASP0', [usBookOf('DAMSSPY', '548.1000', '548.2000')]);
    assert.ok(book('DAMSSPY'));
    assert.equal(runtime.market?.quote('DAMSSPY'), undefined);
  });

  it('changed index and US quotes go out in the next snapshot', () => {
    send('H0UPCNT0', [indexOf('2001', '350.10', '101500')]);
    send('HDFSCNT0', [usTradeOf('DNASNVDA', '121.4000', { 1: 'NVDA' })]);
    runtime.flush();
    const snapshot = posted.find((m) => m.type === 'snapshot');
    assert.ok(snapshot && snapshot.type === 'snapshot');
    assert.deepEqual(snapshot.snapshot.quotes.map((q) => q.symbol).sort(), ['2001', 'DNASNVDA']);
  });

  it('a record of an undocumented width is counted and reported, the stream goes on', () => {
    // 30 fields: wider than the one-level book (17), narrower than the ten-level one (71): no known layout.
    send('HDFSASP0', [[...usBookOf('DNASAAPL', '1.0000', '1.0100'), ...new Array<string>(13).fill('0')]]);
    assert.equal(book('DNASAAPL'), undefined);
    runtime.flush();
    const last = posted.filter((m) => m.type === 'snapshot' || m.type === 'ack').pop();
    assert.ok(
      last &&
        (last.type === 'snapshot' ? last.snapshot.counters : last.type === 'ack' ? last.counters : undefined)
          ?.dayRecordErrors === 1,
    );
    assert.ok(posted.some((m) => m.type === 'handlerError' && /UNKNOWN_WIDTH/.test(m.message)));
    send('H0UPCNT0', [indexOf('0001', '2650.12', '101500')]);
    assert.equal(quote('0001').last, 2650.12);
  });

  it('a price alert fires on an index crossing its threshold', () => {
    runtime.handle({ type: 'setAlerts', alerts: [{ id: 'k', symbol: '0001', kind: 'priceAbove', threshold: 2650.5 }] });
    send('H0UPCNT0', [indexOf('0001', '2650.12', '101500')]);
    send('H0UPCNT0', [indexOf('0001', '2651.00', '101501')]);
    runtime.flush();
    const alerts = posted.flatMap((m) => (m.type === 'snapshot' ? m.snapshot.alerts : []));
    assert.deepEqual(
      alerts.map((a) => [a.symbol, a.price]),
      [['0001', 2651]],
    );
  });
});
