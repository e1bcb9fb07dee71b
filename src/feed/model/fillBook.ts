/**
 * Today's fills and order events, as the Fills view lists them: the live execution notices and, after a
 * restart, the day's orders read by REST (inquire-daily-ccld), merged without duplicates. Pure.
 *
 * A row's key is the order number plus the fill's sequence in that order (`12345#2`: its second fill), or
 * the order number plus the event for an acknowledgement, refusal or cancellation (`12345:accepted`). KIS
 * lists one REST row per ORDER (its total filled quantity and average price), not per fill, so REST adds
 * only what the notices have not shown: an order whose notices account for 7 of its 10 filled shares gets
 * one more row of 3 at the average price (`12345#rest`), replaced, never added to, by the next REST answer.
 * A notice delivered twice (the same order, time, quantity, price and status) is dropped. A notice after the
 * REST answer is a new fill (KIS pushes a notice at the fill; one older than the answer arrived before it).
 */
import type { FillNotice, FillStatus } from '../../kis/layouts/notice';
import type { DailyOrder } from '../../kis/rest/dailyCcld';

/** One row of the Fills view. */
export interface FillRow {
  /** Stable id (see the file comment). */
  key: string;
  /** HHMMSS (KST for domestic orders). */
  time: string;
  side: FillNotice['side'];
  symbol: string;
  /** The name KIS gave ('' when none: the view looks it up). */
  name: string;
  /** This fill's quantity (the order quantity for an acknowledgement). */
  quantity: number;
  price: number;
  orderNo: string;
  status: FillStatus;
  /** The order's quantity, and how much of it has filled up to and including this row (0 when unknown). */
  orderQuantity: number;
  filledSoFar: number;
  /** Where the row came from: a live notice, or the day's orders by REST. */
  origin: 'notice' | 'rest';
  /** Arrival order, for "newest first" among rows of the same time. */
  seq: number;
}

/** What one batch of notices did: the rows it added (in order) and the notices it dropped as repeats. */
export interface NoticeResult {
  added: FillRow[];
  repeats: number;
}

/** See the file comment. */
export class FillBook {
  private readonly byKey = new Map<string, FillRow>();
  /** Per order: the quantity the notices have shown filled, and how many fills. */
  private readonly noticed = new Map<string, { filled: number; fills: number }>();
  /** Signatures of the notices seen (repeat detection). */
  private readonly seen = new Set<string>();
  private nextSeq = 0;

  /** Adds live notices; returns the rows added (each a toast candidate) and how many were repeats. */
  addNotices(notices: readonly FillNotice[]): NoticeResult {
    const added: FillRow[] = [];
    let repeats = 0;
    for (const n of notices) {
      const signature = [n.orderNo, n.time, n.quantity, n.price, n.status, n.symbol].join('\u0000');
      if (this.seen.has(signature)) {
        repeats++;
        continue;
      }
      this.seen.add(signature);
      let key: string;
      let filledSoFar: number;
      if (n.status === 'filled') {
        const order = this.noticed.get(n.orderNo) ?? { filled: 0, fills: 0 };
        order.filled += n.quantity;
        order.fills += 1;
        this.noticed.set(n.orderNo, order);
        key = `${n.orderNo}#${order.fills}`;
        filledSoFar = order.filled + this.restFilled(n.orderNo);
      } else {
        key = `${n.orderNo}:${n.status}`;
        filledSoFar = (this.noticed.get(n.orderNo)?.filled ?? 0) + this.restFilled(n.orderNo);
      }
      const row: FillRow = {
        key,
        time: n.time,
        side: n.side,
        symbol: n.symbol,
        name: n.name,
        quantity: n.quantity,
        price: n.price,
        orderNo: n.orderNo,
        status: n.status,
        orderQuantity: n.orderQuantity,
        filledSoFar,
        origin: 'notice',
        seq: this.nextSeq++,
      };
      this.byKey.set(key, row);
      added.push(row);
    }
    return { added, repeats };
  }

  /** Merges the day's orders read by REST (see the file comment); returns how many rows it added or changed. */
  addOrders(orders: readonly DailyOrder[]): number {
    let changed = 0;
    for (const o of orders) {
      const noticed = this.noticed.get(o.orderNo)?.filled ?? 0;
      const rest = o.filledQuantity - noticed;
      const restKey = `${o.orderNo}#rest`;
      if (rest > 0) {
        const previous = this.byKey.get(restKey);
        if (previous?.quantity === rest) continue;
        this.byKey.set(restKey, {
          key: restKey,
          time: o.time,
          side: o.side,
          symbol: o.symbol,
          name: o.name,
          quantity: rest,
          price: o.averagePrice,
          orderNo: o.orderNo,
          status: 'filled',
          orderQuantity: o.orderQuantity,
          filledSoFar: o.filledQuantity,
          origin: 'rest',
          seq: previous?.seq ?? this.nextSeq++,
        });
        changed++;
        continue;
      }
      if (o.filledQuantity > 0) continue;
      // Nothing filled: the order's state, unless a notice already said it.
      const status: FillStatus = o.refusedQuantity > 0 ? 'refused' : o.cancelled ? 'cancelled' : 'accepted';
      const key = `${o.orderNo}:${status}`;
      if (this.byKey.has(key)) continue;
      this.byKey.set(key, {
        key,
        time: o.time,
        side: o.side,
        symbol: o.symbol,
        name: o.name,
        quantity: o.orderQuantity,
        price: o.orderPrice,
        orderNo: o.orderNo,
        status,
        orderQuantity: o.orderQuantity,
        filledSoFar: 0,
        origin: 'rest',
        seq: this.nextSeq++,
      });
      changed++;
    }
    return changed;
  }

  /** Every row, newest first (by time, then arrival). */
  rows(): FillRow[] {
    return [...this.byKey.values()].sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : b.seq - a.seq));
  }

  /** The row of `key`, if any. */
  row(key: string): FillRow | undefined {
    return this.byKey.get(key);
  }

  /** Forgets everything (a new trading day). */
  clear(): void {
    this.byKey.clear();
    this.noticed.clear();
    this.seen.clear();
  }

  /** What the order's REST row holds (fills before the notices began). */
  private restFilled(orderNo: string): number {
    return this.byKey.get(`${orderNo}#rest`)?.quantity ?? 0;
  }
}
