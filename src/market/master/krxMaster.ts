/**
 * KIS's KRX master files (kospi_code.mst, kosdaq_code.mst, konex_code.mst): one listing per line, cp949,
 * fixed width. The format is public in koreainvestment/open-trading-api `stocks_info/`
 * (kis_kospi_code_mst.py, kis_kosdaq_code_mst.py, kis_konex_code_mst.py); these are its facts, as data:
 *
 *   [0, 9)   단축코드 (short code, space-padded)   [9, 21) 표준코드 (ISIN)   [21, len − tail) 한글명
 *   the last `tail` characters: fixed-width fields — KOSPI 227 (the sample slices 228 with the newline),
 *   KOSDAQ 221 (222), KONEX 184 (after stripping the line).
 *
 * Widths count characters after cp949 decoding (the samples open the file as text), so the name may hold
 * Hangul of any byte length. Only the fields the extension uses are read.
 */
import { isKrxCode } from '../symbols';
import { decodeCp949, encodeCp949 } from './cp949';
import { settle, type ListingKind, type MasterEntry, type MasterParseResult } from './types';

/** The KRX markets with a master file. */
export type KrxMasterMarket = 'KOSPI' | 'KOSDAQ' | 'KONEX';

/** One market's tail layout: total width and the offsets (within the tail) of the fields we read. */
interface TailLayout {
  readonly width: number;
  /** 그룹코드 / 증권그룹구분코드, 2 characters: ST stock, EF ETF, EN ETN, … */
  readonly group: number;
  /** 기준가, 9 characters. */
  readonly basePrice: number;
}

/** Field widths of the tails in the official samples (the `field_specs` lists), for the writer and offsets. */
export const KRX_TAIL_SPECS: Readonly<Record<'KOSPI' | 'KOSDAQ', readonly number[]>> = {
  KOSPI: [
    2, 1, 4, 4, 4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 9, 5, 5, 1, 1, 1, 2, 1,
    1, 1, 2, 2, 2, 3, 1, 3, 12, 12, 8, 15, 21, 2, 7, 1, 1, 1, 1, 1, 9, 9, 9, 5, 9, 8, 9, 3, 1, 1, 1,
  ],
  KOSDAQ: [
    2, 1, 4, 4, 4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 9, 5, 5, 1, 1, 1, 2, 1, 1, 1, 2, 2, 2,
    3, 1, 3, 12, 12, 8, 15, 21, 2, 7, 1, 1, 1, 1, 9, 9, 9, 5, 9, 8, 9, 3, 1, 1, 1,
  ],
};

const offsetOf = (specs: readonly number[], index: number): number => specs.slice(0, index).reduce((a, b) => a + b, 0);
const sum = (specs: readonly number[]): number => offsetOf(specs, specs.length);

/** The tails: 기준가 is field 31 of KOSPI's list and 26 of KOSDAQ's; KONEX's sample slices from the end. */
const TAILS: Readonly<Record<KrxMasterMarket, TailLayout>> = {
  KOSPI: { width: sum(KRX_TAIL_SPECS.KOSPI), group: 0, basePrice: offsetOf(KRX_TAIL_SPECS.KOSPI, 31) },
  KOSDAQ: { width: sum(KRX_TAIL_SPECS.KOSDAQ), group: 0, basePrice: offsetOf(KRX_TAIL_SPECS.KOSDAQ, 26) },
  KONEX: { width: 184, group: 0, basePrice: 2 },
};

/** Group codes we name (the rest read as 'other'). */
const GROUP_KINDS: Readonly<Record<string, ListingKind>> = { ST: 'stock', EF: 'etf', FE: 'etf', EN: 'etn' };

const STANDARD_CODE = /^[A-Z]{2}[0-9A-Z]{10}$/;
const GROUP_CODE = /^[A-Z]{2}$/;

/** The tail width of a market's file (characters after the name). */
export function krxTailWidth(market: KrxMasterMarket): number {
  return TAILS[market].width;
}

/**
 * Parses a KRX master file. Lines that cannot be read are skipped and counted; a file whose last line is
 * cut short is TRUNCATED, one with too many unreadable lines NEW_LAYOUT — either way nothing is returned,
 * so the caller keeps what it had.
 */
export function parseKrxMaster(bytes: Uint8Array, market: KrxMasterMarket): MasterParseResult {
  const text = decodeCp949(bytes);
  const tail = TAILS[market];
  const lines = text.split('\n');
  // A complete file ends with a newline; a download cut mid-line leaves a short last line.
  const last = lines.pop() ?? '';
  if (last.trim() !== '') {
    return {
      ok: false,
      error: { code: 'TRUNCATED', message: `The ${market} master file ends mid-line (truncated download?)` },
    };
  }
  const entries: MasterEntry[] = [];
  let skipped = 0;
  for (const raw of lines) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') continue;
    const entry = readLine(line, market, tail);
    if (entry === undefined) skipped++;
    else entries.push(entry);
  }
  return settle(market, entries, skipped);
}

function readLine(line: string, market: KrxMasterMarket, tail: TailLayout): MasterEntry | undefined {
  if (line.length < 21 + 1 + tail.width) return undefined;
  const code = line.slice(0, 9).trim();
  const standard = line.slice(9, 21).trim();
  const fields = line.slice(line.length - tail.width);
  const group = fields.slice(tail.group, tail.group + 2);
  if (!isKrxCode(code) || !STANDARD_CODE.test(standard) || !GROUP_CODE.test(group)) return undefined;
  const nameKo = line.slice(21, line.length - tail.width).trim();
  if (nameKo === '' || nameKo.includes('\ufffd')) return undefined;
  const price = Number(fields.slice(tail.basePrice, tail.basePrice + 9).trim());
  return {
    code,
    ticker: code,
    market,
    kind: GROUP_KINDS[group] ?? 'other',
    nameKo,
    nameEn: '',
    basePrice: Number.isFinite(price) ? price : 0,
  };
}

/** What the writer needs of a listing. */
export interface KrxListing {
  readonly code: string;
  readonly nameKo: string;
  readonly kind: ListingKind;
  readonly basePrice: number;
}

/** A plausible ISIN-shaped 표준코드 for a short code (the writer's; not a real ISIN check digit). */
function standardCode(code: string): string {
  return `KR7${code.padEnd(6, '0').slice(0, 6)}00${code.length === 7 ? '1' : '0'}`;
}

/** The tail for `listing`: every field zero-filled at its width, group and base price set. */
function tailFor(listing: KrxListing, market: KrxMasterMarket): string {
  const tail = TAILS[market];
  const chars = Array.from({ length: tail.width }, () => '0');
  const group = listing.kind === 'etf' ? 'EF' : listing.kind === 'etn' ? 'EN' : listing.kind === 'stock' ? 'ST' : 'BC';
  chars.splice(tail.group, 2, ...group);
  chars.splice(tail.basePrice, 9, ...String(Math.round(listing.basePrice)).padStart(9, '0').slice(-9));
  return chars.join('');
}

/**
 * Writes a master file in the official format (the simulator serves one for its catalogue; the tests
 * generate theirs). Names are encoded in cp949.
 */
export function writeKrxMaster(listings: readonly KrxListing[], market: KrxMasterMarket): Uint8Array {
  const lines = listings.map(
    (l) => `${l.code.padEnd(9)}${standardCode(l.code)}${l.nameKo.padEnd(40)}${tailFor(l, market)}\n`,
  );
  return encodeCp949(lines.join(''));
}
