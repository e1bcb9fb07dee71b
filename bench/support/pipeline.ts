/**
 * The receivers the benchmarks compare:
 * - `BareClient`: a plain `ws` client with the agent's socket options that only counts records (reads the
 *   3-digit count of each data frame, decodes nothing): the practical wire limit of this machine.
 * - `BareClient` in `parse` mode (the parsing client): the same client doing the irreducible work a user
 *   needs, on this one thread: decodes each frame, splits each record into its fields and converts the
 *   numbers the views show (price, change, rate, volume, time). The fair limit for the pipeline.
 * - `Pipeline`: the real thing, `KisAgent` → `WorkerHost` (records handled on the worker thread), with a
 *   counting pass-through sink so the time the agent handed over the last record is known exactly.
 * Waits are on conditions with a deadline, never fixed sleeps.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { KisAgent, type AgentOptions } from '../../src/agent';
import { buildSubscribeRequest } from '../../src/kis';
import type { DataFrame } from '../../src/kis/types';
import { H0STCNT0 } from '../../src/kis/layouts/krx';
import { CATALOGUE } from '../../src/market/catalogue';
import { countRawRecords, type RawBatch, type ReceiveCounters } from '../../src/shared/rawBatch';
import type { RawRecordSink } from '../../src/shared/recordSink';
import { WorkerHost, type WorkerHostOptions } from '../../src/worker/host';
import { poll, until as waitUntil } from '../../test/support/wait';

/** The pair the simulator accepts (it accepts any non-empty pair unless told otherwise). */
export const BENCH_APPKEY = 'bench-appkey';
export const BENCH_SECRET = 'bench-secret';
export const TRADE = 'H0STCNT0';

/** The first `n` symbols of the catalogue (real KRX codes; 41 = the session budget). */
export function benchSymbols(n: number): string[] {
  if (n > CATALOGUE.length) throw new RangeError(`only ${CATALOGUE.length} catalogue symbols`);
  return CATALOGUE.slice(0, n).map((entry) => entry.code);
}

/** Resolves when `check()` is true (polled every `everyMs`), rejects after `timeoutMs` with `what`. */
export function until(check: () => boolean, what: string, timeoutMs: number, everyMs = 5): Promise<void> {
  return waitUntil(check, poll(everyMs), what, timeoutMs).then(() => undefined);
}

/** Gets a WebSocket approval key from the simulator's REST endpoint. */
export async function approvalKey(restUrl: string): Promise<string> {
  const response = await fetch(`${restUrl}/oauth2/Approval`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ grant_type: 'client_credentials', appkey: BENCH_APPKEY, secretkey: BENCH_SECRET }),
  });
  const body = (await response.json()) as { approval_key?: unknown };
  if (typeof body.approval_key !== 'string') throw new Error(`approval failed (HTTP ${response.status})`);
  return body.approval_key;
}

/** What a receiver does with each data frame: count its records, or also parse them (see the file comment). */
export type BareMode = 'count' | 'parse';

/** The number fields the views use, converted by the parsing client (kept so the work cannot be optimised away). */
export interface ParsedSums {
  price: number;
  change: number;
  rate: number;
  volume: number;
  seconds: number;
}

/**
 * The parsing client's per-frame work: "0|H0STCNT0|010|f0^f1^…", decoded as text, split at '|' and the
 * payload at '^', and for each record (width = fields ÷ count) its price, change (signed by its sign
 * field), rate, trade volume and HHMMSS time converted to numbers. This is what any client that shows
 * the data must do at least once per record; the pipeline does it on its worker thread.
 */
export function parseTradeFrame(data: Buffer, sums: ParsedSums): number {
  const parts = data.toString('utf8').split('|');
  const count = Number(parts[2]);
  const fields = parts[3].split('^');
  const width = fields.length / count;
  for (let r = 0; r < count; r++) {
    const base = r * width;
    const sign = fields[base + H0STCNT0.PRDY_VRSS_SIGN];
    const change = Number(fields[base + H0STCNT0.PRDY_VRSS]);
    const hhmmss = fields[base + H0STCNT0.STCK_CNTG_HOUR];
    sums.price += Number(fields[base + H0STCNT0.STCK_PRPR]);
    sums.change += sign === '4' || sign === '5' ? -Math.abs(change) : change;
    sums.rate += Number(fields[base + H0STCNT0.PRDY_CTRT]);
    sums.volume += Number(fields[base + H0STCNT0.CNTG_VOL]);
    sums.seconds += Number(hhmmss.slice(0, 2)) * 3600 + Number(hhmmss.slice(2, 4)) * 60 + Number(hhmmss.slice(4, 6));
  }
  return count;
}

/** A `ws` client that subscribes and counts records (mode 'count'), or parses them too ('parse'); nothing else. */
export class BareClient {
  records = 0;
  frames = 0;
  /** The parse mode's converted numbers, summed. */
  readonly sums: ParsedSums = { price: 0, change: 0, rate: 0, volume: 0, seconds: 0 };
  /** performance.now() when `records` first reached the target set by `target()`. */
  doneAt = 0;
  private goal = Number.POSITIVE_INFINITY;
  private onGoal: (() => void) | undefined;
  private ackWaiter: ((text: string) => void) | undefined;

