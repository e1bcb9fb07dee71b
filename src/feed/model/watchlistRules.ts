/** The watchlist's input rules: what an add may list, and what a persisted list may hold. Pure. */
import { isSymbolCode } from '../../market/symbols';
import type { AddResult } from '../types';

/**
 * Sorts requested symbols into malformed, already listed, and fresh. The watchlist takes any number: what
 * does not fit the 41 live registrations is refreshed by REST (livePlan.ts).
 */
export function sortAdditions(
  symbols: readonly string[],
  list: readonly string[],
): { result: AddResult; fresh: string[] } {
  const result: AddResult = { added: [], already: [], failed: [], invalid: [], pending: [] };
  const fresh: string[] = [];
  for (const s of symbols) {
    if (!isSymbolCode(s)) result.invalid.push(s);
    else if (list.includes(s) || fresh.includes(s)) result.already.push(s);
    else fresh.push(s);
  }
  return { result, fresh };
}

/** Files each fresh symbol of an add as added or failed, by its reconcile outcome (trade registrations only). */
export function settleAdditions(
  result: AddResult,
  fresh: readonly string[],
  failures: ReadonlyMap<string, { code: string; message: string }>,
): AddResult {
  for (const symbol of fresh) {
    const failure = failures.get(symbol);
    if (failure) result.failed.push({ symbol, ...failure });
    else result.added.push(symbol);
  }
  return result;
}

/** The persisted watchlist as codes: malformed entries and duplicates dropped. */
export function sanitize(raw: readonly unknown[]): string[] {
  const out: string[] = [];
  for (const s of raw) if (isSymbolCode(s) && !out.includes(s)) out.push(s);
  return out;
}
