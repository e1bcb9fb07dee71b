/**
 * PINGPONG echo delay (as the simulator measures it: PINGPONG sent → echo received), three phases measured
 * in the same run, same setup (simulator on its own thread, agent, same PINGPONG interval and window):
 * - idle: the handler is a no-op in the WorkerHost's thread (the baseline);
 * - worker: the handler busy-loops 2 s at a time, back to back, in the WorkerHost's thread (the current
 *   design);
 * - inline: the same blocking handler runs synchronously inside the sink's push(), i.e. on the agent's
 *   receive loop (the old design).
 * Target (the issue): worker p99 <= 2 × idle p99. The receive loop must not wait for handlers.
 * Two more phases measure the raw receive path: a full-speed blast (`KisSimulator.blast`, one record per frame, no-op handler)
 * on the raw receive path (the default) and on the text path (`receivePath: 'text'`, the design before);
 * target: blast p99 <= 2 × idle p99.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KisAgent, type RecordSink } from '../src/agent';
import type { DataFrame } from '../src/kis/types';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { KisSimulator, type SimulatorOptions } from '../src/simulator';
import { WorkerHost } from '../src/worker/host';
import type { RawBatch, ReceiveCounters } from '../src/shared/rawBatch';
import { machineInfo, quantile, round, type BenchOptions, type BenchResult } from './support/common';

const BLOCK_MS = 2000;
const PING_INTERVAL_MS = 100;
const APPKEY = 'PSg5dctL9dKPo727J13Ur405OSBENCHPING01';
const APPSECRET =
  'bench-pingpong-secret-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijk';

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
  | { type: 'closed' }
  | { type: 'blasted'; records: number };

/** A blast the simulator thread is asked to send (any other message closes it). */
interface BlastCommand {
  type: 'blast';
  symbol: string;
  records: number;
}

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
      if (entry?.delayMs !== undefined)
        port.postMessage({ type: 'echo', sentAt: entry.sentAt, delayMs: entry.delayMs } satisfies SimThreadMessage);
    });
    port.on('message', (m: unknown) => {
      if (typeof m === 'object' && m !== null && (m as BlastCommand).type === 'blast') {
        const command = m as BlastCommand;
        void sim
          .blast({ trId: 'H0STCNT0', symbol: command.symbol, records: command.records, recordsPerFrame: 1 })
          .then((r) => {
            port.postMessage({ type: 'blasted', records: r.records } satisfies SimThreadMessage);
          });
        return;
      }
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
  blasted = false;

  constructor(options: SimulatorOptions) {
    this.worker = new Worker(__filename, { workerData: { role: 'pingpong-sim', options } });
    this.worker.on('message', (m: SimThreadMessage) => {
      if (m.type === 'started') {
        this.wsUrl = m.wsUrl;
        this.restUrl = m.restUrl;
      } else if (m.type === 'ping') this.sent.push(m.sentAt);
      else if (m.type === 'echo') this.echoes.set(m.sentAt, m.delayMs);
      else if (m.type === 'blasted') this.blasted = true;
      const waiters = this.waiters;
      this.waiters = [];
      for (const w of waiters) w();
    });
  }

  /** Resolves once `condition()` holds, re-checked on every message from the simulator thread. */
  until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)),
        timeoutMs,
      );
      const check = (): void => {
        if (condition()) {
          clearTimeout(timer);
          resolve();
        } else this.waiters.push(check);
      };
      check();
    });
  }

  /** Asks the simulator thread for a blast of `records` one-record trade frames of `symbol`. */
  blast(symbol: string, records: number): void {
    this.blasted = false;
    this.worker.postMessage({ type: 'blast', symbol, records } satisfies BlastCommand);
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
  /** When the slowest echo's PINGPONG was sent, from the window's start (ms). */
  maxAtMs: number;
}

/** A sink under test: blocks (or not) from the first record on until `stopBlocking()`. */
interface PhaseSink extends RecordSink {
  /** Readies the sink before the window opens (a worker thread started and initialised). */
  prepare(): Promise<void>;
  stopBlocking(): void;
  dispose(): Promise<void>;
}

/**
 * One phase: a simulator (own thread) ticking one symbol, an agent with `sink`, `windowMs` of
 * measurement from the subscription on; returns the echo delays of the PINGPONGs sent inside the window.
 */
