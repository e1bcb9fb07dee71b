/** Types shared by the master-file parsers. Pure data. */

/** The market a master file lists. */
export type MasterMarket = 'KOSPI' | 'KOSDAQ' | 'KONEX' | 'NAS' | 'NYS' | 'AMS';

/** What a listing is: a stock, an ETF, an ETN, or something else (REIT, fund, warrant, index…). */
export type ListingKind = 'stock' | 'etf' | 'etn' | 'other';

/** One listing from a master file. */
export interface MasterEntry {
  /** The symbol code the extension subscribes: a KRX short code (`005930`) or a US key (`DNASAAPL`). */
  readonly code: string;
  /** What a user types: the KRX code, or the US ticker (`AAPL`). */
  readonly ticker: string;
  readonly market: MasterMarket;
  readonly kind: ListingKind;
  /** Korean name (KRX: 한글명; US: KIS's Korean name). */
  readonly nameKo: string;
  /** English name ('' in the KRX files, which carry none). */
  readonly nameEn: string;
  /** 기준가 / base price (KRW, or USD for US), 0 when absent. */
  readonly basePrice: number;
}

/** Stable codes of a master file that cannot be used as a whole. */
export type MasterErrorCode = 'EMPTY' | 'TRUNCATED' | 'NEW_LAYOUT';

/** Why a master file was refused: data, not a throw, so the caller keeps its previous cache. */
export interface MasterError {
  readonly code: MasterErrorCode;
  readonly message: string;
}

/** A parsed master file: its listings and the lines skipped, or why the whole file was refused. */
export type MasterParseResult =
  | { readonly ok: true; readonly entries: MasterEntry[]; readonly skipped: number }
  | { readonly ok: false; readonly error: MasterError };

/** A file is refused as a new layout when more than this share of its lines cannot be read. */
export const NEW_LAYOUT_SHARE = 0.1;

/** The result for `lines` lines of which `entries` read and `skipped` did not (shared refusal rule). */
export function settle(market: MasterMarket, entries: MasterEntry[], skipped: number): MasterParseResult {
  const total = entries.length + skipped;
  if (total === 0) return { ok: false, error: { code: 'EMPTY', message: `The ${market} master file is empty` } };
  if (skipped > total * NEW_LAYOUT_SHARE) {
    return {
      ok: false,
      error: {
        code: 'NEW_LAYOUT',
        message: `The ${market} master file is not in the known layout (${skipped} of ${total} lines unreadable); KIS may have changed it`,
      },
    };
  }
  return { ok: true, entries, skipped };
}
