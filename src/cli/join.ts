/**
 * `kis-monitor watch --join`: share one KIS session with every other process of this user (VS Code
 * windows, other CLIs). The first process leads (runs the agent with its own credentials), the others
 * follow; when the leader exits, a follower takes over.
 *
 * Output on stdout, one JSON line each: `{"type":"hub","role":…}` on every role change,
 * `{"type":"status",…}`, `{"type":"snapshot","seq":…,"quotes":[{symbol,last,trades}]}`, `{"type":"gap",…}`.
 * Logs on stderr. Exit codes: 0 after Ctrl+C or a closed stdout, 1 when the hub refused us (token,
 * version, unsafe directory), 2 for bad input.
 */
import { createHash } from 'node:crypto';
import * as os from 'node:os';
import type { HubWant } from '../shared/hubProtocol';
import { createAgentEngine } from '../hub/engine';
import { HubError } from '../hub/errors';
import { Hub } from '../hub/hub';
import { defaultHubDir } from '../hub/paths';
import { command, EXIT, UsageError, type ParsedArgs } from './args';
import { writeLine, type CliIo } from './io';
import { checkUrl, credentialsFor, endpointsOf, sourceFlag, SOURCE_OPTIONS } from './source';
import { codesOf, SUBSCRIPTION_OPTIONS, trIdsOf } from './subscriptions';
import { waitForStop } from './stop';

export const JOIN_USAGE = `Usage: kis-monitor watch --join [options] CODE...
Shares one KIS session with the other windows and CLIs of this user.

  --source simulator|paper|real   (simulator needs --url: an embedded simulator is never shared)
  --url ws://HOST:PORT            WebSocket URL (default: the source's)
  --rest-url http://HOST:PORT     REST base URL (default: derived from --url or the source's)
  --tr TR_ID                      TR per code, repeatable (default H0STCNT0)
  --name NAME                     this process's name in the hub (default cli-<pid>@<host>)
  --hub-dir DIR                   the per-user hub directory (default: $XDG_RUNTIME_DIR/kis-monitor or <tmp>/kis-monitor-<uid>)
  -h, --help                      this text
  --version                       the version

  paper/real: the leader reads KIS_APPKEY and KIS_APPSECRET; followers need none.
  Output: {"type":"hub"|"status"|"snapshot"|"gap",...} lines on stdout; logs on stderr.
  Exit: 0 after Ctrl+C or a closed stdout, 1 when the hub refuses this process, 2 for bad input.
`;

const OPTIONS = {
  ...SOURCE_OPTIONS,
  ...SUBSCRIPTION_OPTIONS,
  join: { type: 'boolean' },
  name: { type: 'string' },
  'hub-dir': { type: 'string' },
} as const;

interface JoinPlan {
  source: string;
  wsUrl: string;
  restUrl: string;
  wants: HubWant[];
  name: string;
  dir: string;
  appkey: string;
  appsecret: string;
}

/** Reads and checks the flags. @throws UsageError */
function planJoin(
  { values, positionals }: ParsedArgs<typeof OPTIONS>,
  env: Record<string, string | undefined>,
): JoinPlan {
  const named = sourceFlag(values.source);
  checkUrl('--url', values.url, ['ws:', 'wss:']);
  checkUrl('--rest-url', values['rest-url'], ['http:', 'https:']);
  const source = named ?? (values.url === undefined ? undefined : 'simulator');
  if (source === undefined) throw new UsageError('--source must be simulator (with --url), paper or real');
  if (source === 'simulator' && values.url === undefined)
    throw new UsageError('--source simulator needs --url (an embedded simulator is never shared)');
  const { wsUrl, restUrl } = endpointsOf(source, values.url, values['rest-url']) as { wsUrl: string; restUrl: string };
  const trIds = trIdsOf(values.tr);
  const codes = codesOf(positionals, trIds);
  // One hub per source; simulators are told apart by URL (hashed: the tag names a socket file).
  const tag = source === 'simulator' ? `sim-${createHash('sha256').update(wsUrl).digest('hex').slice(0, 12)}` : source;
  return {
    source: tag,
    wsUrl,
    restUrl,
    wants: trIds.flatMap((trId) => codes.map((trKey) => ({ trId, trKey }))),
    name: values.name ?? `cli-${process.pid}@${os.hostname()}`,
    dir: values['hub-dir'] ?? defaultHubDir(env),
    // A follower needs no credentials: without them this process follows and never leads.
    ...credentialsFor(source, env, true),
  };
}

async function runJoin(plan: JoinPlan, io: CliIo): Promise<number> {
  const line = (value: Record<string, unknown>): void => writeLine(io.stdout, value);
  const log = (level: string, text: string): void => void io.stderr.write(`kis-monitor: [${level}] ${text}\n`);
  // A follower needs no credentials; without them this process must never lead.
  const canLead = plan.appkey !== '' && plan.appsecret !== '';
  if (!canLead) log('info', 'no KIS_APPKEY/KIS_APPSECRET: this process can follow but not lead');
  const stop = waitForStop(io.signal);
  const hub = new Hub({
    dir: plan.dir,
    source: plan.source,
    name: plan.name,
    wants: plan.wants,
    canLead,
    log,
    startEngine: (holds) =>
      createAgentEngine({
        wsUrl: plan.wsUrl,
        restUrl: plan.restUrl,
        appkey: plan.appkey,
        appsecret: plan.appsecret,
        holds,
        log,
      }),
  });
  hub.on('role', (role) => line({ type: 'hub', role, pid: process.pid }));
  hub.on('status', (s) => line({ type: 'status', ...s }));
  hub.on('gap', (gap) => line({ type: 'gap', ...gap }));
  hub.on('snapshot', (s) =>
    line({
      type: 'snapshot',
      seq: s.seq,
      quotes: s.quotes.map((q) => ({ symbol: q.symbol, last: q.last, trades: q.trades })),
    }),
  );
  const stopped = new Promise<number>((resolve) => hub.on('stopped', () => resolve(EXIT.failure)));
  // join() waits for a leader when this process cannot lead, so it races the stop request too.
  const failed = hub.join().then(
    () => new Promise<number>(() => undefined),
    (error: unknown) => {
      if (!(error instanceof HubError)) throw error;
      log('error', `${error.message} (${error.code})`);
      return EXIT.failure;
    },
  );
  const code = await Promise.race([stop.done.then(() => EXIT.ok), stopped, failed]);
  stop.dispose();
  await hub.dispose();
  return code;
}

/** `watch --join`: `--join` is one of its flags, wherever it stands. */
export const joinCommand = command({
  name: 'watch --join',
  usage: JOIN_USAGE,
  options: OPTIONS,
  positionals: true,
  run: (args, io) => runJoin(planJoin(args, io.env ?? process.env), io),
});
