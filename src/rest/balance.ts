/**
 * The account's positions from inquire-balance, every page of them (kis-rest.md §6): the first call with
 * empty keys, then `tr_cont: N` with the previous page's `ctx_area_fk100`/`ctx_area_nk100` while the
 * response's `tr_cont` is F or M. Errors are data: a RestError from the client (KIS refused, the body was
 * malformed, …) or a BalanceError for what this module checks itself. Nothing here logs the account.
 */
import {
  balanceHasMore,
  balanceQuery,
  parseBalancePage,
  type AccountNumber,
  type BalanceCursor,
  type BalancePage,
  type BalancePosition,
  type Envelope,
  type Endpoint,
  type EndpointSpec,
} from '../kis/rest';

/** What paging needs of the client (KisRestClient; a fake in tests). */
export interface BalancePager {
  page<T>(
    endpoint: Endpoint | EndpointSpec,
    query: Record<string, string>,
    trCont: '' | 'N',
    parse: (env: Envelope) => T,
  ): Promise<{ value: T; trCont: string }>;
}

/** Why the import stopped on its own account (the client's failures are RestErrors). */
export type BalanceErrorCode = 'TOO_MANY_PAGES' | 'PAGING_STUCK';

/** An error of the paging itself, with a stable code. */
export class BalanceError extends Error {
  constructor(
    readonly code: BalanceErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'BalanceError';
  }
}

/** The positions held (quantity > 0), in KIS's order, and how many pages it took. */
export interface AccountBalance {
  positions: BalancePosition[];
  pages: number;
}

/**
 * 40 pages are 800 positions on paper (2,000 on real): far beyond any watchlist, and a bound on a server
 * that keeps saying "more".
 */
export const MAX_BALANCE_PAGES = 40;

/** Reads every page of the account's balance; see the file comment. */
export async function fetchBalance(
  client: BalancePager,
  account: AccountNumber,
  maxPages = MAX_BALANCE_PAGES,
): Promise<AccountBalance> {
  const bySymbol = new Map<string, BalancePosition>();
  let cursor: BalanceCursor = { fk100: '', nk100: '' };
  let trCont: '' | 'N' = '';
  for (let pages = 1; ; pages++) {
    const answer = await client.page<BalancePage>('balance', balanceQuery(account, cursor), trCont, parseBalancePage);
    // A symbol seen on two pages (it should not happen) keeps its latest row: one holding per symbol.
    for (const p of answer.value.positions) {
      // hldg_qty 0: sold out today, still listed until D+2 (kis-rest.md §6): not a holding.
      if (p.quantity > 0) bySymbol.set(p.symbol, p);
      else bySymbol.delete(p.symbol);
    }
    if (!balanceHasMore(answer.trCont)) return { positions: [...bySymbol.values()], pages };
    const next = answer.value.cursor;
    if (next.fk100.trim() === cursor.fk100.trim() && next.nk100.trim() === cursor.nk100.trim()) {
      throw new BalanceError('PAGING_STUCK', 'KIS said more pages follow but gave the same continuation keys');
    }
    if (pages >= maxPages) throw new BalanceError('TOO_MANY_PAGES', `more than ${maxPages} pages of positions`);
    cursor = next;
    trCont = 'N';
  }
}
