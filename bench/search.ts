/**
 * Symbol-search latency per keystroke: 4,000 generated listings (3,000 KRX parsed from a
 * generated KOSPI master file, 1,000 US from a generated NASDAQ file — synthetic names, never real
 * listings), queries typed one character at a time. Baseline, same run: a bare `includes` scan over the
 * same Korean names (the least any search can do), so the ratio says what ranking and 초성 cost.
 */
import { performance } from 'node:perf_hooks';
import { createSymbolSearch, type Searchable } from '../src/market/search';
import {
  parseKrxMaster,
  parseOverseasMaster,
  writeKrxMaster,
  writeOverseasMaster,
  type MasterEntry,
} from '../src/market/master';
import { machineInfo, quantile, round, type BenchOptions, type BenchResult } from './support/common';

const SYLLABLES = '가나다라마바사아자차카타파하삼성전자현대기아엘지에스케이';

/** The generated list, and the bytes of its two master files (what the cache holds for it). */
export function generatedListings(krxCount = 3000, usCount = 1000): { entries: MasterEntry[]; bytes: number } {
  const krx = Array.from({ length: krxCount }, (_, i) => ({
    code: String(900000 + i),
    nameKo: `가상${SYLLABLES[i % SYLLABLES.length]}${SYLLABLES[(i * 7) % SYLLABLES.length]}${SYLLABLES[(i * 13) % SYLLABLES.length]}${i}`,
    kind: 'stock' as const,
    basePrice: 1000 + i,
  }));
  const us = Array.from({ length: usCount }, (_, i) => ({
    ticker: `Z${i.toString(36).toUpperCase().padStart(3, 'A')}`,
    nameKo: `가상해외${i}`,
    nameEn: `Synthetic Holdings ${i}`,
    kind: 'stock' as const,
    basePrice: 10 + i / 100,
  }));
  const krxBytes = writeKrxMaster(krx, 'KOSPI');
  const usBytes = writeOverseasMaster(us, 'NAS');
  const a = parseKrxMaster(krxBytes, 'KOSPI');
  const b = parseOverseasMaster(usBytes, 'NAS');
  if (!a.ok || !b.ok) throw new Error('generated master files did not parse');
  return { entries: [...a.entries, ...b.entries], bytes: krxBytes.length + usBytes.length };
}

/** Every prefix of each query: what the picker searches as the user types. */
const QUERIES = ['가상삼성전자', 'ㄱㅅㅅㅅ', 'ㅎㄷ', 'synthetic holdings 5', '9001', 'zaab', '가상해외99'];
const keystrokes = (): string[] => QUERIES.flatMap((q) => Array.from(q, (_, i) => q.slice(0, i + 1)));

function time(rounds: number, fn: (query: string) => void): number[] {
  const samples: number[] = [];
  const typed = keystrokes();
  for (let r = 0; r < rounds; r++) {
    for (const q of typed) {
      const t0 = performance.now();
      fn(q);
      samples.push(performance.now() - t0);
    }
  }
  return samples;
}

/** Measures p50/p99 per keystroke of the search and of the baseline scan. */
export async function run(options: BenchOptions): Promise<BenchResult> {
  const { entries, bytes } = generatedListings();
  const built = performance.now();
  const search = createSymbolSearch<Searchable>(entries);
  const buildMs = performance.now() - built;
  const rounds = options.quick ? 20 : 100;
  time(3, (q) => search.search(q)); // warm-up
  const names = entries.map((e) => e.nameKo);
  const samples = time(rounds, (q) => search.search(q));
  const base = time(rounds, (q) => names.filter((n) => n.includes(q)).slice(0, 50));
  const p50 = quantile(samples, 0.5);
  const p99 = quantile(samples, 0.99);
  const b50 = quantile(base, 0.5);
  const b99 = quantile(base, 0.99);
  return {
    name: 'search',
    figures: {
      entries: entries.length,
      keystrokes: samples.length,
      p50Ms: round(p50, 3),
      p99Ms: round(p99, 3),
      buildMs: round(buildMs, 1),
      masterFileBytes: bytes,
    },
    baseline: { p50Ms: round(b50, 3), p99Ms: round(b99, 3) },
    ratio: { p50: round(p50 / b50), p99: round(p99 / b99) },
    notes: ['per keystroke over 4,000 generated listings; baseline = bare includes() over the Korean names'],
    machine: machineInfo(),
  };
}
