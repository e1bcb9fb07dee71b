/**
 * The simulator's paper account: the orders of one trading day and their fills. Pure state, no I/O and no
 * clock of its own: `place()` checks an order as KIS does and books it; `trade()` is one trade of the
 * market in a symbol, against which the open orders of that symbol fill. Each acceptance, fill and
 * refusal comes back as an `OrderEvent` for the server to send as an execution notice.
 *
 * How it fills (the simulator's rules; KIS's matching is the exchange's):
 * - a market order at the next trade's price;
 * - a limit buy when a trade prints at or below its price, a limit sell at or above, at the trade's price;
 * - at most `lotPerTrade` shares per order per trade, so a large order fills in parts over several trades;
 * - a cancel takes what is left of an order (or part of it) and gets its own order number;
 * - a limit price outside the day's ±30 % band is accepted with an order number and then refused by the
 *   exchange (a refusal notice), as the exchange, not the broker, holds the band.
 */
import { isKrxCode } from '../../market';
import { isOnTick, priceLimits } from '../market/krxRules';
import type { OrderSide } from '../../kis/orders';

/** An order as asked. */
export interface OrderRequest {
  side: OrderSide;
  symbol: string;
  quantity: number;
  /** undefined: a market order. */
  price?: number;
}

/** Why an order is refused before it gets a number (answered in the REST reply, no notice). */
export type OrderRefusal = 'market-closed' | 'unknown-symbol' | 'bad-quantity' | 'bad-price' | 'off-tick';

/** One order of the day. */
export interface SimOrder {
  /** ODNO: 10 digits. */
  readonly orderNo: string;
  readonly side: OrderSide;
  readonly symbol: string;
  readonly quantity: number;
  /** 0 for a market order. */
  readonly price: number;
  readonly market: boolean;
  /** ORD_TMD HHMMSS. */
  readonly time: string;
  filled: number;
  /** Sum of price × quantity of its fills. */
  filledValue: number;
  fills: number;
  refused: boolean;
  /** Shares cancelled (by order-rvsecncl) before they filled. */
  cancelled: number;
}

/** What happened to an order: the server turns each into an execution notice. */
export type OrderEvent =
  | { kind: 'accepted'; order: SimOrder }
  | { kind: 'refused'; order: SimOrder }
  | { kind: 'filled'; order: SimOrder; quantity: number; price: number; time: string }
  | { kind: 'cancelled'; order: SimOrder; quantity: number; cancelOrderNo: string; time: string };

/** The outcome of `place()`. */
export type PlaceResult = { ok: true; order: SimOrder; events: OrderEvent[] } | { ok: false; refusal: OrderRefusal };

/** What the account needs to know of the market when an order comes. */
export interface MarketView {
  /** True while the market takes orders. */
  open: boolean;
  /** True for a code the market knows. */
  known(code: string): boolean;
  /** The previous close of a code (its daily band). */
  prevClose(code: string): number;
}

/** Most shares an order fills in one trade, unless the account is told otherwise. */
export const DEFAULT_LOT_PER_TRADE = 100;
/** Most shares one order may ask for (the simulator's bound on silly input). */
export const MAX_ORDER_QUANTITY = 1_000_000;

/** The orders of one simulated account, one trading day. */
export class PaperAccount {
  private readonly orders: SimOrder[] = [];
  private lastOrderNo = 0;

  constructor(
    /** The account's HTS ID: its notices go to the sessions registered with it as tr_key. */
    readonly htsId: string,
    /** The account number, `12345678-01`. */
    readonly account: string,
    private readonly lotPerTrade = DEFAULT_LOT_PER_TRADE,
  ) {
    if (!Number.isInteger(lotPerTrade) || lotPerTrade < 1)
      throw new RangeError(`lotPerTrade must be >= 1, got ${lotPerTrade}`);
  }

  /** Every order of the day, oldest first. */
  list(): readonly SimOrder[] {
    return this.orders;
  }

