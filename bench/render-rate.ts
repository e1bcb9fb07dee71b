/**
 * Render rate: how often the views are asked to redraw as the tick rate grows, and what the extension
 * host pays for it. KisSimulator (in a child process) streams trades of 41 symbols (the session budget)
 * at a total of 100, 4,100 (41 × 100), 10,000 and 100,000 records/s to KisAgent → WorkerHost. The host's
 * 'snapshot' events feed a real `TickerChannel` (src/views/ticker/tickerFeed.ts, the ticker webview's feed) whose
 * `post` JSON-serialises each message, as a webview `postMessage` does.
 *
 * Figures per rate: records/s actually received, worker snapshots/s, ticker posts/s and KB/s posted,
 * extension-host CPU in ms per second (process.cpuUsage: main thread + worker thread), and the event-loop
 * utilisation of the main thread and of the worker thread separately.
 * Baselines: the snapshot limit (1000 / snapshotIntervalMs = 10/s at the default 100 ms), which the
 * snapshot and post rates must not exceed whatever the tick rate (ratios <= 1), and the same session
 * subscribed with (almost) no data for the CPU figure (idle CPU ms/s).
 */
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { TickerChannel } from '../src/views/ticker/tickerFeed';
import { MarketModel } from '../src/feed/model/readModel';
import type { ExtensionToWebview, TickerStrings } from '../src/shared/webviewProtocol';
import { LoadWatch } from './support/load';
import { machineInfo, round, type BenchOptions, type BenchResult } from './support/common';
import { benchSymbols, Pipeline, until } from './support/pipeline';
import { startSim } from './support/simProcess';

/** Total records/s to measure at (41 symbols share it evenly). */
const RATES = [100, 4_100, 10_000, 100_000];
/** The CPU figure the issue asks for: 41 symbols × 100 records/s. */
const CPU_RATE = 4_100;
const SYMBOLS = 41;
/** The worker's default snapshot interval, hence the most snapshots per second the views may see. */
const SNAPSHOT_INTERVAL_MS = 100;
const LIMIT_PER_SEC = 1000 / SNAPSHOT_INTERVAL_MS;
/** Rate per symbol that is "no data": one record at start, then one per ~1000 s. */
const IDLE_RATE = 0.001;

const STRINGS: TickerStrings = {
  emptyTitle: 'No symbols',
  emptyHint: 'Subscribe to a symbol',
  unsubscribe: 'Unsubscribe',
  openPanel: 'Open in panel',
  name: 'Name',
  last: 'Last',
  change: 'Change',
  volume: 'Volume',
  bid: 'Bid',
  ask: 'Ask',
  halted: 'Halted',
  noBars: 'No bars yet',
  attribution: 'Charts by TradingView Lightweight Charts',
  viewMinute: '1m',
  viewDaily: '1D',
  historyLoading: 'Loading history…',
  historyUnavailable: 'History unavailable',
  historyDay: 'Last trading day: {0}',
  weekdays: 'Sun Mon Tue Wed Thu Fri Sat',
  historyNoUs: 'No minute history for US stocks',
  vwap: 'VWAP',
  strength: 'Str',
  volumeRatio: 'Vol%',
  orderBook: 'Order book',
  askSize: 'Ask size',
  price: 'Price',
  bidSize: 'Bid size',
  total: 'Total',
  imbalance: 'Imbalance {0}',
  expected: 'Expected',
  crossedBook: 'Crossed book',
  fewerLevels: 'Fewer levels',
  lastTrade: 'last trade',
  venueUnified: 'KRX+NXT',
};

interface Window {
  seconds: number;
  records: number;
  snapshots: number;
  posts: number;
  postedBytes: number;
  cpuMsPerSec: number;
  mainElu: number;
  workerElu: number;
}

/** Counts what happens over `ms` of wall time. */
async function observe(
  pipe: Pipeline,
  counters: { snapshots: number; posts: number; bytes: number },
  ms: number,
): Promise<Window> {
  const worker = pipe.host.currentWorker;
  const before = {
    records: pipe.agentRecords,
    snapshots: counters.snapshots,
    posts: counters.posts,
    bytes: counters.bytes,
  };
  const cpu = process.cpuUsage();
  const mainElu = performance.eventLoopUtilization();
  const workerElu: EventLoopUtilization | undefined = worker?.performance.eventLoopUtilization();
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    seconds,
    records: (pipe.agentRecords - before.records) / seconds,
    snapshots: (counters.snapshots - before.snapshots) / seconds,
    posts: (counters.posts - before.posts) / seconds,
    postedBytes: (counters.bytes - before.bytes) / seconds,
    cpuMsPerSec: (used.user + used.system) / 1000 / seconds,
    mainElu: performance.eventLoopUtilization(mainElu).utilization,
    workerElu:
      worker !== undefined && workerElu !== undefined
        ? worker.performance.eventLoopUtilization(workerElu).utilization
        : Number.NaN,
  };
}

