/**
 * One simulated market: the venue models of every code (models.ts), the trading day (daySim.ts) and the
 * index and US walks (intlSim.ts). A server owns its own (tests: a fresh, seeded market per server), or,
 * with `market: 'process'`, shares the process's: a Disconnect/Connect of the embedded simulator starts
 * a new server on the same market, so the simulated day goes on (volumes never go down, prices continue).
 */
import { CATALOGUE } from '../market/catalogue';
import { DaySim } from './daySim';
import { IntlSim, type IndexMember } from './intlSim';
import { MarketModels } from './models';
import type { ResolvedOptions } from './options';

/** Index codes and the catalogue market whose stocks make them (KOSPI 200 taken as KOSPI's). */
const INDEX_MARKETS: Readonly<Record<string, 'KOSPI' | 'KOSDAQ'>> = { '0001': 'KOSPI', '2001': 'KOSPI', '1001': 'KOSDAQ' };

/** The market state one or more servers stream from. */
export class SimMarket {
  readonly models: MarketModels;
  readonly day: DaySim;
  readonly intl: IntlSim;

  constructor(options: ResolvedOptions) {
    this.models = new MarketModels(options);
    this.day = new DaySim((code) => this.models.venues(code), options.seed, options.calendar);
    this.intl = new IntlSim(options.marketHours, (index) => this.members(index));
    for (const symbol of options.symbols) this.models.model(symbol.code, symbol.basePrice);
  }

  /**
   * The market of a server: its own, or the process's for `market: 'process'` (one per calendar mode,
   * made with the first such server's options; a later server's seed, symbols and clock do not reset it).
   */
  static of(options: ResolvedOptions): { market: SimMarket; shared: boolean } {
    if (options.market !== 'process') return { market: new SimMarket(options), shared: false };
    const key = options.calendar ? 'calendar' : 'demo';
    let market = processMarkets.get(key);
    if (market === undefined) {
      market = new SimMarket(options);
      processMarkets.set(key, market);
    }
    return { market, shared: true };
  }

  /** The catalogue stocks of an index's market, weighted by price (a price-weighted index). */
  private members(index: string): readonly IndexMember[] {
    const market = INDEX_MARKETS[index];
    if (market === undefined) return [];
    return CATALOGUE.filter((entry) => entry.market === market).map((entry) => {
      const model = this.models.model(entry.code);
      return { reference: model.reference, weight: model.prevClose, volume: () => model.combined?.cumVolume ?? model.cumVolume };
    });
  }
}

/** The process's markets (`market: 'process'`), by calendar mode. */
const processMarkets = new Map<string, SimMarket>();

/** Forgets the process's markets (tests of the process market start from none). */
export function resetProcessMarkets(): void {
  processMarkets.clear();
}
