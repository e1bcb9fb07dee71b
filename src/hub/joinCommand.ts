/**
 * `kis-monitor watch --join`: share one KIS session with every other process of this user (VS Code
 * windows, other CLIs). The first process leads (runs the agent with its own credentials), the others
 * follow; when the leader exits, a follower takes over.
 *
 * Output on stdout, one JSON line each: `{"type":"hub","role":…}` on every role change,
 * `{"type":"status",…}`, `{"type":"snapshot","seq":…,"quotes":[{symbol,last,trades}]}`, `{"type":"gap",…}`.
 * Logs on stderr. Exit codes: 0 after Ctrl+C, 1 when the hub refused us (token, version, unsafe
 * directory), 2 for bad input.
 */
import { createHash } from 'node:crypto';
import * as os from 'node:os';
import { parseArgs } from 'node:util';
import { TR } from '../kis';
import { isKrxCode } from '../market';
import { waitForStop } from '../common/stopSignal';
import type { HubWant } from '../shared/hubProtocol';
import { createAgentEngine } from './engine';
import { HubError } from './errors';
import { Hub } from './hub';
import { defaultHubDir } from './paths';

/** Where the command reads and writes (the CLI's io). */
export interface JoinIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
}

/** The endpoints of paper and real KIS (kis-protocol.md §1). */
const ENDPOINTS = {
  real: { wsUrl: 'ws://ops.koreainvestment.com:21000', restUrl: 'https://openapi.koreainvestment.com:9443' },
  paper: { wsUrl: 'ws://ops.koreainvestment.com:31000', restUrl: 'https://openapivts.koreainvestment.com:29443' },
} as const;

/** Help text of `watch --join`. */
export const JOIN_USAGE = `kis-monitor watch --join [options] CODE...
  share one KIS session with the other windows and CLIs of this user
  --source simulator|paper|real   (simulator needs --url: an embedded simulator is never shared)
  --url ws://HOST:PORT            WebSocket URL (default: the source's)
  --rest-url http://HOST:PORT     REST base URL (default: derived from --url or the source's)
  --tr TR_ID                      TR per code, repeatable (default H0STCNT0)
  --name NAME                     this process's name in the hub (default cli-<pid>)
  --hub-dir DIR                   the per-user hub directory (default: $XDG_RUNTIME_DIR/kis-monitor or <tmp>/kis-monitor-<uid>)
  paper/real: the leader reads KIS_APPKEY and KIS_APPSECRET; followers need none.
`;

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

function parse(argv: readonly string[], env: Record<string, string | undefined>): JoinPlan | 'help' {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      source: { type: 'string' },
      url: { type: 'string' },
      'rest-url': { type: 'string' },
      tr: { type: 'string', multiple: true },
      name: { type: 'string' },
      'hub-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) return 'help';
  const source = values.source ?? (values.url === undefined ? undefined : 'simulator');
  if (source !== 'simulator' && source !== 'paper' && source !== 'real') throw new Error('--source must be simulator (with --url), paper or real');
  let wsUrl = values.url;
  let restUrl = values['rest-url'];
  if (source === 'simulator') {
    if (wsUrl === undefined) throw new Error('--source simulator needs --url (an embedded simulator is never shared)');
    if (!/^wss?:\/\//.test(wsUrl)) throw new Error(`--url must start with ws:// or wss://`);
    restUrl ??= wsUrl.replace(/^ws/, 'http');
  } else {
    wsUrl ??= ENDPOINTS[source].wsUrl;
    restUrl ??= ENDPOINTS[source].restUrl;
  }
  const trIds = values.tr ?? [TR.TRADE];
  for (const trId of trIds) if (!/^[A-Z0-9]{8}$/.test(trId)) throw new Error(`--tr "${trId}" is not a TR id`);
  const codes = [...new Set(positionals)];
  if (codes.length === 0) throw new Error('give at least one symbol code, e.g. 005930');
  for (const code of codes) if (!isKrxCode(code)) throw new Error(`"${code}" is not a KRX code (six characters, e.g. 005930)`);
  let appkey = env.KIS_APPKEY ?? '';
  let appsecret = env.KIS_APPSECRET ?? '';
  if (source === 'simulator') {
    appkey ||= 'SIMULATOR-APPKEY';
    appsecret ||= 'SIMULATOR-APPSECRET';
  }
  // One hub per source; simulators are told apart by URL (hashed: the tag names a socket file).
  const tag = source === 'simulator' ? `sim-${createHash('sha256').update(wsUrl).digest('hex').slice(0, 12)}` : source;
  return {
    source: tag,
    wsUrl,
    restUrl,
    wants: trIds.flatMap((trId) => codes.map((trKey) => ({ trId, trKey }))),
    name: values.name ?? `cli-${process.pid}@${os.hostname()}`,
    dir: values['hub-dir'] ?? defaultHubDir(env),
    appkey,
    appsecret,
  };
}

/** Runs `watch --join` (argv without `watch` and `--join`); resolves with the exit code. */
export async function runJoinCommand(argv: readonly string[], io: JoinIo): Promise<number> {
  const env = io.env ?? process.env;
  let plan: JoinPlan | 'help';
  try {
    plan = parse(argv, env);
  } catch (error) {
    io.stderr.write(`kis-monitor watch --join: ${error instanceof Error ? error.message : String(error)}\n\n${JOIN_USAGE}`);
    return 2;
  }
  if (plan === 'help') {
    io.stdout.write(JOIN_USAGE);
    return 0;
  }
  const line = (value: Record<string, unknown>): void => void io.stdout.write(`${JSON.stringify(value)}\n`);
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
    startEngine: (holds) => createAgentEngine({ wsUrl: plan.wsUrl, restUrl: plan.restUrl, appkey: plan.appkey, appsecret: plan.appsecret, holds, log }),
  });
  hub.on('role', (role) => line({ type: 'hub', role, pid: process.pid }));
  hub.on('status', (s) => line({ type: 'status', ...s }));
  hub.on('gap', (gap) => line({ type: 'gap', ...gap }));
  hub.on('snapshot', (s) => line({ type: 'snapshot', seq: s.seq, quotes: s.quotes.map((q) => ({ symbol: q.symbol, last: q.last, trades: q.trades })) }));
  const stopped = new Promise<number>((resolve) => hub.on('stopped', () => resolve(1)));
  // join() waits for a leader when this process cannot lead, so it races the stop request too.
  const failed = hub.join().then(
    () => new Promise<number>(() => undefined),
    (error: unknown) => {
      if (!(error instanceof HubError)) throw error;
      log('error', `${error.message} (${error.code})`);
      return 1;
    },
  );
  const code = await Promise.race([stop.done.then(() => 0), stopped, failed]);
  stop.dispose();
  await hub.dispose();
  return code;
}
