/**
 * What `kis-monitor quote` and `kis-monitor bars` share: the flags, and a REST client for the source,
 * against an embedded simulator by default. `--source paper|real` reads KIS_APPKEY and KIS_APPSECRET and
 * caches the access token in a 0600 file under the user's cache directory.
 */
import { isKrxCode } from '../market';
import { MARKET_DIVS, type MarketDiv } from '../kis/rest';
import { defaultCacheDir, FileTokenStore, KisRestClient, MemoryTokenStore, RestError } from '../rest';
import { KisSimulator } from '../simulator';
import { EXIT, UsageError, type ParsedArgs } from './args';
import type { CliIo } from './io';
import { checkUrl, credentialsFor, endpointsOf, sourceFlag } from './source';

export const REST_OPTIONS = {
  exchange: { type: 'string' },
  source: { type: 'string' },
  'rest-url': { type: 'string' },
} as const;

/** The flags' lines of both usages. */
export const REST_FLAGS_USAGE = `  --exchange J|NX|UN              KRX, NXT or unified (default J)
  --source simulator|paper|real   default: an embedded simulator; paper/real read KIS_APPKEY and KIS_APPSECRET
  --rest-url URL                  REST base URL (default: the source's)
  -h, --help                      this text
  --version                       the version

  Output: the answer as JSON on stdout.
  Exit: 0 ok, 1 when KIS (or the simulator) answers with an error or cannot be reached, 2 for bad input.
`;

/** An answer that is not data: bad input the server cannot judge (exit 2) or nothing to show (exit 1). */
export class QueryProblem extends Error {
  constructor(
    message: string,
    readonly exit: 1 | 2,
  ) {
    super(message);
  }
}

/** One REST question: the code, the exchange, and the client to ask. */
export interface RestQuery {
  code: string;
  exchange: MarketDiv;
  client: KisRestClient;
}

/**
 * Checks the shared flags, opens a client, asks, prints the answer as JSON and closes everything.
 * @throws UsageError for bad input
 */
export async function runRestQuery(
  name: string,
  { values, positionals }: ParsedArgs<typeof REST_OPTIONS>,
  io: CliIo,
  ask: (query: RestQuery) => Promise<unknown>,
): Promise<number> {
  const code = positionals[0];
  if (positionals.length !== 1 || !isKrxCode(code))
    throw new UsageError('exactly one KRX code is required, e.g. 005930');
  const exchange = (values.exchange ?? 'J') as MarketDiv;
  if (!MARKET_DIVS.includes(exchange)) throw new UsageError(`--exchange must be J, NX or UN, not "${values.exchange}"`);
  const source = sourceFlag(values.source) ?? 'simulator';
  checkUrl('--rest-url', values['rest-url'], ['http:', 'https:']);
  const env = io.env ?? process.env;
  const { appkey, appsecret } = credentialsFor(source, env);
  let sim: KisSimulator | undefined;
  let baseUrl =
    source === 'simulator' ? values['rest-url'] : endpointsOf(source, undefined, values['rest-url']).restUrl;
  if (baseUrl === undefined) {
    sim = await KisSimulator.start({ port: 0, symbols: [{ code }] });
    baseUrl = sim.restUrl;
  }
  const client = new KisRestClient({
    baseUrl,
    env: source === 'paper' ? 'paper' : 'real',
    appkey,
    appsecret,
    // A simulator started here dies with this process; any other server (KIS, or `kis-monitor sim` at
    // --rest-url) issues one token a minute per key, so its token is kept for the next command.
    store: sim !== undefined ? new MemoryTokenStore() : new FileTokenStore(defaultCacheDir(env)),
  });
  try {
    io.stdout.write(`${JSON.stringify(await ask({ code, exchange, client }), null, 2)}\n`);
    return EXIT.ok;
  } catch (e) {
    if (e instanceof QueryProblem) {
      io.stderr.write(`kis-monitor ${name}: ${e.message}\n`);
      return e.exit;
    }
    io.stderr.write(`kis-monitor ${name}: ${e instanceof RestError ? e.message : 'unexpected failure'}\n`);
    return EXIT.failure;
  } finally {
    client.close();
    await sim?.close();
  }
}
