/**
 * What the user reads about a fill: the notification, the Fills view's row, and what a fill does to an
 * imported holding. Pure (the translation function is passed in), so the words and the arithmetic are
 * unit-tested without VS Code.
 */
import type { Translate } from '../../common/translate';
import type { FillRow } from '../../feed';
import { formatPrice } from '../../market/format';
import type { Holding } from '../../market/portfolio';

/** A price as the row shows it: KRW whole, US with its cents. */
export function fillPrice(row: Pick<FillRow, 'price' | 'symbol'>): string {
  return formatPrice(row.price, Number.isInteger(row.price) ? 0 : 2);
}

/** The side in words ("Buy", "Sell"). */
export function sideWords(side: FillRow['side'], t: Translate): string {
  return side === 'buy' ? t('Buy') : side === 'sell' ? t('Sell') : t('Order');
}

/** The status in words. */
export function statusWords(row: Pick<FillRow, 'status' | 'filledSoFar' | 'orderQuantity'>, t: Translate): string {
  switch (row.status) {
    case 'filled':
      return row.orderQuantity > 0 && row.filledSoFar > 0 && row.filledSoFar < row.orderQuantity
        ? t('partially filled {0}/{1}', formatPrice(row.filledSoFar), formatPrice(row.orderQuantity))
        : t('filled');
    case 'accepted':
      return t('accepted');
    case 'refused':
      return t('refused');
    case 'cancelled':
      return t('cancelled');
  }
}

/** HHMMSS as HH:MM:SS ('' stays ''). */
export function fillTime(time: string): string {
  return /^\d{6}$/.test(time) ? `${time.slice(0, 2)}:${time.slice(2, 4)}:${time.slice(4, 6)}` : time;
}

/**
 * The notification of a row, or undefined for a row that interrupts nobody (an acknowledgement or a
 * cancellation the user made): "Buy 삼성전자 3 at 71,900: partially filled 3/10", "Sell order refused: …".
 */
export function fillToast(row: FillRow, name: string, t: Translate): string | undefined {
  const side = sideWords(row.side, t);
  if (row.status === 'filled')
    return t(
      '{0} {1}: {2} at {3} ({4})',
      side,
      name,
      formatPrice(row.quantity, Number.isInteger(row.quantity) ? 0 : 4),
      fillPrice(row),
      statusWords(row, t),
    );
  if (row.status === 'refused') return t('{0} order refused: {1}, {2} shares', side, name, formatPrice(row.quantity));
  return undefined;
}

/** The Fills view's row: label, description and tooltip. `hidden` (privacy mode) covers quantity and price. */
export function fillRowText(
  row: FillRow,
  name: string,
  hidden: boolean,
  t: Translate,
): { label: string; description: string; tooltip: string } {
  const side = sideWords(row.side, t);
  const qty = hidden ? '•••' : formatPrice(row.quantity, Number.isInteger(row.quantity) ? 0 : 4);
  // An order accepted at the market has no price yet (KIS sends 0): say so rather than "@ 0".
  const price = hidden ? '•••' : row.price > 0 ? fillPrice(row) : t('market');
  const status = statusWords(row, t);
  // What a trader reads first leads, so it survives the default sidebar width: side, quantity and price; the
  // name, the status and the time follow and are cut first (the tooltip has them whole).
  const label = `${side} ${qty} @ ${price}`;
  const description = `${name} · ${status} · ${fillTime(row.time)}`;
  const tooltip = [
    `${name} (${row.symbol})`,
    t('{0} {1} at {2}: {3}', side, qty, price, status),
    t('Order number {0}', row.orderNo),
    row.origin === 'rest' ? t('From the day’s orders (KIS inquire-daily-ccld).') : t('From a live notice.'),
  ].join('\n');
  return { label, description, tooltip };
}

/**
 * What a fill does to a holding: an IMPORTED holding's quantity and average cost follow it (a buy averages
 * in, a sell lowers the quantity and keeps the cost; sold out removes it); a hand-entered holding is the
 * user's own figure and is left alone. Returns the new holding, `null` to remove it, or undefined for no change.
 */
export function holdingAfterFill(
  holding: Holding | undefined,
  row: Pick<FillRow, 'status' | 'side' | 'quantity' | 'price'>,
): Holding | null | undefined {
  if (holding === undefined || holding.imported !== true) return undefined;
  if (row.status !== 'filled' || row.quantity <= 0) return undefined;
  if (row.side === 'buy') {
    const quantity = holding.quantity + row.quantity;
    const averageCost = (holding.quantity * holding.averageCost + row.quantity * row.price) / quantity;
    return { ...holding, quantity, averageCost };
  }
  if (row.side === 'sell') {
    const quantity = holding.quantity - row.quantity;
    return quantity > 0 ? { ...holding, quantity } : null;
  }
  return undefined;
}
