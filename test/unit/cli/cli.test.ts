import * as assert from 'node:assert/strict';
import { main, type CliIo } from '../../../src/cli/main';
import { RecordPrinter } from '../../../src/cli/watchOutput';
import { parseFrame } from '../../../src/kis';
import { BOOK_RECORD } from '../kis/fixtures';

/** An io that collects what main() writes. */
function capture(env: Record<string, string | undefined> = {}): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const controller = new AbortController();
  controller.abort(); // any command that would run stops at once
  return {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    env,
    signal: controller.signal,
    out: () => out,
    err: () => err,
  };
}

describe('kis-monitor argument handling', () => {
  it('prints the usage for --help (exit 0) and for no command (exit 2)', async () => {
    const help = capture();
    assert.equal(await main(['--help'], help), 0);
    assert.match(help.out(), /^Usage: kis-monitor <command>/);
    assert.match(help.out(), /Exit codes: 0 ok.*1 runtime failure, 2 usage error/);
    const none = capture();
    assert.equal(await main([], none), 2);
    assert.match(none.err(), /a command is required/);
    const unknown = capture();
    assert.equal(await main(['frobnicate'], unknown), 2);
    assert.match(unknown.err(), /unknown command "frobnicate"/);
    const watchHelp = capture();
    assert.equal(await main(['watch', '-h'], watchHelp), 0);
    assert.match(watchHelp.out(), /--handler/);
  });

  const bad: Array<[string, string[], RegExp, Record<string, string>?]> = [
    ['a malformed code', ['watch', '5930'], /"5930" is not a KRX code/],
    ['no code at all', ['watch'], /give at least one symbol code/],
    ['an unknown flag', ['watch', '--frob', '005930'], /Unknown option '--frob'/],
    ['an unknown source', ['watch', '--source', 'live', '005930'], /--source must be simulator, paper or real/],
    ['a bad TR id', ['watch', '--tr', 'trade', '005930'], /--tr "trade" is not a TR id/],
    ['a non-ws url', ['watch', '--url', 'http://x', '005930'], /--url must start with ws:\/\/ or wss:\/\//],
    ['a garbage rest url', ['watch', '--rest-url', 'nope', '005930'], /--rest-url "nope" is not a URL/],
    ['a bad window', ['watch', '--max-in-flight', '0', '005930'], /--max-in-flight must be an integer from 1 to 41/],
    [
      'a missing handler',
      ['watch', '--handler', './no-such-handler.js', '005930'],
      /no-such-handler\.js does not exist/,
    ],
    [
      'more than 41 registrations',
      ['watch', '--tr', 'H0STCNT0,H0STASP0', ...Array.from({ length: 21 }, (_, i) => String(i + 1).padStart(6, '0'))],
      /42 registrations; KIS allows 41/,
    ],
    [
      'paper without credentials',
      ['watch', '--source', 'paper', '005930'],
      /needs the environment variables KIS_APPKEY and KIS_APPSECRET/,
    ],
    ['a malformed HTS ID for the notices', ['watch', '--tr', 'H0STCNI0', 'not an id!'], /"not an id!" is not a HTS ID/],
    [
      'real without a secret',
      ['watch', '--source', 'real', '005930'],
      /needs the environment variable KIS_APPSECRET \(/,
      { KIS_APPKEY: 'k' },
    ],
  ];
  for (const [what, argv, message, env] of bad) {
    it(`exits 2 with a clear message for ${what}`, async () => {
      const io = capture(env);
      assert.equal(await main(argv, io), 2);
      assert.match(io.err(), message);
      assert.equal(io.out(), '', 'nothing on stdout');
    });
  }

  it('delegates `sim` to the simulator command', async () => {
    const io = capture();
    assert.equal(await main(['sim', '--help'], io), 0);
    assert.match(io.out(), /kis-monitor sim/);
    const badFlag = capture();
    assert.equal(await main(['sim', '--frob'], badFlag), 2);
  });

  it('prints each record of a TR without a known layout as its fields, one line per record, one write per batch', () => {
    const writes: string[] = [];
    const printer = new RecordPrinter({ write: (t: string) => writes.push(t) });
    printer.push([]);
    assert.equal(writes.length, 0, 'an empty batch writes nothing');
    printer.push([parseFrame('0|XTEST000|002|A^1^B^2')]);
    assert.equal(writes.length, 1);
    assert.deepEqual(
      writes[0]
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown),
      [
        { type: 'record', trId: 'XTEST000', symbol: 'A', fields: ['A', '1'] },
        { type: 'record', trId: 'XTEST000', symbol: 'B', fields: ['B', '2'] },
      ],
    );
  });

  it('prints an order book with no priced level as zeros, not as a crash or "undefined"', () => {
    const fields = BOOK_RECORD.split('^');
    for (let i = 3; i < 43; i++) fields[i] = '0'; // the ten ask and ten bid prices and sizes
    const writes: string[] = [];
    new RecordPrinter({ write: (t: string) => writes.push(t) }).push([
      parseFrame(`0|H0STASP0|001|${fields.join('^')}`),
    ]);
    const line = JSON.parse(writes[0]) as Record<string, unknown>;
    assert.deepEqual([line.bestAsk, line.bestBid, line.askSize, line.bidSize], [0, 0, 0, 0]);
    assert.equal(line.symbol, '005930');
  });

  // 127.0.0.1:9 (discard) is never dialled for long: the io's signal is already aborted, so the command
  // starts, prints its summary and stops.
  const accepted: Array<[string, string[], Record<string, string>]> = [
    ['a wss:// simulator URL (REST on the same host)', ['watch', '--url', 'wss://127.0.0.1:9', '005930'], {}],
    [
      'a paper source with its own --url',
      ['watch', '--source', 'paper', '--url', 'ws://127.0.0.1:9', '--rest-url', 'http://127.0.0.1:9', '005930'],
      { KIS_APPKEY: 'key-123456', KIS_APPSECRET: 'secret-123456' },
    ],
  ];
  for (const [what, argv, env] of accepted) {
    it(`accepts ${what}: runs and stops on the abort with exit 0`, async () => {
      const io = capture(env);
      assert.equal(await main(argv, io), 0, io.err());
      const stats = JSON.parse(io.out().trim().split('\n').pop() ?? '{}') as {
        type?: string;
        subscriptionsWanted?: number;
      };
      assert.deepEqual([stats.type, stats.subscriptionsWanted], ['stats', 1]);
      assert.match(io.err(), /stopping/);
    });
  }
});

describe('kis-monitor bars --date (against its embedded simulator)', () => {
  /** An io whose commands run to the end (the capture above stops them at once). */
  function running(): CliIo & { out: () => string; err: () => string } {
    let out = '';
    let err = '';
    return {
      stdout: { write: (t: string) => (out += t) },
      stderr: { write: (t: string) => (err += t) },
      env: {},
      out: () => out,
      err: () => err,
    };
  }

  it("prints the given trading day's minute bars, all of that date", async function () {
    this.timeout(20_000);
    const io = running();
    assert.equal(await main(['bars', '005930', '--date', '20261204'], io), 0, io.err());
    const day = JSON.parse(io.out()) as { date: string; bars: { date: string }[] };
    assert.equal(day.date, '20261204');
    assert.ok(day.bars.length > 0);
    assert.ok(day.bars.every((bar) => bar.date === '20261204'));
  });

  it('refuses a weekend, a future and a malformed date with one line and exit 2', async function () {
    this.timeout(20_000);
    for (const [date, words] of [
      ['20261205', /Saturday/],
      ['20991231', /in the future/],
      ['2026-12-04', /YYYYMMDD/],
    ] as const) {
      const io = running();
      assert.equal(await main(['bars', '005930', '--date', date], io), 2, date);
      assert.equal(io.out(), '');
      assert.match(io.err(), words);
      assert.equal(io.err().trim().split('\n').length, 1, io.err());
    }
  });
});
