import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { currentLeader, isAlive, leaderGone, resign, tryClaim } from '../../../src/hub/election';
import { HubError } from '../../../src/hub/errors';
import { encodeFrame, FrameDecoder } from '../../../src/hub/framing';
import { SharedAppkeyHolds } from '../../../src/hub/holdFile';
import { assertOwnerOnly, defaultHubDir, ensureHubDir, readOrCreateToken, socketPath } from '../../../src/hub/paths';
import { filterSnapshot, mergeSnapshots, planUnion } from '../../../src/hub/plan';
import { parseHubMessage } from '../../../src/shared/hubProtocol';
import type { QuoteState, Snapshot } from '../../../src/shared/snapshot';

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
function snap(seq: number, quotes: QuoteState[], extra: Partial<Snapshot> = {}): Snapshot {
  return {
    seq,
    at: seq,
    quotes,
    bars: [],
    books: [],
    alerts: [],
    counters: { records: seq, handlerErrors: 0, parseErrors: 0 },
    ...extra,
  };
}
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid as number;
}

describe('hub protocol checks', () => {
  it('accepts each well-formed message and copies only known fields', () => {
    const hello = parseHubMessage({ type: 'hello', version: 1, token: 't', name: 'w', pid: 3, extra: 'x' });
    assert.deepEqual(hello, { ok: true, message: { type: 'hello', version: 1, token: 't', name: 'w', pid: 3 } });
    assert.ok(parseHubMessage({ type: 'wants', wants: [{ trId: 'H0STCNT0', trKey: '005930' }] }).ok);
    assert.ok(parseHubMessage({ type: 'welcome', version: 1, leaderName: 'A', leaderPid: 1 }).ok);
    assert.ok(parseHubMessage({ type: 'refused', code: 'BAD_TOKEN', message: 'no' }).ok);
    assert.ok(parseHubMessage({ type: 'snapshot', snapshot: snap(1, [quote('005930', 1)]) }).ok);
    assert.ok(parseHubMessage({ type: 'status', leaderName: 'A', windows: 2, state: 'open', overBudget: [] }).ok);
  });

  it('says what is wrong with a bad one, without echoing its values', () => {
    const cases: [unknown, RegExp][] = [
      [[], /not a JSON object/],
      [{ a: 1 }, /no "type"/],
      [{ type: 'hello', version: '1', token: 't', name: 'w', pid: 1 }, /"version"/],
      [{ type: 'hello', version: 1, token: 5, name: 'w', pid: 1 }, /"token"/],
      [{ type: 'hello', version: 1, token: 't', name: 'x'.repeat(200), pid: 1 }, /"name"/],
      [{ type: 'hello', version: 1, token: 't', name: 'w', pid: 1.5 }, /"pid"/],
      [{ type: 'wants', wants: [{ trId: 'bad id', trKey: '005930' }] }, /"wants"/],
      [{ type: 'wants', wants: {} }, /"wants"/],
      [{ type: 'welcome', version: 1 }, /welcome: bad fields/],
      [{ type: 'refused', code: 'NOPE', message: '' }, /refused: bad fields/],
      [{ type: 'snapshot', snapshot: { seq: 1 } }, /not a Snapshot/],
      [{ type: 'status', leaderName: 'A', windows: 2, state: 'dancing', overBudget: [] }, /status: bad fields/],
      [{ type: 'secret-sauce' }, /unknown type "secret-sauce"/],
    ];
    for (const [value, error] of cases) {
      const result = parseHubMessage(value);
      assert.equal(result.ok, false, JSON.stringify(value));
      if (!result.ok) assert.match(result.error, error);
    }
  });
});

describe('hub framing', () => {
  it('reassembles frames split across chunks and several frames in one chunk', () => {
    const one = encodeFrame({ type: 'welcome', version: 1, leaderName: 'A', leaderPid: 1 });
    const two = encodeFrame({ type: 'refused', code: 'BAD_TOKEN', message: 'm' });
    const all = Buffer.concat([one, two]);
    const decoder = new FrameDecoder();
    assert.deepEqual(decoder.push(all.subarray(0, 3)), []);
    assert.deepEqual(
      decoder.push(all.subarray(3, one.length + 2)).map((d) => d.kind === 'message' && d.message.type),
      ['welcome'],
    );
    assert.deepEqual(
      decoder.push(all.subarray(one.length + 2)).map((d) => d.kind === 'message' && d.message.type),
      ['refused'],
    );
  });

  it('reports a body that is not JSON or not a message, and keeps going', () => {
    const body = Buffer.from('{nope');
    const head = Buffer.alloc(4);
    head.writeUInt32BE(body.length);
    const decoder = new FrameDecoder();
    const out = decoder.push(
      Buffer.concat([head, body, encodeFrame({ type: 'welcome', version: 1, leaderName: 'A', leaderPid: 1 })]),
    );
    assert.deepEqual(
      out.map((d) => (d.kind === 'error' ? d.code : d.message.type)),
      ['HUB_MALFORMED', 'welcome'],
    );
    const bad = Buffer.from('{"type":"x"}');
    head.writeUInt32BE(bad.length);
    assert.deepEqual(
      decoder.push(Buffer.concat([head, bad])).map((d) => d.kind === 'error' && d.message),
      ['unknown type "x"'],
    );
  });

  it('stops for good at a length over the cap (the stream cannot be resynchronised)', () => {
    const decoder = new FrameDecoder(100);
    const head = Buffer.alloc(4);
    head.writeUInt32BE(101);
    const out = decoder.push(head);
    assert.equal(out[0]?.kind === 'error' && out[0].code, 'HUB_OVERSIZED');
    assert.deepEqual(decoder.push(encodeFrame({ type: 'welcome', version: 1, leaderName: 'A', leaderPid: 1 })), []);
  });
});

