/**
 * PINGPONG echo delay (as the simulator measures it: PINGPONG sent → echo received) while a record
 * handler busy-loops 2 s at a time, back to back, in two designs measured in the same run:
 * - worker: the handler runs in the WorkerHost's thread (the current design);
 * - inline: the handler runs synchronously inside the sink's push(), i.e. on the agent's receive loop
 *   (the old design, the baseline).
 * The figure that matters is the ratio: the receive loop must not wait for handlers.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KisAgent, type RecordSink } from '../src/agent';
import type { DataFrame } from '../src/kis/types';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { KisSimulator, type SimulatorOptions } from '../src/simulator';
import { WorkerHost } from '../src/worker/host';
import { machineInfo, quantile, round, type BenchOptions, type BenchResult } from './common';

const BLOCK_MS = 2000;
const PING_INTERVAL_MS = 100;
const APPKEY = 'PSg5dctL9dKPo727J13Ur405OSBENCHPING01';
const APPSECRET = 'bench-pingpong-secret-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijk';

/** Busy-waits `ms` milliseconds (the misbehaving handler). */
function busy(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // spin
  }
}

/** Messages from the simulator thread. */
type SimThreadMessage =
  | { type: 'started'; wsUrl: string; restUrl: string }
  | { type: 'ping'; sentAt: number }
  | { type: 'echo'; sentAt: number; delayMs: number }
  | { type: 'closed' };

/**
 * The simulator on its own thread: in the inline design the handler blocks this (main) thread, and a
 * simulator sharing it could not even send its PINGPONGs. On another thread it keeps its schedule, as the
 * KIS server does, and measures each echo with its own clock.
 */
function simulatorThread(): void {
  const port = parentPort;
  if (port === null) return;
  void KisSimulator.start(workerData.options as SimulatorOptions).then((sim) => {
    sim.on('pingpong', ({ sentAt }) => port.postMessage({ type: 'ping', sentAt } satisfies SimThreadMessage));
    sim.on('pingpong-echo', () => {
      // The echo event carries the delay; the log entry carries the send time (the same clock as ours).
      const entry = [...sim.pingLog].reverse().find((p) => p.delayMs !== undefined);
      if (entry?.delayMs !== undefined) port.postMessage({ type: 'echo', sentAt: entry.sentAt, delayMs: entry.delayMs } satisfies SimThreadMessage);
    });
    port.on('message', () => {
      void sim.close().then(() => {
        port.postMessage({ type: 'closed' } satisfies SimThreadMessage);
        port.close();
      });
    });
    port.postMessage({ type: 'started', wsUrl: sim.wsUrl, restUrl: sim.restUrl } satisfies SimThreadMessage);
  });
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === 'pingpong-sim') simulatorThread();

/** The simulator thread seen from here: the PINGPONGs it sent and the echo delays it measured. */
class SimThread {
  readonly sent: number[] = [];
  readonly echoes = new Map<number, number>();
  private readonly worker: Worker;
  private waiters: (() => void)[] = [];
  wsUrl = '';
  restUrl = '';

  constructor(options: SimulatorOptions) {
    this.worker = new Worker(__filename, { workerData: { role: 'pingpong-sim', options } });
    this.worker.on('message', (m: SimThreadMessage) => {
      if (m.type === 'started') {
        this.wsUrl = m.wsUrl;
        this.restUrl = m.restUrl;
      } else if (m.type === 'ping') this.sent.push(m.sentAt);
      else if (m.type === 'echo') this.echoes.set(m.sentAt, m.delayMs);
      const waiters = this.waiters;
      this.waiters = [];
      for (const w of waiters) w();
    });
  }

  /** Resolves once `condition()` holds, re-checked on every message from the simulator thread. */
  until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
      const check = (): void => {
        if (condition()) {
          clearTimeout(timer);
          resolve();
        } else this.waiters.push(check);
      };
      check();
    });
  }

  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage('close');
    await exited;
  }
}

interface Phase {
  delays: number[];
  pings: number;
}

/**
 * One design: a simulator (own thread) ticking one symbol, an agent with `sink`, `windowMs` of
 * measurement while the handler blocks; returns the echo delays of the PINGPONGs sent inside the window.
 */
