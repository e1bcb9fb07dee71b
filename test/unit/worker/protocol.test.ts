import { strict as assert } from 'node:assert';
import type { Snapshot } from '../../../src/shared/snapshot';
import { parseWorkerMessage } from '../../../src/shared/workerProtocol';

const counters = { records: 1, handlerErrors: 0, parseErrors: 0 };
const snapshot: Snapshot = {
  seq: 1,
  at: 1,
  quotes: [
    {
      symbol: '005930',
      last: 1,
      change: 0,
      rate: 0,
      sign: '3',
      volume: 0,
      value: 0,
      open: 0,
      high: 0,
      low: 0,
      vwap: 0,
      bestBid: 0,
      bestAsk: 0,
      lastTickTime: '',
      businessDate: '',
      lastUpdateAt: 0,
      halted: false,
      trades: 1,
    },
  ],
  bars: [{ symbol: '005930', time: 60, open: 1, high: 1, low: 1, close: 1, volume: 1 }],
  books: [{ symbol: '005930', time: '', asks: [], bids: [], totalAskSize: 0, totalBidSize: 0 }],
  alerts: [{ ruleId: 'a', symbol: '005930', kind: 'priceAbove', threshold: 1, price: 1, rate: 0, time: '' }],
  counters,
};

describe('worker protocol validation (worker → host)', () => {
  it('accepts every well-formed message type', () => {
    const good: unknown[] = [
      { type: 'ready', handlers: ['/a.js'] },
      { type: 'snapshot', snapshot, ackBatchId: 3 },
      { type: 'snapshot', snapshot, ackBatchId: 3, alertStates: [{ id: 'a', armed: false, firedAt: 1 }] },
      { type: 'ack', ackBatchId: 4, counters },
      { type: 'ack', ackBatchId: 4, counters, alertStates: [] },
      { type: 'heartbeat', seq: 9 },
      { type: 'handlerError', message: 'boom', handler: '/a.js' },
      { type: 'fatal', message: 'bad init' },
    ];
    for (const message of good) assert.equal(parseWorkerMessage(message), message, JSON.stringify(message));
  });

  it('rejects unknown types, non-objects and wrong shapes', () => {
    const bad: unknown[] = [
      null,
      42,
      'ready',
      {},
      { type: 7 },
      { type: 'bogus' },
      { type: 'ready', handlers: [1] },
      { type: 'snapshot', snapshot, ackBatchId: '3' },
      { type: 'snapshot', snapshot, ackBatchId: 3, alertStates: 'a' },
      { type: 'snapshot', snapshot, ackBatchId: 3, alertStates: [{ id: 'a', armed: 'no', firedAt: 1 }] },
      { type: 'snapshot', snapshot, ackBatchId: 3, alertStates: [{ id: 'a', armed: true, firedAt: Number.NaN }] },
      { type: 'snapshot', snapshot: { ...snapshot, quotes: [{ symbol: 1 }] }, ackBatchId: 1 },
      { type: 'snapshot', snapshot: { ...snapshot, bars: [{}] }, ackBatchId: 1 },
      { type: 'snapshot', snapshot: { ...snapshot, books: [{ symbol: 'x' }] }, ackBatchId: 1 },
      { type: 'snapshot', snapshot: { ...snapshot, alerts: [{ ruleId: 'a' }] }, ackBatchId: 1 },
      { type: 'snapshot', snapshot: { ...snapshot, counters: { records: Number.NaN } }, ackBatchId: 1 },
      { type: 'snapshot', snapshot: { ...snapshot, seq: undefined }, ackBatchId: 1 },
      { type: 'snapshot', snapshot: null, ackBatchId: 1 },
      { type: 'ack', ackBatchId: 1 },
      { type: 'ack', ackBatchId: 1, counters, alertStates: [1] },
      { type: 'heartbeat', seq: Infinity },
      { type: 'handlerError', message: 'x' },
      { type: 'fatal' },
    ];
    for (const message of bad) assert.equal(parseWorkerMessage(message), undefined, JSON.stringify(message));
  });
});
