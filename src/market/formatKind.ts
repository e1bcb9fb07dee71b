/**
 * Price formatting per symbol kind: KRW stocks as whole won (`71,900`), indices in points with
 * two decimals and no currency (`2,650.12`), US stocks in dollars with cents (`$169.79`; four decimals
 * below a dollar, where US quotes go to 1/100 of a cent).
 */
import { formatPrice } from './format';
import { symbolMarket } from './symbols';

/** How a symbol's prices read. */
export type PriceStyle = 'krw' | 'index' | 'usd';

/** The price style of a symbol code (KRW for KRX codes and anything unknown). */
export function priceStyleOf(code: string): PriceStyle {
  const market = symbolMarket(code);
  return market === 'index' ? 'index' : market === 'us' ? 'usd' : 'krw';
}

/** Decimals a price shows in its style. */
function decimalsFor(style: PriceStyle, value: number): number {
  if (style === 'krw') return 0;
  if (style === 'usd' && value !== 0 && Math.abs(value) < 1) return 4;
  return 2;
}

/** A price in its style: `71,900`, `2,650.12`, `$169.79`, `$0.1234`. */
export function formatStyledPrice(value: number, style: PriceStyle): string {
  return styled(value, style, decimalsFor(style, value));
}

function styled(value: number, style: PriceStyle, decimals: number): string {
  if (!Number.isFinite(value)) return '–';
  const body = formatPrice(Math.abs(value), decimals);
  const sign = value < 0 ? '-' : '';
  return style === 'usd' ? `${sign}$${body}` : `${sign}${body}`;
}

/** A signed change in its style: `+1,200`, `-12.34`, `+$0.20`, `-$0.0050` (sub-cent), `0`. */
export function formatStyledChange(value: number, style: PriceStyle): string {
  if (!Number.isFinite(value)) return '–';
  // A change reads in cents like its price; only a sub-cent move needs the fourth decimal.
  const decimals = style === 'krw' ? 0 : style === 'usd' && value !== 0 && Math.abs(value) < 0.01 ? 4 : 2;
  const text = styled(value, style, decimals);
  return value > 0 ? `+${text}` : text;
}

/** A symbol's price, styled by its kind. */
export function formatSymbolPrice(code: string, value: number): string {
  return formatStyledPrice(value, priceStyleOf(code));
}

/** A symbol's change, styled by its kind. */
export function formatSymbolChange(code: string, value: number): string {
  return formatStyledChange(value, priceStyleOf(code));
}
