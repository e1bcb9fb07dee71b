/**
 * `kis-monitor`: the command-line face of the agent (bundled to dist/cli.js).
 *
 *   kis-monitor sim [options]                      run the KIS simulator in the foreground
 *   kis-monitor watch [options] CODE...            stream records as JSON lines
 *
 * `watch` prints one JSON line per record on stdout (`{"type":"record",...}`), one `{"type":"stats",...}`
 * line per second, and logs on stderr. Exit codes: 0 after Ctrl+C, 1 when the agent stops on a fatal
 * error (bad credentials), 2 for bad input (flag, code, missing environment).
 *
 * The logic lives in `main(argv, io)` so tests run it in-process; only the last lines touch `process`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { KisAgent, type RecordSink } from './agent';
import { isKrxCode, type DataSource } from './market';
import { DAY_LAYOUTS, readOrderBook, readTrade, splitRecords, TR, type DataFrame } from './kis';
import { dayRecordLines } from './cliDay';
import { KisSimulator } from './simulator';
import { runSimCommand } from './simulator/cli';
import { runRestCommand } from './cliRest';
import { WorkerHost } from './worker/host';
import { waitForStop } from './common/stopSignal';
import { runJoinCommand } from './hub/joinCommand';
import { RECORDING_USAGE, runRecordingCommand } from './cli/recording';

/** Where `main` reads and writes; everything optional defaults to the process. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Environment (KIS_APPKEY, KIS_APPSECRET). Default process.env. */
  env?: Record<string, string | undefined>;
  /** Base for relative --handler paths. Default process.cwd(). */
  cwd?: string;
  /** Stops the command when aborted (tests). Without it, SIGINT/SIGTERM stop it. */
  signal?: AbortSignal;
  /** Period of the stats line (ms). Default 1000. */
  statsIntervalMs?: number;
}

/** The live and paper endpoints (kis-protocol.md §1). */
export const ENDPOINTS = {
  real: { wsUrl: 'ws://ops.koreainvestment.com:21000', restUrl: 'https://openapi.koreainvestment.com:9443' },
  paper: { wsUrl: 'ws://ops.koreainvestment.com:31000', restUrl: 'https://openapivts.koreainvestment.com:29443' },
} as const;

const USAGE = `Usage: kis-monitor <command> [options]

Commands:
  sim      run the KIS simulator in the foreground (kis-monitor sim --help)
  watch    stream real-time records as JSON lines
           (watch --join: share one KIS session with this user's other windows; watch --join --help)
  record   record a session to a file; replay  serve a recording through the simulator
  quote    the current price by REST (kis-monitor quote --help)
  bars     today's minute bars or daily candles by REST

kis-monitor watch [options] CODE...
  --source simulator|paper|real   data source (default: an embedded simulator on a free port)
  --url ws://HOST:PORT            WebSocket URL (default: the source's; with --source simulator, an external simulator)
  --rest-url http://HOST:PORT     REST base URL for the approval key (default: derived from --url or the source's)
  --tr TR_ID                      TR to subscribe for every code, repeatable (default H0STCNT0; e.g. H0STASP0)
  --handler ./module.js           a CommonJS record handler run in the worker thread, repeatable
  --max-in-flight N               subscribe requests on the wire at once (default 1)
  -h, --help                      this text

  paper/real read the credentials from KIS_APPKEY and KIS_APPSECRET.
  Output: {"type":"record",...} per record and {"type":"stats",...} per second on stdout; logs on stderr.

${RECORDING_USAGE}`;

/** A parse failure: the message goes to stderr with exit code 2. */
class UsageError extends Error {}

type Source = 'embedded' | DataSource;

interface WatchPlan {
  source: Source;
  wsUrl?: string;
  restUrl?: string;
  trIds: string[];
  codes: string[];
  handlers: string[];
  maxInFlight: number;
  appkey: string;
  appsecret: string;
}

