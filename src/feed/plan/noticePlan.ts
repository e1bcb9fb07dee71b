/**
 * The execution-notice registrations of a session: with an HTS ID, the domestic notice TR of the source
 * (H0STCNI0 real, H0STCNI9 paper and the simulator, which plays the paper server), and the overseas one
 * (H0GSCNI0 / H0GSCNI9) while the watchlist holds a US symbol. The key is the HTS ID (kis-protocol.md §8.3).
 * They come first in the plan: a fill matters more than a book. Pure.
 */
import type { DataSource } from '../../settings';
import { INTL_NOTICE_TR, KRX_NOTICE_TR, NOTICE_TRS } from '../../kis/layouts/notice';
import { symbolMarket } from '../../market/symbols';
import type { PlannedSubscription } from './subscriptionPlan';

/** The notice registrations for `source` and the HTS ID (none without one, or on a replay). */
export function noticeRegistrations(
  source: DataSource,
  htsId: string | undefined,
  symbols: readonly string[],
): PlannedSubscription[] {
  const key = htsId?.trim() ?? '';
  if (key === '' || source === 'replay') return [];
  const env = source === 'real' ? 'real' : 'paper';
  const plan: PlannedSubscription[] = [{ trId: KRX_NOTICE_TR[env], trKey: key }];
  if (wantsOverseasNotices(symbols)) plan.push({ trId: INTL_NOTICE_TR[env], trKey: key });
  return plan;
}

/** True when `symbols` (the watchlist and the holdings) hold a US symbol: the overseas notices are then wanted. */
export function wantsOverseasNotices(symbols: readonly string[]): boolean {
  return symbols.some((s) => symbolMarket(s) === 'us');
}

/** True for a registration of a notice TR (its key is the HTS ID: never shown, never a watchlist symbol). */
export function isNoticeRegistration(registration: Pick<PlannedSubscription, 'trId'>): boolean {
  return NOTICE_TRS.has(registration.trId);
}
