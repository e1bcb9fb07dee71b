/**
 * A fair round-robin over the symbols that are not streamed live: each tick takes the next symbols in
 * turn, never more than the budget allows, so every symbol is refreshed once per cycle and the cycle
 * length ("every N s") is the same for all. A symbol whose request failed waits for its retry instead
 * (`retry`), whether the round-robin runs or not (a closed market has none): the retry time it keeps is
 * the one the row tells the user. Pure: the caller owns the timer and the requests.
 */
import type { RestErrorCode } from './errors';
import { TOKEN_ISSUE_INTERVAL_MS } from './tokenManager';

/** First wait after a failure that asking again can mend (a timeout, a REST outage); doubles per failure. */
export const RETRY_FIRST_MS = 5_000;
/** Longest wait between two retries of one symbol. */
export const RETRY_MAX_MS = 5 * 60_000;
/** Failures that asking again cannot mend: the symbol is not asked again until something changes. */
const NOT_RETRIED: ReadonlySet<RestErrorCode> = new Set(['UNKNOWN_SYMBOL', 'BAD_CREDENTIALS', 'UNSUPPORTED', 'CLOSED']);

/**
 * How long to wait before asking a symbol again after its `attempt`-th failure in a row (1 = the first):
 * KIS's token limit says when it takes the next request (`retryAfterMs`, else its minute); other failures
 * back off from 5 s, doubling, to 5 min. Undefined when asking again cannot help.
 */
export function retryDelayMs(code: RestErrorCode, attempt: number, retryAfterMs?: number): number | undefined {
  if (NOT_RETRIED.has(code)) return undefined;
  if (code === 'TOKEN_TOO_SOON') return Math.max(0, retryAfterMs ?? TOKEN_ISSUE_INTERVAL_MS);
  return Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** Math.max(0, attempt - 1));
}

/** The plan of one scheduler. */
export interface RefreshPlan {
  /** Seconds between two refreshes of the same symbol (0 when there is nothing to refresh). */
  everySeconds: number;
}

/** Round-robin over a symbol list within `requestsPerSecond`. */
export class RefreshScheduler {
  private symbols: string[] = [];
  private cursor = 0;
  /** Symbols waiting for a retry, and when (epoch ms). */
  private readonly retries = new Map<string, number>();
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

  /** Asks `symbol` again at `at` (epoch ms), and not in the round-robin before then. */
  retry(symbol: string, at: number): void {
    this.retries.set(symbol, at);
  }

  /** When `symbol` is asked again after a failure (epoch ms), undefined when no retry waits. */
  retryAt(symbol: string): number | undefined {
    return this.retries.get(symbol);
  }

  /** Drops the retry of `symbol` (an answer came, or it left the list). */
  cancelRetry(symbol: string): void {
    this.retries.delete(symbol);
  }

  /** Whether any retry waits (the caller keeps its timer running for it). */
  hasRetries(): boolean {
    return this.retries.size > 0;
  }

  /**
   * The symbols to ask in a tick of `tickMs` at `now`: the retries due first, then the round-robin's next
   * symbols (skipping those waiting for a retry), the budget's share of that tick, never more.
   */
  next(tickMs = 1000, now = Number.NEGATIVE_INFINITY): string[] {
    const due = [...this.retries].filter(([, at]) => at <= now).sort((a, b) => a[1] - b[1]);
    const pool = this.symbols.length + due.length;
    if (pool === 0) return [];
    this.credit = Math.min(this.credit + (this.requestsPerSecond * tickMs) / 1000, pool);
    const out: string[] = [];
    for (const [symbol] of due) {
      if (this.credit < 1) break;
      out.push(symbol);
      this.retries.delete(symbol);
      this.credit -= 1;
    }
    for (let scanned = 0; scanned < this.symbols.length && this.credit >= 1; scanned++) {
      const symbol = this.symbols[this.cursor];
      this.cursor = (this.cursor + 1) % this.symbols.length;
      if (this.retries.has(symbol) || out.includes(symbol)) continue;
      out.push(symbol);
      this.credit -= 1;
    }
    return out;
  }
}
