/**
 * A small catalogue of well-known US stocks for the simulator's master files and the picker's offline
 * fallback: ticker, exchange, KIS-style Korean name, English name and a plausible base price in USD
 * (not live data). Pure data.
 */
import type { UsExchange } from './symbols';

/** One US catalogue entry. */
export interface UsCatalogueEntry {
  readonly ticker: string;
  readonly exchange: UsExchange;
  readonly nameKo: string;
  readonly nameEn: string;
  readonly etf: boolean;
  /** Plausible previous close in USD (not live data). */
  readonly basePrice: number;
}

/** The catalogue: NASDAQ, then NYSE, then AMEX. */
export const US_CATALOGUE: readonly UsCatalogueEntry[] = Object.freeze([
  { ticker: 'AAPL', exchange: 'NAS', nameKo: '애플', nameEn: 'Apple Inc', etf: false, basePrice: 189.5 },
  { ticker: 'NVDA', exchange: 'NAS', nameKo: '엔비디아', nameEn: 'NVIDIA Corp', etf: false, basePrice: 121.4 },
  { ticker: 'MSFT', exchange: 'NAS', nameKo: '마이크로소프트', nameEn: 'Microsoft Corp', etf: false, basePrice: 415.2 },
  { ticker: 'TSLA', exchange: 'NAS', nameKo: '테슬라', nameEn: 'Tesla Inc', etf: false, basePrice: 248.5 },
  { ticker: 'AMZN', exchange: 'NAS', nameKo: '아마존닷컴', nameEn: 'Amazon.com Inc', etf: false, basePrice: 182.3 },
  { ticker: 'QQQ', exchange: 'NAS', nameKo: '인베스코 QQQ', nameEn: 'Invesco QQQ Trust', etf: true, basePrice: 468.9 },
  { ticker: 'KO', exchange: 'NYS', nameKo: '코카콜라', nameEn: 'Coca-Cola Co', etf: false, basePrice: 62.1 },
  {
    ticker: 'JPM',
    exchange: 'NYS',
    nameKo: 'JP모간 체이스',
    nameEn: 'JPMorgan Chase & Co',
    etf: false,
    basePrice: 201.7,
  },
  {
    ticker: 'SPY',
    exchange: 'AMS',
    nameKo: 'SPDR S&P 500 ETF',
    nameEn: 'SPDR S&P 500 ETF Trust',
    etf: true,
    basePrice: 548.2,
  },
] satisfies UsCatalogueEntry[]);
