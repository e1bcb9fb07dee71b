/**
 * The alert rules a user can set, as data, and the check that refuses a rule that can never fire. Pure:
 * the views validate input with it before storing, the worker's engine re-checks what it is given.
 *
 * Why the limits: KRX daily price limits are ±30 % of the previous close (kis-protocol.md appendix), so a
 * "change above 30 %" rule can never fire; a price is never ≤ 0 once a trade happened (a 0 before the first
 * trade is "no price", not a fall to zero — leek-fund PR #137).
 */

/** The kinds of rule. */
export type AlertKind = 'priceAbove' | 'priceBelow' | 'rateAbove' | 'rateBelow' | 'volumeRatioAbove' | 'viTriggered' | 'viReleased';

/** Every kind, in menu order. */
export const ALERT_KINDS: readonly AlertKind[] = ['priceAbove', 'priceBelow', 'rateAbove', 'rateBelow', 'volumeRatioAbove', 'viTriggered', 'viReleased'];

/** KRX daily price limit in percent (±30 % since 2015). */
export const DAILY_LIMIT_PERCENT = 30;

/** True for the kinds that take no threshold (VI events). */
export function isEventKind(kind: AlertKind): boolean {
  return kind === 'viTriggered' || kind === 'viReleased';
}

/** Why a rule was refused (stable codes; the UI localises the message). */
export type AlertRuleProblem = 'NOT_A_NUMBER' | 'NEVER_FIRES' | 'BAD_SYMBOL' | 'BAD_KIND';

/** The outcome of checking a rule's user input. */
export type AlertRuleCheck = { ok: true; threshold: number } | { ok: false; code: AlertRuleProblem; message: string };

/** True for a symbol a rule can name: a KRX code, or another feed's ticker (letters, digits, dot). */
function isSymbol(symbol: string): boolean {
  return /^[0-9A-Z.]{1,12}$/.test(symbol);
}

/**
 * Checks a rule's symbol, kind and threshold text (or number). A threshold the rule can never reach
 * ("above 0", a negative price, a change past the daily limit, a negative volume ratio) is refused.
 */
export function checkAlertRule(symbol: string, kind: string, threshold: string | number): AlertRuleCheck {
  if (!isSymbol(symbol)) return { ok: false, code: 'BAD_SYMBOL', message: `"${symbol}" is not a symbol.` };
  if (!(ALERT_KINDS as readonly string[]).includes(kind)) return { ok: false, code: 'BAD_KIND', message: `Unknown alert kind "${kind}".` };
  const k = kind as AlertKind;
  if (isEventKind(k)) return { ok: true, threshold: 0 };
  const text = typeof threshold === 'number' ? String(threshold) : threshold.trim().replace(/,/g, '');
  const value = text === '' ? NaN : Number(text);
  if (!Number.isFinite(value)) return { ok: false, code: 'NOT_A_NUMBER', message: `"${String(threshold)}" is not a number.` };
  switch (k) {
    case 'priceAbove':
    case 'priceBelow':
      if (value <= 0) return { ok: false, code: 'NEVER_FIRES', message: 'A price alert needs a price above 0: a price is never 0 or negative once it trades.' };
      break;
    case 'rateAbove':
      if (value > DAILY_LIMIT_PERCENT) return { ok: false, code: 'NEVER_FIRES', message: `A change above +${DAILY_LIMIT_PERCENT} % can never happen (daily price limit).` };
      break;
    case 'rateBelow':
      if (value < -DAILY_LIMIT_PERCENT) return { ok: false, code: 'NEVER_FIRES', message: `A change below −${DAILY_LIMIT_PERCENT} % can never happen (daily price limit).` };
      break;
    case 'volumeRatioAbove':
      if (value <= 0) return { ok: false, code: 'NEVER_FIRES', message: 'A volume ratio is a positive percentage of yesterday\'s volume at the same time.' };
      break;
  }
  return { ok: true, threshold: value };
}
