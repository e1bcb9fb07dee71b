/**
 * One market in the simulator, seen through a plain `ws` client and the frame parser: over five
 * simulated minutes with every trade and book feed of several symbols subscribed, the unified tape
 * moves like one market, trades lie inside their venue's book, KRX and NXT stay next to each other, and
 * a reconnect continues the same day.
 *
 * The simulated clock advances one second per data tick of the simulator (its 'tick' event), so the
 * five minutes take 300 ticks whatever the machine's speed: no sleeps, no wall-clock assertions.
 */
import * as assert from 'node:assert/strict';
import { parseFrame, splitRecords } from '../../../src/kis';
import { KisSimulator } from '../../../src/simulator';
import { tickDown, tickUp } from '../../../src/simulator/market/krxRules';
import { approve, Fixture, nextEvent, ticksBetween, type TestClient } from './harness';

const SYMBOLS = ['005930', '000660', '035720', '247540'];
const TRADE_TRS = ['H0STCNT0', 'H0NXCNT0', 'H0UNCNT0'] as const;
const BOOK_OF: Readonly<Record<string, string>> = { H0STCNT0: 'H0STASP0', H0NXCNT0: 'H0NXASP0', H0UNCNT0: 'H0UNASP0' };
const ALL_TRS = [...TRADE_TRS, 'H0STASP0', 'H0NXASP0', 'H0UNASP0'];
const START = Date.parse('2026-12-07T10:00:00+09:00');
/** Five simulated minutes at one simulated second per data tick. */
const SIMULATED_MS = 5 * 60_000;
const MS_PER_TICK = 1000;

/** The value at quantile q (0..1) of `values` (nearest rank). */
function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** `promise`, or a rejection naming `what` after `ms` (the timer is cleared either way). */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A record of a data frame, with the TR it came on. */
interface Received {
  trId: string;
  fields: string[];
}

/** Every record `client` received, in arrival order. */
function records(client: TestClient): Received[] {
  const out: Received[] = [];
  for (const text of client.frames()) {
    const frame = parseFrame(text);
    const fields = splitRecords(frame);
    for (let i = 0; i < frame.count; i++)
      out.push({ trId: frame.trId, fields: fields.slice(i * frame.width, (i + 1) * frame.width) });
  }
  return out;
}

/** What the five minutes showed, per the acceptance's measures. */
interface Measures {
  unifiedJumps: number[];
  tradesChecked: number;
  tradesInsideBook: number;
  venueGaps: number[];
  /** The symbol's last trades (feed and price) up to the first KRX–NXT gap over 2 ticks, if any. */
  firstWideGap?: string;
  /** Per (TR, symbol): cumulative volumes in order, across both sessions. */
  cumVolumes: Map<string, number[]>;
  /** Per (TR, symbol): the last price before the reconnect and the first after it. */
  aroundReconnect: Map<string, [number, number]>;
}

/** Reads the sessions' records (in order, the first session's before the second's). */
function measure(sessions: Received[][]): Measures {
  const m: Measures = {
    unifiedJumps: [],
    tradesChecked: 0,
    tradesInsideBook: 0,
    venueGaps: [],
    cumVolumes: new Map(),
    aroundReconnect: new Map(),
  };
  const lastUnified = new Map<string, number>();
  const lastOf = new Map<string, number>();
  sessions.forEach((session, index) => {
    // The venues' last prices compared within a session (a new session has seen no trade yet).
    const venueLast = new Map<string, number>();
    // A book is judged against the session that received it: a new session starts with no book.
    const books = new Map<string, { bid: number; ask: number }>();
    const firstSeen = new Set<string>();
    const recent = new Map<string, string[]>();
    for (const { trId, fields } of session) {
      const symbol = fields[0];
      if (trId.endsWith('ASP0')) {
        books.set(`${trId}|${symbol}`, { ask: Number(fields[3]), bid: Number(fields[13]) });
        continue;
      }
      const price = Number(fields[2]);
      const key = `${trId}|${symbol}`;
      const volumes = m.cumVolumes.get(key) ?? [];
      volumes.push(Number(fields[13]));
      m.cumVolumes.set(key, volumes);
      if (index > 0 && !firstSeen.has(key)) {
        firstSeen.add(key);
        const before = lastOf.get(key);
        if (before !== undefined) m.aroundReconnect.set(key, [before, price]);
      }
      lastOf.set(key, price);
      if (trId === 'H0UNCNT0') {
        const previous = lastUnified.get(symbol);
        if (previous !== undefined) m.unifiedJumps.push(ticksBetween(previous, price));
        lastUnified.set(symbol, price);
      }
      const book = books.get(`${BOOK_OF[trId]}|${symbol}`);
      if (book !== undefined) {
        m.tradesChecked++;
        // A price at a daily limit has no quote beyond it (0): that side does not bound the trade.
        const low = book.bid > 0 ? tickDown(book.bid) : 0;
        const high = book.ask > 0 ? tickUp(book.ask) : Number.POSITIVE_INFINITY;
        if (price >= low && price <= high) m.tradesInsideBook++;
      }
      const trail = recent.get(symbol) ?? [];
      trail.push(`${trId.slice(2, 4)} ${price}`);
      if (trail.length > 40) trail.shift();
      recent.set(symbol, trail);
      if (trId !== 'H0UNCNT0') {
        venueLast.set(key, price);
        const krx = venueLast.get(`H0STCNT0|${symbol}`);
        const nxt = venueLast.get(`H0NXCNT0|${symbol}`);
        if (krx !== undefined && nxt !== undefined) {
          const gap = ticksBetween(krx, nxt);
          m.venueGaps.push(gap);
          if (gap > 2 && m.firstWideGap === undefined) m.firstWideGap = `${symbol}: ${trail.join(', ')}`;
        }
      }
    }
  });
  return m;
}

