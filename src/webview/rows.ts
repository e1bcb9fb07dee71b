/**
 * The watchlist rows: one element per symbol, updated in place (only the texts that changed), flashing on a
 * trade, keyboard-navigable as a listbox. Events are delegated to the container, so rows carry no listeners.
 */
import type { Direction, RowView } from './model';

/** What the rows report to their owner. */
export interface RowsHandlers {
  onSelect(symbol: string): void;
  onUnsubscribe(symbol: string): void;
  onMove(delta: number): void;
}

/** Labels the rows need (localized). */
export interface RowLabels {
  unsubscribe: string;
  halted: string;
  /** The optional line's labels; the line shows only when `extra` is true. */
  extra?: boolean;
  strength?: string;
  volumeRatio?: string;
  vwap?: string;
}

interface RowElements {
  row: HTMLElement;
  name: HTMLElement;
  code: HTMLElement;
  halted: HTMLElement;
  last: HTMLElement;
  change: HTMLElement;
  rate: HTMLElement;
  volume: HTMLElement;
  /** The optional line under the row (체결강도, volume ratio, VWAP): a second line fits a 300 px sidebar. */
  extra: HTMLElement;
  strength: HTMLElement;
  volumeRatio: HTMLElement;
  vwap: HTMLElement;
  unsubscribe: HTMLButtonElement;
  /** The last view written (undefined for a new row). */
  view: RowView | undefined;
  /** Which of the two flash classes was used last: alternating restarts the CSS animation without a reflow. */
  parity: 0 | 1;
  flashClass: string | undefined;
}

function span(className: string, text = ''): HTMLElement {
  const element = document.createElement('span');
  element.className = className;
  element.textContent = text;
  return element;
}

function setText(element: HTMLElement, text: string): void {
  if (element.textContent !== text) {
    element.textContent = text;
  }
}

/** The rows inside `#ticker-rows`. */
export class TickerRows {
  private readonly rows = new Map<string, RowElements>();
  private selected: string | undefined;

  constructor(
    private readonly container: HTMLElement,
    private readonly handlers: RowsHandlers,
  ) {
    container.addEventListener('click', this.onClick);
    container.addEventListener('keydown', this.onKeyDown);
  }

  /** Rebuilds the list in `symbols` order, reusing existing rows. */
  rebuild(symbols: readonly string[], viewOf: (symbol: string) => RowView, labels: RowLabels): void {
    const keep = new Set(symbols);
    for (const [symbol, elements] of this.rows) {
      if (!keep.has(symbol)) {
        elements.row.remove();
        this.rows.delete(symbol);
      }
    }
    for (const symbol of symbols) {
      const elements = this.rows.get(symbol) ?? this.create(symbol);
      this.rows.set(symbol, elements);
      // appendChild moves an existing node: this also applies a new order.
      this.container.appendChild(elements.row);
      elements.unsubscribe.setAttribute('aria-label', `${labels.unsubscribe} ${symbol}`);
      elements.unsubscribe.title = labels.unsubscribe;
      setText(elements.halted, labels.halted);
      elements.extra.hidden = labels.extra !== true;
      elements.strength.dataset['label'] = labels.strength ?? '';
      elements.volumeRatio.dataset['label'] = labels.volumeRatio ?? '';
      elements.vwap.dataset['label'] = labels.vwap ?? '';
      this.update(symbol, viewOf(symbol), undefined);
    }
    this.setSelected(this.selected);
  }

