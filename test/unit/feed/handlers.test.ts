import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FeedHandlers, MarketFeed, prepareHandler, type HandlerProblem } from '../../../src/feed';
import { Logger, type LogChannel } from '../../../src/common/logger';
import { parseSettings, type Settings } from '../../../src/settings';
import { WorkerHost, type HandlerErrorEvent } from '../../../src/worker/host';
import { frame, projectRoot, tradeOf, waitForEvent } from '../worker/helpers';
import { until } from '../../support/wait';

const quiet: LogChannel = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

describe('handlers in the editor: preparing and wiring', function () {
  this.timeout(30_000);
  let dir: string;
  let out: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-feed-handlers-'));
    out = path.join(dir, 'out');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text: string): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  it('uses a JavaScript handler as it is', async () => {
    const js = write('h.js', 'module.exports = () => undefined;');
    assert.deepEqual(await prepareHandler(js, dir, out), { ok: true, module: js, source: js });
  });

  it("compiles a TypeScript handler with the workspace's esbuild, keeping the file name", async () => {
    const ts = write(
      'typed.ts',
      'import type { KisHandler } from "./kis-handler";\nconst h: KisHandler = (r) => { (globalThis as any).__typed = r.symbol; };\nexport default h;\n',
    );
    fs.copyFileSync(
      path.join(projectRoot(), 'media', 'handler', 'kis-handler.d.ts'),
      path.join(dir, 'kis-handler.d.ts'),
    );
    const prepared = await prepareHandler(ts, projectRoot(), out);
    assert.ok(prepared.ok, JSON.stringify(prepared));
    assert.equal(path.basename(prepared.module), 'typed.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(prepared.module) as { default: (r: { symbol: string }) => void };
    mod.default({ symbol: '005930' });
    assert.equal((globalThis as { __typed?: string }).__typed, '005930');
    delete (globalThis as { __typed?: string }).__typed;
  });

  it("falls back to the workspace's typescript (transpile only) when it has no esbuild", async () => {
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.symlinkSync(
      path.join(projectRoot(), 'node_modules', 'typescript'),
      path.join(dir, 'node_modules', 'typescript'),
      'dir',
    );
    const ts = write('plain.mts', 'const n: number = 41;\nexport default (): number => n + 1;\n');
    const prepared = await prepareHandler(ts, dir, out);
    assert.ok(prepared.ok, JSON.stringify(prepared));
    assert.equal(path.basename(prepared.module), 'plain.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    assert.equal((require(prepared.module) as { default: () => number }).default(), 42);
    assert.match(fs.readFileSync(prepared.module, 'utf8'), /sourceMappingURL=data:/);
  });

  it('says what to install when the workspace has no TypeScript compiler', async () => {
    const ts = write('h.ts', 'export default () => undefined;');
    const prepared = await prepareHandler(ts, dir, out);
    assert.equal(prepared.ok, false);
    assert.ok(!prepared.ok && prepared.code === 'NO_COMPILER' && /esbuild/.test(prepared.message));
  });

  it('reports a TypeScript syntax error as COMPILE_FAILED with the position', async () => {
    const ts = write('broken.ts', 'export default (r) => {\n  if (r.symbol === ) return;\n};\n');
    const prepared = await prepareHandler(ts, projectRoot(), out);
    assert.ok(!prepared.ok && prepared.code === 'COMPILE_FAILED', JSON.stringify(prepared));
    assert.match(prepared.message, /broken\.ts:2/);
  });

  it("a compiled TypeScript handler's error names the .ts file and line (source map)", async () => {
    const ts = write(
      'thrower.ts',
      'interface Unused { a: number }\ntype Also = Unused;\nexport default (r: { symbol: string }): void => {\n  if (r.symbol === "BAD") throw new Error("typed boom");\n};\n',
    );
    const prepared = await prepareHandler(ts, projectRoot(), out);
    assert.ok(prepared.ok);
    const host = new WorkerHost({ snapshotIntervalMs: 20, userHandlers: [prepared.module] });
    try {
      const reported = waitForEvent<[HandlerErrorEvent]>(host, 'handlerError', () => true, 'handlerError');
      host.push([frame('H0STCNT0', [tradeOf('BAD', 1)])]);
      const [event] = await reported;
      assert.equal(event.message, 'typed boom');
      assert.match(event.stack ?? '', /thrower\.ts:4:\d+/, `stack: ${event.stack}`);
    } finally {
      await host.dispose();
    }
  });

  it('the feed runs the handlers in its worker and reloads one in place: no reconnect, no restart, v1 then v2', async () => {
    const seen = path.join(dir, 'seen.txt');
    const body = (tag: string): string =>
      `const fs = require('node:fs');\nmodule.exports = (r) => { if (r.trId === 'H0STCNT0') fs.appendFileSync(${JSON.stringify(seen)}, '${tag}\\n'); };\n`;
    const file = write('counter.js', body('v1'));
    const handlers = new FeedHandlers();
    const problems: HandlerProblem[] = [];
    handlers.onProblem((p) => problems.push(p));
    handlers.set([{ module: file, source: file }]);
    const feed = new MarketFeed({
      settings: (): Settings => parseSettings({ exchange: 'krx' }).settings, // the handler below writes on H0STCNT0 (KRX) records
      credentials: async () => undefined,
      store: { load: () => [], save: async () => undefined },
      log: new Logger(quiet),
      simulator: { tickIntervalMs: 10, ratePerSymbol: 50, seed: 7 },
      handlers,
    });
    try {
      await feed.add(['005930']);
      const calls = (): number => handlers.stats()[0]?.calls ?? 0;
      await until(() => calls() > 0, feed.onSnapshot, 'v1 calls');
      fs.writeFileSync(file, body('v2'));
      handlers.set([{ module: file, source: file }]);
      await until(
        () => handlers.stats()[0]?.version === 2 && fs.readFileSync(seen, 'utf8').includes('v2'),
        feed.onSnapshot,
        'v2 running',
      );
      const lines = fs.readFileSync(seen, 'utf8').trim().split('\n');
      const firstV2 = lines.indexOf('v2');
      assert.ok(firstV2 > 0 && lines.slice(firstV2).every((l) => l === 'v2'), 'v1 until the swap, v2 after it');
      assert.equal(feed.agentStats()?.reconnects, 0);
      assert.equal(feed.workerStats()?.workerRestarts, 0);
      assert.equal(handlers.stats()[0].path, file);
      // A throw is reported under the handler's source with its own stack.
      fs.writeFileSync(file, 'module.exports = () => { throw new Error("from the editor"); };\n');
      handlers.set([{ module: file, source: file }]);
      await until(() => problems.length > 0, feed.onSnapshot, 'a problem');
      assert.equal(problems[0].handler, file);
      assert.match(problems[0].stack ?? '', /counter\.js:1:/);
      handlers.report({ handler: 'x.ts', message: 'NO_COMPILER: install esbuild' });
      assert.equal(problems.at(-1)?.message, 'NO_COMPILER: install esbuild');
    } finally {
      await feed.dispose();
      handlers.dispose();
    }
  });
});