  /** Symbols with an order still waiting to fill. */
  openSymbols(): string[] {
    return [...new Set(this.orders.filter(isOpen).map((o) => o.symbol))];
  }

  /** True while any order waits to fill. */
  hasOpenOrders(): boolean {
    return this.orders.some(isOpen);
  }

  /** Checks and books an order placed at `time` (HHMMSS). */
  place(request: OrderRequest, time: string, market: MarketView): PlaceResult {
    const refusal = checkOrder(request, market);
    if (refusal !== undefined) return { ok: false, refusal };
    const order: SimOrder = {
      orderNo: String(++this.lastOrderNo).padStart(10, '0'),
      side: request.side,
      symbol: request.symbol,
      quantity: request.quantity,
      price: request.price ?? 0,
      market: request.price === undefined,
      time,
      filled: 0,
      filledValue: 0,
      fills: 0,
      refused: false,
      cancelled: 0,
    };
    this.orders.push(order);
    const events: OrderEvent[] = [{ kind: 'accepted', order }];
    const { upper, lower } = priceLimits(market.prevClose(request.symbol));
    if (!order.market && (order.price > upper || order.price < lower)) {
      order.refused = true;
      events.push({ kind: 'refused', order });
    }
    return { ok: true, order, events };
  }

  /**
   * Cancels `quantity` shares (undefined: all) of what is left of order `orderNo`. The cancel gets its own
   * order number. Undefined when there is no such order or nothing of it is left to cancel.
   */
  cancel(
    orderNo: string,
    quantity: number | undefined,
    time: string,
  ): Extract<OrderEvent, { kind: 'cancelled' }> | undefined {
    const order = this.orders.find((o) => o.orderNo === orderNo);
    if (order === undefined || !isOpen(order)) return undefined;
    const left = order.quantity - order.filled - order.cancelled;
    if (quantity !== undefined && (!Number.isInteger(quantity) || quantity < 1 || quantity > left)) return undefined;
    const cancelled = quantity ?? left;
    order.cancelled += cancelled;
    return {
      kind: 'cancelled',
      order,
      quantity: cancelled,
      cancelOrderNo: String(++this.lastOrderNo).padStart(10, '0'),
      time,
    };
  }

  /** One trade of `symbol` at `price`: the fills of its open orders, oldest order first. */
  trade(symbol: string, price: number, time: string): OrderEvent[] {
    const events: OrderEvent[] = [];
    for (const order of this.orders) {
      if (order.symbol !== symbol || !isOpen(order) || !crosses(order, price)) continue;
      const quantity = Math.min(this.lotPerTrade, order.quantity - order.filled - order.cancelled);
      order.filled += quantity;
      order.filledValue += quantity * price;
      order.fills += 1;
      events.push({ kind: 'filled', order, quantity, price, time });
    }
    return events;
  }
}

function isOpen(order: SimOrder): boolean {
  return !order.refused && order.filled + order.cancelled < order.quantity;
}

/** True when a trade at `price` fills `order`. */
function crosses(order: SimOrder, price: number): boolean {
  if (order.market) return true;
  return order.side === 'buy' ? price <= order.price : price >= order.price;
}

function checkOrder(request: OrderRequest, market: MarketView): OrderRefusal | undefined {
  if (!market.open) return 'market-closed';
  if (!isKrxCode(request.symbol) || !market.known(request.symbol)) return 'unknown-symbol';
  if (!Number.isInteger(request.quantity) || request.quantity < 1 || request.quantity > MAX_ORDER_QUANTITY)
    return 'bad-quantity';
  if (request.price === undefined) return undefined;
  if (!Number.isInteger(request.price) || request.price < 1) return 'bad-price';
  if (!isOnTick(request.price)) return 'off-tick';
  return undefined;
}

/** The average fill price of an order (0 before its first fill), as KIS shows it (avg_prvs, rounded). */
export function averageFillPrice(order: SimOrder): number {
  return order.filled === 0 ? 0 : Math.round(order.filledValue / order.filled);
}
