/**
 * The whole feed against its embedded simulator with more symbols than KIS streams: 41
 * registrations live, the rest refreshed by the REST round-robin within the rate limit, one token; a
 * holiday clock that registers nothing live and still shows a price in every row; the exchange setting's
 * REST market code on the wire.
 */
import assert from 'node:assert/strict';
import { MarketFeed, type WatchlistStore } from '../../src/feed';
import { Logger, type LogChannel } from '../../src/common/logger';
import { parseSettings, type RawSettings } from '../../src/settings';
import { memoryHolidayCache } from '../../src/feed/rest/holidayCalendar';
import type { QuoteState } from '../../src/shared/snapshot';
import { anyOf, nextEvent, until, type Wake } from '../support/wait';

const quiet: LogChannel = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
const codes = (n: number, base = 500000): string[] => Array.from({ length: n }, (_, i) => String(base + i * 10));

function store(symbols: string[]): WatchlistStore {
  return { load: () => symbols, save: async () => undefined };
}

/** Resolves when `done(quotes)` says so for a REST batch; rejects after `ms`. */
function untilRest(
  feed: MarketFeed,
  done: (quotes: QuoteState[]) => boolean,
  what: string,
  ms = 60_000,
): Promise<void> {
  return nextEvent(feed.onRestQuotes, what, done, ms).then(() => undefined);
}

/** What can change the answer: a REST batch, a snapshot or a phase change. */
function changes(feed: MarketFeed): Wake {
  return anyOf(feed.onRestQuotes, feed.onSnapshot, feed.onDidChangePhase);
}

describe('feed with many symbols (against the simulator)', function () {
  this.timeout(90_000);
  let feed: MarketFeed | undefined;

  function make(symbols: string[], raw: RawSettings, holidayCache = memoryHolidayCache()): MarketFeed {
    feed = new MarketFeed({
      settings: () => parseSettings(raw).settings,
      credentials: async () => undefined,
      store: store(symbols),
      log: new Logger(quiet),
      simulator: { tickIntervalMs: 50, ratePerSymbol: 2, seed: 3 },
      holidayCache,
    });
    return feed;
  }

  afterEach(async () => {
    await feed?.dispose();
    feed = undefined;
  });

  it('streams 41 registrations of 100 symbols and refreshes the other 59 by REST, never over the rate limit, with one token', async () => {
    const symbols = codes(100);
    const f = make(symbols, { exchange: 'krx' });
    const refreshes = new Map<string, number>();
    const began = Date.now();
    const filled = until(
      () => f.model.quotesOf(symbols).filter((q) => q.last > 0).length === 100,
      changes(f),
      'a price in all 100 rows',
      60_000,
    );
    await f.connect();
    await filled;
    const filledMs = Date.now() - began;
    const rest = symbols.slice(41);
    // Every REST row refreshed twice more by the round-robin (its cycle measured, not only planned).
    await untilRest(
      f,
      (quotes) => {
        for (const q of quotes) refreshes.set(q.symbol, (refreshes.get(q.symbol) ?? 0) + 1);
        return rest.every((s) => (refreshes.get(s) ?? 0) >= 2);
      },
      'two round-robin turns of every REST row',
    );
    const sim = f.embeddedSimulator!;
    assert.equal(sim.registrations().filter((r) => r.acked).length, 41, '41 registrations live');
    assert.equal(f.agentStats()?.subscriptionsUsed, 41);
    assert.ok(symbols.slice(0, 41).every((s) => f.rowMode(s).kind === 'live'));
    const mode = f.rowMode(rest[58]);
    assert.equal(mode.kind, 'rest');
    const stats = f.restStats()!;
    assert.ok(
      mode.kind === 'rest' && mode.everySeconds >= stats.everySeconds - 1,
      `measured cycle ${JSON.stringify(mode)} vs planned ${stats.everySeconds} s`,
    );
    assert.equal(stats.refreshed, 59);
    assert.ok(sim.restApi.maxPerSecond() <= 20, `max ${sim.restApi.maxPerSecond()} requests in a second`);
    assert.equal(sim.restApi.rateLimited, 0, 'never an EGW00201');
    assert.equal(sim.restApi.tokenRequests, 1, 'one token for everything');
    assert.equal(stats.tokensIssued, 1);
    assert.ok(f.model.quotesOf(symbols).length === 100);
    const elapsed = (Date.now() - began) / 1000;
    console.log(
      `      100 symbols: all rows priced ${filledMs} ms after start; ${sim.restApi.uapiRequests} REST requests in ${elapsed.toFixed(1)} s = ${(sim.restApi.uapiRequests / elapsed).toFixed(1)}/s, max ${sim.restApi.maxPerSecond()} in a second; REST rows every ${stats.everySeconds} s`,
    );
  });

  it('registers nothing live on a holiday, says so, and still shows the last price in every row; the calendar is asked once a day', async () => {
    const symbols = codes(45, 600000);
    const cache = memoryHolidayCache();
    const raw: RawSettings = { exchange: 'krx', 'simulator.clock': '2026-12-25T10:00:00+09:00' };
    const f = make(symbols, raw, cache);
    const filled = until(
      () =>
        f.model.quotesOf(symbols).filter((q) => q.last > 0).length === symbols.length &&
        f.dayStatus().session.day === 'holiday',
      changes(f),
      'a price in every row and the holiday answer',
      60_000,
    );
    await f.connect();
    await filled;
    assert.equal(f.dayStatus().session.day, 'holiday');
    assert.deepEqual(f.dayStatus().plan, [], 'no live registration planned');
    assert.deepEqual(f.simulatorRequests(), [], 'no subscription attempted');
    await f.disconnect();
    assert.ok(
      symbols.every((s) => (f.model.quote(s)?.last ?? 0) > 0),
      'every row has its last price',
    );
    assert.equal(cache.saved, 1);
    // A restart the same day reads the cache: no second chk-holiday.
    const restarted = until(
      () => f.model.quotesOf(symbols).length === symbols.length && (f.restStats()?.ok ?? 0) >= symbols.length,
      changes(f),
      'the prices of the restart',
      60_000,
    );
    await f.connect();
    await restarted;
    assert.equal(f.dayStatus().session.day, 'holiday');
    assert.equal(f.restStats()?.holidayQueries, 0, 'answered from the cache');
    assert.equal(cache.saved, 1);
    assert.deepEqual(f.simulatorRequests(), [], 'still nothing registered');
  });

  it('asks REST prices with the market code of the exchange setting', async () => {
    const f = make(['005930', '000660'], { exchange: 'nxt' });
    const both = untilRest(f, (quotes) => quotes.length > 0, 'a REST quote');
    await f.connect();
    await both;
    const divs = [...f.embeddedSimulator!.restApi.marketDivs.keys()];
    assert.deepEqual(divs, ['NX']);
  });
});
