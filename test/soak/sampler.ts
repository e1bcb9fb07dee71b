/**
 * The soak's sampling timer: every few seconds a full GC, then one `SoakSample` of this process's memory
 * and handles and of the agent's and worker host's counters. It only reads; the timer is measurement,
 * not synchronisation.
 */
import { performance } from 'node:perf_hooks';
import type { KisAgent } from '../../src/agent';
import type { WorkerHost } from '../../src/worker/host';
import { countByType, type SoakSample } from './analysis';

const MB = 1024 * 1024;

/** Samples `agent` and `host` every `intervalMs` once started; `stop()` clears the timer. */
export class SoakSampler {
  /** Every sample taken, oldest first. */
  readonly samples: SoakSample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly startedAt = performance.now();
  private lastRecords: number;
  private lastSampleAt = this.startedAt;

  /**
   * @param budget the registrations a steady session holds (a sample is `steady` when all are acked).
   * @param gc `global.gc` (node --expose-gc): heap figures are only comparable right after a full GC.
   */
  constructor(
    private readonly agent: KisAgent,
    private readonly host: WorkerHost,
    private readonly budget: number,
    private readonly gc: () => void,
  ) {
    this.lastRecords = agent.stats().records;
  }

  /** Seconds since the sampler was built (the load's clock). */
  elapsedSec(): number {
    return (performance.now() - this.startedAt) / 1000;
  }

  /** Starts the timer. */
  start(intervalMs: number): void {
    this.stop();
    this.timer = setInterval(() => this.take(), intervalMs);
  }

  /** Clears the timer. Idempotent. */
  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Takes one sample now. */
  take(): SoakSample {
    this.gc();
    const memory = process.memoryUsage();
    const stats = this.agent.stats();
    const worker = this.host.stats();
    const now = performance.now();
    const recordsPerSec = ((stats.records - this.lastRecords) * 1000) / Math.max(1, now - this.lastSampleAt);
    this.lastRecords = stats.records;
    this.lastSampleAt = now;
    const pendingRequests = stats.pendingRequests ?? 0;
    const sample: SoakSample = {
      t: this.elapsedSec(),
      steady: stats.state === 'open' && stats.subscriptionsUsed === this.budget && pendingRequests === 0,
      rssMB: memory.rss / MB,
      heapUsedMB: memory.heapUsed / MB,
      heapTotalMB: memory.heapTotal / MB,
      externalMB: memory.external / MB,
      arrayBuffersMB: memory.arrayBuffers / MB,
      handles: countByType(process.getActiveResourcesInfo()),
      agent: {
        state: stats.state,
        subscriptionsUsed: stats.subscriptionsUsed,
        subscriptionsWanted: stats.subscriptionsWanted ?? 0,
        pendingRequests,
        trackedTasks: this.agent.trackedTasks(),
        reconnects: stats.reconnects,
        records: stats.records,
        parseErrors: stats.parseErrors,
        handlerErrors: stats.handlerErrors,
      },
      worker: {
        running: worker.running,
        inFlight: worker.inFlight ?? 0,
        queued: worker.queued,
        dropped: worker.dropped,
        workerRestarts: worker.workerRestarts,
        records: worker.records,
      },
      recordsPerSec,
    };
    this.samples.push(sample);
    return sample;
  }
}
