/**
 * A data source for the benchmarks, either in a child process (the default: see bench/sim-child.ts for
 * why) or in this process (`BENCH_SIM_INPROCESS=1`, to compare), behind one small async interface. The
 * source is the real `KisSimulator`, or the wire-speed sender of bench/wireServer.ts.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { KisSimulator, type SendLogRow, type SimulatorOptions } from '../../src/simulator';
import { WireServer } from './wireServer';

/** Which server the child runs. */
export type SimSpec = { kind: 'simulator'; options: SimulatorOptions } | { kind: 'wire' };

/** A command to the simulator process. */
export type SimCommand =
  | { type: 'blast'; id: number; trId: string; symbol: string; records: number; recordsPerFrame: number }
  | { type: 'setRate'; id: number; rate: number | 'max'; symbol?: string }
  /** Sends one H0STCNT0 record of `symbol` whose price is `price` (a copy of its last record otherwise). */
  | { type: 'marker'; id: number; symbol: string; price: number }
  | { type: 'stats'; id: number }
  /** Ends every connection (abrupt: the client sees 1006; clean: a close frame with `code`). */
  | { type: 'drop'; id: number; clean?: { code: number; reason: string } }
  | { type: 'close'; id: number };

/** A reply of the simulator process. */
export type SimReply =
  | { type: 'started'; id: 0; wsUrl: string; restUrl: string }
  | { type: 'blasted'; id: number; records: number; elapsedMs: number; cpuMs: number }
  | {
      type: 'stats';
      id: number;
      totalRecordsSent: number;
      sendLog: SendLogRow[];
      connections: number;
      rssBytes: number;
    }
  /** The send log as it stood the moment the sockets were ended (nothing more went out on them). */
  | { type: 'dropped'; id: number; sendLog: SendLogRow[] }
  | { type: 'done'; id: number }
  /** When the marker frame was handed to the sockets: epoch ms with sub-ms precision (timeOrigin + now). */
  | { type: 'marked'; id: number; sentAtMs: number }
  | { type: 'error'; id: number; message: string };

const COMMAND_TYPES: ReadonlySet<string> = new Set(['blast', 'setRate', 'marker', 'stats', 'drop', 'close']);
const REPLY_TYPES: ReadonlySet<string> = new Set(['started', 'blasted', 'stats', 'dropped', 'done', 'marked', 'error']);

/** True when `raw` has the envelope of a message of one of `types` (`type` and a whole-number `id`). */
function hasEnvelope(raw: unknown, types: ReadonlySet<string>): raw is { type: string; id: number } {
  if (typeof raw !== 'object' || raw === null) return false;
  const { type, id } = raw as { type?: unknown; id?: unknown };
  return typeof type === 'string' && types.has(type) && Number.isInteger(id);
}

/**
 * The IPC channel is a process boundary: both sides check the envelope of what arrives, and ignore what is
 * not one of their messages. Past the envelope the two sides are this one file, compiled together.
 */
export function asSimCommand(raw: unknown): SimCommand | undefined {
  return hasEnvelope(raw, COMMAND_TYPES) ? (raw as SimCommand) : undefined;
}

function asSimReply(raw: unknown): SimReply | undefined {
  return hasEnvelope(raw, REPLY_TYPES) ? (raw as SimReply) : undefined;
}

/** What a blast did, as the simulator saw it. */
export interface BlastResult {
  records: number;
  elapsedMs: number;
  /** CPU time of the simulator's process during the blast (only meaningful out of process). */
  cpuMs: number;
}

/** What the simulator sent so far. */
export interface SimStats {
  totalRecordsSent: number;
  sendLog: SendLogRow[];
  connections: number;
  /** RSS of the simulator's process (bytes); NaN in process, where it would be the caller's own. */
  rssBytes: number;
}

/** A running simulator, wherever it runs. */
export interface SimHandle {
  readonly mode: 'process' | 'in-process';
  readonly kind: SimSpec['kind'];
  readonly wsUrl: string;
  readonly restUrl: string;
  blast(trId: string, symbol: string, records: number, recordsPerFrame: number): Promise<BlastResult>;
  setRate(rate: number | 'max', symbol?: string): Promise<void>;
  /** Sends a trade of `symbol` at `price` (child process only); resolves with its send time (epoch ms). */
  marker(symbol: string, price: number): Promise<number>;
  stats(): Promise<SimStats>;
  /**
   * Ends every connection now: abruptly (1006) by default, or with a close frame when `clean` is given.
   * Resolves with the send log as it stood when the sockets were ended.
   */
  drop(clean?: { code: number; reason: string }): Promise<SendLogRow[]>;
  close(): Promise<void>;
}

/** True when the environment asks for the simulator in this process. */
export function simInProcessRequested(): boolean {
  return process.env.BENCH_SIM_INPROCESS === '1';
}

/** Starts a KisSimulator; in a child process unless `inProcess` (default: `BENCH_SIM_INPROCESS=1`). */
export async function startSim(options: SimulatorOptions, inProcess = simInProcessRequested()): Promise<SimHandle> {
  return inProcess ? startInProcess(options) : startChild({ kind: 'simulator', options });
}

