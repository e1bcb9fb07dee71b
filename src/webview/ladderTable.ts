/**
 * Draws a {@link LadderView} into the page's `<table id="ladder">`: a real table with column and row
 * headers, so a screen reader reads each level as "ask size, price" or "price, bid size". Three columns, as
 * Korean HTS ladders have them: ask sizes left of the asks' prices, bid sizes right of the bids' prices.
 *
 * The rows are rebuilt on each draw (at most ten a second, from the channel's pacing): a fresh row restarts
 * its flash animation without a reflow trick, and twenty rows cost nothing next to the chart.
 */
import type { TickerStrings } from '../shared/webviewProtocol';
import type { BookVenue } from '../shared/snapshot';
import type { LadderLevel, LadderView } from './ladder';

/** The table's parts the renderer fills: caption, head cells, body and foot. */
export interface LadderElements {
  section: HTMLElement;
  table: HTMLElement;
  caption: HTMLElement;
  askHead: HTMLElement;
  priceHead: HTMLElement;
  bidHead: HTMLElement;
  body: HTMLElement;
  foot: HTMLElement;
}

/** The venue as the caption says it. */
export function venueLabel(venue: BookVenue | undefined, strings: Pick<TickerStrings, 'venueUnified'>): string {
  return venue === undefined ? '' : venue === 'unified' ? strings.venueUnified : venue;
}

function cell(document: Document, tag: 'td' | 'th', className: string, text = ''): HTMLElement {
  const element = document.createElement(tag);
  element.className = className;
  if (text !== '') element.textContent = text;
  return element;
}

/** A size cell with its bar (its length set through the CSSOM, which the page's CSP allows). */
function sizeCell(document: Document, level: LadderLevel): HTMLElement {
  const td = cell(document, 'td', `ladder-size ${level.side}`);
  if (level.empty) return td;
  const bar = document.createElement('span');
  bar.className = 'ladder-bar';
  bar.setAttribute('aria-hidden', 'true');
  bar.style.setProperty('--share', level.share.toFixed(3));
  const text = document.createElement('span');
  text.className = 'ladder-size-text';
  text.textContent = level.sizeText;
  td.append(bar, text);
  return td;
}

function levelRow(document: Document, level: LadderLevel, lastMark: string): HTMLElement {
  const tr = document.createElement('tr');
  const classes = ['ladder-level', level.side];
  if (level.empty) classes.push('empty');
  if (level.last) classes.push('last');
  if (level.flash !== undefined) classes.push(`flash-${level.flash}`);
  tr.className = classes.join(' ');
  tr.dataset['side'] = level.side;
  tr.dataset['level'] = String(level.level);
  tr.dataset['price'] = String(level.price);
  tr.dataset['size'] = String(level.size);
  const price = cell(document, 'th', 'ladder-price', level.priceText);
  price.setAttribute('scope', 'row');
  price.dataset['direction'] = level.direction;
  if (level.last) {
    // Seen as the row's outline; heard as "last trade" after the price.
    const mark = document.createElement('span');
    mark.className = 'visually-hidden';
    mark.textContent = ` (${lastMark})`;
    price.append(mark);
  }
  const empty = cell(document, 'td', 'ladder-size');
  tr.append(
    ...(level.side === 'ask' ? [sizeCell(document, level), price, empty] : [empty, price, sizeCell(document, level)]),
  );
  return tr;
}

/**
 * Fills the ladder's table from `view`, or hides it when there is none (no book for the symbol). The
 * oddities of the book are said in the caption (crossed, fewer levels) and on the table's data attributes.
 */
export function renderLadder(elements: LadderElements, view: LadderView | undefined, strings: TickerStrings): void {
  elements.section.hidden = view === undefined;
  if (view === undefined) {
    elements.body.replaceChildren();
    elements.foot.replaceChildren();
    return;
  }
  const document = elements.table.ownerDocument;
  const venue = venueLabel(view.venue, strings);
  const marks = [view.crossed ? strings.crossedBook : '', view.fewer ? strings.fewerLevels : ''].filter((m) => m);
  elements.caption.textContent = [venue === '' ? strings.orderBook : `${strings.orderBook} · ${venue}`, ...marks].join(
    ' — ',
  );
  elements.askHead.textContent = strings.askSize;
  elements.priceHead.textContent = strings.price;
  elements.bidHead.textContent = strings.bidSize;
  const table = elements.table;
  table.dataset['depth'] = String(view.depth);
  table.dataset['venue'] = view.venue ?? '';
  table.dataset['crossed'] = String(view.crossed);
  table.dataset['fewer'] = String(view.fewer);
  table.dataset['imbalance'] = view.imbalance === undefined ? '' : view.imbalance.toFixed(1);

  const rows = view.asks.map((level) => levelRow(document, level, strings.lastTrade));
  if (view.expected !== undefined) {
    const tr = document.createElement('tr');
    tr.className = 'ladder-expected';
    tr.dataset['price'] = String(view.expected.price);
    const label = cell(document, 'td', 'ladder-expected-label', strings.expected);
    const price = cell(document, 'th', 'ladder-price', view.expected.priceText);
    price.setAttribute('scope', 'row');
    tr.append(label, price, cell(document, 'td', 'ladder-expected-volume', view.expected.volumeText));
    rows.push(tr);
  }
  if (view.expected === undefined && view.lastBetween !== undefined) {
    const tr = document.createElement('tr');
    tr.className = 'ladder-last';
    tr.dataset['price'] = String(view.lastBetween.price);
    const price = cell(document, 'th', 'ladder-price', view.lastBetween.priceText);
    price.setAttribute('scope', 'row');
    tr.append(cell(document, 'td', 'ladder-expected-label', strings.last), price, cell(document, 'td', ''));
    rows.push(tr);
  }
  rows.push(...view.bids.map((level) => levelRow(document, level, strings.lastTrade)));
  elements.body.replaceChildren(...rows);

  const total = document.createElement('tr');
  total.className = 'ladder-total';
  const label = cell(document, 'th', 'ladder-total-label', strings.total);
  label.setAttribute('scope', 'row');
  const share = view.imbalance;
  if (share !== undefined) {
    const imbalance = document.createElement('span');
    imbalance.className = 'ladder-imbalance';
    imbalance.dataset['direction'] = share > 0 ? 'up' : share < 0 ? 'down' : 'flat';
    imbalance.textContent = strings.imbalance.replace('{0}', view.imbalanceText);
    label.append(document.createElement('br'), imbalance);
  }
  total.append(
    cell(document, 'td', 'ladder-size ask', view.totalAskText),
    label,
    cell(document, 'td', 'ladder-size bid', view.totalBidText),
  );
  elements.foot.replaceChildren(total);
}
