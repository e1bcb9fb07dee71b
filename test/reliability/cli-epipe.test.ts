/**
 * A closed stdout ends every `kis-monitor` command quietly with exit 0 (`kis-monitor watch 005930 | head
 * -3`): real processes (out/src/cli/main.js) against a simulator that is itself `kis-monitor sim` on a
 * free port. The reading end is closed after some lines; the command must exit 0 with no EPIPE, error or
 * stack on stderr. The streaming commands log their progress on stderr by design, so for them "quiet"
 * means no error line; `sim`, `quote` and `bars` print nothing on stderr at all.
 */
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { RecordingReader } from '../../src/recorder';

type CliProcess = ChildProcessByStdio<null, Readable, Readable>;

/** The compiled CLI (out/test/reliability → out/src/cli/main.js). */
const CLI = path.resolve(__dirname, '../../src/cli/main.js');

interface Child {
  process: CliProcess;
  stderr: () => string;
  /** Resolves with the first `n` stdout lines. */
  lines(n: number): Promise<string[]>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Every child started, so a failed test leaves none running. */
const started: CliProcess[] = [];

function cli(...args: string[]): Child {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let out = '';
  let err = '';
  const waiters: Array<() => void> = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const waiter of waiters.splice(0)) waiter();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    process: child,
    stderr: () => err,
    exited,
    lines: (n) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const lines = out.split('\n');
          if (lines.length > n) resolve(lines.slice(0, n));
          else waiters.push(check);
        };
        child.once('exit', (code) =>
          reject(new Error(`kis-monitor ${args.join(' ')} exited (${code}) before ${n} lines; stderr:\n${err}`)),
        );
        check();
      }),
  };
}

/** Closes the reading end of the child's stdout, as `head` does when it has its lines. */
function closeReader(child: Child): void {
  child.process.stdout.destroy();
}

/** No EPIPE, no error, no stack trace on stderr. */
function assertQuiet(stderr: string): void {
  assert.doesNotMatch(stderr, /EPIPE|Error|\n\s+at /, stderr);
}

describe('kis-monitor with a closed stdout (| head)', function () {
  this.timeout(30_000);
  let sim: Child;
  let wsUrl = '';
  let restUrl = '';
  let dir = '';

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kis cli epipe '));
    sim = cli('sim', '--port', '0', '--rate', '50', '--symbols', '005930');
    const banner = (await sim.lines(3)).join('\n');
    restUrl = /REST {2}(http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1] ?? '';
    wsUrl = /WS {4}(ws:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1] ?? '';
    assert.ok(restUrl !== '' && wsUrl !== '', banner);
  });

  afterEach(() => {
    // A command that ignored the closed stdout would run on: end it, so the failure is reported, not a hang.
    for (const child of started.splice(0))
      if (child !== sim.process && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  after(async () => {
    sim.process.kill('SIGTERM');
    assert.equal((await sim.exited).code, 0, 'the simulator stops cleanly on SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('watch: after 3 lines, exit 0 with nothing but its log on stderr', async () => {
    const watch = cli('watch', '--url', wsUrl, '005930');
    await watch.lines(3);
    closeReader(watch);
    assert.deepEqual(await watch.exited, { code: 0, signal: null }, watch.stderr());
    assertQuiet(watch.stderr());
    assert.match(watch.stderr(), /kis-monitor: stopping\n/);
  });

  it('watch --join: after 3 lines, exit 0, quiet', async () => {
    const join = cli('watch', '--join', '--url', wsUrl, '--hub-dir', path.join(dir, 'hub'), '005930');
    await join.lines(3);
    closeReader(join);
    assert.deepEqual(await join.exited, { code: 0, signal: null }, join.stderr());
    assertQuiet(join.stderr());
  });

  it('record, then replay of what it wrote: each ends at its first status line after the close, exit 0, the recording whole', async () => {
    const file = path.join(dir, 'piped.kisrec');
    const record = cli('record', '--out', file, '--url', wsUrl, '005930');
    await record.lines(1);
    closeReader(record);
    assert.deepEqual(await record.exited, { code: 0, signal: null }, record.stderr());
    assertQuiet(record.stderr());
    const reader = await RecordingReader.open(file); // a closed recording: its header reads back
    assert.deepEqual(reader.header.meta, { trIds: ['H0STCNT0'], codes: ['005930'] });
    await reader.close();

    const replay = cli('replay', file, '--port', '0', '--speed', 'max');
    await replay.lines(1);
    closeReader(replay);
    assert.deepEqual(await replay.exited, { code: 0, signal: null }, replay.stderr());
    assertQuiet(replay.stderr());
  });

  // These print once; the reader is gone before the child has started, so that one write meets EPIPE.
  for (const argv of [
    ['sim', '--port', '0'],
    ['quote', '005930'],
    ['bars', '005930'],
  ]) {
    it(`${argv[0]}: a reader gone before the first line, exit 0, nothing on stderr`, async () => {
      const child = cli(...argv, ...(argv[0] === 'sim' ? [] : ['--rest-url', restUrl]));
      closeReader(child);
      assert.deepEqual(await child.exited, { code: 0, signal: null }, child.stderr());
      assert.equal(child.stderr(), '');
    });
  }
});
