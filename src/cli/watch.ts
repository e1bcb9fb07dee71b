/**
 * `kis-monitor watch [options] CODE...`: the agent in a terminal. Prints one JSON line per record on
 * stdout (`{"type":"record",...}`, see watchOutput.ts), one `{"type":"stats",...}` line per second, and
 * logs on stderr. Ends with 0 on Ctrl+C (or a closed stdout), 1 when the agent stops on a fatal error
 * (bad credentials). `watch --join` is join.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KisAgent, type RecordSink } from '../agent';
import { noticeTrOf, shownTrKey } from '../kis';
import type { KisSimulator } from '../simulator';
import { WorkerHost } from '../worker/host';
import { command, EXIT, integerIn, UsageError, type ParsedArgs } from './args';
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
import { codesOf, MAX_REGISTRATIONS, SUBSCRIPTION_OPTIONS, trIdsOf } from './subscriptions';
import { waitForStop } from './stop';
import { RecordPrinter } from './watchOutput';

export const WATCH_USAGE = `Usage: kis-monitor watch [options] CODE...
Streams real-time records as JSON lines.

  --source simulator|paper|real   data source (default: an embedded simulator on a free port)
  --url ws://HOST:PORT            WebSocket URL (default: the source's; with --source simulator, an external simulator)
  --rest-url http://HOST:PORT     REST base URL for the approval key (default: derived from --url or the source's)
  --tr TR_ID                      TR to subscribe for every code, repeatable (default H0STCNT0; e.g. H0STASP0)
  --handler ./module.js           a CommonJS record handler run in the worker thread, repeatable
  --max-in-flight N               subscribe requests on the wire at once (default 1)
  --join                          share one KIS session with this user's other windows (kis-monitor watch --join --help)
  -h, --help                      this text
  --version                       the version

  paper/real read the credentials from KIS_APPKEY and KIS_APPSECRET.
  Output: {"type":"record",...} per record and {"type":"stats",...} per second on stdout; logs on stderr.
  Exit: 0 after Ctrl+C or a closed stdout, 1 when KIS refuses the session, 2 for bad input.
`;

const OPTIONS = {
  ...SOURCE_OPTIONS,
  ...SUBSCRIPTION_OPTIONS,
  handler: { type: 'string', multiple: true },
  'max-in-flight': { type: 'string' },
} as const;

/** What `watch` will do, from its flags. */
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

/** Reads and checks the flags. @throws UsageError with a sentence that says exactly what is wrong. */
function planWatch(
  { values, positionals }: ParsedArgs<typeof OPTIONS>,
  env: Record<string, string | undefined>,
  cwd: string,
): WatchPlan {
  const named = sourceFlag(values.source);
  checkUrl('--url', values.url, ['ws:', 'wss:']);
  checkUrl('--rest-url', values['rest-url'], ['http:', 'https:']);
  const source: Source = named ?? (values.url === undefined ? 'embedded' : 'simulator');
  const trIds = trIdsOf(values.tr);
  const codes = codesOf(positionals, trIds);
  const inFlight = values['max-in-flight'];
  const maxInFlight = inFlight === undefined ? 1 : integerIn('--max-in-flight', inFlight, 1, MAX_REGISTRATIONS);
  const handlers = (values.handler ?? []).map((h) => path.resolve(cwd, h));
  for (const handler of handlers) {
    if (!fs.existsSync(handler) || !fs.statSync(handler).isFile())
      throw new UsageError(`--handler ${handler} does not exist`);
  }
  const { appkey, appsecret } = credentialsFor(source, env);
  const { wsUrl, restUrl } = endpointsOf(source, values.url, values['rest-url']);
  return { source, wsUrl, restUrl, trIds, codes, handlers, maxInFlight, appkey, appsecret };
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
  // A notice's tr_key is the HTS ID: every log and stats line (the agent's too) shows only its first characters.
  const noticeTr = plan.trIds.find((t) => noticeTrOf(t) !== undefined);
  const hidden = noticeTr === undefined ? [] : plan.codes.map((id) => [id, shownTrKey(noticeTr, id)] as const);
  const hide = (text: string): string => {
    let shown = text;
    for (const [id, mask] of hidden) shown = shown.split(id).join(mask);
    return shown;
  };
  const log = (text: string): void => void io.stderr.write(`kis-monitor: ${hide(text)}\n`);
  try {
    const endpoints = await endpointsOrSimulator(plan, log);
    sim = endpoints.sim;
    const { wsUrl, restUrl } = endpoints;
    const sinks: RecordSink[] = [new RecordPrinter(io.stdout)];
    if (plan.handlers.length > 0) {
      host = new WorkerHost({ userHandlers: plan.handlers });
      host.on('error', (error) => log(`[worker] ${error.message}`));
      host.on('handlerError', (e) => log(`[handler] ${e.handler}: ${e.message}`));
      host.on('restart', (e) => log(`[worker] restarted (${e.reason})`));
      sinks.push(host);
    }
    agent = new KisAgent({
      wsUrl,
      restUrl,
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
        if (s.to === 'stopped') resolve(EXIT.failure);
      });
    });
    const printStats = (): void => {
      // The agent keys lastTickAt by a record's first field, which is the HTS ID in a notice.
      io.stdout.write(`${hide(JSON.stringify({ type: 'stats', ...current.stats(), worker: host?.stats() }))}\n`);
    };
    ticker = setInterval(printStats, io.statsIntervalMs ?? 1000);

    const connecting = current.connect().then(
      () => undefined,
      () => undefined, // a fatal stop is reported through `fatal`; a user stop ends the command anyway
    );
    for (const trId of plan.trIds) {
      for (const code of plan.codes) {
        // A notice's tr_key is the HTS ID: the log shows only its first characters.
        const shown = shownTrKey(trId, code);
        current.subscribe(trId, code).then(
          (r) => log(`${trId} ${shown}: ${r.status}`),
          (error: unknown) =>
            log(
              `${trId} ${shown}: ${(error instanceof Error ? error.message : String(error)).split(code).join(shown)}`,
            ),
        );
      }
    }
    const code = await Promise.race([stop.done.then(() => EXIT.ok), fatal]);
    log(code === EXIT.ok ? 'stopping' : `stopped: ${current.stats().lastError ?? 'fatal error'}`);
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

export const watchCommand = command({
  name: 'watch',
  usage: WATCH_USAGE,
  options: OPTIONS,
  positionals: true,
  run: (args, io) => runWatch(planWatch(args, io.env ?? process.env, io.cwd ?? process.cwd()), io),
});
