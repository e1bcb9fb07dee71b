/**
 * What a soak sample holds, and the arithmetic that turns the samples into figures and verdicts: windows
 * after the warm-up, means, a least-squares slope, handle counts by type. Pure (no I/O, no clock).
 */

/** Counters of the agent at one sample (a subset of `AgentStats` plus its task tracker). */
export interface AgentSample {
  state: string;
  subscriptionsUsed: number;
  subscriptionsWanted: number;
  pendingRequests: number;
  trackedTasks: number;
  reconnects: number;
  records: number;
  parseErrors: number;
  handlerErrors: number;
}

/** Counters of the worker host at one sample. */
export interface WorkerSample {
  running: boolean;
  inFlight: number;
  queued: number;
  dropped: number;
  workerRestarts: number;
  records: number;
}

/** One reading, taken every few seconds by the sampling timer. */
export interface SoakSample {
  /** Seconds since the load started. */
  t: number;
  /** The session was open with every registration acknowledged and nothing pending (not mid-reconnect). */
  steady: boolean;
  /** Process RSS (MB; includes the worker thread's heap). */
  rssMB: number;
  /** Main-thread V8 heap in use right after a full `global.gc()` (MB). */
  heapUsedMB: number;
  heapTotalMB: number;
  externalMB: number;
  arrayBuffersMB: number;
  /** `process.getActiveResourcesInfo()` counted by type. */
  handles: Record<string, number>;
  agent: AgentSample;
  worker: WorkerSample;
  /** Records the agent received per second since the previous sample. */
  recordsPerSec: number;
}

/** One forced drop and how the agent came back. */
export interface DropRecord {
  /** Seconds since the load started. */
  t: number;
  kind: 'dropAll (1006)' | 'closeAll (1000)';
  /** From the command to the agent's state 'open' again (ms). */
  reopenMs: number;
  /** From the command to every registration acknowledged again (ms). */
  resubscribeMs: number;
  reconnectsAfter: number;
}

/** The limits the late window is held to (justified where they are chosen, in soak.test.ts). */
export interface SoakBounds {
  /** Late-window mean minus early-window mean of the heap after GC (MB). */
  heapGrowthMB: number;
  /** Least-squares slope of the heap after GC over every steady sample after the warm-up (MB/min). */
  heapSlopeMBPerMin: number;
  /** The slopes are judged only when the measured samples span at least this long (minutes). */
  minSlopeSpanMin: number;
  /** Late-window mean minus early-window mean of RSS (MB). */
  rssGrowthMB: number;
  /** Least-squares slope of RSS over every steady sample after the warm-up (MB/min). */
  rssSlopeMBPerMin: number;
}

/** The figures a soak run is judged by. */
export interface SoakFigures {
  samples: number;
  measuredSamples: number;
  earlyWindow: [number, number];
  lateWindow: [number, number];
  rssStartMB: number;
  rssEndMB: number;
  rssMaxMB: number;
  rssEarlyMeanMB: number;
  rssLateMeanMB: number;
  rssSlopeMBPerMin: number;
  heapStartMB: number;
  heapEndMB: number;
  heapEarlyMeanMB: number;
  heapLateMeanMB: number;
  heapSlopeMBPerMin: number;
  handlesStart: Record<string, number>;
  handlesEnd: Record<string, number>;
  handlesEarlyMax: Record<string, number>;
  handlesLateMax: Record<string, number>;
  trackedTasksEarlyMax: number;
  trackedTasksLateMax: number;
  /** Minutes between the first and the last measured sample. */
  measuredSpanMin: number;
  /** The span was long enough for the slopes to be held to their bounds (else they are only reported). */
  slopesJudged: boolean;
}

/** The arithmetic mean (NaN for no values). */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** The least-squares slope of y over x (0 when x does not vary). */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const mx = mean(xs);
  const my = mean(ys);
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/** Counts `process.getActiveResourcesInfo()`-style names by type. */
export function countByType(names: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of names) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

/** Per type, the largest count over `samples` (a type absent from a sample counts 0 there). */
export function maxHandles(samples: readonly SoakSample[]): Record<string, number> {
  const max: Record<string, number> = {};
  for (const sample of samples) {
    for (const [type, n] of Object.entries(sample.handles)) max[type] = Math.max(max[type] ?? 0, n);
  }
  return max;
}

/**
 * The figures of a run and what failed. The samples after `warmupSec` that were taken in a steady state
 * are split in three: the first third is the early window, the last third the late one. Growth is late
 * mean minus early mean; the slope is fitted over every measured sample, so a leak shows in both a
 * steady climb (slope) and a step (window means).
 */
