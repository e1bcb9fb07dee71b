/**
 * One simulated market: the venue models of every code (models.ts), the trading day (daySim.ts) and the
 * index and US walks (intlSim.ts). A server owns its own (tests: a fresh, seeded market per server), or,
 * with `market: 'process'`, shares the process's: a Disconnect/Connect of the embedded simulator starts
 * a new server on the same market, so the simulated day goes on (volumes never go down, prices continue).
 */
import { CATALOGUE } from '../../market/catalogue';
import { DaySim } from './daySim';
import { IntlSim, type IndexMember } from './intlSim';
import { MarketModels } from './models';
import type { ResolvedOptions } from '../options';

/** Index codes and the catalogue market whose stocks make them (KOSPI 200 taken as KOSPI's). */
const INDEX_MARKETS: Readonly<Record<string, 'KOSPI' | 'KOSDAQ'>> = {
  '0001': 'KOSPI',
  '2001': 'KOSPI',
  '1001': 'KOSDAQ',
};

/** The market state one or more servers stream from. */
export class SimMarket {
  readonly models: MarketModels;
  readonly day: DaySim;
  readonly intl: IntlSim;

  constructor(options: ResolvedOptions) {
    this.models = new MarketModels(options);
    this.day = new DaySim((code) => this.models.venues(code), options.seed, options.calendar);
    this.intl = new IntlSim(options.marketHours, (index) => this.members(index), options.now);
    for (const symbol of options.symbols) this.models.model(symbol.code, symbol.basePrice);
  }

  /**
   * The market of a server: its own, or the process's for `market: 'process'`. The process keeps one
   * market, made for the options that define it (`marketKey`): a server with the same ones continues its
   * day; one with others (another seed, clock, base price...) gets a new market, and the old one is dropped.
   */
  static of(options: ResolvedOptions): { market: SimMarket; shared: boolean } {
    if (options.market !== 'process') return { market: new SimMarket(options), shared: false };
    const key = marketKey(options);
    if (processMarket?.key !== key) processMarket = { key, market: new SimMarket(options) };
    return { market: processMarket.market, shared: true };
  }

  /** The catalogue stocks of an index's market, weighted by price (a price-weighted index). */
  private members(index: string): readonly IndexMember[] {
    const market = INDEX_MARKETS[index];
    if (market === undefined) return [];
    return CATALOGUE.filter((entry) => entry.market === market).map((entry) => {
      const model = this.models.model(entry.code);
      return {
        reference: model.reference,
        weight: model.prevClose,
        volume: () => model.combined?.cumVolume ?? model.cumVolume,
      };
    });
  }
}

/**
 * What makes a market: its seed, its clock (by identity: the embedded simulator reuses one clock per
 * clock setting, so a change of clock or speed starts a clean day), its mode and walk options, and the
 * base prices it was given. Rates, tick interval, faults and sessions are each server's own.
 */
function marketKey(options: ResolvedOptions): string {
  const basePrices = options.symbols.filter((s) => s.basePrice !== undefined).map((s) => `${s.code}=${s.basePrice}`);
  return JSON.stringify([
    options.seed,
    clockId(options.now),
    options.calendar,
    options.marketHours,
    options.historyMinutes,
    options.volatilityTicks,
    options.tradeWidth,
    options.bookWidth,
    basePrices,
  ]);
}

/** A number per clock function (a function has no other stable identity to key by). */
function clockId(now: () => number): number {
  let id = clockIds.get(now);
  if (id === undefined) {
    id = ++lastClockId;
    clockIds.set(now, id);
  }
  return id;
}
const clockIds = new WeakMap<() => number, number>();
let lastClockId = 0;

/** The process's market (`market: 'process'`) and the key it was made for. */
let processMarket: { key: string; market: SimMarket } | undefined;

/** Forgets the process's market (tests of the process market start from none). */
export function resetProcessMarkets(): void {
  processMarket = undefined;
}
