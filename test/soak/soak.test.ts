/**
 * Soak (`npm run soak`; not part of `npm test`): a steady load with a forced drop every interval, set up
 * as the extension runs it. The agent and its worker host must come back with every registration after
 * each drop, and RSS, heap, handles and subscriptions must stay flat; the test fails on growth.
 *
 * - KisSimulator in its own process (bench/simProcess.ts, as the benchmarks run it), so only the client side is measured.
 * - KisAgent → WorkerHost, 30 watchlist symbols planned as the session plans them (30 trades + 11 order
 *   books = the 41-registration budget), each stream at `KIS_SOAK_RATE` records/s.
 * - Every `KIS_SOAK_DROP_SECONDS` the simulator ends every session, alternating `dropAll()` (no close
 *   frame, 1006) and `closeAll()` (1000); the agent must reopen and resubscribe all 41.
 * - Every `KIS_SOAK_SAMPLE_SECONDS` a sample: RSS, heap after `global.gc()`, active handles by type,
 *   agent and worker-host counters. The run is judged by test/soak/analysis.ts; the samples go to
 *   bench/soak-results.json and a table is printed.
 *
 * Environment: KIS_SOAK_MINUTES (default 10, fractions allowed), KIS_SOAK_DROP_SECONDS (60),
 * KIS_SOAK_SAMPLE_SECONDS (5), KIS_SOAK_RATE (records/s per stream, 150), KIS_SOAK_WARMUP_SECONDS
 * (default the smaller of 120 s and a fifth of the run).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { KisAgent, type StateChange } from '../../src/agent';
import { planSubscriptions, SESSION_BUDGET } from '../../src/feed/plan/subscriptionPlan';
import { CATALOGUE } from '../../src/market/catalogue';
import { WorkerHost } from '../../src/worker/host';
import { projectRoot } from '../unit/worker/helpers';
import { analyse, countByType, type DropRecord, type SoakBounds } from './analysis';
import { formatReport } from './report';
import { SoakSampler } from './sampler';
import { startSim, type SimHandle } from '../../bench/support/simProcess';

const APPKEY = 'PSsoakTestAppKey0000000000000000000001';
const APPSECRET =
  'soak-test-secret-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklm';

/** Watchlist size whose plan fills the budget with both TRs: 30 trades + 11 order books = 41. */
const WATCHLIST_SIZE = 30;
/** PINGPONG period of simulator and agent: short, so every session exchanges several (live: ~110 s). */
const PING_INTERVAL_MS = 10_000;
/**
 * How long one drop may take to be fully repaired. The agent's backoff ceiling is 30 s (a session that
 * stayed open under a minute does not reset it), plus 41 acks: a minute is the longest legitimate wait.
 */
const RESUBSCRIBE_TIMEOUT_MS = 60_000;

/**
 * The growth the late window may show over the early one. Why these numbers:
 * - Heap after a full GC is what the main thread retains. The agent's retained state is bounded by
 *   design (41 registrations, a 256-sample RTT window, per-symbol timestamps), the worker host's too
 *   (quotes per symbol, up to 600 one-minute bars per symbol, an in-flight window drained every 100 ms
 *   snapshot). What must be caught: a leak per record (at ~6,000 records/s even 50 bytes per record is
 *   ~18 MB/min) and a leak per drop (a retained socket with its listeners and buffers, 0.1–1 MB each).
 *   Measured on a clean 10-minute run (2026-11-25): late − early 0.21 MB, slope 0.04 MB/min, and
 *   post-GC samples differ by 0.1–0.2 MB from one to the next. So: growth ≤ 1 MB (five times the clean
 *   figure; a 0.1 MB-per-drop leak over the ~5 drops between the windows reaches half of it, 1 MB per
 *   drop fails at once) and a slope ≤ 0.5 MB/min (12 times the clean figure).
 * - RSS also holds the worker thread's heap, which this thread cannot collect, and V8 grows its spaces
 *   in steps of several MB (a 6 MB step at 530 s in the clean run; late − early 4.2 MB, 0.81 MB/min), so
 *   it gets coarser bounds that still catch a per-record leak on the worker thread, which the main heap
 *   would not show: ≤ 25 MB late vs early, ≤ 3 MB/min.
 * - A slope fitted over less than 3 minutes of 5 s samples is noise of the order of these bounds (0.2
 *   and 0.9 MB/min of heap in clean 1- and 0.4-minute runs), so short runs report the slopes and are
 *   judged by the window growth, the handles and the counters.
 */
