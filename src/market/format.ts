/**
 * Number and time formatting for the views. Locale-independent on purpose (KRW prices read the same in
 * every UI language, and tests must not depend on the machine's ICU data).
 */

/** Inserts `,` every three digits of a non-negative integer string. */
function groupThousands(digits: string): string {
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return out;
}

/** `71900` → `71,900`; fractional prices keep up to `decimals` places (`1234.5` → `1,234.5`). */
export function formatPrice(value: number, decimals = 0): string {
  if (!Number.isFinite(value)) return '–';
  const negative = value < 0;
  const fixed = Math.abs(value).toFixed(decimals);
  const [whole, fraction] = fixed.split('.');
  const body = fraction !== undefined ? `${groupThousands(whole)}.${fraction}` : groupThousands(whole);
  return negative ? `-${body}` : body;
}

/** Signed change with separators: `+1,200`, `-300`, `0`. */
export function formatChange(value: number): string {
  if (!Number.isFinite(value)) return '–';
  if (value > 0) return `+${formatPrice(value)}`;
  return formatPrice(value);
}

/** Signed rate in percent, two decimals: `+1.70%`, `-0.14%`, `0.00%`. */
export function formatRate(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const fixed = Math.abs(value).toFixed(2);
  if (fixed === '0.00') return '0.00%';
  return `${value > 0 ? '+' : '-'}${fixed}%`;
}

const UNITS: ReadonlyArray<[number, string]> = [
  [1e12, 'T'],
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'K'],
];

/**
 * Compact count: `950`, `12.3K`, `1.23M`, `4.5B`. Three significant digits at most, trailing zeros
 * dropped, so the width stays small in a status bar or a tree description.
 */
export function formatCompact(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  const sign = value < 0 ? '-' : '';
  for (const [size, unit] of UNITS) {
    if (abs >= size) {
      const scaled = abs / size;
      const decimals = scaled >= 100 ? 0 : scaled >= 10 ? 1 : 2;
      // Rounding can carry into the next unit (999.95K → 1000K); prefer the larger unit then.
      const text = Number(scaled.toFixed(decimals));
      if (text >= 1000 && size < 1e12) return formatCompact(sign ? -text * size : text * size);
      return `${sign}${text}${unit}`;
    }
  }
  return `${sign}${Math.round(abs)}`;
}

/** Volume in shares, compact (`3,052,507` → `3.05M`). */
export function formatVolume(value: number): string {
  return formatCompact(value);
}

/** Rate per second for the status bar: `0/s`, `12/s`, `1.2k/s` (lower-case k, as in the style guide). */
export function formatPerSecond(value: number): string {
  if (!Number.isFinite(value) || value <= 0) return '0/s';
  if (value < 1000) return `${value < 10 ? Number(value.toFixed(1)) : Math.round(value)}/s`;
  return `${formatCompact(value).replace('K', 'k')}/s`;
}

/** A KIS `HHMMSS` time field (already KST) → `HH:MM:SS`; anything that is not six digits gives `''`. */
export function formatTimeField(hhmmss: string): string {
  if (!/^\d{6}$/.test(hhmmss)) return '';
  return `${hhmmss.slice(0, 2)}:${hhmmss.slice(2, 4)}:${hhmmss.slice(4, 6)}`;
}

/** A duration in whole seconds, rounded up so a countdown never shows 0 while still waiting: `3s`, `2m 5s`. */
export function formatSeconds(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  if (total < 60) return `${total}s`;
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return seconds === 0 ? `${minutes}m` : `${minutes}m ${seconds}s`;
}
