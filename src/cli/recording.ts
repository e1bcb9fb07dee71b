/**
 * `kis-monitor record` and `kis-monitor replay` (issue 20):
 *
 *   kis-monitor record --out FILE [--source simulator|paper|real] [--url ws://…] [--tr TR_ID]…
 *                      [--limit-mb N] [--limit-minutes N] CODE…
 *   kis-monitor replay FILE [--speed 1|10|max] [--from HH:MM] [--port N]
 *
 * `record` runs the agent with the recorder on its tap until Ctrl+C, a limit, or a fatal error, printing
 * one `{"type":"recording",…}` line per second. `replay` serves the recording through a simulator (REST
 * approval + WebSocket on 127.0.0.1) until Ctrl+C, printing one `{"type":"replay",…}` line per second;
 * point `kis-monitor watch --url` or the extension's `advanced.wsUrl` at it.
 * Exit codes: 0 after a stop, 1 on a fatal error, 2 for bad input (flags, a file that is no recording).
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { KisAgent } from '../agent';
import { TR } from '../kis';
import { isKrxCode } from '../market';
import { RecordingError, RecordingWriter } from '../recorder';
import { checkSpeed, fromInstant, KisSimulator, ReplayFeed, type ReplayProgress } from '../simulator';
import { waitForStop } from '../common/stopSignal';

/** Where the commands read and write (the shape of `CliIo` in src/cli.ts). */
export interface RecordingCliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env?: Record<string, string | undefined>;
  cwd?: string;
  signal?: AbortSignal;
  statsIntervalMs?: number;
  /** Called once the replay server listens (tests read its address). */
  onReplayListening?: (sim: KisSimulator, feed: ReplayFeed) => void;
}

/** The usage text of both commands (src/cli.ts appends it to its own). */
export const RECORDING_USAGE = `kis-monitor record --out FILE [options] CODE...
  --out FILE                      the recording to write (replaced if it exists)
  --source simulator|paper|real   data source (default: an embedded simulator)
  --url ws://HOST:PORT            WebSocket URL (with --source simulator: an external simulator)
  --tr TR_ID                      TR to subscribe for every code, repeatable (default H0STCNT0)
  --limit-mb N                    stop at about N MB on disk
  --limit-minutes N               stop after N minutes

kis-monitor replay FILE [options]
  --speed 1|10|max                replay speed (default 1: as recorded)
  --from HH:MM                    start at this KST time of the recording's day
  --port N                        port on 127.0.0.1 (default 21000; 0 picks one)
`;

/** The live and paper endpoints (kis-protocol.md §1); the same as `watch` uses. */
const ENDPOINTS = {
  real: { wsUrl: 'ws://ops.koreainvestment.com:21000', restUrl: 'https://openapi.koreainvestment.com:9443' },
  paper: { wsUrl: 'ws://ops.koreainvestment.com:31000', restUrl: 'https://openapivts.koreainvestment.com:29443' },
} as const;

class UsageError extends Error {}

function positiveNumber(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`${flag} must be a positive number, not "${text}"`);
  return value;
}

/** What `record` will do, from its flags (exported for tests). */
export interface RecordPlan {
  out: string;
  source: 'embedded' | 'simulator' | 'paper' | 'real';
  wsUrl?: string;
  restUrl?: string;
  trIds: string[];
  codes: string[];
  limitBytes?: number;
  limitMs?: number;
  appkey: string;
  appsecret: string;
}

/**
 * Reads and checks the `record` flags.
 * @throws an Error (a usage error) with a sentence that says what is wrong.
 */
