/**
 * The simulator's market state shared by every connection: per code, the venue models of its one
 * reference walk (KRX, NXT and the unified tape that takes both), so two connections streaming the same
 * symbol see the same prices and volumes; and the stream rates, by (tr_id, symbol), by symbol, or the
 * default of `options.ratePerSymbol`.
 */
import { formatKstDate, kstMidnight } from '../../market';
import { basePriceOf, SymbolModel, type SymbolModelOptions } from './venueModel';

/** The models of one code: its two venues and the unified tape (every trade of both). */
export interface SymbolVenues {
  readonly krx: SymbolModel;
  readonly nxt: SymbolModel;
  readonly unified: SymbolModel;
}

/** What the models are made with. */
export interface ModelOptions extends Omit<SymbolModelOptions, 'prevClose' | 'reference' | 'venue' | 'tape'> {
  /** Minutes of trading played before the models' start (the demo's day so far); 0: none. */
  historyMinutes: number;
  /** The clock the history ends at. */
  now: () => number;
}

/** Trades per minute of a played history (a calm morning: about one every three seconds). */
const HISTORY_TRADES_PER_MINUTE = 20;
/** Share of the history's trades that print on NXT (the rest on KRX). */
const HISTORY_NXT_SHARE = 0.3;

/** The venue models of every code, made on first use. */
export class MarketModels {
  private readonly symbols = new Map<string, SymbolVenues>();

  constructor(private readonly options: ModelOptions) {}

  /** The KRX model of `code`, made on first use (at `basePrice`, else the catalogue's or a hashed one). */
  model(code: string, basePrice?: number): SymbolModel {
    return this.venues(code, basePrice).krx;
  }

  /** The venue models of `code`, made on first use. */
  venues(code: string, basePrice?: number): SymbolVenues {
    let venues = this.symbols.get(code);
    if (venues === undefined) {
      venues = this.make(code, basePriceOf(code, basePrice));
      this.symbols.set(code, venues);
    }
    return venues;
  }

  /** The codes with models so far. */
  codes(): string[] {
    return [...this.symbols.keys()];
  }

  private make(code: string, prevClose: number): SymbolVenues {
    const o = this.options;
    const base = { prevClose, volatilityTicks: o.volatilityTicks, tradeWidth: o.tradeWidth, bookWidth: o.bookWidth };
    const krx = new SymbolModel(code, { ...base, seed: o.seed });
    const nxt = new SymbolModel(code, {
      ...base,
      seed: (o.seed ^ 0x4e5854) >>> 0,
      reference: krx.reference,
      venue: 'NXT',
    });
    const unified = new SymbolModel(code, {
      ...base,
      seed: (o.seed ^ 0x554e49) >>> 0,
      reference: krx.reference,
      tape: true,
    });
    krx.combined = unified;
    nxt.combined = unified;
    const venues = { krx, nxt, unified };
    if (o.historyMinutes > 0) playHistory(venues, o.now(), o.historyMinutes);
    return venues;
  }
}

/**
 * Plays `minutes` of trading ending at `endMs` (not before that KST day's midnight), so the demo has a
 * day behind it: open, high, low, volume and minute bars that the live walk continues.
 */
function playHistory(venues: SymbolVenues, endMs: number, minutes: number): void {
  const midnight = kstMidnight(endMs);
  const startMs = Math.max(midnight, endMs - minutes * 60_000);
  const trades = Math.floor(((endMs - startMs) / 60_000) * HISTORY_TRADES_PER_MINUTE);
  // One KST date (the history starts after its midnight); times by arithmetic (no Date per trade).
  const date = formatKstDate(new Date(endMs));
  const startSecond = Math.floor((startMs - midnight) / 1000);
  const spanSeconds = (endMs - startMs) / 1000;
  // NXT trades in a fixed pattern (every third or so), so the history depends only on the seed.
  const nxtEvery = Math.round(1 / HISTORY_NXT_SHARE);
  // Both venues trade through the history: each keeps the other next to it, as the live streams do.
  const reference = venues.krx.reference;
  reference.open('KRX');
  reference.open('NXT');
  for (let i = 0; i < trades; i++) {
    const second = startSecond + Math.floor((spanSeconds * i) / trades);
    const model = i % nxtEvery === nxtEvery - 1 ? venues.nxt : venues.krx;
    model.trade(hhmmss(second), date);
  }
  reference.close('KRX');
  reference.close('NXT');
}

/** HHMMSS of a second of the day. */
function hhmmss(second: number): string {
  const two = (n: number): string => (n < 10 ? `0${n}` : String(n));
  return `${two(Math.floor(second / 3600))}${two(Math.floor(second / 60) % 60)}${two(second % 60)}`;
}

/** Records per second of one (tr_id, symbol) stream, or 'max'. */
export type StreamRate = number | 'max';

/** The stream rates of one server. */
export class StreamRates {
  private readonly rates = new Map<string, StreamRate>();

  constructor(private defaultRate: StreamRate) {}

  /** The current rate of a (tr_id, symbol) stream: the most specific one set. */
  rateOf(trId: string, symbol: string): StreamRate {
    return this.rates.get(`${trId}|${symbol}`) ?? this.rates.get(symbol) ?? this.defaultRate;
  }

  /**
   * Sets the rate of every stream (no symbol: the default, and every specific rate forgotten), of one
   * symbol (all its TRs), or of one (trId, symbol). The rate is checked by the caller.
   */
  set(rate: StreamRate, symbol?: string, trId?: string): void {
    if (symbol === undefined) {
      this.defaultRate = rate;
      this.rates.clear();
    } else {
      this.rates.set(trId === undefined ? symbol : `${trId}|${symbol}`, rate);
    }
  }
}