async function measure(sink: PhaseSink, windowMs: number): Promise<Phase> {
  const sim = new SimThread({ port: 0, ratePerSymbol: 20, pingIntervalMs: PING_INTERVAL_MS, pingFrom: 'subscribe' });
  let agent: KisAgent | undefined;
  try {
    await sink.prepare();
    await sim.until(() => sim.wsUrl !== '', 10_000, 'the simulator');
    agent = new KisAgent({ wsUrl: sim.wsUrl, restUrl: sim.restUrl, appkey: APPKEY, appsecret: APPSECRET, sink });
    await agent.connect();
    await agent.subscribe('H0STCNT0', '005930');
    const start = Date.now();
    // Measurement window: a blocking handler blocks from the first record on; PINGPONGs sent in it are sampled.
    await sim.until(() => Date.now() - start >= windowMs, windowMs + 4 * BLOCK_MS, 'the window');
    const end = Date.now();
    sink.stopBlocking();
    const inWindow = (): number[] => sim.sent.filter((t) => t >= start && t < end);
    await sim.until(() => inWindow().every((t) => sim.echoes.has(t)), 4 * BLOCK_MS, 'the echoes');
    const sent = inWindow();
    const delays = sent.map((t) => sim.echoes.get(t) as number);
    const worst = delays.indexOf(Math.max(...delays));
    return { delays, pings: delays.length, maxAtMs: worst < 0 ? Number.NaN : sent[worst] - start };
  } finally {
    await agent?.dispose();
    await sink.dispose();
    await sim.close();
  }
}

/**
 * A full-speed blast (one record per frame) through agent → WorkerHost (no-op handler) on `receivePath`;
 * returns the echo delays of the PINGPONGs sent while the simulator was blasting.
 */
async function measureBlast(
  receivePath: 'bytes' | 'text',
  records: number,
): Promise<Phase & { dropped: number; agentEchoMs: number[]; bytesPerMs: number }> {
  const sim = new SimThread({
    port: 0,
    ratePerSymbol: 0.001,
    pingIntervalMs: PING_INTERVAL_MS,
    pingFrom: 'subscribe',
    sendLogLimit: 0,
  });
  const sink = new WorkerSink(0);
  let agent: KisAgent | undefined;
  try {
    await sink.prepare();
    await sim.until(() => sim.wsUrl !== '', 10_000, 'the simulator');
    agent = new KisAgent({
      wsUrl: sim.wsUrl,
      restUrl: sim.restUrl,
      appkey: APPKEY,
      appsecret: APPSECRET,
      sink,
      receivePath,
    });
    await agent.connect();
    await agent.subscribe('H0STCNT0', '005930');
    const start = Date.now();
    const bytesBefore = agent.stats().bytes;
    // The receiver's own part of each echo: from reading the PINGPONG to sending the echo (the agent's
    // lastPingEchoMs), sampled whenever its PINGPONG count moves.
    const receiving = agent;
    const agentEchoMs: number[] = [];
    let pings = receiving.stats().pingpongs;
    const sampler = setInterval(() => {
      const stats = receiving.stats();
      if (stats.pingpongs !== pings && stats.lastPingEchoMs !== undefined) agentEchoMs.push(stats.lastPingEchoMs);
      pings = stats.pingpongs;
    }, 2);
    sim.blast('005930', records);
    await sim.until(() => sim.blasted, 120_000, 'the blast').finally(() => clearInterval(sampler));
    const end = Date.now();
    // The receive rate in bytes: what the socket drained per ms while the blast ran.
    const bytesPerMs = (agent.stats().bytes - bytesBefore) / Math.max(1, end - start);
    const inWindow = (): number[] => sim.sent.filter((t) => t >= start && t < end);
    await sim.until(() => inWindow().every((t) => sim.echoes.has(t)), 30_000, 'the echoes');
    const sent = inWindow();
    const delays = sent.map((t) => sim.echoes.get(t) as number);
    const worst = delays.indexOf(Math.max(...delays));
    return {
      delays,
      pings: delays.length,
      maxAtMs: worst < 0 ? Number.NaN : sent[worst] - start,
      dropped: sink.dropped(),
      agentEchoMs,
      bytesPerMs,
    };
  } finally {
    await agent?.dispose();
    await sink.dispose();
    await sim.close();
  }
}

/** The old design: the handler runs inside push(), on the receive loop. */
class InlineSink implements PhaseSink {
  private blocking = true;
  push(frames: readonly DataFrame[]): void {
    if (this.blocking && frames.length > 0) busy(BLOCK_MS);
  }
  async prepare(): Promise<void> {
    // nothing to start
  }
  stopBlocking(): void {
    this.blocking = false;
  }
  async dispose(): Promise<void> {
    // nothing to release
  }
}

