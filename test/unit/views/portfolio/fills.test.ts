import { vscodeFake, FakeLogChannel } from '../../support/vscode';
import * as assert from 'node:assert/strict';
import { formatMessage } from '../../../../src/common/translate';
import { Logger } from '../../../../src/common/logger';
import type { FillRow } from '../../../../src/feed/model/fillBook';
import type { FillNotice } from '../../../../src/shared/snapshot';
import type { Holding } from '../../../../src/market/portfolio';
import { fillRowText, fillToast, holdingAfterFill } from '../../../../src/views/portfolio/fillTexts';
import { FillsView } from '../../../../src/views/portfolio/fillsView';

const t = formatMessage;

function row(extra: Partial<FillRow> = {}): FillRow {
  return {
    key: '12345#1',
    time: '105531',
    side: 'buy',
    symbol: '005930',
    name: '삼성전자',
    quantity: 3,
    price: 71900,
    orderNo: '12345',
    status: 'filled',
    orderQuantity: 10,
    filledSoFar: 3,
    origin: 'notice',
    seq: 0,
    ...extra,
  };
}

function notice(extra: Partial<FillNotice> = {}): FillNotice {
  return {
    market: 'krx',
    side: 'buy',
    symbol: '005930',
    name: '삼성전자',
    quantity: 3,
    price: 71900,
    orderQuantity: 10,
    orderNo: '12345',
    originalOrderNo: '',
    time: '105531',
    status: 'filled',
    ...extra,
  };
}

describe('fill texts', () => {
  it('a partial fill says side, name, quantity, price and "partially filled 3/10"', () => {
    assert.equal(fillToast(row(), 'Samsung', t), 'Buy Samsung: 3 at 71,900 (partially filled 3/10)');
    assert.equal(
      fillToast(row({ side: 'sell', quantity: 7, filledSoFar: 10 }), 'Samsung', t),
      'Sell Samsung: 7 at 71,900 (filled)',
    );
  });

  it('a refusal is told; an acknowledgement and a cancellation interrupt nobody', () => {
    assert.equal(
      fillToast(row({ status: 'refused', quantity: 10 }), 'Samsung', t),
      'Buy order refused: Samsung, 10 shares',
    );
    assert.equal(fillToast(row({ status: 'accepted' }), 'Samsung', t), undefined);
    assert.equal(fillToast(row({ status: 'cancelled' }), 'Samsung', t), undefined);
  });

  it('the Fills row: side, quantity @ price; name · status · time; order number in the tooltip; privacy covers amounts', () => {
    const text = fillRowText(row(), 'Samsung', false, t);
    assert.equal(text.label, 'Buy 3 @ 71,900');
    assert.equal(text.description, 'Samsung · partially filled 3/10 · 10:55:31');
    assert.match(text.tooltip, /Order number 12345/);
    const hidden = fillRowText(row(), 'Samsung', true, t);
    assert.equal(hidden.label, 'Buy ••• @ •••');
    assert.equal(hidden.description, 'Samsung · partially filled 3/10 · 10:55:31');
    assert.ok(!hidden.tooltip.includes('71,900'));
    assert.match(fillRowText(row({ origin: 'rest' }), 'S', false, t).tooltip, /day’s orders/);
    const atMarket = fillRowText(row({ status: 'accepted', price: 0 }), 'Samsung', false, t);
    assert.equal(atMarket.label, 'Buy 3 @ market', 'a market order accepted before its fill has no price');
  });

  it('an imported holding follows a buy (averaging in) and a sell; a hand-entered one is left alone', () => {
    const imported: Holding = { symbol: '005930', quantity: 10, averageCost: 70000, currency: 'KRW', imported: true };
    const bought = holdingAfterFill(imported, { status: 'filled', side: 'buy', quantity: 10, price: 72000 });
    assert.deepEqual(bought, { ...imported, quantity: 20, averageCost: 71000 });
    const sold = holdingAfterFill(imported, { status: 'filled', side: 'sell', quantity: 4, price: 72000 });
    assert.deepEqual(sold, { ...imported, quantity: 6, averageCost: 70000 });
    assert.equal(holdingAfterFill(imported, { status: 'filled', side: 'sell', quantity: 10, price: 1 }), null);
    const hand: Holding = { symbol: '005930', quantity: 10, averageCost: 70000, currency: 'KRW' };
    assert.equal(holdingAfterFill(hand, { status: 'filled', side: 'buy', quantity: 10, price: 72000 }), undefined);
    assert.equal(holdingAfterFill(imported, { status: 'accepted', side: 'buy', quantity: 10, price: 1 }), undefined);
    assert.equal(holdingAfterFill(undefined, { status: 'filled', side: 'buy', quantity: 10, price: 1 }), undefined);
  });
});

