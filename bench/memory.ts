/**
 * Memory: RSS and heap of the extension-host side before and after 10 million trade records (quick:
 * 1 million; fewer when the blasts do not fit in 300 s, quick 6 s, and the result says so)
 * end to end through KisAgent → WorkerHost (records handled on the worker thread), with a
 * forced GC before each reading.
 *
 * The measurement runs in a child `node --expose-gc out/bench/memory.js --child <records>` so that
 * `global.gc` exists and nothing the other benchmarks left behind is counted. The records come from the
 * wire-speed sender (bench/wireServer.ts) in a third process, ten per frame, in ten blasts, so
 * the sender's own memory is not in the figures either.
 *
 * Figures: RSS, heapUsed, external + arrayBuffers before (after a warm-up of 1 million records; quick: 60,000) and after;
 * growth per million records as the least-squares slope of heapUsed (and RSS) over the readings taken
 * after every blast, which says more about a leak than one end-minus-start difference. Target: growth
 * under 5 MB per 10 million records. heapUsed is the main thread's heap only: the worker thread has its
 * own V8 heap, which is part of RSS (and collected by V8 on its own).
 */
import { fork } from 'node:child_process';
import { LoadWatch } from './support/load';
import { machineInfo, round, type BenchOptions, type BenchResult } from './support/common';
import { benchSymbols, Pipeline, TRADE } from './support/pipeline';
import { startWire } from './support/simProcess';

const MB = 1024 * 1024;
/** Blasts per run (one reading after each). */
const CHUNKS = 10;
/** Records before the first reading (JIT, pools and the worker's maps settle); also measures the rate. */
const WARM_UP = { quick: 60_000, full: 1_000_000 };
const PER_FRAME = 10;
/** Target: less than this many MB per 10 million records. */
const TARGET_MB_PER_10M = 5;
/** A blast must finish within this (a stuck pipeline fails instead of hanging). */
const CHUNK_TIMEOUT_MS = 120_000;

/** One memory reading, in bytes. */
interface Reading {
  records: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

/** What the child reports. */
interface ChildReport {
  /** Records measured (the requested total, or fewer when the time budget would not allow it). */
  total: number;
  readings: Reading[];
  dropped: number;
  sent: number;
  workerRecords: number;
  workerTrades: number;
  seconds: number;
}

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  // Two passes: the first can leave objects that only become unreachable after finalisers ran.
  gc();
  gc();
}

function read(records: number): Reading {
  collect();
  const m = process.memoryUsage();
  return { records, rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external + m.arrayBuffers };
}

/** Least-squares slope of y over x. */
function slope(points: readonly [number, number][]): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return num / den;
}

