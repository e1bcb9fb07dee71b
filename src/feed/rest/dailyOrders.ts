/**
 * Today's orders for the Fills view after a restart (vscode-free): one KisRestClient on the source's REST
 * host, every page of inquire-daily-ccld (src/rest/dailyCcld.ts). Failures come back as data with a stable
 * code; nothing here logs or returns the account number or a secret.
 */
import type { AccountNumber, DailyOrder } from '../../kis/rest';
import { BalanceError, fetchDailyOrders, KisRestClient, RestError } from '../../rest';
import type { BalanceEndpoint } from './balanceImport';

/** The outcome of one read. */
export type DailyOrdersOutcome =
  { ok: true; orders: DailyOrder[]; pages: number } | { ok: false; code: string; message: string };

/** Reads the orders of `date` (YYYYMMDD, KST); see the file comment. */
export async function loadDailyOrders(
  endpoint: BalanceEndpoint,
  account: AccountNumber,
  date: string,
): Promise<DailyOrdersOutcome> {
  const client = new KisRestClient({
    baseUrl: endpoint.baseUrl,
    env: endpoint.env,
    ...endpoint.credentials,
    store: endpoint.store,
    log: endpoint.log,
  });
  try {
    const day = await fetchDailyOrders(client, account, date);
    return { ok: true, orders: day.orders, pages: day.pages };
  } catch (error) {
    // RestError messages are redacted by the client and never hold the query (the account).
    if (error instanceof RestError || error instanceof BalanceError)
      return { ok: false, code: error.code, message: error.message };
    return { ok: false, code: 'UNKNOWN', message: error instanceof Error ? error.message : String(error) };
  } finally {
    client.close();
  }
}
