/**
 * The simulator as its own process, for benchmarks: `fork(out/bench/sim-child.js)` with
 * `{kind, options}` as JSON in argv[2]: `kind` 'simulator' runs `KisSimulator` with `options`, 'wire' runs
 * the wire-speed sender (bench/wireServer.ts). Commands arrive over the IPC channel and each gets one
 * reply with the same `id` (see bench/simProcess.ts for the typed parent side).
 *
 * Why a separate process: on a 2-core machine a simulator blasting at full speed in the same process
 * takes its CPU from the very event loop that is being measured. In its own process it competes only for
 * the second core, as the KIS server (on another machine) would not compete at all.
 */
import { performance } from 'node:perf_hooks';
import { formatFrame } from '../../src/kis';
import { H0STCNT0 } from '../../src/kis/layouts/krx';
import { KisSimulator, type SimRate } from '../../src/simulator';
import { asSimCommand, type SimReply, type SimSpec } from './simProcess';
import { WireServer } from './wireServer';

/** What the commands need, whichever server runs. */
interface Server {
  wsUrl: string;
  restUrl: string;
  blast(
    trId: string,
    symbol: string,
    records: number,
    perFrame: number,
  ): Promise<{ records: number; elapsedMs: number }>;
  setRate(rate: SimRate, symbol?: string): void;
  marker(symbol: string, price: number): void;
  totalRecordsSent(): number;
  sendLog(): ReturnType<KisSimulator['sendLog']>;
  connectionCount: number;
  drop(clean?: { code: number; reason: string }): void;
  close(): Promise<void>;
}

const TRADE = 'H0STCNT0';

async function startServer(spec: SimSpec): Promise<Server> {
  if (spec.kind === 'wire') {
    const wire = await WireServer.start();
    return {
      wsUrl: wire.wsUrl,
      restUrl: wire.restUrl,
      blast: (trId, symbol, records, perFrame) => wire.blast(trId, symbol, records, perFrame),
      setRate: () => {
        throw new Error('the wire-speed sender has no timer streams');
      },
      marker: () => {
        throw new Error('the wire-speed sender sends no markers');
      },
      totalRecordsSent: () => wire.totalRecordsSent(),
      sendLog: () => wire.sendLog(),
      get connectionCount() {
        return wire.connectionCount;
      },
      drop: () => {
        throw new Error('the wire-speed sender has no drop');
      },
      close: () => wire.close(),
    };
  }
  const sim = await KisSimulator.start(spec.options);
  return {
    wsUrl: sim.wsUrl,
    restUrl: sim.restUrl,
    blast: (trId, symbol, records, recordsPerFrame) => sim.blast({ trId, symbol, records, recordsPerFrame }),
    setRate: (rate, symbol) => {
      sim.setRate(rate, symbol);
      // setRate keeps each stream's rate clock (records due = elapsed × rate − sent), so after a faster
      // rate a slower one is silent until the clock catches up; resume() restarts the clocks (it is a
      // no-op otherwise on a simulator that is not stalled), so the new rate holds from now on.
      sim.resume();
    },
    marker: (symbol, price) => {
      // A copy of the symbol's last trade with another price (needs the send log: sendLogLimit > 0).
      const last = sim.sentRecords(TRADE, symbol).at(-1);
      if (last === undefined) throw new Error(`no trade of ${symbol} sent yet to copy a marker from`);
      const fields = last.split('^');
      fields[H0STCNT0.STCK_PRPR] = String(price);
      sim.sendRaw(formatFrame(TRADE, 1, fields.join('^')));
    },
    totalRecordsSent: () => sim.totalRecordsSent(),
    sendLog: () => sim.sendLog(),
    get connectionCount() {
      return sim.connectionCount;
    },
    drop: (clean) => {
      if (clean) sim.closeAll(clean.code, clean.reason);
      else sim.dropAll();
    },
    close: () => sim.close(),
  };
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{"kind":"simulator","options":{}}') as SimSpec;
  const sim = await startServer(spec);
  const send = (reply: SimReply): void => {
    process.send?.(reply);
  };
  let closing = false;
  const close = async (): Promise<void> => {
    if (closing) return;
    closing = true;
    await sim.close();
    if (process.connected) process.disconnect();
  };
  // The parent going away (crash, Ctrl-C) must not leave a listening simulator behind.
  process.on('disconnect', () => void close().then(() => process.exit(0)));

  process.on('message', (raw: unknown) => {
    const command = asSimCommand(raw);
    if (command === undefined) return;
    void (async () => {
      try {
        switch (command.type) {
          case 'blast': {
            const cpu = process.cpuUsage();
            const result = await sim.blast(command.trId, command.symbol, command.records, command.recordsPerFrame);
            send({
              type: 'blasted',
              id: command.id,
              records: result.records,
              elapsedMs: result.elapsedMs,
              cpuMs: cpuMs(cpu),
            });
            return;
          }
          case 'setRate':
            sim.setRate(command.rate as SimRate, command.symbol);
            send({ type: 'done', id: command.id });
            return;
          case 'marker': {
            const sentAtMs = performance.timeOrigin + performance.now();
            sim.marker(command.symbol, command.price);
            send({ type: 'marked', id: command.id, sentAtMs });
            return;
          }
          case 'stats':
            send({
              type: 'stats',
              id: command.id,
              totalRecordsSent: sim.totalRecordsSent(),
              sendLog: sim.sendLog(),
              connections: sim.connectionCount,
              rssBytes: process.memoryUsage().rss,
            });
            return;
          case 'drop':
            // Same turn as the drop: the log then holds exactly what went out before the sockets ended.
            sim.drop(command.clean);
            send({ type: 'dropped', id: command.id, sendLog: sim.sendLog() });
            return;
          case 'close':
            send({ type: 'done', id: command.id });
            await close();
            return;
        }
      } catch (error) {
        send({ type: 'error', id: command.id, message: error instanceof Error ? error.message : String(error) });
      }
    })();
  });
  send({ type: 'started', id: 0, wsUrl: sim.wsUrl, restUrl: sim.restUrl });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