/** Starts the wire-speed sender (bench/wireServer.ts); in a child process unless `inProcess`. */
export async function startWire(inProcess = simInProcessRequested()): Promise<SimHandle> {
  if (!inProcess) return startChild({ kind: 'wire' });
  const wire = await WireServer.start();
  return {
    mode: 'in-process',
    kind: 'wire',
    wsUrl: wire.wsUrl,
    restUrl: wire.restUrl,
    async blast(trId, symbol, records, recordsPerFrame) {
      return { ...(await wire.blast(trId, symbol, records, recordsPerFrame)), cpuMs: Number.NaN };
    },
    async setRate() {
      throw new Error('the wire-speed sender has no timer streams');
    },
    async marker() {
      throw new Error('the wire-speed sender sends no markers');
    },
    async stats() {
      return {
        totalRecordsSent: wire.totalRecordsSent(),
        sendLog: wire.sendLog(),
        connections: wire.connectionCount,
        rssBytes: Number.NaN,
      };
    },
    async drop() {
      throw new Error('the wire-speed sender has no drop');
    },
    close: () => wire.close(),
  };
}

async function startInProcess(options: SimulatorOptions): Promise<SimHandle> {
  const sim = await KisSimulator.start(options);
  return {
    mode: 'in-process',
    kind: 'simulator',
    wsUrl: sim.wsUrl,
    restUrl: sim.restUrl,
    async blast(trId, symbol, records, recordsPerFrame) {
      const result = await sim.blast({ trId, symbol, records, recordsPerFrame });
      return { ...result, cpuMs: Number.NaN };
    },
    async setRate(rate, symbol) {
      sim.setRate(rate, symbol);
    },
    async marker() {
      throw new Error('markers are sent by the simulator process only');
    },
    async stats() {
      return {
        totalRecordsSent: sim.totalRecordsSent(),
        sendLog: sim.sendLog(),
        connections: sim.connectionCount,
        rssBytes: Number.NaN,
      };
    },
    async drop(clean) {
      if (clean) sim.closeAll(clean.code, clean.reason);
      else sim.dropAll();
      return sim.sendLog();
    },
    close: () => sim.close(),
  };
}

/** `Omit<T, 'id'>` applied to each member of a union. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

type Pending = { resolve: (reply: SimReply) => void; reject: (error: Error) => void };

async function startChild(spec: SimSpec): Promise<SimHandle> {
  const script = path.join(__dirname, 'sim-child.js');
  const child: ChildProcess = fork(script, [JSON.stringify(spec)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // Not this process's flags (--expose-gc, --cpu-prof...): BENCH_SIM_NODE_ARGS to profile the simulator.
    execArgv: (process.env.BENCH_SIM_NODE_ARGS ?? '').split(' ').filter((a) => a !== ''),
  });
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started = new Promise<{ wsUrl: string; restUrl: string }>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`simulator process exited early (code ${code})`)));
    child.on('message', (raw: unknown) => {
      const reply = asSimReply(raw);
      if (reply === undefined) return;
      if (reply.type === 'started') {
        resolve({ wsUrl: reply.wsUrl, restUrl: reply.restUrl });
        return;
      }
      const waiter = pending.get(reply.id);
      if (waiter === undefined) return;
      pending.delete(reply.id);
      if (reply.type === 'error') waiter.reject(new Error(`simulator: ${reply.message}`));
      else waiter.resolve(reply);
    });
  });
  child.once('exit', () => {
    exited = true;
    for (const waiter of pending.values()) waiter.reject(new Error('simulator process exited'));
    pending.clear();
  });
  const { wsUrl, restUrl } = await started;
  const call = (command: WithoutId<SimCommand>): Promise<SimReply> =>
    new Promise<SimReply>((resolve, reject) => {
      if (exited) {
        reject(new Error('simulator process exited'));
        return;
      }
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ ...command, id } as SimCommand);
    });
  return {
    mode: 'process',
    kind: spec.kind,
    wsUrl,
    restUrl,
    async blast(trId, symbol, records, recordsPerFrame) {
      const reply = await call({ type: 'blast', trId, symbol, records, recordsPerFrame });
      if (reply.type !== 'blasted') throw new Error(`unexpected reply ${reply.type}`);
      return { records: reply.records, elapsedMs: reply.elapsedMs, cpuMs: reply.cpuMs };
    },
    async setRate(rate, symbol) {
      await call({ type: 'setRate', rate, ...(symbol === undefined ? {} : { symbol }) });
    },
    async marker(symbol, price) {
      const reply = await call({ type: 'marker', symbol, price });
      if (reply.type !== 'marked') throw new Error(`unexpected reply ${reply.type}`);
      return reply.sentAtMs;
    },
    async stats() {
      const reply = await call({ type: 'stats' });
      if (reply.type !== 'stats') throw new Error(`unexpected reply ${reply.type}`);
      return {
        totalRecordsSent: reply.totalRecordsSent,
        sendLog: reply.sendLog,
        connections: reply.connections,
        rssBytes: reply.rssBytes,
      };
    },
    async drop(clean) {
      const reply = await call({ type: 'drop', ...(clean === undefined ? {} : { clean }) });
      if (reply.type !== 'dropped') throw new Error(`unexpected reply ${reply.type}`);
      return reply.sendLog;
    },
    async close() {
      if (!exited) {
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await call({ type: 'close' }).catch(() => undefined);
        await exitedPromise;
        clearTimeout(timer);
      }
    },
  };
}
