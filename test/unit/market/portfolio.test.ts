import { strict as assert } from 'node:assert';
import {
  addLot,
  currencyOfSymbol,
  formatAmount,
  formatPercent,
  fromLots,
  isHolding,
  parsePositive,
  pnlOf,
  portfolioTotals,
  type Holding,
} from '../../../src/market/portfolio';

const samsung: Holding = { symbol: '005930', quantity: 10, averageCost: 70000, currency: 'KRW' };
const apple: Holding = { symbol: 'AAPL', quantity: 2.5, averageCost: 180, currency: 'USD' };

describe('portfolio P&L', () => {
  it('prices a holding in the currency of its market: won for KRX stocks, ETFs and ETNs, dollars for US keys', () => {
    for (const krx of ['005930', '0088M0', 'Q500001']) assert.equal(currencyOfSymbol(krx), 'KRW', krx);
    for (const us of ['DNASAAPL', 'RBAQAAPL', 'DNYSBRK.B']) assert.equal(currencyOfSymbol(us), 'USD', us);
  });

  it('averages several partial fills into one holding', () => {
    const h = fromLots('005930', [
      { quantity: 3, price: 70000 },
      { quantity: 5, price: 71000 },
      { quantity: 2, price: 74000 },
    ]);
    assert.deepEqual(h, { symbol: '005930', quantity: 10, averageCost: 71300, currency: 'KRW' });
    assert.equal(fromLots('005930', []), undefined);
    assert.deepEqual(addLot({ ...samsung, quantity: 0 }, '005930', 4, 69000), {
      symbol: '005930',
      quantity: 4,
      averageCost: 69000,
      currency: 'KRW',
    });
  });

  it('gives the total and today P&L in amount and percent', () => {
    const p = pnlOf(samsung, { last: 77000, change: 1000 });
    assert.ok(p);
    assert.equal(p.total, 70000);
    assert.equal(p.totalPercent, 10);
    assert.equal(p.today, 10000);
    assert.equal(p.todayPercent, (1000 / 76000) * 100);
    assert.equal(p.marketValue, 770000);
  });

  it('gives no P&L for a price of 0 before the first trade (never −100 %)', () => {
    assert.equal(pnlOf(samsung, { last: 0, change: 0 }), undefined);
    assert.equal(pnlOf(samsung, undefined), undefined);
    const [krw] = portfolioTotals([samsung], () => ({ last: 0, change: 0 }));
    assert.equal(krw.total, 0);
    assert.equal(krw.totalPercent, 0);
    assert.equal(krw.priced, 0);
    assert.equal(krw.held, 1);
  });

  it('keeps KRW and USD totals apart', () => {
    const prices: Record<string, { last: number; change: number }> = {
      '005930': { last: 71000, change: -500 },
      AAPL: { last: 200, change: 4 },
    };
    const totals = portfolioTotals(
      [samsung, apple, { ...samsung, symbol: '000660', quantity: 1, averageCost: 100000 }],
      (s) => prices[s],
    );
    assert.deepEqual(
      totals.map((t) => [t.currency, t.total, t.today, t.held, t.priced]),
      [
        ['KRW', 10000, -5000, 2, 1],
        ['USD', 50, 10, 1, 1],
      ],
    );
    assert.equal(totals[1].totalPercent, (50 / 450) * 100);
    assert.equal(totals[1].todayPercent, (10 / 490) * 100);
    assert.deepEqual(
      portfolioTotals([samsung], () => undefined).map((t) => t.currency),
      ['KRW'],
    );
  });

  it('reads typed quantities and prices, refusing what is not a positive number', () => {
    assert.deepEqual(parsePositive(' 1,234 ', 'quantity'), { ok: true, value: 1234 });
    assert.deepEqual(parsePositive('2.5', 'quantity', 'USD'), { ok: true, value: 2.5 });
    assert.equal(parsePositive('abc', 'price').ok, false);
    assert.equal(parsePositive('', 'price').ok, false);
    const zero = parsePositive('0', 'price');
    assert.equal(zero.ok === false && zero.code, 'NOT_POSITIVE');
    const frac = parsePositive('1.5', 'quantity');
    assert.equal(frac.ok === false && frac.code, 'NOT_WHOLE');
    assert.equal(parsePositive('-3', 'quantity').ok, false);
    assert.equal(parsePositive('Infinity', 'price').ok, false);
  });

  it('accepts only well-formed stored holdings', () => {
    assert.equal(isHolding(samsung), true);
    assert.equal(isHolding(apple), true);
    for (const bad of [
      null,
      1,
      { ...samsung, quantity: 0 },
      { ...samsung, averageCost: Number.NaN },
      { ...samsung, currency: 'EUR' },
      { ...samsung, symbol: '../x' },
      { ...samsung, symbol: '0001' },
    ]) {
      assert.equal(isHolding(bad), false, JSON.stringify(bad));
    }
  });

  it('formats signed amounts per currency and percentages', () => {
    assert.equal(formatAmount(12300, 'KRW'), '+12,300 KRW');
    // The views' one formatter: dollars as US prices read, percents as every rate reads.
    assert.equal(formatAmount(-4.2, 'USD'), '-$4.20');
    assert.equal(formatAmount(1234.5, 'USD'), '+$1,234.50');
    assert.equal(formatAmount(0, 'USD'), '$0.00');
    assert.equal(formatAmount(0, 'KRW'), '0 KRW');
    assert.equal(formatAmount(-15000.4, 'KRW'), '-15,000 KRW');
    assert.equal(formatPercent(1.234), '+1.23%');
    assert.equal(formatPercent(-0.5), '-0.50%');
    assert.equal(formatPercent(0), '0.00%');
  });
});