/** Runs the CLI; resolves with the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'sim') {
    return runSimCommand(rest, { stdout: io.stdout, stderr: io.stderr, signal: io.signal });
  }
  if (command === 'watch' && rest.includes('--join')) {
    return runJoinCommand(rest.filter((a) => a !== '--join'), io);
  }
  if (command === 'record' || command === 'replay') return runRecordingCommand(command, rest, io);
  if (command === 'quote' || command === 'bars') return runRestCommand(command, rest, io);
  if (command === 'watch') {
    let plan: WatchPlan | 'help';
    try {
      plan = parseWatchArgs(rest, io.env ?? process.env, io.cwd ?? process.cwd());
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      io.stderr.write(`kis-monitor watch: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (plan === 'help') {
      io.stdout.write(USAGE);
      return 0;
    }
    return runWatch(plan, io);
  }
  if (command === '-h' || command === '--help' || command === 'help') {
    io.stdout.write(USAGE);
    return 0;
  }
  io.stderr.write(`${command === undefined ? 'kis-monitor: a command is required' : `kis-monitor: unknown command "${command}"`}\n\n${USAGE}`);
  return 2;
}

/**
 * Reads and checks the `watch` arguments.
 * @throws UsageError with a sentence that says exactly what is wrong.
 */
function parseWatchArgs(argv: readonly string[], env: Record<string, string | undefined>, cwd: string): WatchPlan | 'help' {
  let parsed: ReturnType<typeof parseWatchFlags>;
  try {
    parsed = parseWatchFlags(argv);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';

  const sourceFlag = values.source;
  if (sourceFlag !== undefined && !['simulator', 'paper', 'real'].includes(sourceFlag)) {
    throw new UsageError(`--source must be simulator, paper or real, not "${sourceFlag}"`);
  }
  for (const [flag, value, schemes] of [
    ['--url', values.url, ['ws:', 'wss:']],
    ['--rest-url', values['rest-url'], ['http:', 'https:']],
  ] as const) {
    if (value === undefined) continue;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new UsageError(`${flag} "${value}" is not a URL`);
    }
    if (!(schemes as readonly string[]).includes(url.protocol)) throw new UsageError(`${flag} must start with ${schemes.join(' or ')}//`);
  }
  const source: Source = sourceFlag === undefined ? (values.url === undefined ? 'embedded' : 'simulator') : (sourceFlag as Source);

  const trIds = (values.tr ?? [TR.TRADE]).flatMap((t) => t.split(',')).map((t) => t.trim()).filter((t) => t !== '');
  for (const trId of trIds) {
    if (!/^[A-Z0-9]{8}$/.test(trId)) throw new UsageError(`--tr "${trId}" is not a TR id (e.g. H0STCNT0, H0STASP0)`);
  }
  const codes = [...new Set(positionals.flatMap((p) => p.split(',')).map((c) => c.trim()).filter((c) => c !== ''))];
  if (codes.length === 0) throw new UsageError('give at least one symbol code, e.g. 005930');
  const notices = trIds.every((t) => t === TR.NOTICE || t === TR.NOTICE_PAPER);
  for (const code of codes) {
    const ok = notices ? /^[A-Za-z0-9._-]{1,32}$/.test(code) : isKrxCode(code);
    if (!ok) throw new UsageError(`"${code}" is not a ${notices ? 'HTS ID' : 'KRX code (six characters, e.g. 005930)'}`);
  }
  if (codes.length * trIds.length > 41) {
    throw new UsageError(`${codes.length} codes × ${trIds.length} TRs = ${codes.length * trIds.length} registrations; KIS allows 41 real-time registrations per session`);
  }

  const maxInFlight = values['max-in-flight'] === undefined ? 1 : Number(values['max-in-flight']);
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1 || maxInFlight > 41) {
    throw new UsageError(`--max-in-flight must be an integer 1..41, not "${values['max-in-flight']}"`);
  }

  const handlers = (values.handler ?? []).map((h) => path.resolve(cwd, h));
  for (const handler of handlers) {
    if (!fs.existsSync(handler) || !fs.statSync(handler).isFile()) throw new UsageError(`--handler ${handler} does not exist`);
  }

  let appkey = env.KIS_APPKEY ?? '';
  let appsecret = env.KIS_APPSECRET ?? '';
  if (source === 'paper' || source === 'real') {
    const missing = [appkey ? '' : 'KIS_APPKEY', appsecret ? '' : 'KIS_APPSECRET'].filter((m) => m !== '');
    if (missing.length > 0) throw new UsageError(`--source ${source} needs the environment variable${missing.length > 1 ? 's' : ''} ${missing.join(' and ')}`);
  } else {
    // The simulator accepts any non-empty pair unless it was started with --appkey/--secret.
    appkey ||= 'SIMULATOR-APPKEY';
    appsecret ||= 'SIMULATOR-APPSECRET';
  }

  let wsUrl = values.url;
  let restUrl = values['rest-url'];
  if (source === 'paper' || source === 'real') {
    wsUrl ??= ENDPOINTS[source].wsUrl;
    restUrl ??= ENDPOINTS[source].restUrl;
  } else if (source === 'simulator' && wsUrl !== undefined && restUrl === undefined) {
    // The simulator serves REST and WebSocket on one port.
    const url = new URL(wsUrl);
    restUrl = `${url.protocol === 'wss:' ? 'https:' : 'http:'}//${url.host}`;
  }
  return { source, wsUrl, restUrl, trIds, codes, handlers, maxInFlight, appkey, appsecret };
}