describe('simulator: one market (five simulated minutes, every feed, a reconnect)', () => {
  const fx = new Fixture();
  afterEach(() => fx.dispose());

  it('moves the unified tape ≤ 2 ticks at p99 and ≤ 5 at most, keeps trades in their book and KRX next to NXT, and continues the day over a reconnect', async function () {
    this.timeout(60_000);
    let now = START;
    const sim = fx.sim(
      await KisSimulator.start({ now: () => now, ratePerSymbol: 100, tickIntervalMs: 10, symbols: SYMBOLS }),
    );
    // The simulated clock: one second per data tick, until the five minutes are up.
    const fiveMinutes = new Promise<void>((resolve) => {
      const onTick = (): void => {
        now = Math.min(START + SIMULATED_MS, now + MS_PER_TICK);
        if (now >= START + SIMULATED_MS) {
          sim.day.off('tick', onTick);
          resolve();
        }
      };
      sim.day.on('tick', onTick);
    });
    const key = await approve(sim);
    const subscribeAll = async (client: TestClient): Promise<void> => {
      for (const symbol of SYMBOLS) for (const trId of ALL_TRS) await client.subscribe(key, trId, symbol);
    };
    const first = await fx.client(sim.wsUrl);
    await subscribeAll(first);
    // Half way through: the session ends (close), a new one subscribes everything again.
    await first.waitFor(
      () => (now >= START + SIMULATED_MS / 2 ? true : undefined),
      'half of the simulated minutes',
      30_000,
    );
    await first.dispose();
    const second = await fx.client(sim.wsUrl);
    await subscribeAll(second);
    await within(fiveMinutes, 30_000, 'the end of the five simulated minutes');
    await second.dispose();

    const m = measure([records(first), records(second)]);
    const p99 = quantile(m.unifiedJumps, 0.99);
    const max = Math.max(...m.unifiedJumps);
    const inside = m.tradesInsideBook / m.tradesChecked;
    const gap = Math.max(...m.venueGaps);
    // The numbers the issue asks for, printed for the report (not asserted as timings).
    console.log(
      `      unified jumps: p99 ${p99} ticks, max ${max} (n=${m.unifiedJumps.length}); inside book ${(inside * 100).toFixed(2)} % of ${m.tradesChecked}; max KRX–NXT gap ${gap} ticks`,
    );
    assert.ok(m.unifiedJumps.length >= 500, `enough unified trades to judge (${m.unifiedJumps.length})`);
    assert.ok(p99 <= 2, `consecutive unified trades move ≤ 2 ticks at the 99th percentile (got ${p99})`);
    assert.ok(max <= 5, `consecutive unified trades move ≤ 5 ticks at most (got ${max})`);
    assert.ok(
      inside >= 0.99,
      `≥ 99 % of trades inside their venue's book ± one tick (got ${(inside * 100).toFixed(2)} %)`,
    );
    assert.ok(
      gap <= 2,
      `KRX and NXT last prices within 2 ticks (got ${gap}; the trades up to the first wider gap: ${m.firstWideGap ?? ''})`,
    );
    for (const [feed, volumes] of m.cumVolumes) {
      for (let i = 1; i < volumes.length; i++)
        assert.ok(
          volumes[i] >= volumes[i - 1],
          `${feed}: cumulative volume never goes down (${volumes[i - 1]} → ${volumes[i]})`,
        );
    }
    assert.equal(
      m.aroundReconnect.size,
      SYMBOLS.length * TRADE_TRS.length,
      'every trade feed traded before and after the reconnect',
    );
    for (const [feed, [before, after]] of m.aroundReconnect) {
      assert.ok(
        ticksBetween(before, after) <= 5,
        `${feed}: the price continues over the reconnect (${before} → ${after})`,
      );
    }
  });

  it('holds a venue open on the walk while a session streams its trades, and lets it go on unsubscribe and on close', async () => {
    const sim = fx.sim(
      await KisSimulator.start({ now: () => START, ratePerSymbol: 100, tickIntervalMs: 10, symbols: ['005930'] }),
    );
    const reference = sim.market('005930').reference;
    const open = (): [boolean, boolean] => [reference.isOpen('KRX'), reference.isOpen('NXT')];
    const key = await approve(sim);
    const client = await fx.client(sim.wsUrl);
    // A stream holds its venues from its start, which comes before its first data frame.
    const streaming = async (trId: string): Promise<void> => {
      await client.subscribe(key, trId, '005930');
      await client.waitFor(() => (client.frames(trId).length > 0 ? true : undefined), `data of ${trId}`);
    };
    await streaming('H0NXCNT0');
    assert.deepEqual(open(), [false, true], 'the NXT feed holds NXT open, KRX stays free');
    await streaming('H0UNCNT0');
    assert.deepEqual(open(), [true, true], 'the unified feed prints both venues');
    await client.subscribe(key, 'H0NXCNT0', '005930', '2');
    assert.deepEqual(open(), [true, true], 'the unified feed still holds NXT');
    await client.subscribe(key, 'H0UNCNT0', '005930', '2');
    assert.deepEqual(open(), [false, false], 'nobody streams a trade: nothing held');
    await streaming('H0STCNT0');
    assert.deepEqual(open(), [true, false]);
    const closed = nextEvent(sim, 'close');
    await client.dispose();
    await closed;
    assert.deepEqual(open(), [false, false], 'a closed session lets its venues go');
  });
});
