/**
 * Where a command's data comes from, read the same way by every command: `--source`, `--url`,
 * `--rest-url`, the credentials in the environment, and KIS's own endpoints (src/kis/hosts.ts).
 */
import { KIS_ENDPOINTS } from '../kis';
import { isKrxCode } from '../market';
import { KisSimulator } from '../simulator';
import { UsageError } from './args';

/** A source named on the command line. */
export type SourceFlag = 'simulator' | 'paper' | 'real';
/** What a command connects to: an embedded simulator it starts, an external one, or KIS. */
export type Source = 'embedded' | SourceFlag;

/** The flags that pick a source (every streaming command takes them). */
export const SOURCE_OPTIONS = {
  source: { type: 'string' },
  url: { type: 'string' },
  'rest-url': { type: 'string' },
} as const;

/** The simulator takes any non-empty pair unless it was started with --appkey/--secret. */
export const SIMULATOR_CREDENTIALS = { appkey: 'SIMULATOR-APPKEY', appsecret: 'SIMULATOR-APPSECRET' } as const;

/** Checks `--source`. @throws UsageError */
export function sourceFlag(text: string | undefined): SourceFlag | undefined {
  if (text === undefined || text === 'simulator' || text === 'paper' || text === 'real') return text;
  throw new UsageError(`--source must be simulator, paper or real, not "${text}"`);
}

/** Checks a URL flag against its schemes (e.g. ws:, wss:). @throws UsageError */
export function checkUrl(flag: string, value: string | undefined, schemes: readonly string[]): void {
  if (value === undefined) return;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag} "${value}" is not a URL`);
  }
  if (!schemes.includes(url.protocol))
    throw new UsageError(`${flag} must start with ${schemes.map((s) => `${s}//`).join(' or ')}`);
}

/** The REST base URL of a simulator that serves WebSocket on `wsUrl` (one port serves both). */
export function restUrlOf(wsUrl: string): string {
  const url = new URL(wsUrl);
  return `${url.protocol === 'wss:' ? 'https:' : 'http:'}//${url.host}`;
}

/** The endpoints to dial; undefined for an embedded simulator, known once it listens. */
export function endpointsOf(
  source: Source,
  wsUrl: string | undefined,
  restUrl: string | undefined,
): { wsUrl?: string; restUrl?: string } {
  if (source === 'paper' || source === 'real')
    return { wsUrl: wsUrl ?? KIS_ENDPOINTS[source].wsUrl, restUrl: restUrl ?? KIS_ENDPOINTS[source].restUrl };
  if (wsUrl !== undefined) return { wsUrl, restUrl: restUrl ?? restUrlOf(wsUrl) };
  return { wsUrl, restUrl };
}

/**
 * The appkey and secret: from KIS_APPKEY/KIS_APPSECRET for paper and real (required unless `optional`:
 * a hub follower needs none), else the simulator's stand-ins.
 * @throws UsageError naming the missing variables
 */
export function credentialsFor(
  source: Source,
  env: Record<string, string | undefined>,
  optional = false,
): { appkey: string; appsecret: string } {
  const appkey = env.KIS_APPKEY ?? '';
  const appsecret = env.KIS_APPSECRET ?? '';
  if (source !== 'paper' && source !== 'real') {
    return { appkey: appkey || SIMULATOR_CREDENTIALS.appkey, appsecret: appsecret || SIMULATOR_CREDENTIALS.appsecret };
  }
  const missing = [appkey ? '' : 'KIS_APPKEY', appsecret ? '' : 'KIS_APPSECRET'].filter((m) => m !== '');
  if (missing.length > 0 && !optional) {
    throw new UsageError(
      `--source ${source} needs the environment variable${missing.length > 1 ? 's' : ''} ${missing.join(' and ')}`,
    );
  }
  return { appkey, appsecret };
}

/**
 * The endpoints to connect to: the planned ones, or those of a simulator started here for `codes` when
 * none were given (the caller closes the simulator it gets back).
 */
export async function endpointsOrSimulator(
  plan: { wsUrl?: string; restUrl?: string; codes: readonly string[] },
  log: (text: string) => void,
): Promise<{ wsUrl: string; restUrl: string; sim?: KisSimulator }> {
  if (plan.wsUrl !== undefined && plan.restUrl !== undefined) return { wsUrl: plan.wsUrl, restUrl: plan.restUrl };
  const sim = await KisSimulator.start({ port: 0, symbols: plan.codes.filter((c) => isKrxCode(c)) });
  log(`embedded simulator at ${sim.wsUrl}`);
  return { wsUrl: sim.wsUrl, restUrl: sim.restUrl, sim };
}
