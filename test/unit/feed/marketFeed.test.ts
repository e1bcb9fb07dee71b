import assert from 'node:assert/strict';
import { MarketFeed, type Credentials, type FeedProblem, type FeedState, type WatchlistStore } from '../../../src/feed';
import { Logger, type LogChannel } from '../../../src/common/logger';
import { parseSettings, type RawSettings, type Settings } from '../../../src/settings';
import type { Snapshot } from '../../../src/shared/snapshot';
import type { DataGap } from '../../../src/shared/stats';
import { nextEvent, poll, until } from '../../support/wait';

/** A log channel that keeps every line (to check that no secret leaks). */
function memoryChannel(): LogChannel & { lines: string[] } {
  const lines: string[] = [];
  const push = (message: string): void => void lines.push(message);
  return { lines, trace: push, debug: push, info: push, warn: push, error: push };
}

function memoryStore(initial: unknown[] = []): WatchlistStore & { saved: string[][]; pinned: readonly unknown[] } {
  let current: readonly unknown[] = initial;
  const saved: string[][] = [];
  const store = {
    saved,
    pinned: [] as readonly unknown[],
    load: () => current,
    save: async (symbols: readonly string[]) => {
      saved.push([...symbols]);
      current = symbols;
    },
    loadPinned: () => store.pinned,
    savePinned: async (symbols: readonly string[]) => {
      store.pinned = [...symbols];
    },
  };
  return store;
}

