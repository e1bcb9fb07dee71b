/**
 * The simulator's market state shared by every connection: one `SymbolModel` per code (so two
 * connections streaming the same symbol see the same prices and volumes) and the stream rates, by
 * (tr_id, symbol), by symbol, or the default of `options.ratePerSymbol`.
 */
import { basePriceOf, SymbolModel } from './market';
import { checkRate, type ResolvedOptions, type SimRate } from './options';

/** The models and the rates. */
export class MarketModels {
  private readonly models = new Map<string, SymbolModel>();
  private readonly rates = new Map<string, SimRate>();

  constructor(private readonly options: ResolvedOptions) {}

  /** The model of `code`, created on first use (at `basePrice`, else the catalogue's or a hashed one). */
  model(code: string, basePrice?: number): SymbolModel {
    let model = this.models.get(code);
    if (model === undefined) {
      const o = this.options;
      model = new SymbolModel(code, {
        prevClose: basePriceOf(code, basePrice),
        seed: o.seed,
        volatilityTicks: o.volatilityTicks,
        tradeWidth: o.tradeWidth,
        bookWidth: o.bookWidth,
      });
      this.models.set(code, model);
    }
    return model;
  }

  /** The current rate of a (tr_id, symbol) stream: the most specific one set. */
  rateOf(trId: string, symbol: string): SimRate {
    return this.rates.get(`${trId}|${symbol}`) ?? this.rates.get(symbol) ?? this.options.ratePerSymbol;
  }

  /**
   * Sets the rate of every stream (no symbol: the default, and every specific rate forgotten), of one
   * symbol (all its TRs), or of one (trId, symbol). @throws RangeError for an invalid rate.
   */
  setRate(rate: SimRate, symbol?: string, trId?: string): void {
    checkRate(rate);
    if (symbol === undefined) {
      this.options.ratePerSymbol = rate;
      this.rates.clear();
    } else {
      this.rates.set(trId === undefined ? symbol : `${trId}|${symbol}`, rate);
    }
  }
}