const BOUNDS: SoakBounds = {
  heapGrowthMB: 1,
  heapSlopeMBPerMin: 0.5,
  rssGrowthMB: 25,
  rssSlopeMBPerMin: 3,
  minSlopeSpanMin: 3,
};

interface SoakConfig {
  minutes: number;
  dropSeconds: number;
  sampleSeconds: number;
  ratePerStream: number;
  warmupSeconds: number;
}

function positiveEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

function readConfig(): SoakConfig {
  const minutes = positiveEnv('KIS_SOAK_MINUTES', 10);
  return {
    minutes,
    dropSeconds: positiveEnv('KIS_SOAK_DROP_SECONDS', 60),
    sampleSeconds: positiveEnv('KIS_SOAK_SAMPLE_SECONDS', 5),
    ratePerStream: positiveEnv('KIS_SOAK_RATE', 150),
    warmupSeconds: positiveEnv('KIS_SOAK_WARMUP_SECONDS', Math.min(120, minutes * 12)),
  };
}

/** Resolves in the check phase of the next event-loop iteration. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Resolves once the session that is open now has ended and a new one is open with `want` registrations
 * acknowledged and nothing pending, judged on the agent's own events; rejects after `timeoutMs` or
 * when the agent stops. Call it before triggering the drop, so no event is missed.
 */
function waitForResubscribed(
  agent: KisAgent,
  want: number,
  timeoutMs: number,
): { reopened: Promise<number>; done: Promise<number>; cancel: () => void } {
  const started = performance.now();
  let cancel = (): void => undefined;
  let ended = false;
  let reopenedAt: number | undefined;
  let resolveReopened!: (ms: number) => void;
  const reopened = new Promise<number>((resolve) => (resolveReopened = resolve));
  const done = new Promise<number>((resolve, reject) => {
    const cleanup = (): void => {
      clearTimeout(timer);
      agent.off('state', onState);
      agent.off('ack', onAck);
    };
    // For a drop that itself failed: nothing will come, so no timer or listener may stay behind.
    cancel = cleanup;
    const check = (): void => {
      if (!ended || agent.state !== 'open') return;
      const stats = agent.stats();
      if (stats.subscriptionsUsed === want && agent.pendingRequests() === 0) {
        cleanup();
        resolve(performance.now() - started);
      }
    };
    const onState = (change: StateChange): void => {
      if (change.from === 'open') ended = true;
      if (ended && change.to === 'open' && reopenedAt === undefined) {
        reopenedAt = performance.now() - started;
        resolveReopened(reopenedAt);
      }
      if (change.to === 'stopped') {
        cleanup();
        reject(new Error(`the agent stopped during the soak: ${change.reason ?? 'no reason given'}`));
        return;
      }
      check();
    };
    const onAck = (): void => check();
    const timer = setTimeout(() => {
      cleanup();
      const stats = agent.stats();
      reject(
        new Error(
          `not resubscribed ${timeoutMs} ms after the drop: state ${stats.state}, ${stats.subscriptionsUsed}/${want} registrations, ` +
            `${stats.pendingRequests ?? 0} pending, last error ${stats.lastError ?? 'none'}`,
        ),
      );
    }, timeoutMs);
    agent.on('state', onState);
    agent.on('ack', onAck);
  });
  return { reopened, done, cancel: () => cancel() };
}