describe('feed (against the embedded simulator)', function () {
  this.timeout(20_000);
  let session: MarketFeed | undefined;
  let raw: RawSettings;
  let channel: ReturnType<typeof memoryChannel>;
  let stored: Record<'paper' | 'real', Credentials | undefined>;

  function makeSession(store = memoryStore()): MarketFeed {
    channel = memoryChannel();
    session = new MarketFeed({
      settings: (): Settings => parseSettings(raw).settings,
      credentials: async (source) => stored[source],
      store,
      log: new Logger(channel),
      simulator: { tickIntervalMs: 10, ratePerSymbol: 50, seed: 7 },
      agent: { ackTimeoutMs: 3000 },
    });
    return session;
  }

  beforeEach(() => {
    raw = { exchange: 'krx' };
    stored = { paper: undefined, real: undefined };
  });

  afterEach(async () => {
    await session?.dispose();
    if (session)
      assert.deepEqual(session.resources(), {
        socketOpen: false,
        workerRunning: false,
        simulatorRunning: false,
        trackedTasks: 0,
      });
    session = undefined;
  });

  it('starts nothing until a symbol is added', () => {
    const s = makeSession();
    assert.equal(s.state, 'off');
    assert.deepEqual(s.resources(), {
      socketOpen: false,
      workerRunning: false,
      simulatorRunning: false,
      trackedTasks: 0,
    });
    assert.equal(s.agentStats(), undefined);
  });

  it('subscribes trades and books per symbol, reports progress per ack and delivers quotes', async () => {
    const store = memoryStore();
    const s = makeSession(store);
    const progress: Array<[number, number]> = [];
    const states: FeedState[] = [];
    s.onDidChangeState((state) => states.push(state));
    const quoted = nextEvent<Snapshot>(
      s.onSnapshot,
      'a 005930 quote',
      (snap) => snap.quotes.some((q) => q.symbol === '005930'),
      10_000,
    );
    const result = await s.add(['005930', '000660'], (done, total) => progress.push([done, total]));
    assert.deepEqual(result, { added: ['005930', '000660'], already: [], failed: [], invalid: [], pending: [] });
    assert.deepEqual(progress, [
      [1, 6],
      [2, 6],
      [3, 6],
      [4, 6],
      [5, 6],
      [6, 6],
    ]);
    assert.deepEqual(states, ['starting', 'running']);
    assert.deepEqual(store.saved.at(-1), ['005930', '000660']);
    const subscribes = s
      .simulatorRequests()
      .filter((r) => r.trType === '1')
      .map((r) => `${r.trId}:${r.trKey}`);
    // Trades, books, then market status (VI/halt), in rank order (dayPlan.ts).
    assert.deepEqual(subscribes, [
      'H0STCNT0:005930',
      'H0STCNT0:000660',
      'H0STASP0:005930',
      'H0STASP0:000660',
      'H0STMKO0:005930',
      'H0STMKO0:000660',
    ]);
    await quoted;
    assert.ok((s.model.quote('005930')?.last ?? 0) > 0);
    assert.equal(s.agentStats()?.subscriptionsUsed, 6);
    assert.equal(s.resources().simulatorRunning, true);
    assert.ok(!channel.lines.some((l) => l.includes('simulator-appsecret')), 'the secret never reaches the log');
  });

  it('puts a REST price in every row when a session starts and when a symbol is added', async () => {
    const feed = makeSession(memoryStore(['005930', '000660']));
    const seen = new Set<string>();
    const both = nextEvent<import('../../../src/shared/snapshot').QuoteState[]>(
      feed.onRestQuotes,
      'REST quotes of both rows',
      (quotes) => {
        for (const q of quotes) if (q.last > 0) seen.add(q.symbol);
        return seen.has('005930') && seen.has('000660');
      },
      10_000,
    );
    await feed.connect();
    await both;
    const added = nextEvent<import('../../../src/shared/snapshot').QuoteState[]>(
      feed.onRestQuotes,
      'REST quote of an added row',
      (quotes) => quotes.some((q) => q.symbol === '035420'),
      10_000,
    );
    await feed.add(['035420']);
    await added;
    assert.ok((feed.model.quote('035420')?.last ?? 0) > 0);
    const stats = feed.restStats();
    assert.ok(stats !== undefined && stats.ok >= 3 && stats.tokensIssued === 1);
    await feed.disconnect();
    assert.equal(feed.restStats(), undefined);
  });

  it('keeps quotes, bars and books in its one read model after a disconnect, so a replay still has them', async () => {
    const s = makeSession();
    const ready = nextEvent<Snapshot>(
      s.onSnapshot,
      'a quote, a bar and a book of 005930',
      () =>
        s.model.quote('005930') !== undefined &&
        s.model.bars('005930').length > 0 &&
        s.model.book('005930') !== undefined,
      10_000,
    );
    await s.add(['005930']);
    await ready;
    const bars = s.model.bars('005930');
    await s.disconnect();
    assert.equal(s.state, 'off');
    assert.equal(s.resources().workerRunning, false, 'the worker host is gone');
    assert.ok((s.model.quote('005930')?.last ?? 0) > 0, 'the quote survives');
    assert.deepEqual(s.model.bars('005930'), bars, 'the bars survive');
    assert.ok(s.model.book('005930'), 'the book survives');
    assert.deepEqual(
      s.model.quotesOf(['000660', '005930']).map((q) => q.symbol),
      ['005930'],
    );
    await s.connect();
    assert.deepEqual(s.model.bars('005930').slice(0, bars.length), bars, 'a restart on the same source keeps them too');
  });

  it('reports duplicates and malformed codes without sending them', async () => {
    const s = makeSession();
    const first = await s.add(['005930', 'abc', '005930']);
    assert.deepEqual(first.added, ['005930']);
    assert.deepEqual(first.already, ['005930']);
    assert.deepEqual(first.invalid, ['abc']);
    assert.ok(!s.simulatorRequests().some((r) => r.trKey === 'abc'));
  });

  it('lists any number of symbols: 41 registrations stream live, the rest are rows refreshed by REST', async () => {
    const s = makeSession();
    const many = Array.from({ length: 60 }, (_, i) => String(200000 + i));
    const result = await s.add(many);
    assert.equal(result.added.length, 60);
    assert.equal(s.symbols.length, 60);
    assert.equal(s.agentStats()?.subscriptionsUsed, 41, 'trades only once the budget is full');
    const asked = new Set(s.simulatorRequests().map((r) => r.trKey));
    assert.ok(many.slice(0, 41).every((c) => asked.has(c)));
    assert.ok(
      many.slice(41).every((c) => !asked.has(c)),
      'nothing beyond the budget is sent',
    );
    assert.deepEqual(s.rowMode(many[0]), { kind: 'live' });
    assert.equal(s.rowMode(many[59]).kind, 'rest');
    assert.equal(s.dayStatus().plan.length, 41);
  });

  it('answers every row of one frame with one day status (computed once per event-loop turn), and afresh after a change', async () => {
    const s = makeSession();
    await s.add(['005930', '000660']);
    // A frame draws its rows in one turn: 41 rows, one session clock and one registration plan.
    const first = s.dayStatus();
    for (let row = 0; row < 40; row++) assert.equal(s.dayStatus(), first, `row ${row + 2} reads the same day status`);
    await new Promise((resolve) => setImmediate(resolve));
    const next = s.dayStatus();
    assert.notEqual(next, first, 'the next turn computes it again');
    // After a watchlist change the plan is the new one.
    await s.add(['035420']);
    assert.ok(s.dayStatus().plan.length > next.plan.length, 'the added symbol is planned');
  });

  it('moves a pinned symbol into the live set on the same connection, and back when unpinned', async () => {
    const store = memoryStore();
    const s = makeSession(store);
    const many = Array.from({ length: 45 }, (_, i) => String(300000 + i));
    await s.add(many);
    const connectedSince = s.agentStats()?.connectedSince;
    const before = s.simulatorRequests().length;
    assert.equal(await s.pin(many[44], true), true);
    assert.equal(await s.pin(many[44], true), false, 'already pinned');
    const replan = s.simulatorRequests().slice(before);
    assert.deepEqual(
      replan.map((r) => `${r.trType} ${r.trKey}`),
      [`2 ${many[40]}`, `1 ${many[44]}`],
      'one release, one register',
    );
    assert.deepEqual(s.rowMode(many[44]), { kind: 'live' });
    assert.equal(s.rowMode(many[40]).kind, 'rest');
    assert.equal(s.agentStats()?.connectedSince, connectedSince, 'not a reconnect');
    assert.equal(s.agentStats()?.reconnects, 0);
    assert.deepEqual(s.pinned(), [many[44]]);
    assert.deepEqual(store.pinned, [many[44]], 'persisted');
    await s.pin(many[44], false);
    assert.deepEqual(s.rowMode(many[40]), { kind: 'live' });
    assert.deepEqual(store.pinned, []);
  });

  it('restores pinned symbols with the watchlist, ignoring pins of unlisted symbols', () => {
    const store = memoryStore(['005930', '000660']);
    store.pinned = ['000660', '035420', 'junk'];
    const s = makeSession(store);
    assert.deepEqual(s.pinned(), ['000660']);
  });

  it("gives the ticker's symbol the first claim on the live set", async () => {
    const s = makeSession();
    const many = Array.from({ length: 42 }, (_, i) => String(400000 + i));
    await s.add(many);
    assert.equal(s.rowMode(many[41]).kind, 'rest');
    s.preferBook(many[41]);
    await until(
      () => s.agentStats()?.subscriptionsUsed === 41 && s.rowMode(many[41]).kind === 'live',
      poll(1),
      'the focused symbol live',
      10_000,
    );
    assert.equal(s.rowMode(many[40]).kind, 'rest');
  });

  it('removes a symbol the server refuses and keeps the others', async () => {
    const s = makeSession();
    await s.add(['005930']);
    s.embeddedSimulator?.refuseNext('OPSP8992', (r) => r.trKey === '000660');
    const result = await s.add(['000660']);
    assert.equal(result.failed.length, 1);
    assert.equal(result.failed[0].symbol, '000660');
    assert.equal(result.failed[0].code, 'REFUSED');
    assert.deepEqual(s.symbols, ['005930']);
    assert.equal(s.agentStats()?.state, 'open', 'the session lives on');
  });

  it('keeps a symbol listed when the session has no room for it (it is refreshed by REST)', async () => {
    const s = makeSession();
    await s.add(['005930']);
    s.embeddedSimulator?.refuseNext('OPSP0008', (r) => r.trKey === '000660');
    const result = await s.add(['000660']);
    assert.equal(result.failed[0].code, 'MAX_SUBSCRIPTIONS');
    assert.deepEqual(s.symbols, ['005930', '000660']);
  });

  it('reports the interval a symbol missed when the connection drops, and forgets it on a source switch', async () => {
    const s = makeSession();
    await s.add(['005930']);
    const gapped = nextEvent<DataGap>(
      s.onGap,
      'a closed gap for 005930',
      (gap) => gap.trKey === '005930' && gap.trId === 'H0STCNT0',
      10_000,
    );
    s.embeddedSimulator?.dropAll();
    const gap = await gapped;
    assert.ok(gap.to !== undefined && gap.from <= gap.to);
    assert.match(gap.reason, /1006/);
    assert.equal(s.model.gap('005930')?.trKey, '005930');
    assert.ok(
      channel.lines.some((l) =>
        /Data gap for H0STCNT0 005930: nothing received from \d\d:\d\d:\d\d to \d\d:\d\d:\d\d KST/.test(l),
      ),
      'logged',
    );
    raw = { dataSource: 'paper' };
    await s.restart();
    assert.equal(s.model.gap('005930'), undefined, 'no gap of the simulator shows under another source');
  });

  it('releases both registrations of a removed symbol and reorders', async () => {
    const s = makeSession();
    await s.add(['005930', '000660']);
    const lists: string[][] = [];
    s.onDidChangeWatchlist((list) => lists.push([...list]));
    assert.equal(await s.move('000660', -1), true);
    assert.equal(await s.move('000660', -1), false);
    assert.equal(await s.remove('005930'), true);
    assert.equal(await s.remove('005930'), false);
    assert.deepEqual(lists, [['000660', '005930'], ['000660']]);
    const releases = s
      .simulatorRequests()
      .filter((r) => r.trType === '2')
      .map((r) => `${r.trId}:${r.trKey}`);
    assert.deepEqual(releases.sort(), ['H0STASP0:005930', 'H0STCNT0:005930', 'H0STMKO0:005930']);
    assert.equal(s.model.quote('005930'), undefined);
  });

  it('fails with START_FAILED when the embedded simulator cannot listen, and reports it once', async () => {
    channel = memoryChannel();
    const s = (session = new MarketFeed({
      settings: (): Settings => parseSettings(raw).settings,
      credentials: async () => undefined,
      store: memoryStore(),
      log: new Logger(channel),
      simulator: { port: -1 },
    }));
    const problems: FeedProblem[] = [];
    s.onProblem((p) => problems.push(p));
    const result = await s.add(['005930']);
    assert.deepEqual(result.pending, ['005930']);
    assert.equal(s.state, 'failed');
    assert.equal(s.failureReason?.code, 'START_FAILED');
    assert.deepEqual(
      problems.map((p) => p.code),
      ['START_FAILED'],
    );
  });

  it('fails with NO_CREDENTIALS on a KIS source without stored credentials', async () => {
    raw = { dataSource: 'paper' };
    const s = makeSession();
    const problems: FeedProblem[] = [];
    s.onProblem((p) => problems.push(p));
    await s.connect();
    assert.equal(s.state, 'failed');
    assert.equal(s.failureReason?.code, 'NO_CREDENTIALS');
    assert.deepEqual(
      problems.map((p) => [p.code, p.source]),
      [['NO_CREDENTIALS', 'paper']],
    );
    assert.equal(s.resources().socketOpen, false);
  });

  it('lists a symbol added while the session cannot start as pending, not as registered', async () => {
    raw = { dataSource: 'paper' };
    const s = makeSession();
    const result = await s.add(['005930']);
    assert.equal(s.state, 'failed');
    assert.deepEqual(result.pending, ['005930']);
    assert.deepEqual(result.added, []);
    assert.deepEqual(s.symbols, ['005930']);
  });

  it('reports bad credentials from the approval endpoint as a problem', async () => {
    // A KIS source pointed at a simulator that only accepts another key pair.
    const { KisSimulator } = await import('../../../src/simulator');
    const sim = await KisSimulator.start({
      port: 0,
      credentials: { appkey: 'right-appkey-000', secretkey: 'right-secret-000' },
    });
    try {
      raw = { dataSource: 'real', 'advanced.wsUrl': sim.wsUrl, 'advanced.restUrl': sim.restUrl };
      stored.real = { appkey: 'wrong-appkey-123', appsecret: 'wrong-secret-456' };
      const s = makeSession();
      const problem = nextEvent<FeedProblem>(
        s.onProblem,
        'BAD_CREDENTIALS',
        (p) => p.code === 'BAD_CREDENTIALS',
        10_000,
      );
      await s.connect();
      assert.equal(s.state, 'running');
      await problem;
      assert.ok(
        !channel.lines.some((l) => l.includes('wrong-secret-456') || l.includes('wrong-appkey-123')),
        channel.lines.join('\n'),
      );
    } finally {
      await session?.dispose();
      await sim.close();
    }
  });

  it('switches the data source cleanly on restart', async () => {
    const s = makeSession();
    await s.add(['005930']);
    const firstPort = s.embeddedSimulator?.port;
    assert.ok(firstPort);
    await s.restart();
    assert.equal(s.state, 'running');
    assert.notEqual(s.embeddedSimulator?.port, undefined);
    await nextEvent<Snapshot>(s.onSnapshot, 'a simulated quote', () => s.model.quote('005930') !== undefined, 10_000);
    raw = { dataSource: 'paper' };
    await s.restart();
    assert.equal(s.state, 'failed');
    assert.equal(s.resources().simulatorRunning, false);
    assert.deepEqual(s.simulatorRequests(), []);
    assert.equal(s.model.quote('005930'), undefined, 'no simulated price survives the switch');
  });

  it('disconnects everything and reconnects on demand, keeping the watchlist', async () => {
    const s = makeSession();
    await s.add(['005930']);
    await s.disconnect();
    assert.equal(s.state, 'off');
    assert.deepEqual(s.resources(), {
      socketOpen: false,
      workerRunning: false,
      simulatorRunning: false,
      trackedTasks: 0,
    });
    assert.deepEqual(s.symbols, ['005930']);
    await s.connect();
    assert.equal(s.state, 'running');
    await nextEvent(s.onAgentState, 'open', (c) => c.to === 'open', 10_000);
  });

  it('restores a persisted watchlist, dropping junk', () => {
    const s = makeSession(memoryStore(['005930', 7, 'x', '005930', '000660']));
    assert.deepEqual(s.symbols, ['005930', '000660']);
  });
});
