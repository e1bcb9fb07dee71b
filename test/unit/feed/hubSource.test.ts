import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MarketFeed, type Credentials, type WatchlistStore } from '../../../src/feed';
import { shouldShare, simulatorSessions, type ShareStatus } from '../../../src/feed/source/hubSource';
import { Logger, type LogChannel } from '../../../src/common/logger';
import { CATALOGUE } from '../../../src/market/catalogue';
import { parseSettings, type RawSettings } from '../../../src/settings';
import { KisSimulator } from '../../../src/simulator';
import { anyOf, until, type Wake } from '../../support/wait';

function memoryChannel(): LogChannel & { lines: string[] } {
  const lines: string[] = [];
  const push = (message: string): void => void lines.push(message);
  return { lines, trace: push, debug: push, info: push, warn: push, error: push };
}

function memoryStore(): WatchlistStore {
  let current: readonly unknown[] = [];
  return { load: () => current, save: async (symbols) => void (current = symbols) };
}

/** What can change a feed's answer to a test: a snapshot, the sharing state, a gap, the connection state. */
function changes(feed: MarketFeed): Wake {
  return anyOf(feed.onSnapshot, feed.sharing.onDidChange, feed.onGap, feed.onDidChangeState);
}

describe('feed hub source (windows sharing one session, in-process hubs)', function () {
  this.timeout(30_000);
  let dir: string;
  let feeds: MarketFeed[];
  let raw: RawSettings;
  let simulator: KisSimulator | undefined;

  function makeFeed(
    name: string,
    credentials?: Credentials,
    hubDir = dir,
    simulatorPort = 0,
  ): MarketFeed & { channel: ReturnType<typeof memoryChannel> } {
    const channel = memoryChannel();
    const feed = new MarketFeed({
      settings: () => parseSettings(raw).settings,
      credentials: async () => credentials,
      store: memoryStore(),
      log: new Logger(channel),
      simulator: { tickIntervalMs: 10, ratePerSymbol: 50, seed: 7, port: simulatorPort },
      agent: { ackTimeoutMs: 3000 },
      hub: { name, dir: hubDir, pollMs: 10 },
    });
    feeds.push(feed);
    return Object.assign(feed, { channel });
  }

  const share = (feed: MarketFeed): ShareStatus | undefined => feed.sharing.current;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-feedhub-'));
    feeds = [];
    raw = { shareSimulator: true };
  });

  afterEach(async () => {
    for (const feed of feeds.reverse()) await feed.dispose();
    for (const feed of feeds)
      assert.deepEqual(feed.resources(), {
        socketOpen: false,
        workerRunning: false,
        simulatorRunning: false,
        trackedTasks: 0,
      });
    await simulator?.close();
    simulator = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shares paper and real always, the simulator only on opt-in, and nothing without hub options', () => {
    const hub = { name: 'w' };
    assert.equal(shouldShare(parseSettings({ dataSource: 'paper' }).settings, hub), true);
    assert.equal(shouldShare(parseSettings({ dataSource: 'real' }).settings, hub), true);
    assert.equal(shouldShare(parseSettings({ dataSource: 'simulator' }).settings, hub), false);
    assert.equal(shouldShare(parseSettings({ dataSource: 'simulator', shareSimulator: true }).settings, hub), true);
    assert.equal(shouldShare(parseSettings({ dataSource: 'paper' }).settings, undefined), false);
  });

  it('two windows share one embedded simulator: the follower gets its own rows through the leader', async () => {
    const a = makeFeed('window A');
    await a.add(['005930']);
    await until(() => share(a)?.role === 'leader', changes(a), 'A leads');
    const b = makeFeed('window B');
    const result = await b.add(['000660']);
    assert.deepEqual(result.added, ['000660']);
    await until(() => share(b)?.role === 'follower', changes(b), 'B follows');
    await until(() => b.model.quote('000660') !== undefined, changes(b), "B's quote of 000660");
    // One session: B runs no simulator, agent or worker of its own; A's simulator has one connection.
    assert.equal(b.embeddedSimulator, undefined);
    assert.equal(b.agentStats(), undefined);
    assert.deepEqual(simulatorSessions(a.embeddedSimulator), { live: 1, served: 1 });
    assert.equal(simulatorSessions(b.embeddedSimulator), undefined);
    assert.equal(b.state, 'running');
    assert.equal(share(b)?.leaderName, 'window A');
    await until(() => share(a)?.windows === 2, changes(a), 'A counts two windows');
    await until(
      () => share(b)?.windows === 2 && share(b)?.state === 'open',
      changes(b),
      'B sees the shared session open',
    );
    // Each window shows its own watchlist: B's model has no row of A's symbol.
    assert.equal(b.model.quote('005930'), undefined);
    assert.ok(
      a.simulatorRequests().some((r) => r.trType === '1' && r.trKey === '000660'),
      "the leader registered the follower's symbol",
    );
    // B's removal releases its registration at the leader.
    await b.remove('000660');
    await until(
      () => a.simulatorRequests().some((r) => r.trType === '2' && r.trKey === '000660'),
      changes(a),
      'the leader releases 000660',
    );
  });

  it('hands over when the leader window closes: the follower leads, its rows continue, the gap is reported', async () => {
    const a = makeFeed('window A');
    await a.add(['005930']);
    await until(() => share(a)?.role === 'leader', changes(a), 'A leads');
    const b = makeFeed('window B');
    await b.add(['000660']);
    await until(() => b.model.quote('000660') !== undefined, changes(b), "B's first quote");
    await a.dispose();
    await until(() => share(b)?.role === 'leader', changes(b), 'B takes over');
    const before = b.model.quote('000660');
    await until(() => b.model.quote('000660') !== before, changes(b), "B's rows continue");
    await until(() => b.model.gap('000660') !== undefined, changes(b), 'the hand-over gap');
    assert.match(b.model.gap('000660')?.reason ?? '', /hub leader exited/);
    assert.equal(b.embeddedSimulator?.connectionCount, 1);
    assert.ok((b.agentStats()?.subscriptionsUsed ?? 0) >= 1, 'B registered its own symbol');
  });

  it('shows a follower want that did not fit the 41 registrations as over the budget', async () => {
    const a = makeFeed('window A');
    const codes = CATALOGUE.map((e) => e.code);
    await a.add(codes.slice(0, 41));
    await until(() => share(a)?.role === 'leader', changes(a), 'A leads');
    const b = makeFeed('window B');
    await b.add([codes[0], codes[41]]);
    await until(() => (share(b)?.overBudget ?? []).includes(codes[41]), changes(b), 'the over-budget want');
    assert.deepEqual(share(b)?.overBudget, [codes[41]], 'a want the leader registers is not over the budget');
    await until(() => b.model.quote(codes[0]) !== undefined, changes(b), 'the shared symbol still streams');
  });

  it('keeps a window alone when the simulator is not shared', async () => {
    raw = {};
    const a = makeFeed('window A');
    const b = makeFeed('window B');
    await a.add(['005930']);
    await b.add(['000660']);
    assert.equal(share(a), undefined);
    assert.equal(share(b), undefined);
    assert.ok(
      a.embeddedSimulator !== undefined &&
        b.embeddedSimulator !== undefined &&
        a.embeddedSimulator !== b.embeddedSimulator,
    );
  });

  it('runs alone with a clear log line when the hub directory is not safe', async () => {
    fs.chmodSync(dir, 0o755);
    const a = makeFeed('window A');
    await a.add(['005930']);
    assert.equal(share(a), undefined);
    assert.ok(a.channel.lines.some((l) => /Cannot share the session with other windows .*running alone/.test(l)));
    await until(() => a.model.quote('005930') !== undefined, changes(a), 'a quote of the lone window');
  });

  it('paper: a window without credentials follows the one with them; the server sees one session; no secret crosses', async () => {
    simulator = await KisSimulator.start({
      port: 0,
      symbols: [
        { code: '005930', basePrice: 70_000 },
        { code: '000660', basePrice: 180_000 },
      ],
      tickIntervalMs: 10,
      ratePerSymbol: 50,
    });
    let maxSessions = 0;
    simulator.on('connection', () => (maxSessions = Math.max(maxSessions, simulator?.connectionCount ?? 0)));
    raw = { dataSource: 'paper', 'advanced.wsUrl': simulator.wsUrl, 'advanced.restUrl': simulator.restUrl };
    const secret: Credentials = { appkey: 'PSpaperAppKey0001', appsecret: 'paper-secret-0001' };
    const b = makeFeed('window B');
    const added = b.add(['000660']);
    // B has no credentials: it cannot lead, so it waits for a leader rather than failing.
    const a = makeFeed('window A', secret);
    await a.add(['005930']);
    await added;
    await until(() => share(b)?.role === 'follower', changes(b), 'B follows A');
    await until(() => b.model.quote('000660') !== undefined, changes(b), "B's quote");
    assert.equal(maxSessions, 1);
    assert.equal(simulator.connectionCount, 1);
    assert.ok(!b.channel.lines.some((l) => l.includes(secret.appkey) || l.includes(secret.appsecret)));
    assert.notEqual(b.state, 'failed');
  });

  it('paper: a window without credentials waits for a leader without blocking a disconnect', async () => {
    raw = { dataSource: 'paper', 'advanced.wsUrl': 'ws://127.0.0.1:9', 'advanced.restUrl': 'http://127.0.0.1:9' };
    const b = makeFeed('window B');
    const result = await b.add(['000660']);
    assert.deepEqual(result.added, ['000660']);
    assert.equal(b.state, 'running');
    assert.equal(share(b), undefined, 'no leader yet');
    await b.disconnect();
    assert.equal(b.state, 'off');
    assert.deepEqual(b.resources(), {
      socketOpen: false,
      workerRunning: false,
      simulatorRunning: false,
      trackedTasks: 0,
    });
  });

  it('fails with START_FAILED when the leading window cannot start its simulator, gives the lead back, and retries on connect', async () => {
    const a = makeFeed('window A', undefined, dir, -1);
    const result = await a.add(['005930']);
    assert.deepEqual(result.added, ['005930']);
    assert.equal(a.state, 'failed');
    assert.equal(a.failureReason?.code, 'START_FAILED');
    assert.equal(share(a), undefined);
    // The lead was given back: another window leads at once.
    const b = makeFeed('window B');
    await b.add(['000660']);
    await until(() => share(b)?.role === 'leader', changes(b), 'B leads');
    // A's connect starts over (a shared session that failed is restarted) and now follows B.
    await a.connect();
    await until(
      () => share(a)?.role === 'follower' && a.model.quote('005930') !== undefined,
      changes(a),
      'A follows B',
    );
    assert.equal(a.state, 'running');
  });
});
