/**
 * Symbol search for the picker: by code, US ticker, Korean name, English name and Korean
 * initial consonants (초성: "ㅅㅅㅈㅈ" finds 삼성전자). Pure. The index is built once per list, so a
 * keystroke is one linear scan of precomputed lower-case strings (see bench/search.ts for its cost).
 */

/** What the search needs of a listing. */
export interface Searchable {
  readonly code: string;
  /** What a user types for it: the KRX code or the US ticker. */
  readonly ticker: string;
  readonly nameKo: string;
  readonly nameEn: string;
}

/** The 19 initial consonants of modern Hangul syllables, as compatibility jamo (what a keyboard types). */
const CHOSEONG = 'ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ';
const SYLLABLE_FIRST = 0xac00;
const SYLLABLE_LAST = 0xd7a3;
/** Syllables per initial consonant (21 vowels × 28 finals). */
const PER_INITIAL = 588;

/** The initial-consonant string of `text`: Hangul syllables become their 초성, other characters stay. */
export function choseongOf(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    out += c >= SYLLABLE_FIRST && c <= SYLLABLE_LAST ? CHOSEONG[Math.floor((c - SYLLABLE_FIRST) / PER_INITIAL)] : ch;
  }
  return out;
}

/** True when `text` is only initial consonants (ㄱ…ㅎ), i.e. the user is typing a 초성 query. */
export function isChoseongQuery(text: string): boolean {
  if (text === '') return false;
  for (const ch of text) if (!CHOSEONG.includes(ch)) return false;
  return true;
}

/** Case-folded with spaces removed: "Samsung Elec" finds "Samsung Electronics" and "삼성 전자" finds "삼성전자". */
const fold = (s: string): string => s.toLowerCase().replace(/\s+/g, '');

interface Indexed<T> {
  readonly item: T;
  readonly order: number;
  readonly code: string;
  readonly ticker: string;
  readonly ko: string;
  readonly en: string;
  readonly cho: string;
}

/** A prepared search over one list of listings. */
export interface SymbolSearch<T extends Searchable> {
  /** The best `limit` matches for `query`, best first; an empty query gives the first `limit` listings. */
  search(query: string, limit?: number): T[];
  readonly size: number;
}

/**
 * Builds the search. Ranks: exact code or ticker; code/ticker prefix; name prefix (Korean or English);
 * 초성 prefix; name contains; 초성 contains — then list order, so a caller's ordering (KOSPI first, say) holds.
 */
export function createSymbolSearch<T extends Searchable>(items: readonly T[]): SymbolSearch<T> {
  const indexed: Indexed<T>[] = items.map((item, order) => ({
    item,
    order,
    code: item.code.toLowerCase(),
    ticker: item.ticker.toLowerCase(),
    ko: fold(item.nameKo),
    en: fold(item.nameEn),
    cho: fold(choseongOf(item.nameKo)),
  }));
  return {
    size: indexed.length,
    search(query: string, limit = 50): T[] {
      const q = fold(query);
      if (q === '') return indexed.slice(0, limit).map((e) => e.item);
      const chosung = isChoseongQuery(q);
      const ranked: { e: Indexed<T>; rank: number }[] = [];
      for (const e of indexed) {
        const rank = rankOf(e, q, chosung);
        if (rank >= 0) ranked.push({ e, rank });
      }
      ranked.sort((a, b) => a.rank - b.rank || a.e.order - b.e.order);
      return ranked.slice(0, limit).map((r) => r.e.item);
    },
  };
}

function rankOf(e: Indexed<Searchable>, q: string, chosung: boolean): number {
  if (chosung) {
    if (e.cho.startsWith(q)) return 3;
    return e.cho.includes(q) ? 5 : -1;
  }
  if (e.code === q || e.ticker === q) return 0;
  if (e.code.startsWith(q) || e.ticker.startsWith(q)) return 1;
  if (e.ko.startsWith(q) || e.en.startsWith(q)) return 2;
  if (e.ko.includes(q) || e.en.includes(q)) return 4;
  return -1;
}
