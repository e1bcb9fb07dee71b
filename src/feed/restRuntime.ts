/**
 * The feed's REST side for one running source (issue 15): a KisRestClient on the source's REST host
 * (the embedded simulator's too) with the host's TokenStore (SecretStorage in the extension), and the
 * RestPrices that write REST quotes into the one read model. Closed with the source.
 */
import { DEFAULT_RATE, KisRestClient, routedPrices, type TokenStore } from '../rest';
import type { DataSource } from '../settings';
import type { QuoteState } from '../shared/snapshot';
import type { MarketModel } from './readModel';
import { RestPrices } from './restPrices';
import type { OpenedSource } from './source';
import type { FeedOptions } from './types';

/** The REST side of a running source. */
export interface RestRuntime {
  client: KisRestClient;
  prices: RestPrices;
}

/** Share of the key's rate the round-robin may use: the rest is kept for one-shot quotes and history. */
const ROUND_ROBIN_SHARE = 2 / 3;

/** Opens the REST side of `opened` (see the file comment); `onQuotes` gets the quotes it put into `model`. */
export function openRestRuntime(
  opened: OpenedSource,
  source: DataSource,
  model: MarketModel,
  opts: Pick<FeedOptions, 'tokenStore' | 'log'>,
  onQuotes: (quotes: QuoteState[]) => void,
): RestRuntime {
  const env = source === 'paper' ? 'paper' : 'real';
  const store: TokenStore | undefined = opts.tokenStore;
  const client = new KisRestClient({ baseUrl: opened.restUrl, env, ...opened.credentials, store, log: (line) => opts.log.info(line) });
  // Indices and US keys are priced by their own endpoints (src/rest/intlPrices.ts).
  const prices = new RestPrices({ client: routedPrices(client), model, exchange: () => 'J', refreshPerSecond: DEFAULT_RATE[env] * ROUND_ROBIN_SHARE });
  prices.onDidChange((symbols) => onQuotes(model.quotesOf(symbols)));
  return { client, prices };
}

/** Detaches (`detach`, so nothing new starts on it), stops the round-robin, waits for requests in flight, releases the client. */
export async function closeRestRuntime(rest: RestRuntime | undefined, detach: () => void): Promise<void> {
  detach();
  if (rest === undefined) return;
  rest.prices.dispose();
  rest.client.close();
  await rest.prices.settled();
}