/** Runs the session at each rate and reports snapshots/s and CPU. */
export async function run(options: BenchOptions): Promise<BenchResult[]> {
  const warmMs = options.quick ? 250 : 2000;
  const windowMs = options.quick ? 600 : 5000;
  const load = new LoadWatch();
  const symbols = benchSymbols(SYMBOLS);
  const sim = await startSim({ symbols, ratePerSymbol: IDLE_RATE, sendLogLimit: 0 });
  const pipe = new Pipeline(sim.wsUrl, sim.restUrl, { snapshotIntervalMs: SNAPSHOT_INTERVAL_MS });
  const counters = { snapshots: 0, posts: 0, bytes: 0 };
  // The extension's feed applies every snapshot to its read model before the views read it.
  const model = new MarketModel();
  const channel = new TickerChannel({
    surface: 'view',
    market: model,
    post: (message: ExtensionToWebview) => {
      if (message.type === 'snapshot') {
        counters.posts++;
        counters.bytes += JSON.stringify(message).length;
      }
      return true;
    },
    state: () => ({
      symbols,
      quotes: pipe.host.quotes(),
      bars: [],
      books: [],
      names: {},
      colorConvention: 'korean',
    }),
    strings: STRINGS,
    onRequest: () => undefined,
    onInvalid: (reason) => {
      throw new Error(`ticker channel refused a message: ${reason}`);
    },
    onError: (error) => {
      throw error instanceof Error ? error : new Error(String(error));
    },
  });
  pipe.host.on('snapshot', (snapshot) => {
    counters.snapshots++;
    model.applySnapshot(snapshot);
    channel.push(snapshot);
  });
  const results: BenchResult[] = [];
  try {
    await pipe.open(symbols);
    channel.setVisible(true);
    channel.receive({ type: 'ready' });
    if (!channel.isLive) throw new Error('the ticker channel did not go live');
    await until(() => pipe.agentRecords >= SYMBOLS, 'the first record of every symbol', 5000);
    const windows = new Map<number, Window>();
    for (const rate of RATES) {
      await sim.setRate(rate / SYMBOLS);
      await new Promise((resolve) => setTimeout(resolve, warmMs));
      windows.set(rate, await observe(pipe, counters, windowMs));
    }
    // Baseline, measured last so start-up work (module loading, JIT, first GCs) is not in it: the same
    // session, subscribed and connected, with no data.
    await sim.setRate(IDLE_RATE);
    await new Promise((resolve) => setTimeout(resolve, warmMs));
    const idle = await observe(pipe, counters, windowMs);
    const stats = pipe.host.stats();
    const low = windows.get(RATES[0]) as Window;
    const high = windows.get(RATES[RATES.length - 1]) as Window;
    const cpuWindow = windows.get(CPU_RATE) as Window;
    const figures: Record<string, number> = {};
    for (const [rate, w] of windows) {
      const k = rate >= 1000 ? `${rate / 1000}k` : String(rate);
      figures[`at${k}.recordsPerSec`] = w.records;
      figures[`at${k}.snapshotsPerSec`] = w.snapshots;
      figures[`at${k}.tickerPostsPerSec`] = w.posts;
      figures[`at${k}.tickerKBPerSec`] = w.postedBytes / 1024;
      figures[`at${k}.cpuMsPerSec`] = w.cpuMsPerSec;
      figures[`at${k}.mainThreadElu`] = w.mainElu;
      figures[`at${k}.workerThreadElu`] = w.workerElu;
    }
    figures.dropped = stats.dropped;
    const maxSnapshots = Math.max(...[...windows.values()].map((w) => w.snapshots));
    const maxPosts = Math.max(...[...windows.values()].map((w) => w.posts));
    const notes = [
      `41 symbols, KisSimulator ${sim.mode === 'process' ? 'in a child process' : 'in this process'}; ${round(windowMs / 1000, 1)} s per window after ${round(warmMs / 1000, 1)} s of warm-up`,
      maxSnapshots <= LIMIT_PER_SEC * 1.05 && maxPosts <= LIMIT_PER_SEC * 1.05
        ? `target met: at most ${round(maxSnapshots, 1)} snapshots/s and ${round(maxPosts, 1)} ticker posts/s at any rate (limit ${LIMIT_PER_SEC}/s)`
        : `TARGET MISSED: ${round(maxSnapshots, 1)} snapshots/s, ${round(maxPosts, 1)} ticker posts/s (limit ${LIMIT_PER_SEC}/s)`,
      `extension host at 41 × 100 records/s: ${round(cpuWindow.cpuMsPerSec, 1)} ms CPU per second (idle ${round(idle.cpuMsPerSec, 1)}), main-thread ELU ${round(cpuWindow.mainElu * 100, 1)} %, worker ELU ${round(cpuWindow.workerElu * 100, 1)} %`,
    ];
    notes.push(
      `at 100 records/s each symbol ticks ~2.4 times a second and the 41 streams' clocks are often in step, so records come in bursts and snapshots (${round(low.snapshots, 1)}/s) can stay below the limit`,
      load.note(),
    );
    if (high.records < RATES[RATES.length - 1] * 0.9) {
      notes.push(
        `the top rate reached ${Math.round(high.records).toLocaleString('en-US')} records/s, not ${RATES[RATES.length - 1].toLocaleString('en-US')}: the simulator's timer streams (or this machine) cannot go faster`,
      );
    }
    results.push({
      name: 'render-rate',
      figures,
      baseline: {
        snapshotLimitPerSec: LIMIT_PER_SEC,
        idleCpuMsPerSec: idle.cpuMsPerSec,
        idleSnapshotsPerSec: idle.snapshots,
      },
      ratio: {
        // The headline: the most the views were asked to draw per second, over the limit (<= 1 is right).
        maxSnapshotsVsLimit: maxSnapshots / LIMIT_PER_SEC,
        maxTickerPostsVsLimit: maxPosts / LIMIT_PER_SEC,
        snapshotsTopVsLowRate: high.snapshots / low.snapshots,
        cpuAt4100VsIdle: cpuWindow.cpuMsPerSec / idle.cpuMsPerSec,
      },
      notes,
      machine: machineInfo(),
    });
  } finally {
    channel.dispose();
    await pipe.dispose();
    await sim.close();
  }
  return results;
}