describe('soak: steady load with a forced drop every interval', function () {
  this.timeout(0);
  let sim: SimHandle | undefined;
  let agent: KisAgent | undefined;
  let host: WorkerHost | undefined;
  let sampler: SoakSampler | undefined;

  async function tearDown(): Promise<void> {
    sampler?.stop();
    sampler = undefined;
    await agent?.dispose();
    await host?.dispose();
    await sim?.close();
    agent = host = sim = undefined;
  }

  afterEach(tearDown);

  it('keeps RSS, heap, handles and the 41 subscriptions flat, and drops no trade', async () => {
    const gc = global.gc;
    assert.ok(gc !== undefined, 'global.gc is missing: run under node --expose-gc (npm run soak does)');
    const config = readConfig();
    // The baseline is read after one event-loop turn: mocha arms its own per-test timer only once the
    // test function has returned its promise, and that timer must be in the baseline, not counted as ours.
    await nextTurn();
    const handlesBefore = countByType(process.getActiveResourcesInfo());
    console.log(
      `soak: ${config.minutes} min, a drop every ${config.dropSeconds} s, ${config.ratePerStream} records/s per stream, sample every ${config.sampleSeconds} s, warm-up ${config.warmupSeconds} s`,
    );

    const s = (sim = await startSim(
      { port: 0, ratePerSymbol: config.ratePerStream, pingIntervalMs: PING_INTERVAL_MS, sendLogLimit: 0 },
      false,
    ));
    const h = (host = new WorkerHost({ snapshotIntervalMs: 100 }));
    // As the session builds it (src/feed/marketFeed.ts): default backoff, maxInFlight 1 (the setting's default).
    const a = (agent = new KisAgent({
      wsUrl: s.wsUrl,
      restUrl: s.restUrl,
      appkey: APPKEY,
      appsecret: APPSECRET,
      sink: h,
      pingIntervalMs: PING_INTERVAL_MS,
    }));
    const errors: string[] = [];
    a.on('error', (event) => errors.push(`${event.code}: ${event.message}`));
    const workerRestarts: string[] = [];
    h.on('restart', (event) => workerRestarts.push(event.reason));
    await a.connect();
    const watchlist = CATALOGUE.slice(0, WATCHLIST_SIZE).map((entry) => entry.code);
    const plan = planSubscriptions(watchlist, SESSION_BUDGET);
    assert.equal(plan.length, SESSION_BUDGET);
    // The session asks for all of them at once; the agent serialises them by ack.
    await Promise.all(plan.map((p) => a.subscribe(p.trId, p.trKey)));
    assert.equal(a.stats().subscriptionsUsed, SESSION_BUDGET);

    const samples = (sampler = new SoakSampler(a, h, SESSION_BUDGET, gc));
    samples.start(config.sampleSeconds * 1000);
    const drops: DropRecord[] = [];
    const endAt = config.minutes * 60;
    // Kept until the samples are saved: a run that fails half-way is the one whose samples matter most.
    let runError: unknown;
    try {
      // The next drop comes a full interval after the previous one was repaired, so every session stays
      // open at least that long (with the default minute, long enough to reset the agent's backoff, as a
      // live session would between two KIS drops).
      let nextDropAt = config.dropSeconds;
      for (let i = 0; nextDropAt < endAt; i++) {
        // The drop schedule is the load profile (a timer), not a wait for something to happen.
        await delay((nextDropAt - samples.elapsedSec()) * 1000);
        const kind = i % 2 === 0 ? 'dropAll (1006)' : 'closeAll (1000)';
        const at = samples.elapsedSec();
        const wait = waitForResubscribed(a, SESSION_BUDGET, RESUBSCRIBE_TIMEOUT_MS);
        try {
          await (i % 2 === 0 ? s.drop() : s.drop({ code: 1000, reason: 'soak' }));
        } catch (error) {
          wait.cancel();
          throw error;
        }
        const [reopenMs, resubscribeMs] = await Promise.all([wait.reopened, wait.done]);
        drops.push({ t: at, kind, reopenMs, resubscribeMs, reconnectsAfter: a.stats().reconnects });
        nextDropAt = samples.elapsedSec() + config.dropSeconds;
      }
      const remaining = endAt - samples.elapsedSec();
      if (remaining > 0) await delay(remaining * 1000);
    } catch (error) {
      runError = error;
    }
    samples.stop();
    samples.take();

    const simStats = await s.stats();
    const finalAgent = a.stats();
    const finalWorker = h.stats();
    let analysed: ReturnType<typeof analyse> | undefined;
    try {
      analysed = analyse(samples.samples, config.warmupSeconds, BOUNDS);
    } catch (error) {
      runError ??= error;
    }
    await tearDown();
    // A child process's and a socket's handles are closed by libuv in the close phase after their 'exit' /
    // 'close' events; two turns guarantee a close phase has run. This waits on the loop's phases, not on time.
    await nextTurn();
    await nextTurn();
    const handlesAfter = countByType(process.getActiveResourcesInfo());

    const results = {
      finishedAt: new Date().toISOString(),
      config,
      bounds: BOUNDS,
      error: runError === undefined ? undefined : String(runError),
      figures: analysed?.figures,
      failures: analysed?.failures,
      drops,
      agentErrors: errors,
      workerRestarts,
      final: {
        agent: {
          reconnects: finalAgent.reconnects,
          records: finalAgent.records,
          parseErrors: finalAgent.parseErrors,
          handlerErrors: finalAgent.handlerErrors,
          pingpongs: finalAgent.pingpongs,
        },
        worker: {
          records: finalWorker.records,
          dropped: finalWorker.dropped,
          coalesced: finalWorker.coalesced,
          workerRestarts: finalWorker.workerRestarts,
        },
        simulator: { totalRecordsSent: simStats.totalRecordsSent, rssMB: simStats.rssBytes / (1024 * 1024) },
      },
      handlesBefore,
      handlesAfter,
      samples: samples.samples,
    };
    fs.writeFileSync(path.join(projectRoot(), 'bench', 'soak-results.json'), JSON.stringify(results, null, 2) + '\n');
    if (analysed !== undefined)
      for (const line of formatReport(samples.samples, drops, analysed.figures)) console.log(line);
    console.log(
      `records: agent ${finalAgent.records}, worker ${finalWorker.records}, simulator sent ${simStats.totalRecordsSent}; ` +
        `reconnects ${finalAgent.reconnects}, PINGPONGs ${finalAgent.pingpongs}, parse errors ${finalAgent.parseErrors}, agent errors ${errors.length}, worker restarts ${workerRestarts.length}`,
    );
    console.log(
      `handles before setup: ${JSON.stringify(handlesBefore)}; after teardown: ${JSON.stringify(handlesAfter)}`,
    );

    if (runError !== undefined) throw runError;
    assert.ok(analysed !== undefined);
    assert.deepEqual(analysed.failures, [], analysed.failures.join('\n'));
    if (endAt > config.dropSeconds)
      assert.ok(drops.length >= 1, 'the run was long enough for a drop, yet none happened');
    assert.equal(finalAgent.reconnects, drops.length, 'one reconnect per forced drop, no other');
    assert.equal(finalAgent.parseErrors, 0);
    assert.equal(finalAgent.handlerErrors, 0);
    assert.equal(finalWorker.dropped, 0);
    assert.equal(finalWorker.workerRestarts, 0, `worker restarts: ${workerRestarts.join('; ')}`);
    // Nothing the run built outlives it: every handle type is back to its count before the setup.
    for (const [type, n] of Object.entries(handlesAfter))
      assert.ok(
        n <= (handlesBefore[type] ?? 0),
        `${n} ${type} handles after teardown, ${handlesBefore[type] ?? 0} before`,
      );
  });
});