describe('hub plan', () => {
  const w = (trKey: string, trId = 'H0STCNT0') => ({ trId, trKey });

  it('plans the union in join order within the budget; later windows get the overflow', () => {
    const { registered, over } = planUnion([[w('1'), w('2')], [w('2'), w('3')], [w('4')]], 3);
    assert.deepEqual(registered, [w('1'), w('2'), w('3')]);
    assert.deepEqual([...over], ['H0STCNT0|4']);
  });

  it("filters a snapshot to a window's symbols (nothing when none concern it)", () => {
    const s = snap(1, [quote('A', 1), quote('B', 2)], {
      alerts: [{ ruleId: 'r', symbol: 'B', kind: 'priceAbove', threshold: 1, price: 2, rate: 0, time: '090000' }],
    });
    assert.deepEqual(
      filterSnapshot(s, new Set(['B']))?.quotes.map((q) => q.symbol),
      ['B'],
    );
    assert.equal(filterSnapshot(s, new Set(['B']))?.alerts.length, 1);
    assert.equal(filterSnapshot(s, new Set(['C'])), undefined);
  });

  it('merges pending snapshots to the latest state per symbol, bar and book', () => {
    const bar = (time: number, close: number) => ({ symbol: 'A', time, open: 1, high: 1, low: 1, close, volume: 1 });
    const book = (time: string) => ({ symbol: 'A', time, asks: [], bids: [], totalAskSize: 0, totalBidSize: 0 });
    const merged = mergeSnapshots(
      snap(1, [quote('A', 1), quote('B', 1)], { bars: [bar(60, 1)], books: [book('1')] }),
      snap(2, [quote('A', 5)], { bars: [bar(60, 2), bar(120, 3)], books: [book('2')] }),
    );
    assert.equal(merged.seq, 2);
    assert.deepEqual(
      merged.quotes.map((q) => [q.symbol, q.last]),
      [
        ['A', 5],
        ['B', 1],
      ],
    );
    assert.deepEqual(
      merged.bars.map((b) => b.close),
      [2, 3],
    );
    assert.deepEqual(
      merged.books.map((b) => b.time),
      ['2'],
    );
  });
});

describe('hub directory, token and socket path', () => {
  let base: string;
  beforeEach(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-hub-unit-'));
  });
  afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

  it('defaults to $XDG_RUNTIME_DIR/kis-monitor, else a per-uid folder in the temp directory', () => {
    assert.equal(defaultHubDir({ XDG_RUNTIME_DIR: '/run/user/7' }), path.join('/run/user/7', 'kis-monitor'));
    assert.equal(defaultHubDir({}), path.join(os.tmpdir(), `kis-monitor-${process.getuid?.() ?? ''}`));
  });

  it('names a Unix socket in the directory, or a per-user named pipe on Windows', () => {
    assert.equal(socketPath('/d', 'paper', 'linux'), path.join('/d', 'paper.sock'));
    assert.match(socketPath('/d', 'paper', 'win32'), /^\\\\\.\\pipe\\kis-monitor-.+-paper$/);
  });

  it('creates the directory owner-only and refuses one open to group or others', () => {
    const dir = path.join(base, 'hub');
    ensureHubDir(dir);
    assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
    fs.chmodSync(dir, 0o750);
    assert.throws(
      () => ensureHubDir(dir),
      (e: unknown) => e instanceof HubError && e.code === 'HUB_UNSAFE_DIR' && /mode 750/.test(e.message),
    );
  });

  it('refuses a symlink or a file in place of the directory, and a directory of another owner', () => {
    fs.mkdirSync(path.join(base, 'real'), { mode: 0o700 });
    fs.symlinkSync(path.join(base, 'real'), path.join(base, 'link'));
    assert.throws(() => ensureHubDir(path.join(base, 'link')), /not a directory \(a symlink\?\)/);
    const stat = fs.statSync(path.join(base, 'real'));
    assert.throws(() => assertOwnerOnly(stat, 'x', stat.uid + 1), /owned by uid \d+, not by this user/);
  });

  it('creates the token once (0600) and reads the same one after; refuses a token others can read', () => {
    const dir = path.join(base, 'hub');
    ensureHubDir(dir);
    const token = readOrCreateToken(dir);
    assert.match(token, /^[0-9a-f]{64}$/);
    assert.equal(fs.statSync(path.join(dir, 'token')).mode & 0o777, 0o600);
    assert.equal(readOrCreateToken(dir), token);
    assert.deepEqual(fs.readdirSync(dir), ['token']);
    fs.chmodSync(path.join(dir, 'token'), 0o644);
    assert.throws(() => readOrCreateToken(dir), /accessible by group or others/);
    fs.rmSync(path.join(dir, 'token'));
    fs.mkdirSync(path.join(dir, 'token'));
    assert.throws(() => readOrCreateToken(dir), /not a regular file/);
  });
});

