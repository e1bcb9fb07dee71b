/**
 * How fast the simulator produces well-formed data: frames/s and records/s at "max" rate for
 * 1-record and 10-record H0STCNT0 frames, and a `blast()` of N records. The simulator runs on the main
 * thread; a bare `ws` client on a worker thread only counts (so the client does not eat the simulator's
 * CPU). Baseline: a wire-speed sender on the same machine that sends one prebuilt frame over and over
 * with the same sending rule (corked batches, 1 MiB backpressure, 'drain'), i.e. the cost of the socket
 * alone. ratio = simulator / wire: what generating real records costs.
 *
 *   node out/bench/simulator-throughput.js [--quick]
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { WebSocketServer, type WebSocket } from 'ws';
import { buildSubscribeRequest, formatFrame } from '../src/kis';
import { KisSimulator, SymbolModel } from '../src/simulator';
import { machineInfo, printResult, round, type BenchOptions, type BenchResult } from './support/common';

/** Counts reported by the client thread. */
interface Counts {
  frames: number;
  records: number;
  bytes: number;
  /** Worker-thread performance.now() when read. */
  at: number;
}

/**
 * The counting client, as plain JS for a worker thread. It answers PINGPONG by echo and otherwise only
 * reads the 3-digit count of each frame straight from the bytes (`0|H0STCNT0|NNN|...`).
 */
const CLIENT_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const { WebSocket } = require(workerData.wsPath);
let frames = 0, records = 0, bytes = 0;
const ws = new WebSocket(workerData.url, { skipUTF8Validation: true, perMessageDeflate: false });
ws.on('open', () => {
  if (workerData.request) ws.send(workerData.request);
  parentPort.postMessage({ type: 'open' });
});
ws.on('message', (data) => {
  bytes += data.length;
  const c = data[0];
  if (c === 48 || c === 49) {
    frames++;
    records += (data[11] - 48) * 100 + (data[12] - 48) * 10 + (data[13] - 48);
  } else if (c === 123 && data.includes('PINGPONG')) {
    ws.send(data.toString());
  }
});
ws.on('error', (e) => parentPort.postMessage({ type: 'error', message: String(e) }));
ws.on('close', () => { parentPort.postMessage({ type: 'closed' }); parentPort.close(); });
parentPort.on('message', (m) => {
  if (m === 'counts') parentPort.postMessage({ type: 'counts', frames, records, bytes, at: performance.now() });
  else if (m === 'close') ws.close();
});
`;

/** A counting client on its own thread. */
class CountingClient {
  private readonly worker: Worker;
  private readonly exited: Promise<unknown>;

  private constructor(url: string, request: string | undefined) {
    this.worker = new Worker(CLIENT_SOURCE, {
      eval: true,
      workerData: { url, request, wsPath: require.resolve('ws') },
    });
    this.exited = once(this.worker, 'exit');
  }

  static async open(url: string, request?: string): Promise<CountingClient> {
    const client = new CountingClient(url, request);
    await client.next('open');
    return client;
  }

  private next(type: string): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const onMessage = (m: Record<string, unknown>): void => {
        if (m.type === 'error') {
          this.worker.off('message', onMessage);
          reject(new Error(String(m.message)));
        } else if (m.type === type) {
          this.worker.off('message', onMessage);
          resolve(m);
        }
      };
      this.worker.on('message', onMessage);
    });
  }

  async counts(): Promise<Counts> {
    const reply = this.next('counts');
    this.worker.postMessage('counts');
    return (await reply) as unknown as Counts;
  }

  async close(): Promise<void> {
    this.worker.postMessage('close');
    await Promise.race([this.exited, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
    await this.worker.terminate();
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Frames and records per second seen by `client` over `windowMs` after `warmupMs`. */
async function measure(
  client: CountingClient,
  warmupMs: number,
  windowMs: number,
): Promise<{ framesPerSec: number; recordsPerSec: number; bytesPerSec: number }> {
  await sleep(warmupMs);
  const a = await client.counts();
  await sleep(windowMs);
  const b = await client.counts();
  const seconds = (b.at - a.at) / 1000;
  return {
    framesPerSec: (b.frames - a.frames) / seconds,
    recordsPerSec: (b.records - a.records) / seconds,
    bytesPerSec: (b.bytes - a.bytes) / seconds,
  };
}

async function approve(sim: KisSimulator): Promise<string> {
  const res = await fetch(`${sim.restUrl}/oauth2/Approval`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', appkey: 'BENCH', secretkey: 'BENCH' }),
  });
  return ((await res.json()) as { approval_key: string }).approval_key;
}

/** The simulator at max rate with `perFrame` records per frame. */
async function simulatorMax(
  perFrame: number,
  warmupMs: number,
  windowMs: number,
): Promise<{ framesPerSec: number; recordsPerSec: number; bytesPerSec: number }> {
  const sim = await KisSimulator.start({ ratePerSymbol: 'max', maxRecordsPerFrame: perFrame, sendLogLimit: 0 });
  try {
    const request = buildSubscribeRequest({
      approvalKey: await approve(sim),
      trType: '1',
      trId: 'H0STCNT0',
      trKey: '005930',
    });
    const client = await CountingClient.open(sim.wsUrl, request);
    try {
      return await measure(client, warmupMs, windowMs);
    } finally {
      await client.close();
    }
  } finally {
    await sim.close();
  }
}

/** `blast()` of `records` records in 10-record frames, timed until the client has them all. */
async function simulatorBlast(records: number): Promise<{ recordsPerSec: number }> {
  const sim = await KisSimulator.start({ ratePerSymbol: 0.001, sendLogLimit: 0 });
  try {
    const request = buildSubscribeRequest({
      approvalKey: await approve(sim),
      trType: '1',
      trId: 'H0STCNT0',
      trKey: '005930',
    });
    const acked = once(sim, 'ack');
    const client = await CountingClient.open(sim.wsUrl, request);
    try {
      await acked;
      await sleep(100); // the stream's first record
      const before = await client.counts();
      const started = performance.now();
      await sim.blast({ trId: 'H0STCNT0', symbol: '005930', records, recordsPerFrame: 10 });
      let after = await client.counts();
      while (after.records - before.records < records) {
        await sleep(5);
        after = await client.counts();
      }
      return { recordsPerSec: records / ((performance.now() - started) / 1000) };
    } finally {
      await client.close();
    }
  } finally {
    await sim.close();
  }
}

/** A WebSocket server that sends one prebuilt frame as fast as the socket drains (same rule as the simulator). */
async function wireMax(
  perFrame: number,
  warmupMs: number,
  windowMs: number,
): Promise<{ framesPerSec: number; recordsPerSec: number; bytesPerSec: number }> {
  const model = new SymbolModel('005930', {
    prevClose: 71900,
    seed: 1,
    volatilityTicks: 1,
    tradeWidth: 46,
    bookWidth: 59,
  });
  const records = Array.from({ length: perFrame }, () => model.nextTrade('093000', '20261125'));
  const frame = Buffer.from(formatFrame('H0STCNT0', perFrame, records.join('^')));
  const http: Server = createServer();
  const wss = new WebSocketServer({ server: http });
  let stopped = false;
  wss.on('connection', (ws: WebSocket) => {
    // The same sending rule as the simulator: corked batches of up to 256 frames, 1 MiB queued at most,
    // resume on 'drain'. Only the record generation is missing.
    const socket = (ws as unknown as { _socket: Socket })._socket;
    const pump = (): void => {
      if (stopped || ws.readyState !== ws.OPEN) return;
      socket.cork();
      for (let i = 0; i < 256 && ws.bufferedAmount < 1 << 20; i++) ws.send(frame, { binary: false });
      socket.uncork();
      if (ws.bufferedAmount < 1 << 20) setImmediate(pump);
      else socket.once('drain', pump);
    };
    pump();
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const client = await CountingClient.open(`ws://127.0.0.1:${(http.address() as AddressInfo).port}`);
  try {
    return await measure(client, warmupMs, windowMs);
  } finally {
    stopped = true;
    await client.close();
    for (const ws of wss.clients) ws.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    await new Promise<void>((resolve) => http.close(() => resolve()));
  }
}

