/**
 * REST prices and history for the read model: one-shot quotes (a symbol added, a session
 * started, a reconnect gap, a closed market), a fair round-robin refresh of the symbols that do not
 * stream live (RefreshScheduler, within a share of the key's rate limit), and today's minute bars for
 * the ticker. The WebSocket goes on whatever REST does: a failure marks the symbol "price unavailable"
 * with the error's stable code and is counted by the client; no secret reaches a message. A failed symbol
 * is asked again when the scheduler's retry falls due (KIS's token minute, else a backoff), the market
 * open or closed; that retry time is what the row tells the user ("retry in 42 s").
 */
import type { MarketDiv, RestBar, RestQuote } from '../../kis/rest';
import { RefreshScheduler, RestError, retryDelayMs, type RestErrorCode, type RestStats } from '../../rest';
import { Disposable, Emitter, toDisposable, type Event } from '../../common/lifecycle';
import type { MarketModel } from '../model/readModel';
import { restChartBars, restQuoteState } from './restMerge';

/** What RestPrices needs of the REST client (KisRestClient; a fake in tests). */
export interface RestPriceClient {
  price(symbol: string, exchange?: MarketDiv): Promise<RestQuote>;
  minuteBars(symbol: string, exchange?: MarketDiv): Promise<RestBar[]>;
  stats(): RestStats;
}

/** Options of RestPrices. */
export interface RestPricesOptions {
  client: RestPriceClient;
  model: MarketModel;
  /** The exchange code of the exchange setting (J, NX or UN). */
  exchange: () => MarketDiv;
  /** Requests per second the round-robin may use (a share of the key's limit; the rest is for one-shots). */
  refreshPerSecond: number;
  now?: () => number;
  /** Round-robin tick, ms (default 1000). */
  tickMs?: number;
}

/** How a row is kept up to date. */
export type RowMode = { kind: 'live' } | { kind: 'rest'; everySeconds: number };

/** REST counters for Connection Details and the status tooltip (numbers and codes only). */
export interface RestPriceStats extends RestStats {
  /** Symbols whose last REST answer failed ("price unavailable"). */
  unavailable: number;
  /** Symbols refreshed by the round-robin, and its cycle. */
  refreshed: number;
  everySeconds: number;
  /** The code of the newest REST failure and when (epoch ms); never a message that could echo a secret. */
  lastError?: { code: RestErrorCode; at: number };
}

/** REST prices for the feed (see the file comment). */
export class RestPrices extends Disposable {
  private readonly scheduler: RefreshScheduler;
  private readonly failures = new Map<string, RestErrorCode>();
  /** Failures in a row per symbol (the backoff's attempt), forgotten at the next answer. */
  private readonly attempts = new Map<string, number>();
  private lastError: RestPriceStats['lastError'];
  private readonly changeEmitter = this._register(new Emitter<string[]>());
  private readonly now: () => number;
  private refreshed = new Set<string>();
  /** When the round-robin last refreshed each symbol, and the measured interval between its last two turns. */
  private readonly turns = new Map<string, { at: number; cycleMs?: number }>();
  private timer: NodeJS.Timeout | undefined;
  private inflight = new Set<Promise<unknown>>();

  /** Fires with the symbols whose quote or bars changed in the model. */
  readonly onDidChange: Event<string[]> = this.changeEmitter.event;

  constructor(private readonly opts: RestPricesOptions) {
    super();
    this.now = opts.now ?? Date.now;
    this.scheduler = new RefreshScheduler(opts.refreshPerSecond);
    this._register(toDisposable(() => this.stopTimer()));
  }

  /** The symbols the round-robin refreshes (the ones that do not stream live); starts or stops its timer. */
  setRefreshed(symbols: readonly string[]): void {
    this.refreshed = new Set(symbols);
    this.scheduler.setSymbols(symbols);
    this.keepTimer();
  }

  /** Runs the tick while there is something to ask: a round-robin, or a retry waiting. */
  private keepTimer(): void {
    if (this.refreshed.size === 0 && !this.scheduler.hasRetries()) this.stopTimer();
    else if (this.timer === undefined && !this.isDisposed) {
      const tickMs = this.opts.tickMs ?? 1000;
      this.timer = setInterval(() => void this.tick(tickMs), tickMs);
      this.timer.unref?.();
    }
  }

