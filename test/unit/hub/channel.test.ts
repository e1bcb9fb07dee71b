import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AppkeyHolds } from '../../../src/agent/appkeyHold';
import { HubError } from '../../../src/hub/errors';
import { HubFollower } from '../../../src/hub/follower';
import { encodeFrame, FrameDecoder } from '../../../src/hub/framing';
import { Hub, type HubConnectionStatus, type HubEngine } from '../../../src/hub/hub';
import { HubLeader } from '../../../src/hub/leader';
import { HUB_PROTOCOL_VERSION, type HubMessage, type HubStatus, type HubWant } from '../../../src/shared/hubProtocol';
import type { QuoteState, Snapshot } from '../../../src/shared/snapshot';
import type { AgentState, DataGap } from '../../../src/shared/stats';

function quote(symbol: string, last: number): QuoteState {
  return {
    symbol,
    last,
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
    lastTickTime: '090000',
    businessDate: '',
    lastUpdateAt: 0,
    halted: false,
    trades: 1,
  };
}
function snap(seq: number, quotes: QuoteState[]): Snapshot {
  return {
    seq,
    at: seq,
    quotes,
    bars: [],
    books: [],
    alerts: [],
    counters: { records: seq, handlerErrors: 0, parseErrors: 0 },
  };
}
const w = (trKey: string): HubWant => ({ trId: 'H0STCNT0', trKey });

/** Resolves when `predicate` holds after one of the logged lines. */
class LogProbe {
  readonly lines: string[] = [];
  private waiters: { re: RegExp; resolve: () => void }[] = [];
  readonly log = (_level: string, message: string): void => {
    this.lines.push(message);
    this.waiters = this.waiters.filter((waiter) => {
      if (!waiter.re.test(message)) return true;
      waiter.resolve();
      return false;
    });
  };
  wait(re: RegExp): Promise<void> {
    if (this.lines.some((l) => re.test(l))) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ re, resolve }));
  }
}

class FakeSource {
  readonly calls: string[] = [];
  subscribe(_trId: string, trKey: string): void {
    this.calls.push(`+${trKey}`);
  }
  unsubscribe(_trId: string, trKey: string): void {
    this.calls.push(`-${trKey}`);
  }
}

function once<T>(emitter: { once(event: string, listener: (value: T) => void): unknown }, event: string): Promise<T> {
  return new Promise((resolve) => emitter.once(event, resolve));
}