async function measure(sink: RecordSink & { stopBlocking(): void; dispose(): Promise<void> }, windowMs: number): Promise<Phase> {
  const sim = new SimThread({ port: 0, ratePerSymbol: 20, pingIntervalMs: PING_INTERVAL_MS, pingFrom: 'subscribe' });
  let agent: KisAgent | undefined;
  try {
    await sim.until(() => sim.wsUrl !== '', 10_000, 'the simulator');
    agent = new KisAgent({ wsUrl: sim.wsUrl, restUrl: sim.restUrl, appkey: APPKEY, appsecret: APPSECRET, sink });
    await agent.connect();
    await agent.subscribe('H0STCNT0', '005930');
    const start = Date.now();
    // Measurement window: the handler blocks from the first record on; PINGPONGs sent in it are sampled.
    await sim.until(() => Date.now() - start >= windowMs, windowMs + 4 * BLOCK_MS, 'the window');
    const end = Date.now();
    sink.stopBlocking();
    const inWindow = (): number[] => sim.sent.filter((t) => t >= start && t < end);
    await sim.until(() => inWindow().every((t) => sim.echoes.has(t)), 4 * BLOCK_MS, 'the echoes');
    const delays = inWindow().map((t) => sim.echoes.get(t) as number);
    return { delays, pings: delays.length };
  } finally {
    await agent?.dispose();
    await sink.dispose();
    await sim.close();
  }
}

/** The old design: the handler runs inside push(), on the receive loop. */
class InlineSink implements RecordSink {
  private blocking = true;
  push(frames: readonly DataFrame[]): void {
    if (this.blocking && frames.length > 0) busy(BLOCK_MS);
  }
  stopBlocking(): void {
    this.blocking = false;
  }
  async dispose(): Promise<void> {
    // nothing to release
  }
}

/** The current design: the same handler as a user handler module in the worker thread. */
class WorkerSink implements RecordSink {
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-bench-pingpong-'));
  private readonly host: WorkerHost;
  constructor() {
    const handler = path.join(this.dir, 'block.js');
    fs.writeFileSync(handler, `module.exports = () => { const end = Date.now() + ${BLOCK_MS}; while (Date.now() < end) {} };`);
    // The watchdog is pushed out of the way: here the blocked worker is the point, not a fault.
    this.host = new WorkerHost({ userHandlers: [handler], heartbeatTimeoutMs: 3_600_000, stopTimeoutMs: 100 });
  }
  push(frames: readonly DataFrame[]): void {
    this.host.push(frames);
  }
  stopBlocking(): void {
    // The worker stays blocked until dispose terminates it; the receive loop never depended on it.
  }
  async dispose(): Promise<void> {
    await this.host.dispose();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Runs both designs and reports p50/p99 echo delays. */
export async function run(options: BenchOptions): Promise<BenchResult> {
  const windowMs = options.quick ? 4000 : 10_000;
  const worker = await measure(new WorkerSink(), windowMs);
  const inline = await measure(new InlineSink(), windowMs);
  const figures = {
    workerEchoP50Ms: quantile(worker.delays, 0.5),
    workerEchoP99Ms: quantile(worker.delays, 0.99),
    workerEchoMaxMs: Math.max(...worker.delays),
    workerPings: worker.pings,
  };
  const baseline = {
    inlineEchoP50Ms: quantile(inline.delays, 0.5),
    inlineEchoP99Ms: quantile(inline.delays, 0.99),
    inlineEchoMaxMs: Math.max(...inline.delays),
    inlinePings: inline.pings,
  };
  return {
    name: 'pingpong',
    figures,
    baseline,
    ratio: {
      echoP50: round(figures.workerEchoP50Ms / Math.max(baseline.inlineEchoP50Ms, 0.001), 4),
      echoP99: round(figures.workerEchoP99Ms / Math.max(baseline.inlineEchoP99Ms, 0.001), 4),
    },
    notes: [
      `handler busy-loops ${BLOCK_MS} ms per record, back to back; PINGPONG every ${PING_INTERVAL_MS} ms; ${windowMs} ms window per design`,
      'worker = handler in the WorkerHost thread; inline (baseline) = handler inside RecordSink.push on the receive loop',
    ],
    machine: machineInfo(),
  };
}