export function parseRecordArgs(argv: readonly string[], env: Record<string, string | undefined>, cwd: string): RecordPlan {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        out: { type: 'string' },
        source: { type: 'string' },
        url: { type: 'string' },
        tr: { type: 'string', multiple: true },
        'limit-mb': { type: 'string' },
        'limit-minutes': { type: 'string' },
      },
    });
  } catch (error) {
    // parseArgs throws only TypeErrors with a sentence (unknown option, missing value).
    throw new UsageError((error as Error).message);
  }
  const v = parsed.values;
  if (v.out === undefined || v.out === '') throw new UsageError('--out FILE is required');
  if (v.source !== undefined && !['simulator', 'paper', 'real'].includes(v.source)) {
    throw new UsageError(`--source must be simulator, paper or real, not "${v.source}"`);
  }
  if (v.url !== undefined && !/^wss?:\/\/.+/.test(v.url)) throw new UsageError('--url must start with ws:// or wss://');
  const source = (v.source ?? (v.url === undefined ? 'embedded' : 'simulator')) as RecordPlan['source'];
  const trIds = (v.tr ?? [TR.TRADE]).flatMap((t) => t.split(',')).map((t) => t.trim()).filter((t) => t !== '');
  for (const trId of trIds) if (!/^[A-Z0-9]{8}$/.test(trId)) throw new UsageError(`--tr "${trId}" is not a TR id (e.g. H0STCNT0)`);
  const codes = [...new Set(parsed.positionals.flatMap((p) => p.split(',')).map((c) => c.trim()).filter((c) => c !== ''))];
  if (codes.length === 0) throw new UsageError('give at least one symbol code, e.g. 005930');
  const notices = trIds.every((t) => t === TR.NOTICE || t === TR.NOTICE_PAPER);
  for (const code of codes) {
    if (!(notices ? /^[A-Za-z0-9._-]{1,32}$/.test(code) : isKrxCode(code))) throw new UsageError(`"${code}" is not a ${notices ? 'HTS ID' : 'KRX code'}`);
  }
  const limitMb = positiveNumber('--limit-mb', v['limit-mb']);
  const limitMinutes = positiveNumber('--limit-minutes', v['limit-minutes']);
  let appkey = env.KIS_APPKEY ?? '';
  let appsecret = env.KIS_APPSECRET ?? '';
  let wsUrl = v.url;
  let restUrl: string | undefined;
  if (source === 'paper' || source === 'real') {
    if (appkey === '' || appsecret === '') throw new UsageError(`--source ${source} needs KIS_APPKEY and KIS_APPSECRET in the environment`);
    wsUrl ??= ENDPOINTS[source].wsUrl;
    restUrl = ENDPOINTS[source].restUrl;
  } else {
    appkey ||= 'SIMULATOR-APPKEY';
    appsecret ||= 'SIMULATOR-APPSECRET';
    if (wsUrl !== undefined) restUrl = `${wsUrl.startsWith('wss:') ? 'https:' : 'http:'}//${new URL(wsUrl).host}`;
  }
  return {
    out: path.resolve(cwd, v.out),
    source,
    wsUrl,
    restUrl,
    trIds,
    codes,
    limitBytes: limitMb === undefined ? undefined : Math.round(limitMb * 1024 * 1024),
    limitMs: limitMinutes === undefined ? undefined : Math.round(limitMinutes * 60_000),
    appkey,
    appsecret,
  };
}