describe('FillsView', () => {
  let imported: Holding[];
  let hand: Holding[];
  let privacy: boolean;
  let view: FillsView;
  const state = {
    get privacy() {
      return privacy;
    },
    get imported() {
      return imported;
    },
    get holdings() {
      return [...hand, ...imported.filter((h) => !hand.some((x) => x.symbol === h.symbol))];
    },
    setImported: (holdings: readonly Holding[]) => {
      imported = [...holdings];
      return Promise.resolve();
    },
  };
  const fillToasts = () => vscodeFake.messages().filter((m) => / at |refused/.test(m));

  beforeEach(() => {
    vscodeFake.reset();
    imported = [{ symbol: '005930', quantity: 10, averageCost: 70000, currency: 'KRW', imported: true }];
    hand = [{ symbol: '000660', quantity: 5, averageCost: 100000, currency: 'KRW' }];
    privacy = false;
    view = new FillsView(state, new Logger(new FakeLogChannel('test')), () => '20261204');
  });
  afterEach(() => view.dispose());

  it('a fill shows a toast and a row, and the imported holding follows it', () => {
    view.onNotices([notice()]);
    assert.equal(fillToasts().length, 1);
    assert.match(fillToasts()[0], /^Buy .*: 3 at 71,900 \(partially filled 3\/10\)$/);
    const rows = view.api(() => undefined).rows();
    assert.equal(rows.length, 1);
    assert.match(rows[0].label, /^Buy 3 @ 71,900$/);
    assert.deepEqual(
      imported.map((h) => [h.quantity, Math.round(h.averageCost)]),
      [[13, 70438]],
    );
  });

  it('a window following another window’s session lists the fill but neither tells nor applies it', () => {
    view.onNotices([notice()], false);
    assert.equal(fillToasts().length, 0);
    assert.equal(view.heldCount, 0);
    assert.equal(view.api(() => undefined).rows().length, 1);
    assert.equal(imported[0].quantity, 10);
  });

  it('a hand-entered holding is left alone by its fills, and so is the imported one it hides', () => {
    imported.push({ symbol: '000660', quantity: 8, averageCost: 90000, currency: 'KRW', imported: true });
    view.onNotices([notice({ symbol: '000660', name: 'SK하이닉스' })]);
    assert.equal(hand[0].quantity, 5);
    assert.deepEqual(
      imported.map((h) => [h.symbol, h.quantity]),
      [
        ['005930', 10],
        ['000660', 8],
      ],
    );
  });

  it('privacy mode holds the toast (the row still appears, its amounts covered) and shows it when it ends', () => {
    privacy = true;
    view.onNotices([notice()]);
    assert.equal(fillToasts().length, 0);
    assert.equal(view.heldCount, 1);
    assert.equal(view.api(() => undefined).rows()[0].label, 'Buy ••• @ •••');
    privacy = false;
    view.onPrivacy(false);
    assert.equal(fillToasts().length, 1);
    assert.equal(view.heldCount, 0);
  });

  it('merges today’s REST orders without duplicating the notices; a refusal is a warning', () => {
    view.onNotices([notice({ quantity: 3 })]);
    view.onOrders([
      {
        orderNo: '12345',
        originalOrderNo: '',
        side: 'buy',
        symbol: '005930',
        name: '삼성전자',
        orderQuantity: 10,
        orderPrice: 72000,
        time: '100000',
        filledQuantity: 3,
        averagePrice: 71900,
        cancelled: false,
        refusedQuantity: 0,
      },
    ]);
    assert.equal(view.api(() => undefined).rows().length, 1);
    view.onNotices([notice({ orderNo: '9', status: 'refused', quantity: 10 })]);
    assert.equal(vscodeFake.messages('warning').length, 1);
  });
});
