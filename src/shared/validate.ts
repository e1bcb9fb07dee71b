/**
 * The one validator toolkit for every boundary: the worker protocol (what comes off the worker thread,
 * where user handlers run) and the webview protocol (both directions). Small type guards that compose;
 * each protocol module builds its message checks from these and nothing else.
 */
import type { PriceSign } from '../market/direction';
import { isSymbolCode } from '../market/symbols';

/** The result of a check: the typed value, or why it was refused (for the log; never shown to the user). */
export type Checked<T> = { ok: true; message: T } | { ok: false; reason: string };

/** A record read from untrusted input. */
export type Plain = Record<string, unknown>;

/** True for any non-null object (arrays included): the loose check where extra shapes are tolerated. */
export function isObject(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null;
}

/** True for a plain object (`{}` or `Object.create(null)`), not an array, class instance or null. */
export function isPlainObject(value: unknown): value is Plain {
  if (!isObject(value) || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** True for a number that is neither NaN nor infinite. */
export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** True for an array whose every item passes `item`. */
export function isArrayOf<T>(value: unknown, item: (v: unknown) => v is T): value is T[] {
  return Array.isArray(value) && value.every(item);
}

/** True for a string. */
export function isString(value: unknown): value is string {
  return typeof value === 'string';
}

/** True for an array of strings. */
export function isStringArray(value: unknown): value is string[] {
  return isArrayOf(value, isString);
}

/** True for an array of exactly `length` finite numbers. */
export function isNumberArray(value: unknown, length: number): value is number[] {
  if (!Array.isArray(value) || value.length !== length) return false;
  for (const item of value) if (!isFiniteNumber(item)) return false;
  return true;
}

/** True when `value` is a well-formed symbol code (the market's one rule). */
export function isSymbol(value: unknown): value is string {
  return isSymbolCode(value);
}

/** True for a KIS sign code `1`–`5`. */
export function isSign(value: unknown): value is PriceSign {
  return value === '1' || value === '2' || value === '3' || value === '4' || value === '5';
}

/** The first key of `value` not in `allowed` (strict shapes), or undefined. */
export function extraKey(value: Plain, allowed: readonly string[]): string | undefined {
  for (const key of Object.keys(value)) if (!allowed.includes(key)) return key;
  return undefined;
}

/** The most characters of untrusted text a refusal reason quotes. */
const QUOTED_MAX = 32;

/**
 * Untrusted text as a refusal reason may quote it: at most {@link QUOTED_MAX} characters, control
 * characters escaped. The reason goes to the log, and a compromised sender must not be able to write
 * megabytes or forge extra log lines (a newline in a key or a type) through it.
 */
export function quoted(text: string): string {
  const cut = text.length > QUOTED_MAX ? `${text.slice(0, QUOTED_MAX)}…` : text;
  // eslint-disable-next-line no-control-regex
  return `"${cut.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029"\\]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}