/** Runs the benchmark (quick: 1 s windows; full: 3 s windows). */
export async function run(opts: BenchOptions): Promise<BenchResult> {
  const warmup = opts.quick ? 300 : 1000;
  const window = opts.quick ? 1000 : 3000;
  const sim1 = await simulatorMax(1, warmup, window);
  const sim10 = await simulatorMax(10, warmup, window);
  const wire1 = await wireMax(1, warmup, window);
  const wire10 = await wireMax(10, warmup, window);
  const blast = await simulatorBlast(opts.quick ? 200_000 : 1_000_000);
  const notes: string[] = [
    'simulator on the main thread, counting client on a worker thread (2 cores: both compete with the OS).',
    `design load 50,000 records/s, target 250,000 records/s: 10-record frames ${sim10.recordsPerSec >= 250_000 ? 'meet' : 'miss'} the target.`,
  ];
  return {
    name: 'simulator-throughput',
    figures: {
      frames1PerSec: round(sim1.framesPerSec, 0),
      records1PerSec: round(sim1.recordsPerSec, 0),
      frames10PerSec: round(sim10.framesPerSec, 0),
      records10PerSec: round(sim10.recordsPerSec, 0),
      mbytes10PerSec: round(sim10.bytesPerSec / 1e6, 1),
      blast10RecordsPerSec: round(blast.recordsPerSec, 0),
    },
    baseline: {
      wireFrames1PerSec: round(wire1.framesPerSec, 0),
      wireRecords10PerSec: round(wire10.recordsPerSec, 0),
    },
    ratio: {
      frames1VsWire: sim1.framesPerSec / wire1.framesPerSec,
      records10VsWire: sim10.recordsPerSec / wire10.recordsPerSec,
    },
    notes,
    machine: machineInfo(),
  };
}

if (require.main === module) {
  run({ quick: process.argv.includes('--quick') }).then(
    (result) => {
      printResult(result);
      process.exitCode = 0;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
