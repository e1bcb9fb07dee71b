/**
 * KIS's overseas master files for the US (nasmst.cod, nysmst.cod, amsmst.cod): one listing per line,
 * cp949, tab-separated, 24 columns. The format is public in koreainvestment/open-trading-api
 * `stocks_info/overseas_stock_code.py`; its column list, as data:
 *
 *   0 National code · 1 Exchange id · 2 Exchange code · 3 Exchange name · 4 Symbol · 5 realtime symbol ·
 *   6 Korea name · 7 English name · 8 Security type (1 Index, 2 Stock, 3 ETP, 4 Warrant) · 9 currency ·
 *   10 float position · 11 data type · 12 base price · 13 Bid order size · 14 Ask order size ·
 *   15 market start time · 16 market end time · 17 DR · 18 DR country · 19 industry code ·
 *   20 index constituents · 21 Tick size type · 22 구분코드 (001 ETF, 002 ETN, …) · 23 Tick size type detail
 *
 * (The sample reads the first line as a header row; a header-like line is skipped here, not counted.)
 */
import { US_EXCHANGES, usKey, type UsExchange } from '../symbols';
import { decodeCp949, encodeCp949 } from './cp949';
import { settle, type ListingKind, type MasterEntry, type MasterParseResult } from './types';

/** The column count of the official list. */
export const OVERSEAS_COLUMNS = 24;

const COL = { EXCHANGE: 2, SYMBOL: 4, NAME_KO: 6, NAME_EN: 7, TYPE: 8, BASE_PRICE: 12, SUBTYPE: 22 } as const;
const TICKER = /^[A-Z][A-Z0-9.]{0,11}$/;

/** A US exchange's master file name stem, as KIS names it (`nas` → nasmst.cod). */
export function overseasFileStem(exchange: UsExchange): string {
  return exchange.toLowerCase();
}

function kindOf(type: string, subtype: string): ListingKind | undefined {
  if (type === '2') return 'stock';
  if (type === '3') return subtype === '002' ? 'etn' : 'etf';
  if (type === '1' || type === '4') return 'other';
  return undefined;
}

/** Parses a US master file of `exchange`; the same refusal rules as the KRX parser. */
export function parseOverseasMaster(bytes: Uint8Array, exchange: UsExchange): MasterParseResult {
  const lines = decodeCp949(bytes).split('\n');
  const last = lines.pop() ?? '';
  if (last.trim() !== '') {
    return {
      ok: false,
      error: { code: 'TRUNCATED', message: `The ${exchange} master file ends mid-line (truncated download?)` },
    };
  }
  const entries: MasterEntry[] = [];
  let skipped = 0;
  for (const raw of lines) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '' || line.startsWith('National code')) continue;
    const cols = line.split('\t');
    const ticker = (cols[COL.SYMBOL] ?? '').trim();
    const kind = kindOf((cols[COL.TYPE] ?? '').trim(), (cols[COL.SUBTYPE] ?? '').trim());
    const listed = (cols[COL.EXCHANGE] ?? '').trim();
    if (
      cols.length < OVERSEAS_COLUMNS ||
      !TICKER.test(ticker) ||
      kind === undefined ||
      (listed !== '' && !(listed in US_EXCHANGES))
    ) {
      skipped++;
      continue;
    }
    const price = Number((cols[COL.BASE_PRICE] ?? '').trim());
    entries.push({
      code: usKey(exchange, ticker),
      ticker,
      market: exchange,
      kind,
      nameKo: (cols[COL.NAME_KO] ?? '').trim(),
      nameEn: (cols[COL.NAME_EN] ?? '').trim(),
      basePrice: Number.isFinite(price) ? price : 0,
    });
  }
  return settle(exchange, entries, skipped);
}

/** What the writer needs of a US listing. */
export interface UsListing {
  readonly ticker: string;
  readonly nameKo: string;
  readonly nameEn: string;
  readonly kind: ListingKind;
  readonly basePrice: number;
}

/** Writes a US master file in the official format (simulator and tests). */
export function writeOverseasMaster(listings: readonly UsListing[], exchange: UsExchange): Uint8Array {
  const names: Readonly<Record<UsExchange, string>> = { NAS: 'Nasdaq', NYS: 'New York', AMS: 'AMEX' };
  const lines = listings.map((l) => {
    const type = l.kind === 'stock' ? '2' : l.kind === 'other' ? '1' : '3';
    const subtype = l.kind === 'etn' ? '002' : l.kind === 'etf' ? '001' : '';
    const cols = [
      'US',
      '',
      exchange,
      names[exchange],
      l.ticker,
      usKey(exchange, l.ticker),
      l.nameKo,
      l.nameEn,
      type,
      'USD',
      '4',
      '',
      l.basePrice.toFixed(4),
      '1',
      '1',
      '0930',
      '1600',
      'N',
      '',
      '',
      '0',
      '',
      subtype,
      '',
    ];
    return `${cols.join('\t')}\n`;
  });
  return encodeCp949(lines.join(''));
}