/** Runs `record` or `replay`; resolves with the exit code. */
export async function runRecordingCommand(command: 'record' | 'replay', argv: readonly string[], io: RecordingCliIo): Promise<number> {
  try {
    if (command === 'record') return await runRecord(parseRecordArgs(argv, io.env ?? process.env, io.cwd ?? process.cwd()), io);
    return await runReplay(argv, io);
  } catch (error) {
    if (error instanceof UsageError || (error instanceof RecordingError && error.code !== 'IO_ERROR')) {
      io.stderr.write(`kis-monitor ${command}: ${error.message}\n\n${RECORDING_USAGE}`);
      return 2;
    }
    if (error instanceof RecordingError) {
      io.stderr.write(`kis-monitor ${command}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

async function runRecord(plan: RecordPlan, io: RecordingCliIo): Promise<number> {
  const log = (text: string): void => void io.stderr.write(`kis-monitor record: ${text}\n`);
  const writer = await RecordingWriter.open({
    file: plan.out,
    source: plan.source === 'embedded' ? 'simulator' : plan.source,
    meta: { trIds: plan.trIds, codes: plan.codes },
    limitBytes: plan.limitBytes,
    limitMs: plan.limitMs,
    appkey: plan.appkey,
    appsecret: plan.appsecret,
  });
  writer.on('error', (error) => log(error.message));
  const stop = waitForStop(io.signal);
  let sim: KisSimulator | undefined;
  let agent: KisAgent | undefined;
  let ticker: NodeJS.Timeout | undefined;
  try {
    let { wsUrl, restUrl } = plan;
    if (wsUrl === undefined || restUrl === undefined) {
      sim = await KisSimulator.start({ port: 0, symbols: plan.codes.filter((c) => isKrxCode(c)) });
      wsUrl = sim.wsUrl;
      restUrl = sim.restUrl;
      log(`embedded simulator at ${wsUrl}`);
    }
    agent = new KisAgent({ wsUrl, restUrl, appkey: plan.appkey, appsecret: plan.appsecret, sink: { push: () => undefined }, tap: writer.tap });
    const current = agent;
    current.on('log', (l) => log(`[${l.level}] ${l.message}`));
    current.on('error', () => undefined);
    const fatal = new Promise<number>((resolve) => current.on('state', (s) => s.to === 'stopped' && resolve(1)));
    const limit = new Promise<number>((resolve) => writer.on('limit', (reason) => (log(`stopping at the ${reason}`), resolve(0))));
    const status = (): void => void io.stdout.write(`${JSON.stringify({ type: 'recording', file: plan.out, ...writer.stats() })}\n`);
    ticker = setInterval(status, io.statsIntervalMs ?? 1000);
    log(`recording to ${plan.out}`);
    current.connect().catch(() => undefined);
    for (const trId of plan.trIds) {
      for (const code of plan.codes) current.subscribe(trId, code).catch((e: unknown) => log(`${trId} ${code}: ${e instanceof Error ? e.message : String(e)}`));
    }
    const code = await Promise.race([stop.done.then(() => 0), fatal, limit]);
    await current.dispose();
    const final = await writer.close();
    clearInterval(ticker);
    io.stdout.write(`${JSON.stringify({ type: 'recording', file: plan.out, ...final })}\n`);
    return code;
  } finally {
    if (ticker) clearInterval(ticker);
    stop.dispose();
    await agent?.dispose();
    await writer.close();
    await sim?.close();
  }
}

/** The line printed when a replay ends: finished, finished at a cut, or stopped at damage. */
export function describeReplayEnd(p: ReplayProgress): string {
  if (p.state === 'failed') return `stopped: ${p.error?.message ?? 'the recording could not be read'}`;
  return p.truncated ? 'finished (the recording was cut short; played up to the cut)' : 'finished';
}

async function runReplay(argv: readonly string[], io: RecordingCliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: { speed: { type: 'string' }, from: { type: 'string' }, port: { type: 'string' } },
    });
  } catch (error) {
    // parseArgs throws only TypeErrors with a sentence (unknown option, missing value).
    throw new UsageError((error as Error).message);
  }
  const v = parsed.values;
  if (parsed.positionals.length !== 1) throw new UsageError('give exactly one recording FILE');
  const file = path.resolve(io.cwd ?? process.cwd(), parsed.positionals[0]);
  const speed = checkSpeed(v.speed === undefined ? 1 : v.speed === 'max' ? 'max' : Number(v.speed));
  if (v.from !== undefined) fromInstant(0, v.from);
  const port = v.port === undefined ? 21000 : Number(v.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0..65535, not "${v.port}"`);
  const sim = await KisSimulator.start({ port, synthetic: false });
  const stop = waitForStop(io.signal);
  let feed: ReplayFeed | undefined;
  let ticker: NodeJS.Timeout | undefined;
  try {
    feed = await ReplayFeed.start(sim, { file, speed, from: v.from });
    const current = feed;
    io.stderr.write(
      `kis-monitor replay: ${file} at ${speed === 'max' ? 'max speed' : `${speed}×`} on ${sim.wsUrl} (REST ${sim.restUrl}); ` +
        `connect with: kis-monitor watch --url ${sim.wsUrl} CODE…\n`,
    );
    const status = (): void => void io.stdout.write(`${JSON.stringify({ type: 'replay', ...current.progress() })}\n`);
    ticker = setInterval(status, io.statsIntervalMs ?? 1000);
    current.on('end', (p) => io.stderr.write(`kis-monitor replay: ${describeReplayEnd(p)}; still serving until Ctrl+C\n`));
    io.onReplayListening?.(sim, current);
    await stop.done;
    status();
    return 0;
  } finally {
    if (ticker) clearInterval(ticker);
    stop.dispose();
    await feed?.close();
    await sim.close();
  }
}