describe('hub leader and follower ends', () => {
  let dir: string;
  let sock: string;
  let leader: HubLeader | undefined;
  const followers: HubFollower[] = [];
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-hub-chan-'));
    sock = path.join(dir, 't.sock');
  });
  afterEach(async () => {
    for (const f of followers.splice(0)) f.close();
    await leader?.close();
    leader = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("plans the union within the budget, tells a follower what did not fit, and releases a departed follower's wants", async () => {
    const source = new FakeSource();
    leader = await HubLeader.open({ socketPath: sock, token: 'tok', name: 'L', source, maxRegistrations: 2 });
    leader.setOwnWants([w('A')]);
    const f = await HubFollower.connect({ socketPath: sock, token: 'tok', name: 'F', wants: [w('A'), w('B'), w('C')] });
    followers.push(f);
    const status = await new Promise<HubStatus>((resolve) =>
      f.on('status', (s) => s.overBudget.length > 0 && resolve(s)),
    );
    assert.deepEqual(status.overBudget, [w('C')]);
    assert.equal(status.windows, 2);
    assert.deepEqual(leader.planned(), [w('A'), w('B')]);
    assert.deepEqual(source.calls, ['+A', '+B']);
    f.setWants([w('A')]);
    await new Promise<void>((resolve) => f.on('status', (s) => s.overBudget.length === 0 && resolve()));
    assert.deepEqual(source.calls, ['+A', '+B', '-B']);
    f.setWants([w('D')]);
    const windows = once<number>(leader, 'windows');
    f.close();
    assert.equal(await windows, 1);
    assert.deepEqual(source.calls, ['+A', '+B', '-B', '+D', '-D']);
    assert.equal(leader.stats().followers, 0);
  });

  it('sends each follower only its symbols, and forwards the session state', async () => {
    leader = await HubLeader.open({ socketPath: sock, token: 'tok', name: 'L', source: new FakeSource() });
    const f = await HubFollower.connect({ socketPath: sock, token: 'tok', name: 'F', wants: [w('B')] });
    followers.push(f);
    assert.equal(f.welcome.leaderName, 'L');
    await once(f, 'status');
    const got = once<Snapshot>(f, 'snapshot');
    leader.publish(snap(1, [quote('A', 1)]));
    leader.publish(snap(2, [quote('A', 2), quote('B', 3)]));
    assert.deepEqual(
      (await got).quotes.map((q) => q.symbol),
      ['B'],
    );
    const state = new Promise<HubStatus>((resolve) => f.on('status', (s) => s.state === 'open' && resolve(s)));
    leader.setState('open');
    leader.setState('open');
    assert.equal((await state).state, 'open');
  });

  it('coalesces snapshots for a follower that does not read, and drops it when it stays stuck', async () => {
    const probe = new LogProbe();
    leader = await HubLeader.open({
      socketPath: sock,
      token: 'tok',
      name: 'L',
      source: new FakeSource(),
      stallMs: 200,
      log: probe.log,
    });
    // A raw follower that says hello, then never reads.
    const raw = net.connect(sock);
    raw.write(encodeFrame({ type: 'hello', version: HUB_PROTOCOL_VERSION, token: 'tok', name: 'slow', pid: 9 }));
    raw.write(encodeFrame({ type: 'wants', wants: [w('A')] }));
    raw.pause();
    await probe.wait(/"slow" .* joined/);
    while (leader.followerCount() === 1 && leader.stats().coalesced < 50) {
      for (let i = 0; i < 50; i++) leader.publish(snap(i, [quote('A', i)]));
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.ok(leader.stats().coalesced > 0);
    await probe.wait(/"slow" \(#\d+\) has not read for \d+ ms \(buffer full\): dropped/);
    assert.equal(leader.stats().dropped, 1);
    raw.destroy();
  });

  it('a follower that catches up gets the latest state of every symbol in one message', async () => {
    leader = await HubLeader.open({
      socketPath: sock,
      token: 'tok',
      name: 'L',
      source: new FakeSource(),
      stallMs: 60_000,
    });
    const raw = net.connect(sock);
    raw.write(encodeFrame({ type: 'hello', version: HUB_PROTOCOL_VERSION, token: 'tok', name: 'slow', pid: 9 }));
    raw.write(encodeFrame({ type: 'wants', wants: [w('A'), w('B')] }));
    raw.pause();
    while (leader.followerCount() === 0) await new Promise((resolve) => setImmediate(resolve));
    let seq = 0;
    while (leader.stats().coalesced === 0) {
      for (let i = 0; i < 50; i++) leader.publish(snap(++seq, [quote('A', seq)]));
      await new Promise((resolve) => setImmediate(resolve));
    }
    leader.publish(snap(++seq, [quote('B', -1)]));
    leader.publish(snap(++seq, [quote('A', -2)]));
    const last = seq;
    const got: Snapshot[] = [];
    const decoder = new FrameDecoder();
    await new Promise<void>((resolve) => {
      raw.on('data', (chunk: Buffer) => {
        for (const d of decoder.push(chunk))
          if (d.kind === 'message' && d.message.type === 'snapshot') got.push(d.message.snapshot);
        if (got[got.length - 1]?.seq === last) resolve();
      });
      raw.resume();
    });
    const final = got[got.length - 1];
    assert.deepEqual(final?.quotes.map((q) => [q.symbol, q.last]).sort(), [
      ['A', -2],
      ['B', -1],
    ]);
    assert.ok(got.length < seq, 'every snapshot was sent one by one');
    raw.destroy();
  });

  it("drops a connection that says no hello, sends wants first, or sends a leader's message", async () => {
    const probe = new LogProbe();
    leader = await HubLeader.open({
      socketPath: sock,
      token: 'tok',
      name: 'L',
      source: new FakeSource(),
      helloTimeoutMs: 50,
      log: probe.log,
    });
    const silent = net.connect(sock);
    await once(silent, 'close');
    await probe.wait(/said no hello within 50 ms: dropped/);

    const early = await exchange(sock, [encodeFrame({ type: 'wants', wants: [] })]);
    assert.equal(early[0]?.type === 'refused' && early[0].code, 'BAD_HELLO');

    await exchange(sock, [
      encodeFrame({ type: 'hello', version: HUB_PROTOCOL_VERSION, token: 'tok', name: 'odd', pid: 1 }),
      encodeFrame({ type: 'hello', version: HUB_PROTOCOL_VERSION, token: 'tok', name: 'odd', pid: 1 }),
      encodeFrame({ type: 'status', leaderName: 'x', windows: 1, state: 'open', overBudget: [] }),
    ]);
    await probe.wait(/"odd" \(#\d+\) sent a "status" message, which only a leader sends: disconnected/);
    assert.equal(leader.stats().malformed, 1);
  });

  it('refuses to bind over a live leader, and replaces a stale socket file', async () => {
    const probe = new LogProbe();
    leader = await HubLeader.open({ socketPath: sock, token: 'tok', name: 'L', source: new FakeSource() });
    await assert.rejects(
      HubLeader.open({ socketPath: sock, token: 'tok', name: 'L2', source: new FakeSource() }),
      (e: unknown) => e instanceof HubError && e.code === 'HUB_UNREACHABLE',
    );
    await leader.close();
    leader = undefined;
    // A stale file: a socket bound by a server that is gone without unlinking it (as after kill -9).
    const stale = path.join(dir, 'stale.sock');
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen({ path: stale }, resolve));
    fs.linkSync(stale, path.join(dir, 'keep.sock'));
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.renameSync(path.join(dir, 'keep.sock'), stale);
    leader = await HubLeader.open({
      socketPath: stale,
      token: 'tok',
      name: 'L',
      source: new FakeSource(),
      log: probe.log,
    });
    await probe.wait(/stale hub socket .*stale\.sock \(a crashed leader left it; connect refused\): replaced/);
    const f = await HubFollower.connect({ socketPath: stale, token: 'tok', name: 'F', wants: [] });
    followers.push(f);
    assert.equal(leader.followerCount(), 1);
  });

  it('the follower end: unreachable, refused, a malformed leader, and a leader that goes away', async () => {
    await assert.rejects(
      HubFollower.connect({ socketPath: sock, token: 't', name: 'F', wants: [] }),
      (e: unknown) => e instanceof HubError && e.code === 'HUB_UNREACHABLE' && e.detail === 'ENOENT',
    );
    leader = await HubLeader.open({ socketPath: sock, token: 'tok', name: 'L', source: new FakeSource() });
    await assert.rejects(
      HubFollower.connect({ socketPath: sock, token: 'tok', name: 'F', wants: [], version: 99 }),
      (e: unknown) => e instanceof HubError && e.code === 'HUB_REFUSED' && e.detail === 'VERSION_MISMATCH',
    );
    const f = await HubFollower.connect({ socketPath: sock, token: 'tok', name: 'F', wants: [] });
    const lost = once<string>(f, 'lost');
    await leader.close();
    leader = undefined;
    assert.match(await lost, /closed the hub connection/);
    f.setWants([]);

    // A fake leader that welcomes, then sends a follower's message and garbage.
    const fakeSock = path.join(dir, 'fake.sock');
    const probe = new LogProbe();
    const served: net.Socket[] = [];
    const fake = net.createServer((s) => {
      served.push(s);
      s.write(encodeFrame({ type: 'welcome', version: HUB_PROTOCOL_VERSION, leaderName: 'fake', leaderPid: 1 }));
      s.write(encodeFrame({ type: 'wants', wants: [] }));
      const head = Buffer.alloc(4);
      head.writeUInt32BE(2);
      s.write(Buffer.concat([head, Buffer.from('{x')]));
    });
    await new Promise<void>((resolve) => fake.listen({ path: fakeSock }, resolve));
    const g = await HubFollower.connect({ socketPath: fakeSock, token: 't', name: 'G', wants: [], log: probe.log });
    const gLost = once<string>(g, 'lost');
    await probe.wait(/sent a "wants" message, which only followers send: ignored/);
    await probe.wait(/the hub leader sent a malformed message \(not JSON\): disconnected/);
    await gLost;
    for (const s of served) s.destroy();
    await new Promise<void>((resolve) => fake.close(() => resolve()));
  });
});

async function exchange(sock: string, frames: Buffer[]): Promise<HubMessage[]> {
  return new Promise((resolve) => {
    const got: HubMessage[] = [];
    const decoder = new FrameDecoder();
    const s = net.connect(sock, () => s.write(Buffer.concat(frames)));
    s.on('data', (chunk: Buffer) => {
      for (const d of decoder.push(chunk)) if (d.kind === 'message') got.push(d.message);
    });
    s.on('error', () => undefined);
    s.on('close', () => resolve(got));
  });
}

class FakeEngine implements HubEngine {
  readonly calls: string[] = [];
  private snapshotListeners: ((s: Snapshot) => void)[] = [];
  private stateListeners: ((s: AgentState) => void)[] = [];
  disposed = false;
  constructor(readonly holds: AppkeyHolds) {}
  subscribe(_trId: string, trKey: string): void {
    this.calls.push(`+${trKey}`);
  }
  unsubscribe(_trId: string, trKey: string): void {
    this.calls.push(`-${trKey}`);
  }
  onSnapshot(listener: (s: Snapshot) => void): void {
    this.snapshotListeners.push(listener);
  }
  onState(listener: (s: AgentState) => void): void {
    this.stateListeners.push(listener);
  }
  snapshot(s: Snapshot): void {
    for (const l of this.snapshotListeners) l(s);
  }
  state(s: AgentState): void {
    for (const l of this.stateListeners) l(s);
  }
  async dispose(): Promise<void> {
    this.disposed = true;
  }
}

describe('Hub (election and hand-over in one process)', () => {
  let dir: string;
  const hubs: Hub[] = [];
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-hub-node-'));
  });
  afterEach(async () => {
    for (const h of hubs.splice(0)) await h.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function makeHub(name: string, wants: HubWant[], engines: FakeEngine[]): Hub {
    const hub = new Hub({
      dir: path.join(dir, 'hub'),
      source: 'sim',
      name,
      wants,
      pollMs: 5,
      startEngine: (holds) => {
        const engine = new FakeEngine(holds);
        engines.push(engine);
        return engine;
      },
    });
    hubs.push(hub);
    return hub;
  }

  it('the first hub leads, the second follows; a graceful leader exit closes the session first and the follower takes over with a gap', async () => {
    const engines: FakeEngine[] = [];
    const a = makeHub('A', [w('X')], engines);
    assert.equal(await a.join(), 'leader');
    assert.equal(a.currentRole(), 'leader');
    const b = makeHub('B', [w('Y')], engines);
    const bStatus = new Promise<HubConnectionStatus>((resolve) => b.on('status', (s) => s.windows === 2 && resolve(s)));
    const aShared = new Promise<HubConnectionStatus>((resolve) => a.on('status', (s) => s.windows === 2 && resolve(s)));
    assert.equal(await b.join(), 'follower');
    assert.equal((await bStatus).text, 'via window A');
    assert.equal((await aShared).text, 'shared with 1 window');
    assert.equal(a.leaderStats()?.followers, 1);
    assert.equal(b.leaderStats(), undefined);
    const data = once<Snapshot>(b, 'snapshot');
    engines[0]?.snapshot(snap(1, [quote('Y', 7)]));
    assert.equal((await data).quotes[0]?.last, 7);
    await new Promise<void>((resolve) => {
      const check = (): void => (engines[0]?.calls.includes('+Y') ? resolve() : void setImmediate(check));
      check();
    });
    a.setWants([w('X'), w('Z')]);
    assert.ok(engines[0]?.calls.includes('+Z'));

    const role = once<string>(b, 'role');
    const gap = once<DataGap>(b, 'gap');
    hubs.splice(hubs.indexOf(a), 1);
    await a.dispose();
    assert.equal(engines[0]?.disposed, true);
    assert.equal(await role, 'leader');
    assert.deepEqual(engines[1]?.calls, ['+Y']);
    engines[1]?.state('open');
    const g = await gap;
    assert.equal(g.trKey, 'Y');
    assert.ok((g.to as number) >= g.from);
    b.setWants([w('Y'), w('Q')]);
    assert.deepEqual(engines[1]?.calls, ['+Y', '+Q']);
  });

  it('a process that cannot lead waits for a leader instead of claiming', async () => {
    const engines: FakeEngine[] = [];
    const logs: string[] = [];
    const waiting = new Hub({
      dir: path.join(dir, 'hub'),
      source: 'sim',
      name: 'W',
      wants: [w('Y')],
      pollMs: 5,
      canLead: false,
      log: (_l, m) => logs.push(m),
      startEngine: () => assert.fail('must not lead'),
    });
    hubs.push(waiting);
    const joined = waiting.join();
    while (!logs.some((l) => l.includes('cannot lead (no credentials): waiting')))
      await new Promise((resolve) => setImmediate(resolve));
    assert.equal(waiting.currentRole(), undefined);
    const leader = makeHub('A', [w('X')], engines);
    assert.equal(await leader.join(), 'leader');
    assert.equal(await joined, 'follower');
  });

  it('a leader that cannot bind its socket gives its claim back', async () => {
    const hubDir = path.join(dir, 'hub');
    fs.mkdirSync(hubDir, { mode: 0o700 });
    // A directory where the socket should be: bind fails (EADDRINUSE, and nothing answers, then the
    // stale-file removal cannot remove a non-empty directory).
    fs.mkdirSync(path.join(hubDir, 'sim.sock', 'x'), { recursive: true });
    const engines: FakeEngine[] = [];
    const hub = makeHub('A', [], engines);
    await assert.rejects(hub.join());
    assert.equal(engines[0]?.disposed, true);
    assert.deepEqual(
      fs.readdirSync(hubDir).filter((f) => f.includes('.leader.')),
      [],
    );
  });

  it('refuses to start in a directory others can enter', async () => {
    fs.mkdirSync(path.join(dir, 'hub'), { mode: 0o755 });
    fs.chmodSync(path.join(dir, 'hub'), 0o755);
    const hub = makeHub('A', [], []);
    await assert.rejects(hub.join(), (e: unknown) => e instanceof HubError && e.code === 'HUB_UNSAFE_DIR');
  });
});
