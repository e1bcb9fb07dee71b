/**
 * The alert rules a user can set, as data, and the check that refuses a rule that can never fire. Pure:
 * the views validate input with it before storing, the worker's engine re-checks what it is given.
 *
 * Why the limits: KRX daily price limits are ±30 % of the previous close (kis-protocol.md appendix), so a
 * "change above 30 %" rule can never fire; a price is never ≤ 0 once a trade happened (a 0 before the first
 * trade is "no price", not a fall to zero — leek-fund PR #137).
 */

/** The kinds of rule. */
export type AlertKind =
  'priceAbove' | 'priceBelow' | 'rateAbove' | 'rateBelow' | 'volumeRatioAbove' | 'viTriggered' | 'viReleased';

/** Every kind, in menu order. */
export const ALERT_KINDS: readonly AlertKind[] = [
  'priceAbove',
  'priceBelow',
  'rateAbove',
  'rateBelow',
  'volumeRatioAbove',
  'viTriggered',
  'viReleased',
];

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
  if (!(ALERT_KINDS as readonly string[]).includes(kind))
    return { ok: false, code: 'BAD_KIND', message: `Unknown alert kind "${kind}".` };
  const k = kind as AlertKind;
  if (isEventKind(k)) return { ok: true, threshold: 0 };
  const text = typeof threshold === 'number' ? String(threshold) : threshold.trim().replace(/,/g, '');
  const value = text === '' ? NaN : Number(text);
  if (!Number.isFinite(value))
    return { ok: false, code: 'NOT_A_NUMBER', message: `"${String(threshold)}" is not a number.` };
  switch (k) {
    case 'priceAbove':
    case 'priceBelow':
      if (value <= 0)
        return {
          ok: false,
          code: 'NEVER_FIRES',
          message: 'A price alert needs a price above 0: a price is never 0 or negative once it trades.',
        };
      break;
    case 'rateAbove':
      if (value > DAILY_LIMIT_PERCENT)
        return {
          ok: false,
          code: 'NEVER_FIRES',
          message: `A change above +${DAILY_LIMIT_PERCENT} % can never happen (daily price limit).`,
        };
      break;
    case 'rateBelow':
      if (value < -DAILY_LIMIT_PERCENT)
        return {
          ok: false,
          code: 'NEVER_FIRES',
          message: `A change below −${DAILY_LIMIT_PERCENT} % can never happen (daily price limit).`,
        };
      break;
    case 'volumeRatioAbove':
      if (value <= 0)
        return {
          ok: false,
          code: 'NEVER_FIRES',
          message: "A volume ratio is a positive percentage of yesterday's volume at the same time.",
        };
      break;
  }
  return { ok: true, threshold: value };
}

/**
 * How a rule quiets down after it fired. `rearmPercent`: the value must go back past the threshold by this
 * much before the rule can fire again (a price flickering around the threshold is one crossing, not one
 * per tick). `cooldownMs`: at least this long between two firings of one rule.
 */
export interface AlertQuietOptions {
  rearmPercent: number;
  cooldownMs: number;
}

/** The settings' defaults and limits (package.json `kisMarket.alerts.*` mirrors them). */
export const ALERT_QUIET_DEFAULTS: Readonly<AlertQuietOptions> = Object.freeze({
  rearmPercent: 0.5,
  cooldownMs: 300_000,
});
/** Limits of `kisMarket.alerts.rearmPercent` (percent) and `kisMarket.alerts.cooldownSeconds` (seconds). */
export const ALERT_QUIET_LIMITS = Object.freeze({
  rearmPercent: { min: 0, max: 10 },
  cooldownSeconds: { min: 0, max: 86_400 },
});

/**
 * The level a fired rule's value must pass (strictly) on its way back before the rule re-arms.
 *
 * Price and volume-ratio rules: `rearmPercent` percent of the threshold (≥ 200,000 at 0.5 % re-arms below
 * 199,000). Change-today rules: `rearmPercent` percentage points (≥ +3 % re-arms below +2.5 %): a price
 * 0.5 % lower moves the day's change by about 0.5 points, so both bands ask for the same move of the price.
 * With a band of 0 a rule re-arms as soon as its condition is false again.
 */
export function rearmLevel(kind: AlertKind, threshold: number, rearmPercent: number): number {
  switch (kind) {
    // threshold ∓ threshold × p / 100 rather than threshold × (1 ∓ p / 100): 70,000 × 1.005 is 70,349.99… in
    // floating point, 70,000 + 350 is 70,350.
    case 'priceAbove':
    case 'volumeRatioAbove':
      return threshold - (threshold * rearmPercent) / 100;
    case 'priceBelow':
      return threshold + (threshold * rearmPercent) / 100;
    case 'rateAbove':
      return threshold - rearmPercent;
    case 'rateBelow':
      return threshold + rearmPercent;
    case 'viTriggered':
    case 'viReleased':
      return threshold;
  }
}

/** True when `value` has gone back past `level` (below it for "above" rules, above it for "below" rules). */
export function isPastRearmLevel(kind: AlertKind, value: number, level: number): boolean {
  return kind === 'priceBelow' || kind === 'rateBelow' ? value > level : value < level;
}
