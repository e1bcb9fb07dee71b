/**
 * The watchlist's rules the feed applies: which settings restart a running source, how requested symbols
 * are sorted into added / already listed / over the budget / malformed, and how a persisted list is read.
 * Pure (extracted from marketFeed.ts).
 */
import { isSymbolCode } from '../market/symbols';
import type { Settings } from '../settings';
import { SESSION_BUDGET } from './subscriptionPlan';
import type { AddResult } from './types';

/** The settings a running source is built from: changing one restarts it. */
export const RESTART_SETTINGS: ReadonlyArray<keyof Settings> = ['dataSource', 'snapshotIntervalMs', 'maxInFlight', 'simulatorRatePerSymbol', 'wsUrl', 'restUrl', 'shareSimulator'];

/** Sorts requested symbols into malformed, already listed, over the budget, and fresh. */
export function sortAdditions(symbols: readonly string[], list: readonly string[]): { result: AddResult; fresh: string[] } {
  const result: AddResult = { added: [], already: [], overLimit: [], failed: [], invalid: [], pending: [] };
  const fresh: string[] = [];
  for (const s of symbols) {
    if (!isSymbolCode(s)) result.invalid.push(s);
    else if (list.includes(s) || fresh.includes(s)) result.already.push(s);
    else if (list.length + fresh.length >= SESSION_BUDGET) result.overLimit.push(s);
    else fresh.push(s);
  }
  return { result, fresh };
}

/** The persisted watchlist as codes: malformed entries and duplicates dropped. */
export function sanitize(raw: readonly unknown[]): string[] {
  const out: string[] = [];
  for (const s of raw) if (isSymbolCode(s) && !out.includes(s)) out.push(s);
  return out;
}