/**
 * The current design: the handler as a user handler module in the WorkerHost's thread, blocking 2 s per
 * call (`blockMs` > 0) or returning at once (0, the idle phase).
 */
class WorkerSink implements PhaseSink {
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-bench-pingpong-'));
  private readonly host: WorkerHost;
  /** Worker restarts seen when the window closed (the watchdog must not fire; see the constructor). */
  restarts = 0;
  constructor(blockMs: number) {
    const handler = path.join(this.dir, 'handler.js');
    const body = blockMs > 0 ? `const end = Date.now() + ${blockMs}; while (Date.now() < end) {}` : '';
    fs.writeFileSync(handler, `module.exports = () => { ${body} };`);
    // The watchdog is pushed out of the way: here the blocked worker is the point, not a fault. With the
    // default 5 s timeout it would restart the worker (terminate + respawn) every ~5 s and the bench
    // would measure restarts as well as blocking.
    this.host = new WorkerHost({ userHandlers: [handler], heartbeatTimeoutMs: 3_600_000, stopTimeoutMs: 100 });
  }
  /**
   * Starts the worker thread before the window, so that every phase measures the steady state: started
   * lazily by the first push(), the thread's start-up falls inside the window. (Measured that way twice
   * at load ~2 it cost no visible echo delay: the slowest echoes were seconds after the start.)
   */
  prepare(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the worker did not get ready within 10000 ms')), 10_000);
      this.host.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
      this.host.start();
    });
  }
  push(frames: readonly DataFrame[]): void {
    this.host.push(frames);
  }
  /** The raw receive path: the agent hands data frames over as bytes. */
  pushRaw(batch: RawBatch): void {
    this.host.pushRaw(batch);
  }
  receiveCounters(): ReceiveCounters {
    return this.host.receiveCounters();
  }
  dropped(): number {
    return this.host.stats().dropped;
  }
  stopBlocking(): void {
    // The worker stays blocked until dispose terminates it; the receive loop never depended on it.
    this.restarts = this.host.stats().workerRestarts;
  }
  async dispose(): Promise<void> {
    await this.host.dispose();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The largest receive + send buffers the kernel lets a TCP socket grow to (MB; NaN off Linux). */
function kernelSocketBufferMB(): number {
  try {
    const max = (file: string): number => Number(fs.readFileSync(file, 'utf8').trim().split(/\s+/)[2]);
    return (max('/proc/sys/net/ipv4/tcp_rmem') + max('/proc/sys/net/ipv4/tcp_wmem')) / 2 ** 20;
  } catch {
    return Number.NaN;
  }
}

/** p50/p99/max of one phase, named with `prefix`. */
function echoFigures(prefix: string, phase: Phase): Record<string, number> {
  return {
    [`${prefix}EchoP50Ms`]: quantile(phase.delays, 0.5),
    [`${prefix}EchoP99Ms`]: quantile(phase.delays, 0.99),
    [`${prefix}EchoMaxMs`]: Math.max(...phase.delays),
    [`${prefix}MaxAtMs`]: phase.maxAtMs,
    [`${prefix}Pings`]: phase.pings,
  };
}

/** Runs the three phases and reports p50/p99/max echo delays against the idle phase. */
export async function run(options: BenchOptions): Promise<BenchResult> {
  const windowMs = options.quick ? 4000 : 10_000;
  const idleSink = new WorkerSink(0);
  const idle = await measure(idleSink, windowMs);
  const workerSink = new WorkerSink(BLOCK_MS);
  const worker = await measure(workerSink, windowMs);
  const inline = await measure(new InlineSink(), windowMs);
  const blastRecords = options.quick ? 300_000 : 1_000_000;
  const blastBytes = await measureBlast('bytes', blastRecords);
  const blastText = await measureBlast('text', blastRecords);
  const blastP99 = quantile(blastBytes.delays, 0.99);
  const blastTextP99 = quantile(blastText.delays, 0.99);
  const idleP99 = quantile(idle.delays, 0.99);
  const workerP99 = quantile(worker.delays, 0.99);
  const inlineP99 = quantile(inline.delays, 0.99);
  const ratio = {
    workerP99VsIdleP99: round(workerP99 / Math.max(idleP99, 0.001), 3),
    inlineP99VsIdleP99: round(inlineP99 / Math.max(idleP99, 0.001), 3),
    workerP99VsInlineP99: round(workerP99 / Math.max(inlineP99, 0.001), 4),
    blastP99VsIdleP99: round(blastP99 / Math.max(idleP99, 0.001), 3),
    blastTextP99VsIdleP99: round(blastTextP99 / Math.max(idleP99, 0.001), 3),
    // Of the blast's echo p99, the part the receiver itself spent (≪ 1: the time is in the sockets' queues).
    blastAgentP99VsBlastP99: round(quantile(blastBytes.agentEchoMs, 0.99) / Math.max(blastP99, 0.001), 4),
  };
  return {
    name: 'pingpong',
    figures: {
      ...echoFigures('worker', worker),
      workerRestarts: workerSink.restarts,
      ...echoFigures('inline', inline),
      ...echoFigures('blast', blastBytes),
      blastDropped: blastBytes.dropped,
      blastAgentEchoP50Ms: quantile(blastBytes.agentEchoMs, 0.5),
      blastAgentEchoP99Ms: quantile(blastBytes.agentEchoMs, 0.99),
      blastReceiveMBPerSec: (blastBytes.bytesPerMs * 1000) / 2 ** 20,
      blastInFlightMBAtP99: (quantile(blastBytes.delays, 0.99) * blastBytes.bytesPerMs) / 2 ** 20,
      kernelSocketBuffersMaxMB: kernelSocketBufferMB(),
      ...echoFigures('blastText', blastText),
      blastTextDropped: blastText.dropped,
    },
    baseline: { ...echoFigures('idle', idle), idleRestarts: idleSink.restarts },
    ratio,
    notes: [
      `PINGPONG every ${PING_INTERVAL_MS} ms; ${windowMs} ms window per phase; blocking handler busy-loops ${BLOCK_MS} ms per record, back to back`,
      'idle (baseline) = no-op handler in the WorkerHost thread; worker = blocking handler in the WorkerHost thread; inline = blocking handler inside RecordSink.push on the receive loop (the old design)',
      "worker thread started and ready before each window; watchdog (heartbeatTimeoutMs) set to 1 h so the blocked worker is not restarted (*Restarts); *MaxAtMs = when the slowest echo's PINGPONG was sent, from the window start",
      `nearest-rank p99 of ${idle.pings}/${worker.pings} pings (idle/worker): under 100 pings p99 is the maximum, so one scheduling hiccup decides the target`,
      workerP99 <= 2 * idleP99
        ? `TARGET MET: worker p99 ${round(workerP99, 3)} ms <= 2 × idle p99 ${round(idleP99, 3)} ms`
        : `TARGET MISSED: worker p99 ${round(workerP99, 3)} ms > 2 × idle p99 ${round(idleP99, 3)} ms`,
      `blast = ${blastRecords.toLocaleString('en-US')} one-record frames from KisSimulator.blast (simulator thread) through agent → WorkerHost, no-op handler, PINGPONGs sent during the blast; blast = raw receive path, blastText = text path (before)`,
      blastP99 <= 2 * idleP99
        ? `TARGET MET: blast p99 ${round(blastP99, 3)} ms <= 2 × idle p99 ${round(idleP99, 3)} ms`
        : `TARGET MISSED: blast p99 ${round(blastP99, 3)} ms > 2 × idle p99 ${round(idleP99, 3)} ms (text path: ${round(blastTextP99, 3)} ms)`,
      `the floor during a blast: the receiver answers a PINGPONG p50 ${round(quantile(blastBytes.agentEchoMs, 0.5), 2)} / p99 ${round(quantile(blastBytes.agentEchoMs, 0.99), 2)} ms after reading it; the rest of the echo delay is the PINGPONG waiting behind the blast's bytes in the TCP socket buffers (one stream, in order): at the measured receive rate of ${round((blastBytes.bytesPerMs * 1000) / 2 ** 20, 1)} MB/s the p99 echo is ${round((quantile(blastBytes.delays, 0.99) * blastBytes.bytesPerMs) / 2 ** 20, 2)} MB in flight, within the kernel's limits (tcp_rmem + tcp_wmem max ${round(kernelSocketBufferMB(), 0)} MB). A sender that outruns the receiver fills them, whatever the receiver does per record`,
      `load average (1 min) ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs`,
    ],
    machine: machineInfo(),
  };
}
