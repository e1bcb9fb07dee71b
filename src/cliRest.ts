/**
 * `kis-monitor quote CODE` and `kis-monitor bars CODE [--daily]`: print what the REST client returns, as
 * JSON on stdout. Against an embedded simulator by default; `--source paper|real` reads KIS_APPKEY and
 * KIS_APPSECRET and caches the access token in a 0600 file under the user's cache directory.
 */
import { parseArgs } from 'node:util';
import { isKrxCode } from './market';
import { MARKET_DIVS, REST_HOSTS, type MarketDiv } from './kis/rest';
import { defaultCacheDir, FileTokenStore, KisRestClient, MemoryTokenStore, RestError } from './rest';
import { KisSimulator } from './simulator';

/** Where the REST commands write. */
export interface RestCliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env?: Record<string, string | undefined>;
}

/** The usage text of the REST commands. */
export const REST_USAGE = `kis-monitor quote CODE [options]      the current price (REST inquire-price)
kis-monitor bars CODE [--daily] [options]  today's 1-minute bars since the open, or daily candles
  --exchange J|NX|UN              KRX, NXT or unified (default J)
  --source simulator|paper|real   default: an embedded simulator; paper/real read KIS_APPKEY and KIS_APPSECRET
  --rest-url URL                  REST base URL (default: the source's)
`;

/** Runs `quote` or `bars`; resolves with the exit code (0 ok, 1 REST failure, 2 bad input). */
export async function runRestCommand(command: 'quote' | 'bars', argv: readonly string[], io: RestCliIo): Promise<number> {
  let values: { exchange?: string; source?: string; 'rest-url'?: string; daily?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { exchange: { type: 'string' }, source: { type: 'string' }, 'rest-url': { type: 'string' }, daily: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (e) {
    return usage(io, (e as Error).message);
  }
  if (values.help === true) {
    io.stdout.write(REST_USAGE);
    return 0;
  }
  const code = positionals[0];
  if (positionals.length !== 1 || !isKrxCode(code)) return usage(io, 'exactly one KRX code is required, e.g. 005930');
  const exchange = (values.exchange ?? 'J') as MarketDiv;
  if (!MARKET_DIVS.includes(exchange)) return usage(io, `--exchange must be J, NX or UN, got ${values.exchange}`);
  const source = values.source ?? 'simulator';
  if (source !== 'simulator' && source !== 'paper' && source !== 'real') return usage(io, `--source must be simulator, paper or real, got ${source}`);
  const env = io.env ?? process.env;
  let appkey = 'SIMULATOR-APPKEY';
  let appsecret = 'SIMULATOR-APPSECRET';
  if (source !== 'simulator') {
    appkey = env.KIS_APPKEY ?? '';
    appsecret = env.KIS_APPSECRET ?? '';
    if (appkey === '' || appsecret === '') return usage(io, `--source ${source} needs KIS_APPKEY and KIS_APPSECRET in the environment`);
  }
  let sim: KisSimulator | undefined;
  let baseUrl = values['rest-url'];
  if (baseUrl === undefined) {
    if (source === 'simulator') {
      sim = await KisSimulator.start({ port: 0, symbols: [{ code }] });
      baseUrl = sim.restUrl;
    } else {
      baseUrl = REST_HOSTS[source];
    }
  }
  const client = new KisRestClient({
    baseUrl,
    env: source === 'paper' ? 'paper' : 'real',
    appkey,
    appsecret,
    store: source === 'simulator' ? new MemoryTokenStore() : new FileTokenStore(defaultCacheDir(env)),
  });
  try {
    const result = command === 'quote' ? await client.price(code, exchange) : values.daily === true ? await client.dailyBars(code, exchange) : await client.minuteBars(code, exchange);
    io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } catch (e) {
    io.stderr.write(`kis-monitor ${command}: ${e instanceof RestError ? e.message : 'unexpected failure'}\n`);
    return 1;
  } finally {
    client.close();
    await sim?.close();
  }
}

function usage(io: RestCliIo, message: string): number {
  io.stderr.write(`kis-monitor: ${message}\n\n${REST_USAGE}`);
  return 2;
}