/** The child: pushes `total` records through agent + worker and reports the readings. */
async function child(requested: number, warmUp: number, budgetSec: number): Promise<ChildReport> {
  const wire = await startWire(false);
  const symbol = benchSymbols(1)[0];
  const pipe = new Pipeline(wire.wsUrl, wire.restUrl);
  const started = Date.now();
  try {
    await pipe.open([symbol]);
    await wire.blast(TRADE, symbol, warmUp, PER_FRAME);
    await pipe.workerReached(warmUp, CHUNK_TIMEOUT_MS);
    const readings: Reading[] = [read(0)];
    let done = 0;
    const chunk = Math.ceil(requested / CHUNKS);
    // A slow pipeline (or a busy machine) gets fewer records rather than a suite over its time limit:
    // no new blast starts once the budget is spent (at least two, for a slope).
    const deadline = Date.now() + budgetSec * 1000;
    while (done < requested && (readings.length < 3 || Date.now() < deadline)) {
      const n = Math.min(chunk, requested - done);
      await wire.blast(TRADE, symbol, n, PER_FRAME);
      done += n;
      await pipe.workerReached(warmUp + done, CHUNK_TIMEOUT_MS);
      readings.push(read(done));
    }
    const stats = await wire.stats();
    return {
      total: done,
      readings,
      dropped: pipe.host.stats().dropped,
      sent: stats.totalRecordsSent,
      workerRecords: pipe.host.stats().records,
      workerTrades: pipe.host.latest(symbol)?.trades ?? 0,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await pipe.dispose();
    await wire.close();
  }
}

/** Spawns the measuring child and builds the result. */
export async function run(options: BenchOptions): Promise<BenchResult> {
  const requested = options.quick ? 1_000_000 : 10_000_000;
  const budgetSec = options.quick ? 6 : 300;
  const load = new LoadWatch();
  const report = await new Promise<ChildReport>((resolve, reject) => {
    const warmUp = options.quick ? WARM_UP.quick : WARM_UP.full;
    const proc = fork(__filename, ['--child', String(requested), String(warmUp), String(budgetSec)], {
      execArgv: ['--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let got: ChildReport | undefined;
    proc.on('message', (message: unknown) => {
      got = message as ChildReport;
    });
    proc.once('error', reject);
    proc.once('exit', (code) =>
      got !== undefined ? resolve(got) : reject(new Error(`memory child exited with code ${code} and no report`)),
    );
  });
  const total = report.total;
  const before = report.readings[0];
  const after = report.readings[report.readings.length - 1];
  const heapPerMillion = slope(report.readings.map((r) => [r.records / 1e6, r.heapUsed / MB]));
  const rssPerMillion = slope(report.readings.map((r) => [r.records / 1e6, r.rss / MB]));
  const heapGrowth = (after.heapUsed - before.heapUsed) / MB;
  const per10M = (heapGrowth / (total / 1e6)) * 10;
  // The target is judged on the slope (a trend over eleven readings), which one noisy GC cannot swing;
  // and on the end-minus-start growth too, so a leak cannot hide in either.
  const slopePer10M = heapPerMillion * 10;
  const worst = Math.max(per10M, slopePer10M);
  const exact = report.sent === report.workerRecords && report.sent === report.workerTrades;
  const notes = [
    `${(total / 1e6).toLocaleString('en-US')} million records end to end (wire-speed sender in its own process → KisAgent → WorkerHost), ten per frame, a reading after gc() every tenth`,
    `${worst < TARGET_MB_PER_10M ? 'target met' : 'TARGET MISSED'}: heap grew ${round(heapGrowth, 2)} MB over ${total / 1e6} M records; per 10 M: ${round(per10M, 2)} MB end-minus-start, ${round(slopePer10M, 2)} MB by the slope (target < ${TARGET_MB_PER_10M})`,
    `RSS includes the worker thread's heap, which this process cannot force-collect; heapUsed is the main thread's`,
    exact && report.dropped === 0
      ? `end to end exact: ${report.sent} records sent, handled and counted as trades; dropped 0`
      : `END-TO-END MISMATCH: sent ${report.sent}, worker records ${report.workerRecords}, trades ${report.workerTrades}, dropped ${report.dropped}`,
    load.note(),
  ];
  if (total < requested) {
    notes.push(
      `REDUCED: ${(total / 1e6).toLocaleString('en-US')} M records instead of ${requested / 1e6} M, to stay within ${budgetSec} s (no blast starts after that)`,
    );
  }
  return {
    name: 'memory',
    figures: {
      records: total,
      rssAfterMB: after.rss / MB,
      heapUsedAfterMB: after.heapUsed / MB,
      externalAfterMB: after.external / MB,
      heapGrowthMB: heapGrowth,
      rssGrowthMB: (after.rss - before.rss) / MB,
      heapSlopeMBPerMillion: heapPerMillion,
      rssSlopeMBPerMillion: rssPerMillion,
      heapGrowthMBPer10M: per10M,
      heapSlopeMBPer10M: slopePer10M,
      dropped: report.dropped,
      endToEndExact: exact ? 1 : 0,
      seconds: report.seconds,
    },
    baseline: {
      rssBeforeMB: before.rss / MB,
      heapUsedBeforeMB: before.heapUsed / MB,
      externalBeforeMB: before.external / MB,
    },
    ratio: {
      rssAfterVsBefore: after.rss / before.rss,
      heapAfterVsBefore: after.heapUsed / before.heapUsed,
    },
    notes,
    machine: machineInfo(),
  };
}

if (require.main === module && process.argv[2] === '--child') {
  child(Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5])).then(
    (report) => {
      process.send?.(report, () => process.exit(0));
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
