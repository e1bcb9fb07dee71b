/**
 * The conventions every `kis-monitor` command keeps, in-process: `--help`/`-h` print the command's usage
 * on stdout with exit 0, `--version` prints the version with exit 0, and an unknown option is one line on
 * stderr with exit 2. (A closed stdout is test/reliability/cli-epipe.test.ts: it needs a real process.)
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EventEmitter } from 'node:events';
import * as os from 'node:os';
import { versionLine } from '../../../src/cli/args';
import { main, quietOutput } from '../../../src/cli/main';

interface Outcome {
  code: number;
  out: string;
  err: string;
}

async function run(...argv: string[]): Promise<Outcome> {
  let out = '';
  let err = '';
  const stop = new AbortController();
  stop.abort(); // a command that would start running stops at once
  const code = await main(argv, {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    env: {},
    signal: stop.signal,
  });
  return { code, out, err };
}

/** The project's version, from package.json itself (the CLI finds it from its compiled location). */
function packageVersion(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Each command as typed, and the words its usage starts with. */
const COMMANDS: ReadonlyArray<[string[], string]> = [
  [['watch'], 'Usage: kis-monitor watch [options] CODE...'],
  [['watch', '--join'], 'Usage: kis-monitor watch --join [options] CODE...'],
  [['record'], 'Usage: kis-monitor record --out FILE [options] CODE...'],
  [['replay'], 'Usage: kis-monitor replay FILE [options]'],
  [['sim'], 'Usage: kis-monitor sim [options]'],
  [['quote'], 'Usage: kis-monitor quote CODE [options]'],
  [['bars'], 'Usage: kis-monitor bars CODE [--date YYYYMMDD] [--daily] [options]'],
];

describe('kis-monitor conventions (every command)', () => {
  for (const [command, usage] of COMMANDS) {
    const name = command.join(' ');
    for (const flag of ['--help', '-h']) {
      it(`${name} ${flag}: its usage on stdout, nothing on stderr, exit 0`, async () => {
        const r = await run(...command, flag);
        assert.deepEqual([r.code, r.err], [0, '']);
        assert.equal(r.out.split('\n')[0], usage);
        assert.match(r.out, /\n {2}-h, --help {2,}this text\n/);
        assert.match(r.out, /Exit: 0 .*, 2 for bad input/);
      });
    }

    it(`${name} --version: the version on stdout, exit 0`, async () => {
      const r = await run(...command, '--version');
      assert.deepEqual([r.code, r.out, r.err], [0, `kis-monitor ${packageVersion()}\n`, '']);
    });

    it(`${name} --bogus: one line on stderr naming the option, nothing on stdout, exit 2`, async () => {
      const r = await run(...command, '--bogus', '005930');
      assert.deepEqual([r.code, r.out], [2, '']);
      assert.equal(r.err, `kis-monitor ${name}: Unknown option '--bogus' (see: kis-monitor ${name} --help)\n`);
    });

    it(`${name} with a bad value: one line on stderr, exit 2`, async () => {
      const r = await run(
        ...command,
        command[0] === 'sim' ? '--rate=0' : '--source=live',
        ...(command[0] === 'replay' ? [] : ['005930']),
      );
      assert.equal(r.code, 2, r.err);
      assert.equal(r.out, '');
      assert.equal(r.err.split('\n').length, 2, `one line: ${r.err}`);
      assert.match(r.err, new RegExp(`^kis-monitor ${name}: `));
    });
  }

  it('kis-monitor --help and help: the list of commands and the exit codes, exit 0', async () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const r = await run(...argv);
      assert.deepEqual([r.code, r.err], [0, ''], argv.join(' '));
      assert.match(r.out, /^Usage: kis-monitor <command> \[options\]\n/);
      for (const command of ['watch', 'record', 'replay', 'sim', 'quote', 'bars'])
        assert.match(r.out, new RegExp(`\n {2}${command} `));
      assert.match(
        r.out,
        /Exit codes: 0 ok \(also after Ctrl\+C or a closed stdout\), 1 runtime failure, 2 usage error/,
      );
    }
    assert.deepEqual(await run('--version'), { code: 0, out: `kis-monitor ${packageVersion()}\n`, err: '' });
  });

  it('kis-monitor with no command, an unknown command or an unknown option: one line, exit 2', async () => {
    assert.deepEqual(await run(), {
      code: 2,
      out: '',
      err: 'kis-monitor: a command is required (see: kis-monitor --help)\n',
    });
    assert.deepEqual(await run('frobnicate'), {
      code: 2,
      out: '',
      err: 'kis-monitor: unknown command "frobnicate" (see: kis-monitor --help)\n',
    });
    assert.deepEqual(await run('--frob'), {
      code: 2,
      out: '',
      err: "kis-monitor: Unknown option '--frob' (see: kis-monitor --help)\n",
    });
  });
});

describe('kis-monitor process io', () => {
  /** A stand-in for process.stdout: records writes, emits the errors a test gives it. */
  class FakeStream extends EventEmitter {
    written: string[] = [];
    write(text: string): boolean {
      this.written.push(text);
      return true;
    }
  }

  it('a stream whose reader has gone (EPIPE, then writes to the destroyed stream) asks to stop once and drops later writes', () => {
    const stream = new FakeStream();
    let stops = 0;
    const out = quietOutput(stream, () => stops++);
    out.write('one\n');
    stream.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    stream.emit(
      'error',
      Object.assign(new Error('Cannot call write after a stream was destroyed'), { code: 'ERR_STREAM_DESTROYED' }),
    );
    assert.equal(out.write('two\n'), false);
    assert.deepEqual([stream.written, stops], [['one\n'], 1]);
  });

  it('any other stream error is not swallowed', () => {
    const stream = new FakeStream();
    quietOutput(stream, () => assert.fail('not a closed reader'));
    assert.throws(
      () => stream.emit('error', Object.assign(new Error('no space left'), { code: 'ENOSPC' })),
      /no space left/,
    );
  });

  it('--version says so when no package.json of this project is above the CLI', () => {
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-cli-version-'));
    try {
      fs.writeFileSync(path.join(bare, 'package.json'), '{"name":"another-package","version":"9.9.9"}');
      assert.equal(versionLine(bare), 'kis-monitor (version unknown)\n');
    } finally {
      fs.rmSync(bare, { recursive: true, force: true });
    }
  });
});
