/**
 * The balance import's core (vscode-free): one KisRestClient on the source's REST host, every page of
 * inquire-balance (src/rest/balance.ts), and the holdings it yields. Every failure comes back as data with
 * a stable code; nothing here logs or returns the account number or a secret. The views ask for the
 * account and store it (src/views/portfolio/balanceImportCommand.ts).
 */
import {
  formatAccountNumber,
  maskAccountNumber,
  parseAccountNumber,
  type AccountCheck,
  type AccountNumber,
  type BalancePosition,
} from '../../kis/rest';
import { BalanceError, fetchBalance, KisRestClient, RestError, type TokenStore } from '../../rest';
import type { Holding } from '../../market/portfolio';
import type { Credentials } from '../types';

export { formatAccountNumber, maskAccountNumber, parseAccountNumber, type AccountCheck, type AccountNumber };

/** Where to ask: the REST host, its environment and the credentials. */
export interface BalanceEndpoint {
  baseUrl: string;
  env: 'real' | 'paper';
  credentials: Credentials;
  store?: TokenStore;
  log?: (line: string) => void;
}

/** The outcome of one import. */
export type ImportOutcome =
  { ok: true; holdings: Holding[]; pages: number } | { ok: false; code: string; message: string };

/** Holdings from the account's positions (KRX positions, in KRW), marked as imported. */
export function holdingsOf(positions: readonly BalancePosition[]): Holding[] {
  return positions
    .filter((p) => p.quantity > 0 && p.averageCost > 0)
    .map((p) => ({
      symbol: p.symbol,
      quantity: p.quantity,
      averageCost: p.averageCost,
      currency: 'KRW',
      imported: true,
    }));
}

/** The longest an import waits for KIS's token limit (one request a minute per key). */
const TOKEN_WAIT_MAX_MS = 61_000;

/** Reads the account's holdings; see the file comment. */
export async function importBalance(endpoint: BalanceEndpoint, account: AccountNumber): Promise<ImportOutcome> {
  const client = new KisRestClient({
    baseUrl: endpoint.baseUrl,
    env: endpoint.env,
    ...endpoint.credentials,
    store: endpoint.store,
    log: endpoint.log,
  });
  try {
    const balance = await fetchBalance(client, account).catch(async (error: unknown) => {
      // KIS takes one token request a minute per key: the import waits for it once rather than failing the user.
      if (!(error instanceof RestError) || error.code !== 'TOKEN_TOO_SOON' || error.retryAfterMs === undefined)
        throw error;
      const waitMs = Math.min(error.retryAfterMs + 100, TOKEN_WAIT_MAX_MS);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
      return fetchBalance(client, account);
    });
    return { ok: true, holdings: holdingsOf(balance.positions), pages: balance.pages };
  } catch (error) {
    // RestError messages are redacted by the client and never hold the query (the account).
    if (error instanceof RestError || error instanceof BalanceError)
      return { ok: false, code: error.code, message: error.message };
    return { ok: false, code: 'UNKNOWN', message: error instanceof Error ? error.message : String(error) };
  } finally {
    client.close();
  }
}
