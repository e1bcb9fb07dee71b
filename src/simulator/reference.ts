/**
 * The reference price of one symbol: the one random walk every venue of the symbol prints around, so
 * KRX and NXT show one market (kept next to each other the way arbitrage keeps them in a real one).
 *
 * Rules the tests rely on:
 * - every trade of either venue is one step of the walk: mostly no move, else one tick (on the KRX tick
 *   table), rarely two; `volatilityTicks` > 1 allows moves of up to that many ticks (wild walks for
 *   limit and VI tests); a mild pull toward the previous close keeps long runs inside the ±30 % band;
 * - KRX prints at the reference; NXT at the reference or one tick off it (a small, slowly changing
 *   premium or discount);
 * - while the other venue has printed within the last `ARBITRAGE_WINDOW_STEPS` steps, the walk stays
 *   within one tick of the reference at that print, so a venue's price is never more than two ticks
 *   from the other venue's last price. A venue nobody trades stops bounding the walk. A print its own
 *   feed carries (H0STCNT0, H0NXCNT0) bounds before one only the unified feed carries, so the two venue
 *   feeds a client sees stay within two ticks of each other.
 */
import { tickDown, tickUp } from './krx';
import type { Prng } from './prng';

/** A venue that prints trades (the unified tape only combines them). */
export type PrintVenue = 'KRX' | 'NXT';

/** Where one trade printed, and who initiated it: '1' a buyer (lifted the ask), '5' a seller (hit the bid). */
export interface Print {
  readonly price: number;
  readonly side: '1' | '5';
}

/** How many steps a venue's last print keeps bounding the walk (about a second of every feed streaming). */
export const ARBITRAGE_WINDOW_STEPS = 32;
/** Share of trades that move the reference; the others print where the last one did. */
export const MOVE_PROBABILITY = 0.15;
/** Share of moves of the default walk that are two ticks instead of one ("rarely more"). */
const TWO_TICK_SHARE = 0.03;
/** Chance per NXT print that its premium/discount to the reference changes (by one tick). */
const NXT_OFFSET_CHANGE = 0.03;

/** `price` moved by `ticks` KRX ticks (negative: down), kept inside [lower, upper]. */
export function moveTicks(price: number, ticks: number, lower: number, upper: number): number {
  let p = price;
  for (let i = 0; i < ticks && p < upper; i++) p = tickUp(p);
  for (let i = 0; i > ticks && p > lower; i--) p = tickDown(p);
  return Math.min(upper, Math.max(lower, p));
}

/** The walk of one symbol, shared by its venues (see the file comment). */
export class ReferencePrice {
  /** The reference now, on a KRX tick inside the band. */
  price: number;
  /** Steps taken (prints and quiet moves). */
  steps = 0;
  /** The reference at each venue's last print, and the step it happened at. */
  private readonly lastPrint: Record<PrintVenue, { reference: number; step: number } | undefined> = { KRX: undefined, NXT: undefined };
  /** The same for the last print the venue's own feed carried. */
  private readonly lastFeedPrint: Record<PrintVenue, { reference: number; step: number } | undefined> = { KRX: undefined, NXT: undefined };
  /** NXT's premium (+1), discount (-1) or none (0), in ticks. */
  private nxtOffset = 0;
  private readonly volatilityTicks: number;

  constructor(
    readonly prevClose: number,
    readonly lower: number,
    readonly upper: number,
    private readonly rng: Prng,
    volatilityTicks: number,
  ) {
    this.price = prevClose;
    this.volatilityTicks = Math.max(1, Math.floor(volatilityTicks));
  }

  /**
   * One trade of `venue`: moves the walk one step and returns where the trade prints. `onVenueFeed`
   * false: only the unified feed carries it (see the file comment).
   */
  print(venue: PrintVenue, onVenueFeed = true): Print {
    const ticks = this.stepTicks();
    this.price = this.bounded(moveTicks(this.price, ticks, this.lower, this.upper), venue === 'KRX' ? 'NXT' : 'KRX');
    this.steps++;
    const at = { reference: this.price, step: this.steps };
    this.lastPrint[venue] = at;
    if (onVenueFeed) this.lastFeedPrint[venue] = at;
    const side: '1' | '5' = ticks > 0 ? '1' : ticks < 0 ? '5' : this.rng.next() < 0.5 ? '1' : '5';
    if (venue === 'KRX') return { price: this.price, side };
    // The premium comes and goes one tick at a time: none ↔ one tick either way.
    if (this.rng.next() < NXT_OFFSET_CHANGE) this.nxtOffset = this.nxtOffset !== 0 ? 0 : this.rng.next() < 0.5 ? 1 : -1;
    return { price: this.quote('NXT'), side };
  }

  /** Where `venue` would print now without a move: KRX at the reference, NXT with its premium/discount. */
  quote(venue: PrintVenue): number {
    return venue === 'KRX' ? this.price : moveTicks(this.price, this.nxtOffset, this.lower, this.upper);
  }

  /** A move of the quotes without a trade (the index's quiet constituents), bounded by both venues. */
  drift(): void {
    this.price = this.bounded(this.bounded(moveTicks(this.price, this.stepTicks(), this.lower, this.upper), 'KRX'), 'NXT');
    this.steps++;
  }

  /** Sets the reference (the calendar's opening price), as if both venues had just printed there. */
  reset(price: number): void {
    this.price = price;
    this.lastPrint.KRX = this.lastPrint.NXT = this.lastFeedPrint.KRX = this.lastFeedPrint.NXT = undefined;
  }

  /** The signed move of one step, in ticks. */
  private stepTicks(): number {
    // Mild mean reversion toward the previous close keeps long runs inside the band.
    const drift = (this.price - this.prevClose) / this.prevClose;
    const upShare = Math.min(0.92, Math.max(0.08, 0.5 - drift * 3));
    const r = this.rng.next();
    if (r >= MOVE_PROBABILITY) return 0;
    const size = this.volatilityTicks > 1 ? this.rng.int(1, this.volatilityTicks) : this.rng.next() < TWO_TICK_SHARE ? 2 : 1;
    return r < MOVE_PROBABILITY * upShare ? size : -size;
  }

  /** `price` kept within one tick of the reference at `other`'s last print, while that print is recent. */
  private bounded(price: number, other: PrintVenue): number {
    const recent = (at: { step: number } | undefined): boolean => at !== undefined && this.steps - at.step < ARBITRAGE_WINDOW_STEPS;
    const fed = this.lastFeedPrint[other];
    const last = recent(fed) ? fed : this.lastPrint[other];
    if (last === undefined || !recent(last)) return price;
    const high = moveTicks(last.reference, 1, this.lower, this.upper);
    const low = moveTicks(last.reference, -1, this.lower, this.upper);
    return Math.min(high, Math.max(low, price));
  }
}