  /**
   * Writes a row's texts and direction; `flash` restarts its flash animation. Values are compared with the
   * last view written (a JS compare), so an unchanged cell costs no DOM access.
   */
  update(symbol: string, view: RowView, flash: Direction | undefined): void {
    const elements = this.rows.get(symbol);
    if (elements === undefined) {
      return;
    }
    const previous = elements.view;
    if (previous?.name !== view.name || previous?.code !== view.code) {
      elements.name.textContent = view.name;
      // Only a code a person reads as one (a KRX stock's): not twice, and never a raw key.
      elements.code.textContent = view.code;
      elements.code.hidden = view.code === '';
      elements.row.title = view.code === '' ? view.name : `${view.name} (${view.code})`;
    }
    if (previous?.last !== view.last) {
      elements.last.textContent = view.last;
    }
    if (previous?.change !== view.change) {
      elements.change.textContent = view.change;
    }
    if (previous?.rate !== view.rate) {
      elements.rate.textContent = view.rate;
    }
    if (previous?.volume !== view.volume) {
      elements.volume.textContent = view.volume;
    }
    if (previous?.halted !== view.halted) {
      elements.halted.hidden = !view.halted;
    }
    if (previous?.strength !== view.strength) {
      elements.strength.textContent = view.strength;
    }
    if (previous?.volumeRatio !== view.volumeRatio) {
      elements.volumeRatio.textContent = view.volumeRatio;
    }
    if (previous?.vwap !== view.vwap) {
      elements.vwap.textContent = view.vwap;
    }
    if (previous?.direction !== view.direction) {
      elements.row.dataset['direction'] = view.direction;
    }
    if (previous?.limit !== view.limit) {
      elements.row.classList.toggle('limit', view.limit);
    }
    elements.view = view;
    if (flash !== undefined) {
      const row = elements.row;
      if (elements.flashClass !== undefined) {
        row.classList.remove(elements.flashClass);
      }
      elements.parity = elements.parity === 0 ? 1 : 0;
      elements.flashClass = `flash-${flash}-${elements.parity}`;
      row.classList.add(elements.flashClass);
    }
  }

  /** Highlights `symbol` (roving tabindex: the selected row is the one Tab reaches). */
  setSelected(symbol: string | undefined): void {
    this.selected = symbol;
    let first = true;
    for (const [code, elements] of this.rows) {
      const isSelected = code === symbol;
      elements.row.setAttribute('aria-selected', String(isSelected));
      elements.row.tabIndex = isSelected || (symbol === undefined && first) ? 0 : -1;
      first = false;
    }
  }

  /** Moves keyboard focus to `symbol`'s row if focus is inside the list already. */
  focus(symbol: string): void {
    const elements = this.rows.get(symbol);
    if (elements !== undefined && this.container.contains(document.activeElement)) {
      elements.row.focus();
      elements.row.scrollIntoView({ block: 'nearest' });
    }
  }

  private create(symbol: string): RowElements {
    const row = document.createElement('div');
    row.className = 'ticker-row';
    row.dataset['symbol'] = symbol;
    row.dataset['testid'] = `row-${symbol}`;
    row.setAttribute('role', 'option');
    row.id = `row-${symbol}`;

    const nameCell = span('name-cell');
    const name = span('name');
    const code = span('code');
    const halted = span('halted-badge');
    halted.hidden = true;
    nameCell.append(name, code, halted);

    const last = span('last');
    const changeCell = span('change-cell');
    const change = span('change');
    const rate = span('rate');
    changeCell.append(change, rate);
    const volume = span('volume');

    const unsubscribe = document.createElement('button');
    unsubscribe.type = 'button';
    unsubscribe.className = 'unsubscribe';
    unsubscribe.tabIndex = -1;
    unsubscribe.textContent = '×';

    const extra = span('extra-line');
    extra.hidden = true;
    const strength = span('extra strength');
    const volumeRatio = span('extra volume-ratio');
    const vwap = span('extra vwap');
    extra.append(strength, volumeRatio, vwap);

    row.append(nameCell, last, changeCell, volume, unsubscribe, extra);
    return {
      row,
      name,
      code,
      halted,
      last,
      change,
      rate,
      volume,
      extra,
      strength,
      volumeRatio,
      vwap,
      unsubscribe,
      view: undefined,
      parity: 0,
      flashClass: undefined,
    };
  }

  private symbolOf(target: EventTarget | null): string | undefined {
    if (!(target instanceof Element)) {
      return undefined;
    }
    const row = target.closest<HTMLElement>('.ticker-row');
    const symbol = row?.dataset['symbol'];
    return symbol !== undefined && this.rows.has(symbol) ? symbol : undefined;
  }

  private readonly onClick = (event: MouseEvent): void => {
    const symbol = this.symbolOf(event.target);
    if (symbol === undefined) {
      return;
    }
    if (event.target instanceof Element && event.target.closest('.unsubscribe') !== null) {
      event.stopPropagation();
      this.handlers.onUnsubscribe(symbol);
      return;
    }
    this.handlers.onSelect(symbol);
  };

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        this.handlers.onMove(1);
        return;
      case 'ArrowUp':
        event.preventDefault();
        this.handlers.onMove(-1);
        return;
      case 'Delete': {
        const symbol = this.symbolOf(event.target);
        if (symbol !== undefined) {
          event.preventDefault();
          this.handlers.onUnsubscribe(symbol);
        }
        return;
      }
      default:
        return;
    }
  };
}
