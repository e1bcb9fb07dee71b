/**
 * What the user may type or pass as a symbol, checked where it enters (the QuickPick, a command
 * argument, the persisted watchlist). Pure; the catalogue lookup is the shared one.
 */
import { findSymbol, searchCatalogue, type CatalogueEntry } from './catalogue';
import { indexName, isSymbolCode, parseUsKey } from './symbols';
import { US_CATALOGUE } from './usCatalogue';

export { isSymbolCode };

/** The outcome of reading one piece of user input. */
export type SymbolInput =
  /** A code that is in the catalogue. */
  | { kind: 'catalogue'; code: string; entry: CatalogueEntry }
  /** A well-formed code the catalogue does not know (accepted: the catalogue is only a short list). */
  | { kind: 'code'; code: string }
  /** Nothing usable: `empty` or not a code by the market's symbol rules. */
  | { kind: 'invalid'; reason: 'empty' | 'notACode'; text: string };

/** Reads typed text as a code (surrounding whitespace ignored). Names are matched by `matchSymbols`. */
export function parseSymbolInput(text: string): SymbolInput {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'invalid', reason: 'empty', text };
  if (!isSymbolCode(trimmed)) return { kind: 'invalid', reason: 'notACode', text };
  const entry = findSymbol(trimmed);
  return entry ? { kind: 'catalogue', code: trimmed, entry } : { kind: 'code', code: trimmed };
}

/**
 * Catalogue entries matching a code, a Korean name or an English name (substring, case-insensitive).
 * Spaces inside the query are ignored too, so "삼성 전자" and "samsungelectronics" still match.
 */
export function matchSymbols(query: string): CatalogueEntry[] {
  const direct = searchCatalogue(query);
  if (direct.length > 0) return direct;
  const squeezed = query.replace(/\s+/g, '').toLowerCase();
  if (squeezed === '') return direct;
  return searchCatalogue('').filter((entry) =>
    [entry.code, entry.nameKo, entry.nameEn].some((h) => h.replace(/\s+/g, '').toLowerCase().includes(squeezed)),
  );
}

/**
 * Normalises a command argument into a list of codes: accepts a string (one code, or several separated
 * by commas/whitespace) or an array of strings. Returns the valid codes (deduplicated, in order) and the
 * pieces that were rejected, so the caller can say exactly what was wrong.
 */
export function parseSymbolList(arg: unknown): { codes: string[]; rejected: string[] } {
  const pieces: unknown[] = typeof arg === 'string' ? arg.split(/[\s,]+/) : Array.isArray(arg) ? arg : [arg];
  const codes: string[] = [];
  const rejected: string[] = [];
  for (const piece of pieces) {
    if (typeof piece === 'string' && piece.trim() === '') continue;
    const code = typeof piece === 'string' ? piece.trim() : '';
    if (isSymbolCode(code)) {
      if (!codes.includes(code)) codes.push(code);
    } else {
      rejected.push(typeof piece === 'string' ? piece : String(piece));
    }
  }
  return { codes, rejected };
}

/**
 * The display name of a code in a UI language: Korean for `ko*`, English otherwise; the code when unknown.
 * An index reads by its name (`KOSPI`); a US key by its ticker and, when the US catalogue knows it, its name.
 */
export function displayName(code: string, language: string): string {
  const korean = language.toLowerCase().startsWith('ko');
  const index = indexName(code);
  if (index !== undefined) return index;
  const us = parseUsKey(code);
  if (us !== undefined) {
    const listed = US_CATALOGUE.find((c) => c.ticker === us.ticker && c.exchange === us.exchange);
    return listed === undefined ? us.ticker : `${us.ticker} ${korean ? listed.nameKo : listed.nameEn}`;
  }
  const entry = findSymbol(code);
  if (!entry) return code;
  return korean ? entry.nameKo : entry.nameEn;
}
