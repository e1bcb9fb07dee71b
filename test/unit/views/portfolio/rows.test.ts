import { strict as assert } from 'node:assert';
import { formatMessage } from '../../../../src/common/translate';
import {
  alertWords,
  decorateRow,
  portfolioText,
  portfolioTooltip,
} from '../../../../src/views/portfolio/portfolioRows';
import { ColorId, type WatchlistRow } from '../../../../src/views/watchlist/watchlistModel';
import { portfolioTotals, type Holding } from '../../../../src/market/portfolio';
import type { QuoteState } from '../../../../src/shared/snapshot';

const row: WatchlistRow = {
  symbol: '005930',
  id: 'kisMarket.symbol.005930',
  name: '삼성전자',
  label: '삼성전자  71,900  -0.14%',
  description: '71,900  -100 (-0.14%)',
  iconId: 'arrow-down',
  colorId: ColorId.Down,
  direction: 'down',
  stale: false,
  tooltip: '**삼성전자** `005930`\n\n| | |\n|---|---:|\n| Last | 71,900 |',
  contextValue: 'symbol canMoveDown',
};
const quote = {
  symbol: '005930',
  last: 71900,
  change: -100,
  rate: -0.14,
  strength: 84.9,
  volumeRatio: 20.28,
} as QuoteState;
const holding: Holding = { symbol: '005930', quantity: 10, averageCost: 70000, currency: 'KRW' };
const t = formatMessage;

describe('portfolio rows', () => {
  it('adds the total P&L percent to a held row and the amounts, strength and volume ratio to its tooltip', () => {
    const r = decorateRow(row, { holding, quote, privacy: false, alerts: 2, t });
    assert.equal(r.description, '71,900  -100 (-0.14%)  P&L +2.71%');
    assert.match(r.tooltip, /\| P&L today \| -1,000 KRW \(-0\.14%\) \|/);
    assert.match(r.tooltip, /\| P&L total \| \+19,000 KRW \(\+2\.71%\) \|/);
    assert.match(r.tooltip, /Strength \(체결강도\) \| 84\.90 %/);
    assert.match(r.tooltip, /Volume vs yesterday \| 20\.28 %/);
    assert.equal(r.contextValue, 'symbol canMoveDown held hasAlerts');
  });

  it('shows no P&L before the first trade', () => {
    const r = decorateRow(row, { holding, quote: { ...quote, last: 0, change: 0 }, privacy: false, alerts: 0, t });
    assert.equal(r.description, row.description);
    assert.match(r.tooltip, /no price yet/);
    assert.doesNotMatch(r.tooltip, /-100 KRW/);
    assert.equal(
      decorateRow(row, { holding: undefined, quote: undefined, privacy: false, alerts: 0, t }).tooltip,
      row.tooltip,
    );
  });

  it('keeps only the names in privacy mode', () => {
    const r = decorateRow(row, { holding, quote, privacy: true, alerts: 1, t });
    assert.equal(r.description, '');
    // The row layout puts the price and the change in the label: privacy mode leaves the short name alone.
    assert.equal(r.label, '삼성전자');
    assert.doesNotMatch(r.tooltip, /\d{2},\d{3}|P&L|%/);
    assert.equal(r.colorId, ColorId.Flat);
    assert.equal(r.iconId, 'eye-closed');
  });

  it('gives the portfolio total per currency, hidden in privacy mode', () => {
    const totals = portfolioTotals(
      [holding, { symbol: 'AAPL', quantity: 1, averageCost: 100, currency: 'USD' }],
      (s) => (s === 'AAPL' ? { last: 110, change: 1 } : quote),
    );
    assert.equal(portfolioText(totals, false), '$(briefcase) +19,000 KRW (+2.71%) · +$10.00 (+10.00%)');
    assert.equal(portfolioText(totals, true), '');
    assert.equal(
      portfolioText(
        portfolioTotals([holding], () => undefined),
        false,
      ),
      '',
    );
    assert.match(portfolioTooltip(totals, t), /KRW: value 719,000 KRW, total \+19,000 KRW/);
  });

  it('words every kind of rule', () => {
    assert.equal(alertWords({ kind: 'priceAbove', threshold: 72000 }, t), 'price ≥ 72,000');
    assert.equal(alertWords({ kind: 'priceBelow', threshold: 10.5 }, t), 'price ≤ 10.50');
    assert.equal(alertWords({ kind: 'rateAbove', threshold: 3 }, t), 'change ≥ +3.00%');
    assert.equal(alertWords({ kind: 'rateBelow', threshold: -3 }, t), 'change ≤ -3.00%');
    assert.equal(alertWords({ kind: 'volumeRatioAbove', threshold: 150 }, t), 'volume ≥ 150 % of yesterday');
    assert.equal(alertWords({ kind: 'viTriggered', threshold: 0 }, t), 'VI triggered');
    assert.equal(alertWords({ kind: 'viReleased', threshold: 0 }, t), 'VI released');
  });
});
