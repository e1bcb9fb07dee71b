/**
 * `kis-monitor record --out FILE [options] CODE...`: runs the agent with the recorder on its tap until
 * Ctrl+C (or a closed stdout), a limit, or a fatal error, printing one `{"type":"recording",…}` line per
 * second. Exit 0 after a stop or a limit, 1 on a fatal error or a file that cannot be written, 2 for bad input.
 */
import * as path from 'node:path';
import { KisAgent } from '../agent';
import { noticeTrOf } from '../kis';
import { RecordingError, RecordingWriter } from '../recorder';
import type { KisSimulator } from '../simulator';
import { command, EXIT, parseCommandArgs, positiveNumber, UsageError, type ParsedArgs } from './args';
import type { CliIo } from './io';
import {
  checkUrl,
  credentialsFor,
  endpointsOf,
  endpointsOrSimulator,
  sourceFlag,
  SOURCE_OPTIONS,
  type Source,
} from './source';
import { codesOf, SUBSCRIPTION_OPTIONS, trIdsOf } from './subscriptions';
import { waitForStop } from './stop';

export const RECORD_USAGE = `Usage: kis-monitor record --out FILE [options] CODE...
Records a session to a file (replay it with kis-monitor replay).

  --out FILE                      the recording to write (replaced if it exists)
  --source simulator|paper|real   data source (default: an embedded simulator)
  --url ws://HOST:PORT            WebSocket URL (with --source simulator: an external simulator)
  --rest-url http://HOST:PORT     REST base URL for the approval key (default: derived from --url or the source's)
  --tr TR_ID                      TR to subscribe for every code, repeatable (default H0STCNT0)
  --limit-mb N                    stop at about N MB on disk
  --limit-minutes N               stop after N minutes
  -h, --help                      this text
  --version                       the version

  Output: {"type":"recording",...} per second on stdout; logs on stderr.
  Exit: 0 after Ctrl+C, a closed stdout or a limit, 1 on a fatal error, 2 for bad input.
`;

const OPTIONS = {
  ...SOURCE_OPTIONS,
  ...SUBSCRIPTION_OPTIONS,
  out: { type: 'string' },
  'limit-mb': { type: 'string' },
  'limit-minutes': { type: 'string' },
} as const;

/** What `record` will do, from its flags (exported for tests). */
export interface RecordPlan {
  out: string;
  source: Source;
  wsUrl?: string;
  restUrl?: string;
  trIds: string[];
  codes: string[];
  limitBytes?: number;
  limitMs?: number;
  appkey: string;
  appsecret: string;
}

/** Reads and checks the `record` flags. @throws UsageError with a sentence that says what is wrong. */
export function planRecord(
  { values: v, positionals }: ParsedArgs<typeof OPTIONS>,
  env: Record<string, string | undefined>,
  cwd: string,
): RecordPlan {
  if (v.out === undefined || v.out === '') throw new UsageError('--out FILE is required');
  const named = sourceFlag(v.source);
  checkUrl('--url', v.url, ['ws:', 'wss:']);
  checkUrl('--rest-url', v['rest-url'], ['http:', 'https:']);
  const source: Source = named ?? (v.url === undefined ? 'embedded' : 'simulator');
  const trIds = trIdsOf(v.tr);
  const codes = codesOf(positionals, trIds);
  const limitMb = positiveNumber('--limit-mb', v['limit-mb']);
  const limitMinutes = positiveNumber('--limit-minutes', v['limit-minutes']);
  return {
    out: path.resolve(cwd, v.out),
    source,
    ...endpointsOf(source, v.url, v['rest-url']),
    trIds,
    codes,
    limitBytes: limitMb === undefined ? undefined : Math.round(limitMb * 1024 * 1024),
    limitMs: limitMinutes === undefined ? undefined : Math.round(limitMinutes * 60_000),
    ...credentialsFor(source, env),
  };
}

async function runRecord(plan: RecordPlan, io: CliIo): Promise<number> {
  const log = (text: string): void => void io.stderr.write(`kis-monitor record: ${text}\n`);
  const writer = await RecordingWriter.open({
    file: plan.out,
    source: plan.source === 'embedded' ? 'simulator' : plan.source,
    meta: { trIds: plan.trIds, codes: plan.codes },
    limitBytes: plan.limitBytes,
    limitMs: plan.limitMs,
    appkey: plan.appkey,
    appsecret: plan.appsecret,
    // Notices are recorded only when asked for by name (--tr H0STCNI0 <HTS ID>): they hold the account.
    keepNotices: plan.trIds.some((trId) => noticeTrOf(trId) !== undefined),
  });
  writer.on('error', (error) => log(error.message));
  const stop = waitForStop(io.signal);
  let sim: KisSimulator | undefined;
  let agent: KisAgent | undefined;
  let ticker: NodeJS.Timeout | undefined;
  try {
    const endpoints = await endpointsOrSimulator(plan, log);
    sim = endpoints.sim;
    const { wsUrl, restUrl } = endpoints;
    agent = new KisAgent({
      wsUrl,
      restUrl,
      appkey: plan.appkey,
      appsecret: plan.appsecret,
      sink: { push: () => undefined },
      tap: writer.tap,
    });
    const current = agent;
    current.on('log', (l) => log(`[${l.level}] ${l.message}`));
    current.on('error', () => undefined);
    const fatal = new Promise<number>((resolve) =>
      current.on('state', (s) => s.to === 'stopped' && resolve(EXIT.failure)),
    );
    const limit = new Promise<number>((resolve) =>
      writer.on('limit', (reason) => (log(`stopping at the ${reason}`), resolve(EXIT.ok))),
    );
    const status = (): void =>
      void io.stdout.write(`${JSON.stringify({ type: 'recording', file: plan.out, ...writer.stats() })}\n`);
    ticker = setInterval(status, io.statsIntervalMs ?? 1000);
    log(`recording to ${plan.out}`);
    current.connect().catch(() => undefined);
    for (const trId of plan.trIds) {
      for (const code of plan.codes)
        current
          .subscribe(trId, code)
          .catch((e: unknown) => log(`${trId} ${code}: ${e instanceof Error ? e.message : String(e)}`));
    }
    const code = await Promise.race([stop.done.then(() => EXIT.ok), fatal, limit]);
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

/**
 * A recording's own errors: a file that is no recording, or a bad replay option, is bad input (2); a
 * file that cannot be written or read is a runtime failure (1).
 */
export function recordingErrorExit(io: CliIo, name: string, error: RecordingError): number {
  if (error.code !== 'IO_ERROR') throw new UsageError(error.message);
  io.stderr.write(`kis-monitor ${name}: ${error.message}\n`);
  return EXIT.failure;
}

export const recordCommand = command({
  name: 'record',
  usage: RECORD_USAGE,
  options: OPTIONS,
  positionals: true,
  async run(args, io) {
    const plan = planRecord(args, io.env ?? process.env, io.cwd ?? process.cwd());
    try {
      return await runRecord(plan, io);
    } catch (error) {
      if (error instanceof RecordingError) return recordingErrorExit(io, 'record', error);
      throw error;
    }
  },
});

/** `record`'s plan from raw arguments (tests). @throws UsageError */
export function parseRecordArgs(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  cwd: string,
): RecordPlan {
  return planRecord(parseCommandArgs(argv, OPTIONS, true), env, cwd);
}