describe('hub election', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-hub-elect-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (epoch: number, content: string): void =>
    fs.writeFileSync(path.join(dir, `s.leader.${epoch}`), content);

  it('knows live and dead processes', () => {
    assert.equal(isAlive(process.pid), true);
    assert.equal(isAlive(deadPid()), false);
    assert.equal(isAlive(0), false);
  });

  it('the first claim is epoch 1; a live leader of another process blocks further claims', () => {
    assert.equal(leaderGone(dir, 's'), true);
    assert.deepEqual(tryClaim(dir, 's', 'me'), { epoch: 1, pid: process.pid, name: 'me' });
    write(2, JSON.stringify({ pid: process.ppid, name: 'parent' }));
    assert.equal(leaderGone(dir, 's'), false);
    assert.equal(tryClaim(dir, 's', 'me'), undefined);
    assert.equal(currentLeader(dir, 's')?.name, 'parent');
  });

  it('a dead leader is replaced by the next epoch, and older epoch files are cleared', () => {
    write(4, JSON.stringify({ pid: deadPid(), name: 'dead' }));
    write(3, '{}');
    assert.equal(leaderGone(dir, 's'), true);
    assert.equal(tryClaim(dir, 's', 'me')?.epoch, 5);
    assert.deepEqual(fs.readdirSync(dir), ['s.leader.5']);
  });

  it('a claim being written counts as alive; one left empty past the grace period does not', () => {
    write(1, '');
    assert.equal(currentLeader(dir, 's')?.pending, true);
    assert.equal(tryClaim(dir, 's', 'me'), undefined);
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(path.join(dir, 's.leader.1'), old, old);
    assert.equal(leaderGone(dir, 's'), true);
    assert.equal(tryClaim(dir, 's', 'me')?.epoch, 2);
  });

  it('resign removes only our own record', () => {
    const mine = tryClaim(dir, 's', 'me');
    assert.ok(mine);
    resign(dir, 's', { ...mine, pid: mine.pid + 1 });
    assert.equal(currentLeader(dir, 's')?.epoch, 1);
    resign(dir, 's', mine);
    assert.equal(currentLeader(dir, 's'), undefined);
  });

  it('loses the claim when its epoch file already exists', () => {
    write(1, JSON.stringify({ pid: deadPid(), name: 'dead' }));
    fs.mkdirSync(path.join(dir, 's.leader.2'));
    // epoch 2 is taken (a directory stands in for another candidate's file): no win, no throw.
    assert.equal(tryClaim(dir, 's', 'me'), undefined);
  });
});

describe('hub OPSP8996 hold file', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-hub-hold-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a hold recorded by one process is honoured by another, keyed by a digest of the app key', () => {
    new SharedAppkeyHolds(dir).hold('MY-APPKEY', 10_000);
    const text = fs.readFileSync(path.join(dir, 'holds.json'), 'utf8');
    assert.ok(!text.includes('MY-APPKEY'));
    assert.equal(fs.statSync(path.join(dir, 'holds.json')).mode & 0o777, 0o600);
    const other = new SharedAppkeyHolds(dir);
    assert.equal(other.remainingMs('MY-APPKEY', 4000), 6000);
    assert.equal(other.remainingMs('OTHER-KEY', 4000), 0);
    assert.equal(other.remainingMs('MY-APPKEY', 10_000), 0);
  });

  it('never shortens a hold; a garbled file means no holds', () => {
    const holds = new SharedAppkeyHolds(dir);
    holds.hold('K', 5000);
    holds.hold('K', 3000);
    assert.equal(new SharedAppkeyHolds(dir).remainingMs('K', 0), 5000);
    fs.writeFileSync(path.join(dir, 'holds.json'), 'null');
    assert.equal(new SharedAppkeyHolds(dir).remainingMs('K', 0), 0);
    fs.writeFileSync(path.join(dir, 'holds.json'), '{"zz":1}');
    assert.equal(new SharedAppkeyHolds(dir).remainingMs('K', 0), 0);
  });
});
