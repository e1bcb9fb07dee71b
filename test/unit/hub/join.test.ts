import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import { KisSimulator } from '../../../src/simulator';

class Out {
  text = '';
  private waiters: { re: RegExp; resolve: () => void }[] = [];
  write(chunk: string): boolean {
    this.text += chunk;
    this.waiters = this.waiters.filter((w) => {
      if (!w.re.test(this.text)) return true;
      w.resolve();
      return false;
    });
    return true;
  }
  wait(re: RegExp): Promise<void> {
    if (re.test(this.text)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ re, resolve }));
  }
}

describe('kis-monitor watch --join', function () {
  this.timeout(20_000);
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-join-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints its help, and refuses bad input with exit code 2 and a sentence', async () => {
    const run = async (...argv: string[]): Promise<[number, string, string]> => {
      const out = new Out();
      const err = new Out();
      const code = await main(['watch', '--join', ...argv], { stdout: out, stderr: err, env: {} });
      return [code, out.text, err.text];
    };
    const [helpCode, help] = await run('--help');
    assert.equal(helpCode, 0);
    assert.match(help, /Shares one KIS session/);
    const cases: [string[], RegExp][] = [
      [['--bogus'], /Unknown option/],
      [['005930'], /--source must be simulator \(with --url\), paper or real/],
      [['--source', 'simulator', '005930'], /needs --url/],
      [['--url', 'http://x', '005930'], /must start with ws:\/\//],
      [['--url', 'ws://x', '--tr', 'nope', '005930'], /--tr "nope" is not a TR id/],
      [['--url', 'ws://x'], /at least one symbol/],
      [['--url', 'ws://x', '12'], /"12" is not a KRX code/],
    ];
    for (const [argv, re] of cases) {
      const [code, , err] = await run(...argv);
      assert.equal(code, 2, argv.join(' '));
      assert.match(err, re);
    }
  });

  it('leads when alone: streams snapshots from the simulator, prints its role and status, exits 0 when stopped', async () => {
    const sim = await KisSimulator.start({ port: 0, symbols: ['005930'], ratePerSymbol: 20 });
    try {
      const out = new Out();
      const err = new Out();
      const stop = new AbortController();
      const done = main(
        ['watch', '--join', '--url', sim.wsUrl, '--hub-dir', path.join(dir, 'hub'), '--name', 'solo', '005930'],
        { stdout: out, stderr: err, env: {}, signal: stop.signal },
      );
      await out.wait(/"type":"hub","role":"leader"/);
      await out.wait(/"type":"snapshot".*"symbol":"005930"/);
      await out.wait(
        /"type":"status","role":"leader","windows":1,"leaderName":"solo","state":"open","text":"not shared"/,
      );
      stop.abort();
      assert.equal(await done, 0);
      assert.deepEqual(
        fs.readdirSync(path.join(dir, 'hub')).filter((f) => f.includes('.leader.')),
        [],
        'a graceful exit resigns',
      );
    } finally {
      await sim.close();
    }
  });

  it('exits 1 with the reason when the hub directory is unsafe', async () => {
    fs.chmodSync(dir, 0o777);
    const err = new Out();
    const code = await main(['watch', '--join', '--source', 'paper', '--hub-dir', dir, '005930'], {
      stdout: new Out(),
      stderr: err,
      env: {},
    });
    assert.equal(code, 1);
    assert.match(err.text, /accessible by group or others \(mode 777\); refusing to use it \(HUB_UNSAFE_DIR\)/);
    assert.match(err.text, /no KIS_APPKEY\/KIS_APPSECRET/);
  });
});
