/**
 * Today's orders from inquire-daily-ccld, every page of them (src/kis/rest/dailyCcld.ts): the first call
 * with empty keys, then `tr_cont: N` with the previous page's keys while the response's `tr_cont` is F or
 * M. The Fills view merges them with the live notices after a restart. Nothing here logs the account.
 */
import {
  balanceHasMore,
  DAILY_CCLD,
  dailyCcldQuery,
  parseDailyCcldPage,
  type AccountNumber,
  type BalanceCursor,
  type DailyCcldPage,
  type DailyOrder,
} from '../kis/rest';
import { BalanceError, type BalancePager } from './balance';

/** 40 pages are 600 orders on paper (4,000 on real): a bound on a server that keeps saying "more". */
export const MAX_DAILY_CCLD_PAGES = 40;

/** The day's orders, newest first as KIS lists them, and how many pages it took. */
export interface DailyOrders {
  orders: DailyOrder[];
  pages: number;
}

/**
 * Reads every page of the orders of `date` (YYYYMMDD, KST). An order listed on two pages keeps its
 * latest row. Paging failures are BalanceErrors (PAGING_STUCK, TOO_MANY_PAGES); the client's are RestErrors.
 */
export async function fetchDailyOrders(
  client: BalancePager,
  account: AccountNumber,
  date: string,
  maxPages = MAX_DAILY_CCLD_PAGES,
): Promise<DailyOrders> {
  const byOrder = new Map<string, DailyOrder>();
  let cursor: BalanceCursor = { fk100: '', nk100: '' };
  let trCont: '' | 'N' = '';
  for (let pages = 1; ; pages++) {
    const answer = await client.page<DailyCcldPage>(
      DAILY_CCLD,
      dailyCcldQuery(account, date, cursor),
      trCont,
      parseDailyCcldPage,
    );
    for (const order of answer.value.orders) byOrder.set(order.orderNo, order);
    if (!balanceHasMore(answer.trCont)) return { orders: [...byOrder.values()], pages };
    const next = answer.value.cursor;
    if (next.fk100.trim() === cursor.fk100.trim() && next.nk100.trim() === cursor.nk100.trim()) {
      throw new BalanceError('PAGING_STUCK', 'KIS said more pages follow but gave the same continuation keys');
    }
    if (pages >= maxPages) throw new BalanceError('TOO_MANY_PAGES', `more than ${maxPages} pages of orders`);
    cursor = next;
    trCont = 'N';
  }
}
