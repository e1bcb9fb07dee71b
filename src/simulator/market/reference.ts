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
 * - while the other venue is open, that is while some stream prints its trades (`open`/`close`: the
 *   pump holds a venue open while one of its trade streams is in its phase), every step is clamped to
 *   one tick of the reference at that venue's last print, and of its last print on its own feed
 *   (H0STCNT0, H0NXCNT0), so both venues' prices, on their feeds and on the unified tape, stay within two
 *   ticks of each other by construction, however the prints of the two venues happen to be ordered or
 *   batched. A venue nobody streams (or out of its phase) bounds nothing, so the other moves on, and
 *   when it opens again its stale prints are forgotten: its next print comes near the reference, as
 *   arbitrage would bring it. Holding both venues open for a burst of one venue's prints keeps the walk
 *   in a three-tick band until the other venue prints: the two cannot drift apart while both trade.
 */
import { tickDown, tickUp } from './krxRules';
import type { Prng } from './prng';

/** A venue that prints trades (the unified tape only combines them). */
export type PrintVenue = 'KRX' | 'NXT';

/** Where one trade printed, and who initiated it: '1' a buyer (lifted the ask), '5' a seller (hit the bid). */
export interface Print {
  readonly price: number;
  readonly side: '1' | '5';
}

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
  /** The reference at each venue's last print (an object, so a print on its own feed is the same one). */
  private readonly lastPrint: Record<PrintVenue, { reference: number } | undefined> = {
    KRX: undefined,
    NXT: undefined,
  };
  /** The same for the last print the venue's own feed carried. */
  private readonly lastFeedPrint: Record<PrintVenue, { reference: number } | undefined> = {
    KRX: undefined,
    NXT: undefined,
  };
  /** Streams holding each venue open (see the file comment). */
  private readonly openCount: Record<PrintVenue, number> = { KRX: 0, NXT: 0 };
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
    const at = { reference: this.price };
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
    this.price = this.bounded(
      this.bounded(moveTicks(this.price, this.stepTicks(), this.lower, this.upper), 'KRX'),
      'NXT',
    );
  }

  /**
   * One more stream prints `venue`'s trades: while any does, the venue bounds the walk. Opening a venue
   * nobody held forgets its earlier prints (they are stale: its next print comes near the reference).
   */
  open(venue: PrintVenue): void {
    if (this.openCount[venue]++ === 0) this.lastPrint[venue] = this.lastFeedPrint[venue] = undefined;
  }

  /** One stream fewer prints `venue`'s trades (a call per earlier `open`). */
  close(venue: PrintVenue): void {
    if (this.openCount[venue] > 0) this.openCount[venue]--;
  }

  /** True while some stream holds `venue` open. */
  isOpen(venue: PrintVenue): boolean {
    return this.openCount[venue] > 0;
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
    const size =
      this.volatilityTicks > 1 ? this.rng.int(1, this.volatilityTicks) : this.rng.next() < TWO_TICK_SHARE ? 2 : 1;
    return r < MOVE_PROBABILITY * upShare ? size : -size;
  }

  /**
   * `price` kept within one tick of the reference at `other`'s last print and at its last print on its
   * own feed, while `other` is open. The two anchors are at most two ticks apart (each is within a tick
   * of this venue's prints), so the band is never empty; should it be (a venue reopened with only one
   * side fresh), the last print alone bounds.
   */
  private bounded(price: number, other: PrintVenue): number {
    if (this.openCount[other] === 0) return price;
    const last = this.lastPrint[other];
    if (last === undefined) return price;
    const fed = this.lastFeedPrint[other];
    let low = moveTicks(last.reference, -1, this.lower, this.upper);
    let high = moveTicks(last.reference, 1, this.lower, this.upper);
    if (fed !== undefined && fed !== last) {
      const fedLow = moveTicks(fed.reference, -1, this.lower, this.upper);
      const fedHigh = moveTicks(fed.reference, 1, this.lower, this.upper);
      if (Math.max(low, fedLow) <= Math.min(high, fedHigh)) {
        low = Math.max(low, fedLow);
        high = Math.min(high, fedHigh);
      }
    }
    return Math.min(high, Math.max(low, price));
  }
}
