/**
 * What a watchlist row says first, at the default sidebar width (~300 px, where VS Code cuts the
 * description first, then the label): a name a person knows, the price, and the day's change in percent.
 *
 * Why the percent and not the amount in the label: a trader scans a list by how much each line moved, and
 * only percents compare across a 20,000-won and a 1,000,000-won stock (or an index and a US stock). The
 * amount goes first in the description and into the tooltip. The name is short so the numbers fit:
 * `삼성전자  72,300  +0.56%`, `Samsung Elec  72,300  +0.56%`, `KOSPI  2,662.77  +0.48%`, `AAPL  $188.36  -0.60%`.
 * Never a TR key (`DNASAAPL`, `0001`): a key is how KIS addresses a feed, not what a person calls a stock.
 */
import type { Translate } from '../../common/translate';
import { findSymbol } from '../../market/catalogue';
import { formatRate } from '../../market/format';
import { formatSymbolChange, formatSymbolPrice } from '../../market/formatKind';
import { indexName, parseUsKey, symbolMarket } from '../../market/symbols';
import { displayWidth } from '../textTable';

/**
 * Longest short name in editor columns (a Hangul syllable counts two): with the price and the percent it
 * keeps a row inside ~240 px, what a 300 px sidebar leaves after the indent, the twistie and the icon.
 */
export const SHORT_NAME_COLUMNS = 14;

/** Short names of the catalogue's long names, as Korean and English market news write them. */
const SHORT_NAMES: Readonly<Record<string, { ko?: string; en?: string }>> = {
  '005930': { en: 'Samsung Elec' },
  '373220': { ko: 'LG엔솔', en: 'LG Energy Sol' },
  '207940': { ko: '삼성바이오', en: 'Samsung Bio' },
  '105560': { en: 'KB Financial' },
  '055550': { en: 'Shinhan Fin' },
  '086790': { ko: '하나금융', en: 'Hana Financial' },
  '032830': { en: 'Samsung Life' },
  '009150': { en: 'Samsung E-M' },
  '018260': { ko: '삼성SDS' },
  '015760': { ko: '한국전력', en: 'KEPCO' },
  '012450': { ko: '한화에어로', en: 'Hanwha Aero' },
  '329180': { en: 'HD Hyundai HI' },
  '042700': { en: 'Hanmi Semi' },
  '041510': { en: 'SM Ent' },
  '035900': { en: 'JYP Ent' },
  '058470': { en: 'LEENO' },
};

/** Company-form words that add nothing to a short name. */
const FORM_WORDS = /\s+(Inc\.?|Corp\.?|Co\.?|Ltd\.?|Group|Holdings|Industrial|Entertainment)$/i;

/** `text` cut to `columns` editor columns, with `…` when cut. */
export function fitColumns(text: string, columns: number): string {
  if (displayWidth(text) <= columns) return text;
  let out = '';
  for (const ch of text) {
    if (displayWidth(out + ch) > columns - 1) break;
    out += ch;
  }
  return `${out.trimEnd()}…`;
}

/**
 * The short name of a symbol in a UI language (`vscode.env.language`): Korean for `ko*`, else English.
 * An index reads by its name (`KOSPI`; `Index 0005` for one we do not know), a US key by its ticker; a KRX
 * code the catalogue does not know stays its six-character code (KRX's own short code, not a TR key).
 */
export function shortName(symbol: string, language: string, t: Translate): string {
  const market = symbolMarket(symbol);
  if (market === 'index') return indexName(symbol) ?? t('Index {0}', symbol);
  if (market === 'us') return parseUsKey(symbol)?.ticker ?? symbol;
  const entry = findSymbol(symbol);
  if (entry === undefined) return symbol;
  const korean = language.toLowerCase().startsWith('ko');
  const curated = korean ? SHORT_NAMES[symbol]?.ko : SHORT_NAMES[symbol]?.en;
  const name = curated ?? (korean ? entry.nameKo : entry.nameEn.replace(FORM_WORDS, ''));
  return fitColumns(name, SHORT_NAME_COLUMNS);
}

/** The numbers of a row's label: `72,300  +0.56%` (price by kind, then the signed percent). */
export function priceAndRate(symbol: string, last: number, rate: number): string {
  return `${formatSymbolPrice(symbol, last)}  ${formatRate(rate)}`;
}

/** The day's change in the symbol's style, for the description: `+400`, `-$1.14`, `+12.77`. */
export function changeText(symbol: string, change: number): string {
  return formatSymbolChange(symbol, change);
}

/** The label of a row: the short name alone before any price, else the name and the numbers. */
export function rowLabel(name: string, numbers: string | undefined): string {
  return numbers === undefined ? name : `${name}  ${numbers}`;
}