  /** Whether a row is live or refreshed every N s. */
  mode(symbol: string): RowMode {
    return this.refreshed.has(symbol)
      ? { kind: 'rest', everySeconds: this.scheduler.plan().everySeconds }
      : { kind: 'live' };
  }

  /** The code of the symbol's last REST failure ("price unavailable"), undefined once an answer came. */
  problem(symbol: string): RestErrorCode | undefined {
    return this.failures.get(symbol);
  }

  /** When a failed symbol is asked again (epoch ms, the scheduler's retry), undefined when it is not. */
  retryAt(symbol: string): number | undefined {
    return this.failures.has(symbol) ? this.scheduler.retryAt(symbol) : undefined;
  }

  /** Counters (the client's, plus rows without a price). */
  stats(): RestPriceStats {
    const stats: RestPriceStats = {
      ...this.opts.client.stats(),
      unavailable: this.failures.size,
      refreshed: this.refreshed.size,
      everySeconds: this.scheduler.plan().everySeconds,
    };
    return this.lastError === undefined ? stats : { ...stats, lastError: this.lastError };
  }

  /** One round-robin step: the next symbols in turn, within the budget of `tickMs`. */
  async tick(tickMs = this.opts.tickMs ?? 1000): Promise<void> {
    const at = this.now();
    const due = this.scheduler.next(tickMs, at);
    for (const symbol of due) {
      if (!this.refreshed.has(symbol)) continue;
      const last = this.turns.get(symbol);
      this.turns.set(symbol, { at, cycleMs: last && at - last.at });
    }
    await this.quotes(due);
    this.keepTimer();
  }

  /**
   * Seconds between a row's REST refreshes: the measured interval between its last two round-robin turns
   * (the real cycle, slowed by the limiter or a slow server), the planned cycle until it was measured.
   */
  cycleSeconds(symbol: string): number {
    const measured = this.turns.get(symbol)?.cycleMs;
    return measured !== undefined ? Math.max(1, Math.round(measured / 1000)) : this.scheduler.plan().everySeconds;
  }

  /** Asks the current price of `symbols` now (added, session start, reconnect gap, market closed). */
  async quotes(symbols: readonly string[]): Promise<void> {
    const changed: string[] = [];
    await Promise.all(
      symbols.map(async (symbol) => {
        const asOf = this.now();
        try {
          const q = await this.track(this.opts.client.price(symbol, this.opts.exchange()));
          this.failures.delete(symbol);
          this.attempts.delete(symbol);
          this.scheduler.cancelRetry(symbol);
          if (this.opts.model.applyRestQuote(restQuoteState(q, asOf, this.opts.model.quote(symbol))))
            changed.push(symbol);
        } catch (e) {
          this.fail(symbol, e);
          changed.push(symbol);
        }
      }),
    );
    if (changed.length > 0) this.changeEmitter.fire(changed);
  }

  /** Today's minute bars since the open, merged under the live bars of `symbol`. */
  async history(symbol: string): Promise<void> {
    try {
      const bars = await this.track(this.opts.client.minuteBars(symbol, this.opts.exchange()));
      this.opts.model.applyHistory(symbol, restChartBars(symbol, bars));
      this.changeEmitter.fire([symbol]);
    } catch (e) {
      // The chart simply starts with the live bars; the client counted the error.
      this.fail(symbol, e);
    }
  }

  private fail(symbol: string, error: unknown): void {
    const code = error instanceof RestError ? error.code : 'BAD_RESPONSE';
    const at = this.now();
    this.failures.set(symbol, code);
    this.lastError = { code, at };
    const attempt = (this.attempts.get(symbol) ?? 0) + 1;
    this.attempts.set(symbol, attempt);
    const delay = retryDelayMs(code, attempt, error instanceof RestError ? error.retryAfterMs : undefined);
    if (delay === undefined) this.scheduler.cancelRetry(symbol);
    else this.scheduler.retry(symbol, at + delay);
    this.keepTimer();
  }

  /** Forgets a symbol that left the watchlist. */
  forget(symbol: string): void {
    this.failures.delete(symbol);
    this.attempts.delete(symbol);
    this.turns.delete(symbol);
    this.scheduler.cancelRetry(symbol);
  }

  /** Waits for the requests in flight (dispose and tests). */
  async settled(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inflight.add(p);
    void p.then(
      () => this.inflight.delete(p),
      () => this.inflight.delete(p),
    );
    return p;
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
