/**
 * A fair round-robin over the symbols that are not streamed live: each tick takes the next symbols in
 * turn, never more than the budget allows, so every symbol is refreshed once per cycle and the cycle
 * length ("every N s") is the same for all. Pure: the caller owns the timer and the requests.
 */

/** The plan of one scheduler. */
export interface RefreshPlan {
  /** Seconds between two refreshes of the same symbol (0 when there is nothing to refresh). */
  everySeconds: number;
}

/** Round-robin over a symbol list within `requestsPerSecond`. */
export class RefreshScheduler {
  private symbols: string[] = [];
  private cursor = 0;
  /** Unspent budget carried between ticks, so a fractional rate is honoured over time. */
  private credit = 0;

  /** `requestsPerSecond` may be fractional (a share of the key's limit); must be > 0. */
  constructor(private readonly requestsPerSecond: number) {
    if (!(requestsPerSecond > 0)) throw new RangeError('requestsPerSecond must be > 0');
  }

  /** Replaces the symbol list; symbols that stay keep their place in the turn order. */
  setSymbols(symbols: readonly string[]): void {
    const next = [...new Set(symbols)];
    const current = this.symbols[this.cursor];
    this.symbols = next;
    const at = current === undefined ? -1 : next.indexOf(current);
    this.cursor = at >= 0 ? at : 0;
  }

  /** How often each symbol is refreshed. */
  plan(): RefreshPlan {
    return { everySeconds: this.symbols.length === 0 ? 0 : Math.ceil(this.symbols.length / this.requestsPerSecond) };
  }

  /** The symbols to refresh in a tick of `tickMs`: the budget's share of that tick, never more. */
  next(tickMs = 1000): string[] {
    if (this.symbols.length === 0) return [];
    this.credit = Math.min(this.credit + (this.requestsPerSecond * tickMs) / 1000, this.symbols.length);
    const count = Math.floor(this.credit);
    this.credit -= count;
    const out: string[] = [];
    for (let i = 0; i < count; i++) {
      out.push(this.symbols[this.cursor]);
      this.cursor = (this.cursor + 1) % this.symbols.length;
    }
    return out;
  }
}
