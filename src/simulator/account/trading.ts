/**
 * The simulator's trading desk: the paper account (paperAccount.ts) on the REST API and on the market.
 * It answers order-cash, order-rvsecncl (cancels) and inquire-daily-ccld (orderRest.ts shapes the bodies), matches open orders
 * against the market's one reference walk, and hands every acceptance, fill and refusal to the server as
 * an execution notice for the account's HTS ID.
 *
 * "The next trade" of a symbol is the next one its KRX model books: one a stream printed since the last
 * match, else one the desk makes the walk print (an order must fill even when nobody streams the symbol).
 * Matching runs every `orderMatchMs` while an order is open, or only on `matchOrders()` when that is 0.
 */
import { Disposable, toDisposable } from '../../common/lifecycle';
import { DAILY_CCLD_PATH, ORDER_CASH_PATH, ORDER_REVISE_PATH } from '../../kis/orders';
import { formatKstDate, formatKstTime } from '../../market';
import type { SymbolModel } from '../market/venueModel';
import type { NoticeFields } from '../ws/notice';
import { noticeFieldsOf } from './orderNotices';
import { answerDailyCcld, answerOrderCancel, answerOrderCash, type RestAnswer } from './orderRest';
import { PaperAccount, type OrderEvent } from './paperAccount';

/** What the desk needs from the server. */
export interface TradingHost {
  now(): number;
  /** The KRX model of a code (its walk). */
  model(code: string): SymbolModel;
  /** True for a code the market knows (the catalogue, the configured symbols, any code already trading). */
  knows(code: string): boolean;
  /** True while the market takes orders. */
  marketOpen(): boolean;
  /** Sends a notice to every session registered for `htsId`; returns how many got it. */
  notify(htsId: string, fields: NoticeFields): number;
}

/** What the desk is made with. */
export interface TradingOptions {
  htsId: string;
  /** `12345678-01`. */
  account: string;
  /** ms between matches while an order is open; 0: only on `matchOrders()`. */
  matchMs: number;
  lotPerTrade: number;
}

/** The trading desk of one simulator. */
export class SimTrading extends Disposable {
  readonly account: PaperAccount;
  /** Notices made while no session was registered for the HTS ID (KIS does not keep them either). */
  undelivered = 0;
  /** Order events so far, by kind (tests and the CLI log). */
  readonly counts = { accepted: 0, filled: 0, refused: 0, cancelled: 0 };
  /** Per symbol, the KRX model's trade count at the last match: a higher count is a trade to match. */
  private readonly seen = new Map<string, number>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly host: TradingHost,
    private readonly options: TradingOptions,
  ) {
    super();
    this.account = new PaperAccount(options.htsId, options.account, options.lotPerTrade);
    this._register(toDisposable(() => this.stopTimer()));
  }

  /** Whether the desk serves `path`. */
  handles(path: string): boolean {
    return path === ORDER_CASH_PATH || path === DAILY_CCLD_PATH || path === ORDER_REVISE_PATH;
  }

  /** Answers one request on a path `handles()` accepted (after the REST API checked the token and tr_id). */
  answer(
    path: string,
    trId: string,
    request: { trCont: string; body: string; param: (name: string) => string },
  ): RestAnswer {
    if (path === DAILY_CCLD_PATH)
      return answerDailyCcld(
        this.account,
        trId,
        request.trCont,
        request.param,
        formatKstDate(new Date(this.host.now())),
      );
    if (path === ORDER_REVISE_PATH) {
      const answer = answerOrderCancel(this.account, trId, request.body, formatKstTime(new Date(this.host.now())));
      if (answer.cancelled !== undefined) this.emitAll([answer.cancelled]);
      if (!this.account.hasOpenOrders()) this.stopTimer();
      return answer;
    }
    const waiting = new Set(this.account.openSymbols());
    const answer = answerOrderCash(this.account, trId, request.body, {
      time: formatKstTime(new Date(this.host.now())),
      market: {
        open: this.host.marketOpen(),
        known: (code) => this.host.knows(code),
        prevClose: (code) => this.host.model(code).prevClose,
      },
    });
    if (answer.placed !== undefined) {
      const { symbol } = answer.placed.order;
      // Trades booked before the order are not its "next trade" (a symbol already waiting keeps its count).
      if (!waiting.has(symbol)) this.seen.set(symbol, this.host.model(symbol).trades);
      this.emitAll(answer.placed.events);
      this.startTimer();
    }
    return answer;
  }

  /**
   * One match: for each symbol with an open order, its next trade (one a stream printed since the last
   * match, else one printed now) fills what it crosses. Returns the fills made.
   */
  matchOrders(): number {
    let fills = 0;
    const at = new Date(this.host.now());
    const time = formatKstTime(at);
    for (const symbol of this.account.openSymbols()) {
      const model = this.host.model(symbol);
      if (model.trades <= (this.seen.get(symbol) ?? 0)) model.nextTrade(time, formatKstDate(at));
      this.seen.set(symbol, model.trades);
      const events = this.account.trade(symbol, model.price, time);
      fills += events.length;
      this.emitAll(events);
    }
    if (!this.account.hasOpenOrders()) this.stopTimer();
    return fills;
  }

  private emitAll(events: readonly OrderEvent[]): void {
    for (const event of events) {
      this.counts[event.kind] += 1;
      if (this.host.notify(this.options.htsId, noticeFieldsOf(event, this.options.account)) === 0)
        this.undelivered += 1;
    }
  }

  private startTimer(): void {
    if (this.timer !== undefined || this.options.matchMs <= 0 || !this.account.hasOpenOrders()) return;
    this.timer = setInterval(() => this.matchOrders(), this.options.matchMs);
    this.timer.unref();
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