export function analyse(
  samples: readonly SoakSample[],
  warmupSec: number,
  bounds: SoakBounds,
): { figures: SoakFigures; failures: string[] } {
  const failures: string[] = [];
  const measured = samples.filter((s) => s.steady && s.t >= warmupSec);
  if (measured.length < 6) {
    throw new Error(
      `only ${measured.length} steady samples after the ${warmupSec} s warm-up; run longer or sample more often`,
    );
  }
  const third = Math.floor(measured.length / 3);
  const early = measured.slice(0, third);
  const late = measured.slice(measured.length - third);
  const minutes = measured.map((s) => s.t / 60);
  const first = measured[0];
  const last = measured[measured.length - 1];
  const figures: SoakFigures = {
    samples: samples.length,
    measuredSamples: measured.length,
    earlyWindow: [early[0].t, early[early.length - 1].t],
    lateWindow: [late[0].t, late[late.length - 1].t],
    rssStartMB: first.rssMB,
    rssEndMB: last.rssMB,
    rssMaxMB: Math.max(...samples.map((s) => s.rssMB)),
    rssEarlyMeanMB: mean(early.map((s) => s.rssMB)),
    rssLateMeanMB: mean(late.map((s) => s.rssMB)),
    rssSlopeMBPerMin: slope(
      minutes,
      measured.map((s) => s.rssMB),
    ),
    heapStartMB: first.heapUsedMB,
    heapEndMB: last.heapUsedMB,
    heapEarlyMeanMB: mean(early.map((s) => s.heapUsedMB)),
    heapLateMeanMB: mean(late.map((s) => s.heapUsedMB)),
    heapSlopeMBPerMin: slope(
      minutes,
      measured.map((s) => s.heapUsedMB),
    ),
    handlesStart: first.handles,
    handlesEnd: last.handles,
    handlesEarlyMax: maxHandles(early),
    handlesLateMax: maxHandles(late),
    trackedTasksEarlyMax: Math.max(...early.map((s) => s.agent.trackedTasks)),
    trackedTasksLateMax: Math.max(...late.map((s) => s.agent.trackedTasks)),
    measuredSpanMin: (last.t - first.t) / 60,
    slopesJudged: (last.t - first.t) / 60 >= bounds.minSlopeSpanMin,
  };
  const heapGrowth = figures.heapLateMeanMB - figures.heapEarlyMeanMB;
  if (heapGrowth > bounds.heapGrowthMB)
    failures.push(
      `heap after GC grew ${heapGrowth.toFixed(2)} MB (late vs early window), bound ${bounds.heapGrowthMB} MB`,
    );
  if (figures.slopesJudged && figures.heapSlopeMBPerMin > bounds.heapSlopeMBPerMin) {
    failures.push(
      `heap after GC climbs ${figures.heapSlopeMBPerMin.toFixed(3)} MB/min, bound ${bounds.heapSlopeMBPerMin} MB/min`,
    );
  }
  const rssGrowth = figures.rssLateMeanMB - figures.rssEarlyMeanMB;
  if (rssGrowth > bounds.rssGrowthMB)
    failures.push(`RSS grew ${rssGrowth.toFixed(1)} MB (late vs early window), bound ${bounds.rssGrowthMB} MB`);
  if (figures.slopesJudged && figures.rssSlopeMBPerMin > bounds.rssSlopeMBPerMin) {
    failures.push(`RSS climbs ${figures.rssSlopeMBPerMin.toFixed(2)} MB/min, bound ${bounds.rssSlopeMBPerMin} MB/min`);
  }
  for (const [type, lateMax] of Object.entries(figures.handlesLateMax)) {
    const earlyMax = figures.handlesEarlyMax[type] ?? 0;
    if (lateMax > earlyMax)
      failures.push(`active ${type} handles grew: at most ${earlyMax} in the early window, ${lateMax} in the late one`);
  }
  if (figures.trackedTasksLateMax > figures.trackedTasksEarlyMax) {
    failures.push(
      `the agent's tracked tasks grew: at most ${figures.trackedTasksEarlyMax} early, ${figures.trackedTasksLateMax} late`,
    );
  }
  for (const sample of samples) {
    if (sample.worker.dropped > 0) {
      failures.push(`the worker host dropped ${sample.worker.dropped} trade records (at ${sample.t.toFixed(0)} s)`);
      break;
    }
  }
  return { figures, failures };
}
