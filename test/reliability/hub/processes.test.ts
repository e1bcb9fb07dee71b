/**
 * The hub with real processes: `kis-monitor watch --join` children against one simulator, which allows
 * one session per app key (a second gets OPSP8996, as KIS does). The simulator runs in this process, so
 * its events show every WebSocket session the children open.
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { SharedAppkeyHolds } from '../../../src/hub/holdFile';
import { encodeFrame, FrameDecoder } from '../../../src/hub/framing';
import { socketPath } from '../../../src/hub/paths';
import { HUB_PROTOCOL_VERSION, type HubMessage } from '../../../src/shared/hubProtocol';
import { KisSimulator } from '../../../src/simulator';
import * as esbuild from 'esbuild';
import { skipBecause } from '../../unit/support/skips';
import { Member } from './harness';

const CODES = ['005930', '000660', '035420', '051910'];

describe('hub with several processes', function () {
  this.timeout(60_000);
  let sim: KisSimulator;
  let dir: string;
  let members: Member[] = [];
  let live = 0;
  let maxLive = 0;
  let inUse = 0;
  const connectedAt: number[] = [];
  /** Session opens and closes in the order the simulator saw them: '+1', '-1', '+2', … */
  const order: string[] = [];

  const args = (...codes: string[]): string[] => ['--url', sim.wsUrl, '--hub-dir', dir, ...codes];
  const start = (name: string, ...codes: string[]): Member => {
    const m = new Member(name, args(...codes));
    members.push(m);
    return m;
  };
  const sourceTag = (): string =>
    fs
      .readdirSync(dir)
      .find((f) => f.endsWith('.sock'))
      ?.replace(/\.sock$/, '') ?? '';
  const registeredKeys = (): string[] =>
    [
      ...new Set(
        sim
          .registrations()
          .filter((r) => r.acked)
          .map((r) => r.trKey),
      ),
    ].sort();

  beforeEach(async () => {
    sim = await KisSimulator.start({ port: 0, symbols: CODES, ratePerSymbol: 20 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-hub-'));
    live = 0;
    maxLive = 0;
    inUse = 0;
    connectedAt.length = 0;
    order.length = 0;
    sim.on('connection', (e) => order.push(`+${e.sessionId}`));
    sim.on('close', (e) => order.push(`-${e.sessionId}`));
    sim.on('connection', () => {
      live++;
      maxLive = Math.max(maxLive, live);
      connectedAt.push(Date.now());
    });
    sim.on('close', () => live--);
    sim.on('ack', (e) => {
      if (e.msgCd === 'OPSP8996') inUse++;
    });
  });

  afterEach(async () => {
    // SIGTERM: the graceful path (and a child killed with SIGKILL writes no coverage).
    await Promise.all(members.map((m) => m.stop('SIGTERM')));
    members = [];
    await sim.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('1 leader + 3 followers share one KIS session; every process gets its rows; a departing follower releases its symbol', async () => {
    const a = start('A', '005930');
    await a.waitLine((l) => l.type === 'hub' && l.role === 'leader', 'leadership');
    const b = start('B', '000660');
    const c = start('C', '035420', '005930');
    const d = start('D', '051910');
    for (const m of [b, c, d]) await m.waitLine((l) => l.type === 'hub' && l.role === 'follower', 'following');
    await Promise.all([
      a.waitData('005930'),
      b.waitData('000660'),
      c.waitData('035420'),
      c.waitData('005930'),
      d.waitData('051910'),
    ]);
    assert.equal(maxLive, 1, 'the simulator saw more than one concurrent WebSocket session');
    assert.equal(connectedAt.length, 1, 'the simulator saw more than one WebSocket session');
    assert.equal(inUse, 0);
    assert.deepEqual(registeredKeys(), [...CODES].sort());
    // Followers see only their own symbols, and the shared status.
    assert.ok(
      b.lines
        .filter((l) => l.type === 'snapshot')
        .every((l) => (l.quotes as { symbol: string }[]).every((q) => q.symbol === '000660')),
    );
    await a.waitLine((l) => l.type === 'status' && l.text === 'shared with 3 windows', 'shared status');
    await b.waitLine((l) => l.type === 'status' && l.text === 'via window A' && l.windows === 4, 'follower status');

    await d.stop('SIGKILL');
    await a.waitLine((l) => l.type === 'status' && l.text === 'shared with 2 windows', 'status after a departure');
    const unsubscribed = new Promise<void>((resolve) => {
      const check = (): void => {
        if (!registeredKeys().includes('051910')) {
          sim.off('ack', check);
          resolve();
        }
      };
      sim.on('ack', check);
      check();
    });
    await unsubscribed;
    assert.deepEqual(registeredKeys(), ['000660', '005930', '035420']);
  });

  it('kill -9 of the leader: one follower takes over; never two sessions, no OPSP8996; every process keeps its data; the gap is reported', async () => {
    const a = start('A', '005930');
    await a.waitLine((l) => l.type === 'hub' && l.role === 'leader', 'leadership');
    const followers = [start('B', '000660'), start('C', '035420'), start('D', '051910')];
    await Promise.all(followers.map((m, i) => m.waitData(CODES[i + 1])));
    await a.stop('SIGKILL');
    const marks = followers.map((m) => m.lines.length);
    await Promise.all(followers.map((m, i) => m.waitData(CODES[i + 1], marks[i])));
    const leaders = followers.filter((m) => m.role() === 'leader');
    assert.equal(leaders.length, 1, `expected one new leader, roles: ${followers.map((m) => m.role()).join(',')}`);
    assert.equal(maxLive, 1, 'two WebSocket sessions overlapped');
    assert.equal(connectedAt.length, 2);
    assert.equal(inUse, 0, 'the simulator sent OPSP8996');
    assert.deepEqual(
      order.slice(0, 3),
      [order[0], `-${order[0].slice(1)}`, order[2]],
      'the old session closed before the new one opened',
    );
    const gap = await leaders[0].waitLine((l) => l.type === 'gap', 'a gap');
    assert.equal(typeof gap.from, 'number');
    assert.ok((gap.to as number) >= (gap.from as number));
    await followers
      .find((m) => m !== leaders[0])
      ?.waitLine(
        (l) => l.type === 'status' && l.text === `via window ${leaders[0].name}`,
        'the new leader in the status',
      );
  });

  it('a leader that exits gracefully closes its session first; a follower takes over without overlap', async () => {
    const a = start('A', '005930');
    await a.waitLine((l) => l.type === 'hub' && l.role === 'leader', 'leadership');
    const b = start('B', '000660');
    await b.waitData('000660');
    await a.stop('SIGTERM');
    assert.equal(await a.exited, 0);
    await b.waitLine((l) => l.type === 'hub' && l.role === 'leader', 'takeover');
    const mark = b.lines.length;
    await b.waitData('000660', mark);
    assert.equal(maxLive, 1);
    assert.equal(inUse, 0);
    assert.match(order.join(' '), /^\+(\d+) -\1 \+\d+$/);
  });

  it('a new leader replaces the stale socket file of a crashed one, and waits out an OPSP8996 hold its predecessor recorded', async () => {
    const a = start('A', '005930');
    await a.waitData('005930');
    await a.stop('SIGKILL');
    assert.ok(fs.existsSync(socketPath(dir, sourceTag())), 'kill -9 leaves the socket file behind');
    const holdUntil = Date.now() + 1500;
    new SharedAppkeyHolds(dir).hold('SIMULATOR-APPKEY', holdUntil);
    const b = start('B', '000660');
    await b.waitData('000660');
    await b.waitStderr(/stale hub socket .* replaced/);
    assert.equal(b.role(), 'leader');
    assert.ok(connectedAt[1] >= holdUntil, 'the new leader connected before the hold ended');
  });

  it('refuses a wrong token, a version mismatch, a malformed and an oversized message, each with a log line', async () => {
    const a = start('A', '005930');
    await a.waitData('005930');
    const sock = socketPath(dir, sourceTag());
    const token = fs.readFileSync(path.join(dir, 'token'), 'utf8');

    const exchange = (frames: Buffer[]): Promise<HubMessage[]> =>
      new Promise((resolve) => {
        const got: HubMessage[] = [];
        const decoder = new FrameDecoder();
        const s = net.connect(sock, () => s.write(Buffer.concat(frames)));
        s.on('data', (chunk: Buffer) => {
          for (const d of decoder.push(chunk)) if (d.kind === 'message') got.push(d.message);
        });
        s.on('error', () => undefined);
        s.on('close', () => resolve(got));
      });

    const wrong = await exchange([
      encodeFrame({ type: 'hello', version: HUB_PROTOCOL_VERSION, token: 'f'.repeat(64), name: 'intruder', pid: 1 }),
    ]);
    assert.equal(wrong[0]?.type === 'refused' && wrong[0].code, 'BAD_TOKEN');
    await a.waitStderr('"intruder" (pid 1) sent a wrong token: refused');
    assert.ok(!a.stderr.includes(token), 'the token reached the log');

    const old = await exchange([
      encodeFrame({ type: 'hello', version: HUB_PROTOCOL_VERSION + 1, token, name: 'newer', pid: 2 }),
    ]);
    assert.equal(old[0]?.type === 'refused' && old[0].code, 'VERSION_MISMATCH');
    await a.waitStderr(`hub protocol version ${HUB_PROTOCOL_VERSION + 1} from "newer" does not match`);

    const body = Buffer.from('{"type":"hello",');
    const head = Buffer.alloc(4);
    head.writeUInt32BE(body.length);
    await exchange([head, body]);
    await a.waitStderr('sent a malformed message (not JSON): disconnected');

    const huge = Buffer.alloc(4);
    huge.writeUInt32BE(64 * 1024 * 1024);
    await exchange([huge]);
    await a.waitStderr('sent a message over the size cap');

    // The real follower path with a wrong token: a second hub directory whose socket is a hard link to the
    // leader's, with a token of its own. The CLI is refused and exits 1 with the leader's sentence.
    const dir2 = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-hub-'));
    try {
      fs.linkSync(sock, socketPath(dir2, sourceTag()));
      fs.writeFileSync(path.join(dir2, 'token'), 'e'.repeat(64), { mode: 0o600 });
      const member = new Member('E', ['--url', sim.wsUrl, '--hub-dir', dir2, '000660']);
      members.push(member);
      assert.equal(await member.exited, 1);
      assert.match(
        member.stderr,
        /the hub leader refused this window: hub follower "E" \(pid \d+\) sent a wrong token \(BAD_TOKEN\)/,
      );
    } finally {
      fs.rmSync(dir2, { recursive: true, force: true });
    }
    // The leader's session is untouched by all of this.
    assert.equal(maxLive, 1);
    await a.waitData('005930');
  });

  it('refuses a process of another user (uid 65534): the directory check, and the socket itself', async function () {
    const nobody = await otherUser(this);
    try {
      const a = start('A', '005930');
      await a.waitData('005930');
      const other = new Member('nobody', args('000660'), nobody.spawnOptions, nobody.cli);
      members.push(other);
      assert.equal(await other.exited, 1, other.stderr);
      assert.match(
        other.stderr,
        /owned by uid 0, not by this user \(uid 65534\); refusing to use it \(HUB_UNSAFE_DIR\)/,
      );
      // Even a client that skips our checks cannot open the socket: the 0700 directory stops it.
      const sock = socketPath(dir, sourceTag());
      const probe = spawn(
        process.execPath,
        [
          '-e',
          `require('net').connect(${JSON.stringify(sock)}).on('error', (e) => { console.log(e.code); }).on('connect', () => console.log('CONNECTED'))`,
        ],
        nobody.spawnOptions,
      );
      let out = '';
      probe.stdout?.on('data', (c: Buffer) => (out += c.toString()));
      await new Promise((resolve) => probe.once('exit', resolve));
      assert.equal(out.trim(), 'EACCES');
      assert.equal(a.stderr.includes('joined'), false, 'no follower joined');
    } finally {
      fs.rmSync(nobody.folder, { recursive: true, force: true });
    }
  });
});

/** The other user's id (Debian's and most systems' `nobody`). */
const NOBODY = 65534;

/**
 * What a process of uid 65534 needs, arranged here: the CLI bundled (esbuild.js's own `cli` entry) into a
 * world-readable temporary folder, since the checkout may sit under a folder only its owner can enter
 * (root's home is 0700); and no NODE_V8_COVERAGE, whose folder that user cannot write. Skips, saying why,
 * when this process cannot start another user's (not root) or that user cannot reach the temporary folder.
 */
async function otherUser(context: Mocha.Context): Promise<{ cli: string; folder: string; spawnOptions: SpawnOptions }> {
  const uid = process.getuid?.();
  if (uid !== 0)
    skipBecause(context, `starting a process as uid ${NOBODY} needs root; this run is uid ${uid ?? 'unknown'}`);
  const root = projectRoot();
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-cli-other-user-'));
  fs.chmodSync(folder, 0o755);
  const cli = path.join(folder, 'cli.js');
  const { cli: entry } = (await import(path.join(root, 'esbuild.js'))) as { cli: esbuild.BuildOptions };
  await esbuild.build({ ...entry, absWorkingDir: root, outfile: cli, sourcemap: false, logLevel: 'silent' });
  fs.chmodSync(cli, 0o644);
  const env = { ...process.env };
  delete env.NODE_V8_COVERAGE;
  const spawnOptions: SpawnOptions = { uid: NOBODY, gid: NOBODY, cwd: folder, env };
  const reach = spawnSync(process.execPath, ['-e', 'require("fs").accessSync(process.argv[1], 4)', cli], {
    ...spawnOptions,
    encoding: 'utf8',
  });
  if (reach.status !== 0) {
    fs.rmSync(folder, { recursive: true, force: true });
    skipBecause(
      context,
      `uid ${NOBODY} cannot run ${process.execPath} on ${cli}: ${(reach.stderr || String(reach.error)).split('\n')[0]}`,
    );
  }
  return { cli, folder, spawnOptions };
}

/** The folder holding package.json, found by walking up (works from test/ and from out/test/). */
function projectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}
