/**
 * What the worker publishes about the market: per-symbol quote state, one-minute bars, order-book tops
 * and alert events. Crosses worker → extension host → webview, so plain data only (structured-clone safe).
 */
import type { FillNotice } from '../kis/layouts/notice';
import type { Sign } from '../kis/types';

export type { FillNotice, FillStatus } from '../kis/layouts/notice';
import type { AlertKind } from '../market/alertRules';

/** Where a feed's data comes from (mirrors `FeedExchange` in src/kis/layouts/day.ts). */
export type QuoteExchange = 'KRX' | 'NXT' | 'unified';

/** An auction's expected (indicative) execution, from H0STANC0/H0NXANC0/H0UNANC0: not a trade. */
export interface ExpectedQuote {
  price: number;
  change: number;
  rate: number;
  sign: Sign;
  /** Expected matched volume. */
  volume: number;
  /** HHMMSS KST of the expected-execution record. */
  time: string;
  exchange: QuoteExchange;
}

/** The latest known state of one symbol, built by the worker from H0STCNT0 and H0STASP0 records. */
export interface QuoteState {
  /** 6-digit KRX code (tr_key). */
  symbol: string;
  /** Last trade price (KRW). */
  last: number;
  /** Change vs previous close, signed (KRW). */
  change: number;
  /** Change vs previous close in percent, signed, 2 dp. */
  rate: number;
  sign: Sign;
  /** Cumulative volume (shares). */
  volume: number;
  /** Cumulative traded value (KRW). */
  value: number;
  open: number;
  high: number;
  low: number;
  /** Volume-weighted average price. */
  vwap: number;
  /** Best bid / ask: from the latest H0STASP0 record, else from the trade record. 0 when unknown. */
  bestBid: number;
  bestAsk: number;
  /** Exchange time of the last trade, HHMMSS (KST). */
  lastTickTime: string;
  /** Business date of the last trade, YYYYMMDD ('' when unknown). */
  businessDate: string;
  /** Local receipt time of the last record for this symbol (epoch ms, worker clock). */
  lastUpdateAt: number;
  /** TRHT_YN === 'Y'. */
  halted: boolean;
  /** Number of trade records (H0STCNT0) applied to this state since the worker (re)started from its seed. */
  trades: number;
  /**
   * The feed the last trade came from; absent until an NXT or unified trade was seen (then KRX trades set
   * 'KRX'). The unified record does not say which venue matched it, so a unified trade says 'unified'.
   */
  exchange?: QuoteExchange;
  /** The expected execution during an auction (or a VI); dropped when continuous trading starts. */
  expected?: ExpectedQuote;
  /** Volatility interruption in force (market-status feed); absent until a status record was seen. */
  vi?: boolean;
  /** VI reference price (VI_STND_PRC of the trade or expected feed); 0 or absent when unknown. */
  viPrice?: number;
  /** Trading-halt reason from the market-status feed ('' when none). */
  haltReason?: string;
  /** CTTR (체결강도): buy/sell strength in percent; absent until a trade carried it. */
  strength?: number;
  /** PRDY_VOL_VRSS_ACML_VOL_RATE: cumulative volume as % of yesterday's at the same time; absent until known. */
  volumeRatio?: number;
}

/** One-minute OHLCV candle. `time` is epoch seconds of the minute's start in KST wall-clock shown as UTC. */
export interface Bar {
  symbol: string;
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  /**
   * The volume-weighted average price at the bar's close (the feed's weighted-average-price field, or
   * KIS's cumulative value over volume for REST history); absent when unknown. Set by the read model.
   */
  vwap?: number;
}

/** One price level of the book. */
export interface BookLevel {
  price: number;
  size: number;
}

/**
 * Where a book comes from: a Korean venue's feed (H0STASP0 KRX, H0NXASP0 NXT, H0UNASP0 unified KRX+NXT,
 * chosen by `kisMarket.exchange`) or a US exchange (HDFSASP0).
 */
export type BookVenue = QuoteExchange | 'US';

/**
 * The order book as the feed sends it (level 0 = best), up to ten levels per side (H0STASP0 and its
 * NXT/unified twins carry ten; HDFSASP0 one or ten). A level with price 0 is a level the feed left empty.
 */
export interface OrderBookTop {
  symbol: string;
  time: string;
  asks: BookLevel[];
  bids: BookLevel[];
  totalAskSize: number;
  totalBidSize: number;
  /** The feed the book came from; absent in books kept from before it was recorded. */
  venue?: BookVenue;
}

/**
 * A price or percentage alert. Fires once per crossing: it re-arms when the value has gone back past the
 * threshold by the re-arm band, and fires at most once per cooldown (src/worker/alerts.ts).
 */
export interface AlertRule {
  id: string;
  symbol: string;
  /**
   * priceAbove/priceBelow compare `last`; rateAbove/rateBelow compare `rate` (percent); volumeRatioAbove
   * compares `volumeRatio` (percent of yesterday's volume at the same time); viTriggered/viReleased fire on
   * the VI flag's transitions (threshold 0). The list and its checks: src/market/alertRules.ts.
   */
  kind: AlertKind;
  threshold: number;
  /** Fire once, then turn off (`disabled` is set by the extension once it fired). Absent = every crossing. */
  once?: boolean;
  /** Turned off (a once-only rule that fired, until the user turns it on again): never evaluated. */
  disabled?: boolean;
}

/**
 * What the engine remembers of a rule that has fired: whether it re-armed, and when it last fired (epoch
 * ms, for the cooldown). Kept above the worker so a restarted worker does not fire again at once.
 */
export interface AlertRuleState {
  id: string;
  armed: boolean;
  firedAt: number;
}

/** An alert that fired. */
export interface AlertEvent {
  ruleId: string;
  symbol: string;
  kind: AlertRule['kind'];
  threshold: number;
  price: number;
  rate: number;
  /** Exchange time HHMMSS of the record that crossed. */
  time: string;
  /** The volume ratio that crossed (volumeRatioAbove only). */
  volumeRatio?: number;
  /** The rule was once-only: it is off now. */
  once?: boolean;
}

/** Counters kept inside the worker thread. */
export interface WorkerCounters {
  /** Records handled (all TRs). */
  records: number;
  /** Exceptions thrown (or promises rejected) by any handler, built-in or user. */
  handlerErrors: number;
  /** Frames whose payload could not be split into records. */
  parseErrors: number;
  /** Whole-day, index and US TR records that could not be read (unknown width, market status without a symbol). */
  dayRecordErrors?: number;
  /** Execution-notice records that could not be read (unknown width, no or unknown symbol). */
  noticeErrors?: number;
}

/** A coalesced update posted by the worker at most every `snapshotIntervalMs`. */
export interface Snapshot {
  /** Monotonic per worker host (survives worker restarts). */
  seq: number;
  /** Epoch ms when the worker built it. */
  at: number;
  /** Latest state of every symbol that changed since the previous snapshot. */
  quotes: QuoteState[];
  /** Bars that were created or updated since the previous snapshot (latest version of each). */
  bars: Bar[];
  /** Latest order-book top of every symbol whose book changed. */
  books: OrderBookTop[];
  /** Alerts fired since the previous snapshot, in order. */
  alerts: AlertEvent[];
  /** Execution notices received since the previous snapshot, in order (absent: none). */
  fills?: FillNotice[];
  counters: WorkerCounters;
}
