/**
 * The symbol picker's search, pure: the listings it searches (the indices, then KIS's master
 * files or, when none are cached, the built-in catalogues), the QuickPick rows for a query, and the
 * message when nothing matches (an unknown ticker, a delayed market). The QuickPick (src/views/symbolPicker.ts)
 * calls `pickRows` on every keystroke; the tests and the integration suite call the same function.
 */
import { CATALOGUE, findSymbol } from './catalogue';
import type { ListingKind, MasterEntry } from './master/types';
import { createSymbolSearch, type Searchable, type SymbolSearch } from './search';
import { KNOWN_INDICES, symbolMarket, usKey } from './symbols';
import { US_CATALOGUE } from './usCatalogue';

/** One listing the picker offers. */
export interface Listing extends Searchable {
  /** KOSPI, KOSDAQ, KONEX, NAS, NYS, AMS, or INDEX. */
  readonly market: string;
  readonly kind: ListingKind | 'index';
}

/** One QuickPick row (the view adds nothing but vscode's own fields). */
export interface PickRow {
  readonly code: string;
  readonly label: string;
  readonly description: string;
  readonly detail: string;
}

/** The three indices the extension streams (H0UPCNT0), first in every list. */
function indexListings(): Listing[] {
  return KNOWN_INDICES.map((i) => ({
    code: i.code,
    ticker: i.code,
    nameKo: i.name,
    nameEn: i.name,
    market: 'INDEX',
    kind: 'index' as const,
  }));
}

/** The picker's listings from master-file entries: the indices first, then the files' order; duplicates dropped. */
export function directoryListings(entries: readonly MasterEntry[]): Listing[] {
  const seen = new Set<string>();
  const out: Listing[] = [];
  for (const l of [...indexListings(), ...entries]) {
    if (seen.has(l.code)) continue;
    seen.add(l.code);
    // KIS's KRX master files carry no English name: the catalogue's keeps "samsung" finding 삼성전자.
    const nameEn = l.nameEn || (findSymbol(l.code)?.nameEn ?? '');
    out.push({ code: l.code, ticker: l.ticker, nameKo: l.nameKo, nameEn, market: l.market, kind: l.kind });
  }
  return out;
}

/** The built-in fallback (no master file cached yet): the indices, the KRX catalogue and the US catalogue. */
export function catalogueListings(): Listing[] {
  return directoryListings([
    ...CATALOGUE.map((c) => ({
      code: c.code,
      ticker: c.code,
      market: c.market,
      kind: 'stock' as const,
      nameKo: c.nameKo,
      nameEn: c.nameEn,
      basePrice: c.basePrice,
    })),
    ...US_CATALOGUE.map((c) => ({
      code: usKey(c.exchange, c.ticker),
      ticker: c.ticker,
      market: c.exchange,
      kind: c.etf ? ('etf' as const) : ('stock' as const),
      nameKo: c.nameKo,
      nameEn: c.nameEn,
      basePrice: c.basePrice,
    })),
  ]);
}

/** A prepared search over listings (built once per list: see bench/search.ts). */
export function listingSearch(listings: readonly Listing[]): SymbolSearch<Listing> {
  return createSymbolSearch(listings);
}

const KIND_WORDS: Readonly<Record<Listing['kind'], string>> = {
  stock: 'stock',
  etf: 'ETF',
  etn: 'ETN',
  other: 'other',
  index: 'index',
};

/** The row of one listing: the name leads (what the user remembers), the code or ticker and market follow. */
export function pickRow(l: Listing): PickRow {
  const us = symbolMarket(l.code) === 'us';
  return {
    code: l.code,
    label: us ? `${l.ticker}  ${l.nameEn}` : l.nameKo,
    description: `${l.ticker} · ${l.market}`,
    detail: `${us ? l.nameKo : l.nameEn || l.nameKo} · ${KIND_WORDS[l.kind]}${us ? ' · USD' : ''}`,
  };
}

/** The rows for `query`, best first, leaving out what is already on the watchlist. */
export function pickRows(
  search: SymbolSearch<Listing>,
  query: string,
  listed: ReadonlySet<string>,
  limit = 50,
): PickRow[] {
  return search
    .search(query, limit + listed.size)
    .filter((l) => !listed.has(l.code))
    .slice(0, limit)
    .map(pickRow);
}

/**
 * KIS's exchange codes whose quotes are delayed 15 minutes unless paid for (kis-rest.md §7.3: 홍콩, 베트남,
 * 중국, 일본 – 15분지연; [OFFICIAL] R8). The extension streams only the free real-time US markets.
 */
export const DELAYED_EXCHANGES: Readonly<Record<string, string>> = {
  HKS: 'Hong Kong',
  TSE: 'Tokyo',
  SHS: 'Shanghai',
  SZS: 'Shenzhen',
  HSX: 'Ho Chi Minh',
  HNX: 'Hanoi',
  SHI: 'Shanghai',
  SZI: 'Shenzhen',
};

/**
 * Why a query found nothing, in words for the user: a delayed (paid) market, or a name/ticker that is in
 * no list. Never undefined: the picker always says something.
 */
export function noMatchMessage(query: string, listCount: number): string {
  const text = query.trim();
  const upper = text.toUpperCase();
  const delayed = Object.keys(DELAYED_EXCHANGES).find(
    (e) => upper.startsWith(`D${e}`) || upper.startsWith(`${e}:`) || upper.startsWith(`${e} `),
  );
  if (delayed !== undefined) {
    return `${DELAYED_EXCHANGES[delayed]} (${delayed}) quotes are delayed 15 minutes unless paid for at KIS; only KRX and US stocks (free real-time) can be added.`;
  }
  return `"${text}" is not in the ${listCount} listings (KRX and US). Type a Korean or English name, its initials (ㅅㅅㅈㅈ), a KRX code (005930) or a US ticker (AAPL).`;
}

/** How old a cached list is, in words: "just now", "5 minutes ago", "3 hours ago", "2 days ago". */
export function describeAge(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'} ago`;
  return `${Math.floor(hours / 24)} days ago`;
}
