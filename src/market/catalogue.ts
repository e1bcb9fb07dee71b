/**
 * A small catalogue of well-known KRX stocks: code, Korean and English names, market and a plausible
 * base price (the previous close the simulator starts from, always on a valid KRX tick).
 * Pure data, no I/O: used by the symbol picker, the CLI and the simulator.
 */

/** The KRX market a stock is listed on. */
export type KrxMarket = 'KOSPI' | 'KOSDAQ';

/** One catalogue entry. */
export interface CatalogueEntry {
  /** 6-digit KRX short code (the tr_key of H0STCNT0 / H0STASP0). */
  code: string;
  /** Korean name as KRX lists it. */
  nameKo: string;
  /** English name. */
  nameEn: string;
  market: KrxMarket;
  /** Plausible previous close in KRW, on a valid tick (not live data). */
  basePrice: number;
}

/** The catalogue, KOSPI first, then KOSDAQ. */
export const CATALOGUE: readonly CatalogueEntry[] = Object.freeze([
  { code: '005930', nameKo: '삼성전자', nameEn: 'Samsung Electronics', market: 'KOSPI', basePrice: 71900 },
  { code: '000660', nameKo: 'SK하이닉스', nameEn: 'SK hynix', market: 'KOSPI', basePrice: 198000 },
  { code: '373220', nameKo: 'LG에너지솔루션', nameEn: 'LG Energy Solution', market: 'KOSPI', basePrice: 358500 },
  { code: '207940', nameKo: '삼성바이오로직스', nameEn: 'Samsung Biologics', market: 'KOSPI', basePrice: 1012000 },
  { code: '005380', nameKo: '현대차', nameEn: 'Hyundai Motor', market: 'KOSPI', basePrice: 215000 },
  { code: '000270', nameKo: '기아', nameEn: 'Kia', market: 'KOSPI', basePrice: 98700 },
  { code: '068270', nameKo: '셀트리온', nameEn: 'Celltrion', market: 'KOSPI', basePrice: 178300 },
  { code: '035420', nameKo: 'NAVER', nameEn: 'NAVER', market: 'KOSPI', basePrice: 189500 },
  { code: '035720', nameKo: '카카오', nameEn: 'Kakao', market: 'KOSPI', basePrice: 41250 },
  { code: '051910', nameKo: 'LG화학', nameEn: 'LG Chem', market: 'KOSPI', basePrice: 312500 },
  { code: '006400', nameKo: '삼성SDI', nameEn: 'Samsung SDI', market: 'KOSPI', basePrice: 248000 },
  { code: '105560', nameKo: 'KB금융', nameEn: 'KB Financial Group', market: 'KOSPI', basePrice: 78400 },
  { code: '055550', nameKo: '신한지주', nameEn: 'Shinhan Financial Group', market: 'KOSPI', basePrice: 50300 },
  { code: '086790', nameKo: '하나금융지주', nameEn: 'Hana Financial Group', market: 'KOSPI', basePrice: 61900 },
  { code: '012330', nameKo: '현대모비스', nameEn: 'Hyundai Mobis', market: 'KOSPI', basePrice: 236500 },
  { code: '028260', nameKo: '삼성물산', nameEn: 'Samsung C&T', market: 'KOSPI', basePrice: 131200 },
  { code: '066570', nameKo: 'LG전자', nameEn: 'LG Electronics', market: 'KOSPI', basePrice: 82600 },
  { code: '003550', nameKo: 'LG', nameEn: 'LG Corp.', market: 'KOSPI', basePrice: 73400 },
  { code: '096770', nameKo: 'SK이노베이션', nameEn: 'SK Innovation', market: 'KOSPI', basePrice: 112300 },
  { code: '017670', nameKo: 'SK텔레콤', nameEn: 'SK Telecom', market: 'KOSPI', basePrice: 53700 },
  { code: '030200', nameKo: 'KT', nameEn: 'KT Corp.', market: 'KOSPI', basePrice: 41850 },
  { code: '034730', nameKo: 'SK', nameEn: 'SK Inc.', market: 'KOSPI', basePrice: 152900 },
  { code: '015760', nameKo: '한국전력', nameEn: 'Korea Electric Power (KEPCO)', market: 'KOSPI', basePrice: 24650 },
  { code: '032830', nameKo: '삼성생명', nameEn: 'Samsung Life Insurance', market: 'KOSPI', basePrice: 86100 },
  { code: '009150', nameKo: '삼성전기', nameEn: 'Samsung Electro-Mechanics', market: 'KOSPI', basePrice: 139800 },
  { code: '018260', nameKo: '삼성에스디에스', nameEn: 'Samsung SDS', market: 'KOSPI', basePrice: 147600 },
  { code: '011200', nameKo: 'HMM', nameEn: 'HMM', market: 'KOSPI', basePrice: 19870 },
  { code: '259960', nameKo: '크래프톤', nameEn: 'Krafton', market: 'KOSPI', basePrice: 312000 },
  { code: '323410', nameKo: '카카오뱅크', nameEn: 'KakaoBank', market: 'KOSPI', basePrice: 22450 },
  { code: '377300', nameKo: '카카오페이', nameEn: 'Kakao Pay', market: 'KOSPI', basePrice: 31200 },
  { code: '352820', nameKo: '하이브', nameEn: 'HYBE', market: 'KOSPI', basePrice: 198700 },
  { code: '005490', nameKo: 'POSCO홀딩스', nameEn: 'POSCO Holdings', market: 'KOSPI', basePrice: 284000 },
  { code: '010130', nameKo: '고려아연', nameEn: 'Korea Zinc', market: 'KOSPI', basePrice: 732000 },
  { code: '012450', nameKo: '한화에어로스페이스', nameEn: 'Hanwha Aerospace', market: 'KOSPI', basePrice: 845000 },
  { code: '329180', nameKo: 'HD현대중공업', nameEn: 'HD Hyundai Heavy Industries', market: 'KOSPI', basePrice: 387500 },
  { code: '033780', nameKo: 'KT&G', nameEn: 'KT&G', market: 'KOSPI', basePrice: 112400 },
  { code: '042700', nameKo: '한미반도체', nameEn: 'Hanmi Semiconductor', market: 'KOSPI', basePrice: 98600 },
  { code: '086520', nameKo: '에코프로', nameEn: 'EcoPro', market: 'KOSDAQ', basePrice: 89400 },
  { code: '247540', nameKo: '에코프로비엠', nameEn: 'EcoPro BM', market: 'KOSDAQ', basePrice: 142700 },
  { code: '196170', nameKo: '알테오젠', nameEn: 'Alteogen', market: 'KOSDAQ', basePrice: 352000 },
  { code: '028300', nameKo: 'HLB', nameEn: 'HLB', market: 'KOSDAQ', basePrice: 62800 },
  { code: '263750', nameKo: '펄어비스', nameEn: 'Pearl Abyss', market: 'KOSDAQ', basePrice: 31650 },
  { code: '293490', nameKo: '카카오게임즈', nameEn: 'Kakao Games', market: 'KOSDAQ', basePrice: 14520 },
  { code: '041510', nameKo: '에스엠', nameEn: 'SM Entertainment', market: 'KOSDAQ', basePrice: 78300 },
  { code: '035900', nameKo: 'JYP Ent.', nameEn: 'JYP Entertainment', market: 'KOSDAQ', basePrice: 61200 },
  { code: '058470', nameKo: '리노공업', nameEn: 'LEENO Industrial', market: 'KOSDAQ', basePrice: 184500 },
  { code: '112040', nameKo: '위메이드', nameEn: 'Wemade', market: 'KOSDAQ', basePrice: 27850 },
  { code: '145020', nameKo: '휴젤', nameEn: 'Hugel', market: 'KOSDAQ', basePrice: 301500 },
  { code: '357780', nameKo: '솔브레인', nameEn: 'Soulbrain', market: 'KOSDAQ', basePrice: 248500 },
] satisfies CatalogueEntry[]);