  private constructor(
    private readonly ws: WebSocket,
    mode: BareMode,
  ) {
    const parse = mode === 'parse';
    ws.on('message', (data: Buffer) => {
      const first = data[0];
      if (first === 48 || first === 49) {
        let n: number;
        if (parse) n = parseTradeFrame(data, this.sums);
        else {
          // "0|H0STCNT0|010|...": the count is the three digits after the second '|'.
          const bar = data.indexOf(124, 2);
          n = (data[bar + 1] - 48) * 100 + (data[bar + 2] - 48) * 10 + (data[bar + 3] - 48);
        }
        this.frames++;
        this.records += n;
        if (this.records >= this.goal && this.onGoal !== undefined) {
          this.doneAt = performance.now();
          const resolve = this.onGoal;
          this.onGoal = undefined;
          resolve();
        }
      } else if (first === 123 /* { */) {
        const text = data.toString();
        if (text.includes('PINGPONG')) ws.send(text);
        else this.ackWaiter?.(text);
      }
    });
  }

  /** Connects with the agent's socket options and subscribes to trades of `symbol`. */
  static async open(wsUrl: string, restUrl: string, symbol: string, mode: BareMode = 'count'): Promise<BareClient> {
    const key = await approvalKey(restUrl);
    const ws = new WebSocket(wsUrl, { skipUTF8Validation: true, perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const client = new BareClient(ws, mode);
    const acked = new Promise<string>((resolve) => {
      client.ackWaiter = resolve;
    });
    ws.send(buildSubscribeRequest({ approvalKey: key, trType: '1', trId: TRADE, trKey: symbol }));
    const ack = await acked;
    client.ackWaiter = undefined;
    if (!ack.includes('OPSP0000')) throw new Error(`subscribe refused: ${ack.slice(0, 200)}`);
    return client;
  }

  /** Resolves when at least `records` records have arrived in total (rejects after `timeoutMs`). */
  target(records: number, timeoutMs: number): Promise<void> {
    this.goal = records;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`bare client: ${this.records}/${records} records after ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.onGoal = () => {
        clearTimeout(timer);
        resolve();
      };
      if (this.records >= records) {
        this.doneAt = performance.now();
        this.onGoal();
        this.onGoal = undefined;
      }
    });
  }

  /** Closes the socket and waits for it to be closed. */
  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    const closed = new Promise<void>((resolve) => this.ws.once('close', () => resolve()));
    this.ws.close(1000);
    await closed;
  }
}

/**
 * KisAgent → (counting pass-through) → WorkerHost. `receivePath` 'bytes' (raw batches: the
 * pass-through is a raw sink, so data frames reach the worker as bytes; it reads each frame's record count
 * from the bytes, as the bare client does) or 'text' (the design before it: frames decoded and parsed on
 * this thread).
 */
export class Pipeline {
  readonly host: WorkerHost;
  readonly agent: KisAgent;
  /** Records the agent handed to the sink. */
  agentRecords = 0;
  /** performance.now() when `agentRecords` first reached the goal of `agentTarget()`. */
  agentDoneAt = 0;
  private goal = Number.POSITIVE_INFINITY;

  constructor(
    wsUrl: string,
    restUrl: string,
    hostOptions: WorkerHostOptions = {},
    agentOptions: Partial<AgentOptions> = {},
  ) {
    this.host = new WorkerHost(hostOptions);
    const host = this.host;
    const sink: RawRecordSink = {
      push: (frames: readonly DataFrame[]): void => {
        for (let i = 0; i < frames.length; i++) this.agentRecords += frames[i].count;
        if (this.agentRecords >= this.goal && this.agentDoneAt === 0) this.agentDoneAt = performance.now();
        host.push(frames);
      },
      pushRaw: (batch: RawBatch): void => {
        this.agentRecords += countRawRecords(batch.buffer);
        if (this.agentRecords >= this.goal && this.agentDoneAt === 0) this.agentDoneAt = performance.now();
        host.pushRaw(batch);
      },
      receiveCounters: (): ReceiveCounters => host.receiveCounters(),
    };
    this.agent = new KisAgent({
      wsUrl,
      restUrl,
      appkey: BENCH_APPKEY,
      appsecret: BENCH_SECRET,
      sink,
      ...agentOptions,
    });
  }

  /** Starts the worker (waits for its `ready`), connects and subscribes trades of every symbol (one by one, by ack). */
  async open(symbols: readonly string[]): Promise<void> {
    const ready = new Promise<void>((resolve) => this.host.once('ready', () => resolve()));
    this.host.start();
    await ready;
    await this.agent.connect();
    for (const symbol of symbols) await this.agent.subscribe(TRADE, symbol);
  }

  /** Sets the goal for `agentDoneAt` (records handed over in total). */
  agentTarget(records: number): void {
    this.goal = records;
    this.agentDoneAt = this.agentRecords >= records ? performance.now() : 0;
  }

  /**
   * Resolves when every one of `records` records (in total) is accounted for: handled by the worker (its
   * counters reach the host with each snapshot or ack) or counted in the host's `dropped`. A dropped
   * record would otherwise never arrive and turn a measurable loss into a timeout.
   */
  workerReached(records: number, timeoutMs: number): Promise<void> {
    return until(
      () => {
        const stats = this.host.stats();
        return stats.records + stats.dropped >= records;
      },
      `the worker to handle ${records} records (at ${this.host.stats().records}, dropped ${this.host.stats().dropped})`,
      timeoutMs,
    );
  }

  /** Disposes the agent, then the worker host (which awaits its thread's exit). */
  async dispose(): Promise<void> {
    await this.agent.dispose();
    await this.host.dispose();
  }
}