function parseWatchFlags(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      source: { type: 'string' },
      url: { type: 'string' },
      'rest-url': { type: 'string' },
      tr: { type: 'string', multiple: true },
      handler: { type: 'string', multiple: true },
      'max-in-flight': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/** Formats each record of a batch as a JSON line and writes the batch with one write. */
export class RecordPrinter implements RecordSink {
  constructor(private readonly out: { write(text: string): unknown }) {}

  push(frames: readonly DataFrame[]): void {
    let text = '';
    for (const frame of frames) {
      const fields = splitRecords(frame);
      if (DAY_LAYOUTS.has(frame.trId)) {
        for (const line of dayRecordLines(frame, fields, Date.now())) text += `${JSON.stringify(line)}\n`;
        continue;
      }
      for (let i = 0; i < frame.count; i++) text += `${JSON.stringify(recordLine(frame, fields, i * frame.width))}\n`;
    }
    if (text !== '') this.out.write(text);
  }
}

/** One record as the `watch` output line. */
function recordLine(frame: DataFrame, fields: readonly string[], offset: number): Record<string, unknown> {
  if (frame.trId === TR.TRADE) {
    const t = readTrade(fields, offset, frame.width);
    return {
      type: 'record',
      trId: frame.trId,
      symbol: t.symbol,
      time: t.time,
      price: t.price,
      volume: t.tradeVolume,
      change: t.change,
      rate: t.rate,
      sign: t.sign,
      cumVolume: t.cumVolume,
      bestAsk: t.ask1,
      bestBid: t.bid1,
    };
  }
  if (frame.trId === TR.ORDER_BOOK) {
    const b = readOrderBook(fields, offset, 1, frame.width);
    return {
      type: 'record',
      trId: frame.trId,
      symbol: b.symbol,
      time: b.time,
      bestAsk: b.asks[0]?.price ?? 0,
      bestBid: b.bids[0]?.price ?? 0,
      askSize: b.asks[0]?.size ?? 0,
      bidSize: b.bids[0]?.size ?? 0,
      totalAskSize: b.totalAskSize,
      totalBidSize: b.totalBidSize,
    };
  }
  return { type: 'record', trId: frame.trId, symbol: fields[offset] ?? '', fields: fields.slice(offset, offset + frame.width) };
}

/** Hands each batch to every sink; one sink throwing does not starve the others (the first error is rethrown, and counted by the agent). */
function teeSink(sinks: readonly RecordSink[]): RecordSink {
  return {
    push(frames) {
      let failure: unknown;
      for (const sink of sinks) {
        try {
          sink.push(frames);
        } catch (error) {
          failure ??= error;
        }
      }
      if (failure !== undefined) throw failure;
    },
  };
}

async function runWatch(plan: WatchPlan, io: CliIo): Promise<number> {
  const stop = waitForStop(io.signal);
  let sim: KisSimulator | undefined;
  let host: WorkerHost | undefined;
  let agent: KisAgent | undefined;
  let ticker: NodeJS.Timeout | undefined;
  const log = (text: string): void => void io.stderr.write(`kis-monitor: ${text}\n`);
  try {
    let { wsUrl, restUrl } = plan;
    if (plan.source === 'embedded' || (plan.source === 'simulator' && wsUrl === undefined)) {
      sim = await KisSimulator.start({ port: 0, symbols: plan.codes.filter((c) => isKrxCode(c)) });
      wsUrl = sim.wsUrl;
      restUrl = sim.restUrl;
      log(`embedded simulator at ${wsUrl}`);
    }
    const sinks: RecordSink[] = [new RecordPrinter(io.stdout)];
    if (plan.handlers.length > 0) {
      host = new WorkerHost({ userHandlers: plan.handlers });
      host.on('error', (error) => log(`[worker] ${error.message}`));
      host.on('handlerError', (e) => log(`[handler] ${e.handler}: ${e.message}`));
      host.on('restart', (e) => log(`[worker] restarted (${e.reason})`));
      sinks.push(host);
    }
    agent = new KisAgent({
      wsUrl: wsUrl as string,
      restUrl: restUrl as string,
      appkey: plan.appkey,
      appsecret: plan.appsecret,
      sink: teeSink(sinks),
      maxInFlight: plan.maxInFlight,
    });
    const current = agent;
    current.on('log', (l) => log(`[${l.level}] ${l.message}`));
    current.on('state', (s) => log(`state ${s.from} → ${s.to}${s.reason ? `: ${s.reason}` : ''}`));
    current.on('error', () => undefined); // already in the log
    const fatal = new Promise<number>((resolve) => {
      current.on('state', (s) => {
        if (s.to === 'stopped') resolve(1);
      });
    });
    const printStats = (): void => {
      io.stdout.write(`${JSON.stringify({ type: 'stats', ...current.stats(), worker: host?.stats() })}\n`);
    };
    ticker = setInterval(printStats, io.statsIntervalMs ?? 1000);

    const connecting = current.connect().then(
      () => undefined,
      () => undefined, // a fatal stop is reported through `fatal`; a user stop ends the command anyway
    );
    for (const trId of plan.trIds) {
      for (const code of plan.codes) {
        current.subscribe(trId, code).then(
          (r) => log(`${trId} ${code}: ${r.status}`),
          (error: unknown) => log(`${trId} ${code}: ${error instanceof Error ? error.message : String(error)}`),
        );
      }
    }
    const code = await Promise.race([stop.done.then(() => 0), fatal]);
    log(code === 0 ? 'stopping' : `stopped: ${current.stats().lastError ?? 'fatal error'}`);
    // Dispose before waiting on the connect: one still in backoff (or in the OPSP8996 pause) settles only
    // when the agent stops, so waiting first would hang on Ctrl+C against an unreachable server. The last
    // stats line is a summary of the live session, printed before it is torn down.
    clearInterval(ticker);
    printStats();
    await current.dispose();
    await connecting;
    return code;
  } finally {
    if (ticker) clearInterval(ticker);
    stop.dispose();
    await agent?.dispose();
    await host?.dispose();
    await sim?.close();
  }
}

/* c8 ignore start -- the process entry point; tests call main() in-process */
if (require.main === module) {
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`kis-monitor: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
/* c8 ignore stop */