const byCode = new Map<string, CatalogueEntry>(CATALOGUE.map((entry) => [entry.code, entry]));

/** The entry for a 6-digit code, or undefined when the code is not in the catalogue. */
export function findSymbol(code: string): CatalogueEntry | undefined {
  return byCode.get(code.trim());
}

/**
 * Entries whose code, Korean name or English name contains `query` (case-insensitive, surrounding
 * whitespace ignored). Exact code matches come first, then prefix matches, then the rest in catalogue
 * order. An empty query returns the whole catalogue.
 */
export function searchCatalogue(query: string, limit = Number.POSITIVE_INFINITY): CatalogueEntry[] {
  const needle = query.trim().toLowerCase();
  if (needle === '') return CATALOGUE.slice(0, limit);
  const scored: { entry: CatalogueEntry; score: number; index: number }[] = [];
  CATALOGUE.forEach((entry, index) => {
    const haystacks = [entry.code, entry.nameKo.toLowerCase(), entry.nameEn.toLowerCase()];
    let score = -1;
    if (entry.code === needle) score = 0;
    else if (haystacks.some((h) => h.startsWith(needle))) score = 1;
    else if (haystacks.some((h) => h.includes(needle))) score = 2;
    if (score >= 0) scored.push({ entry, score, index });
  });
  scored.sort((a, b) => a.score - b.score || a.index - b.index);
  return scored.slice(0, limit).map((s) => s.entry);
}
