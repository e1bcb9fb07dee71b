import assert from 'node:assert/strict';
import {
  describePlan,
  registrationsAt,
  registrationsFor,
  dayStatusOf,
  PAPER_REASON,
} from '../../../src/feed/plan/dayPlan';
import { planSubscriptions, SESSION_BUDGET } from '../../../src/feed/plan/subscriptionPlan';
import { sessionAt, type ExchangeChoice } from '../../../src/market/sessionClock';
import { PAPER_TRS } from '../../../src/kis/layouts/day';
import { phaseWords, dataExpectedNow, dayRows } from '../../../src/views/dayText';
import { buildRow, type RowContext } from '../../../src/views/watchlist/watchlistModel';
import type { QuoteState } from '../../../src/shared/snapshot';
import type { DataSource } from '../../../src/market/sources';

const t = (message: string, ...args: unknown[]): string =>
  message.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));

/** The acceptance instants: Monday 2026-12-07 (KRX after-market rules in force) and Saturday 2026-12-05. */
const AT = {
  '08:40': Date.parse('2026-12-07T08:40:00+09:00'),
  '11:00': Date.parse('2026-12-07T11:00:00+09:00'),
  '15:25': Date.parse('2026-12-07T15:25:00+09:00'),
  '17:30': Date.parse('2026-12-07T17:30:00+09:00'),
  'Sat 12:00': Date.parse('2026-12-05T12:00:00+09:00'),
} as const;
type Instant = keyof typeof AT;
const open = (): 'open' => 'open';

function trs(at: Instant, exchange: ExchangeChoice, source: DataSource, focused: boolean): string[] {
  return registrationsFor('005930', sessionAt(AT[at], open), exchange, source, focused).map(
    (r) => `${r.trId}/${r.rank}`,
  );
}

describe('dayPlan: the registrations of a symbol at fixed instants', () => {
  it('unified (real): trade always; book, auction and status only in their phases', () => {
    assert.deepEqual(trs('08:40', 'unified', 'real', true), ['H0UNCNT0/0', 'H0UNASP0/2', 'H0UNANC0/1', 'H0STMKO0/1']);
    assert.deepEqual(trs('08:40', 'unified', 'real', false), ['H0UNCNT0/0', 'H0UNASP0/4', 'H0UNANC0/3', 'H0STMKO0/5']);
    assert.deepEqual(trs('11:00', 'unified', 'real', true), ['H0UNCNT0/0', 'H0UNASP0/2', 'H0STMKO0/1']);
    assert.deepEqual(trs('15:25', 'unified', 'real', true), ['H0UNCNT0/0', 'H0UNASP0/2', 'H0UNANC0/1', 'H0STMKO0/1']);
    // 17:30: the KRX after-market and the NXT after-market trade; status from KRX while it is open.
    assert.deepEqual(trs('17:30', 'unified', 'real', true), ['H0UNCNT0/0', 'H0UNASP0/2', 'H0STMKO0/1']);
    assert.deepEqual(trs('Sat 12:00', 'unified', 'real', true), ['H0UNCNT0/0']);
  });

  it('krx and nxt: each exchange its own TRs and phases', () => {
    assert.deepEqual(trs('08:40', 'krx', 'real', true), ['H0STCNT0/0', 'H0STASP0/2', 'H0STANC0/1', 'H0STMKO0/1']);
    assert.deepEqual(trs('08:40', 'nxt', 'real', true), ['H0NXCNT0/0', 'H0NXASP0/2', 'H0NXMKO0/1']);
    assert.deepEqual(trs('15:25', 'nxt', 'real', false), ['H0NXCNT0/0']);
    assert.deepEqual(trs('17:30', 'nxt', 'real', false), ['H0NXCNT0/0', 'H0NXASP0/4', 'H0NXMKO0/5']);
  });

  it('paper: KRX trade and book only, whatever the setting, and the status says why', () => {
    for (const at of Object.keys(AT) as Instant[]) {
      for (const r of registrationsFor('005930', sessionAt(AT[at], open), 'unified', 'paper', true))
        assert.ok(PAPER_TRS.has(r.trId), `${at}: ${r.trId} is a paper TR`);
    }
    assert.deepEqual(trs('08:40', 'nxt', 'paper', true), ['H0STCNT0/0', 'H0STASP0/2']);
    const day = dayStatusOf(sessionAt(AT['11:00'], open), true, 'unified', 'paper', []);
    assert.equal(day.exchange, 'krx');
    assert.equal(day.reason, PAPER_REASON);
    assert.equal(new Map(dayRows(day, t)).get('Exchange'), `krx (asked unified: ${PAPER_REASON})`);
    assert.equal(dayStatusOf(sessionAt(AT['11:00'], open), true, 'nxt', 'real', []).reason, undefined);
  });

  it("within the 41 budget: every trade first, the focused symbol's auction feed next, then the others'", () => {
    const symbols = Array.from({ length: 20 }, (_, i) => String(100000 + i));
    const plan = planSubscriptions(
      symbols,
      SESSION_BUDGET,
      '100005',
      registrationsAt(sessionAt(AT['08:40'], open), 'unified', 'real'),
    );
    assert.equal(plan.length, SESSION_BUDGET);
    assert.deepEqual(
      plan.slice(0, 20).map((p) => p.trId),
      Array(20).fill('H0UNCNT0'),
    );
    assert.deepEqual(
      plan.slice(0, 20).map((p) => p.trKey),
      symbols,
      'trades keep the watchlist order',
    );
    assert.deepEqual(plan.slice(20, 23), [
      { trId: 'H0UNANC0', trKey: '100005' },
      { trId: 'H0STMKO0', trKey: '100005' },
      { trId: 'H0UNASP0', trKey: '100005' },
    ]);
    assert.deepEqual(
      new Set(plan.slice(23).map((p) => p.trId)),
      new Set(['H0UNANC0']),
      "the rest of the budget goes to the others' auction feed",
    );
    assert.equal(plan.slice(23).length, 18);
    // At 11:00 the auction feeds are released: books fill the budget instead.
    const regular = planSubscriptions(
      symbols,
      SESSION_BUDGET,
      '100005',
      registrationsAt(sessionAt(AT['11:00'], open), 'unified', 'real'),
    );
    assert.ok(!regular.some((p) => p.trId === 'H0UNANC0'));
    assert.equal(regular.filter((p) => p.trId === 'H0UNASP0').length, 20);
    assert.deepEqual(
      describePlan(regular).map((l) => l.split(':')[0]),
      ['H0UNCNT0 ×20', 'H0STMKO0 ×1', 'H0UNASP0 ×20'],
    );
  });

  it('without a registration function the plan stays the KRX trade-and-book plan', () => {
    assert.deepEqual(planSubscriptions(['000660', '005930'], 3, '005930'), [
      { trId: 'H0STCNT0', trKey: '000660' },
      { trId: 'H0STCNT0', trKey: '005930' },
      { trId: 'H0STASP0', trKey: '005930' },
    ]);
  });
});

describe('dayText: the status text and the rows at fixed instants', () => {
  const words = (at: Instant, exchange: ExchangeChoice = 'unified', holidays?: () => 'open'): string =>
    phaseWords({ session: sessionAt(AT[at], holidays), exchange, calendar: true }, t);

  it('says the phase of the chosen exchange in words', () => {
    assert.equal(words('08:40', 'unified', open), 'KRX opening auction, NXT pre-market');
    assert.equal(words('08:40', 'krx', open), 'KRX opening auction');
    assert.equal(words('11:00', 'unified', open), 'KRX+NXT regular session');
    assert.equal(words('15:25', 'unified', open), 'KRX closing auction', 'NXT pauses 15:20–15:30');
    assert.equal(words('17:30', 'unified', open), 'KRX+NXT after-market');
    assert.equal(words('17:30', 'nxt', open), 'NXT after-market');
    assert.equal(words('Sat 12:00', 'unified', open), 'closed until Mon 08:00');
    assert.equal(words('Sat 12:00', 'krx', open), 'closed until Mon 08:30');
    assert.equal(words('11:00', 'unified'), 'KRX+NXT regular session (holiday calendar unknown)');
    assert.equal(
      phaseWords({ session: sessionAt(AT['Sat 12:00']), exchange: 'unified', calendar: false }, t),
      'demo: streams at any hour',
    );
  });

  it('expects data only while the chosen exchange streams (silence when closed is not staleness)', () => {
    const expected = (at: Instant, exchange: ExchangeChoice): boolean =>
      dataExpectedNow({ session: sessionAt(AT[at], open), exchange, calendar: true });
    assert.equal(expected('08:40', 'unified'), true);
    assert.equal(expected('15:25', 'nxt'), false, 'NXT pauses 15:20–15:30');
    assert.equal(expected('17:30', 'krx'), true);
    assert.equal(expected('Sat 12:00', 'unified'), false);
    assert.equal(
      dataExpectedNow({ session: sessionAt(AT['Sat 12:00']), exchange: 'unified', calendar: false }),
      true,
      'the demo always streams',
    );
  });

  const ctx: RowContext = {
    now: AT['08:40'],
    marketOpen: true,
    staleAfterMs: 30_000,
    convention: 'korean',
    language: 'en',
    t,
  };
  function quote(over: Partial<QuoteState>): QuoteState {
    return {
      symbol: '005930',
      last: 70_000,
      change: 500,
      rate: 0.72,
      sign: '2',
      volume: 10,
      value: 700_000,
      open: 70_000,
      high: 70_000,
      low: 70_000,
      vwap: 70_000,
      bestBid: 0,
      bestAsk: 0,
      lastTickTime: '084000',
      businessDate: '20261207',
      lastUpdateAt: AT['08:40'],
      halted: false,
      trades: 1,
      ...over,
    };
  }

  it('rows: the expected price at 08:40, the exchange of a unified trade, a VI badge', () => {
    const expected = {
      price: 71_200,
      change: 1_700,
      rate: 2.45,
      sign: '2' as const,
      volume: 5,
      time: '084000',
      exchange: 'unified' as const,
    };
    const auction = buildRow('005930', quote({ exchange: 'unified', expected }), 0, 1, ctx);
    // The label holds the name, the price (here the expected one) and the percent; the description the change and badges.
    assert.equal(auction.label, 'Samsung Elec  ≈71,200  +2.45%');
    assert.equal(auction.description, '+1,700 expected · NXT');
    assert.match(auction.tooltip, /Expected \\\(auction\\\) price 71,200/);
    assert.equal(
      buildRow('005930', quote({ exchange: 'unified', lastTickTime: '110000' }), 0, 1, ctx).description,
      '+500 · KRX+NXT',
    );
    assert.equal(
      buildRow('005930', quote({ exchange: 'unified', lastTickTime: '173000' }), 0, 1, ctx).description,
      '+500 · KRX+NXT',
    );
    assert.equal(
      buildRow('005930', quote({ exchange: 'NXT', lastTickTime: '193000' }), 0, 1, ctx).description,
      '+500 · NXT',
    );
    const plain = buildRow('005930', quote({}), 0, 1, ctx);
    assert.equal(plain.label, 'Samsung Elec  70,000  +0.72%');
    assert.equal(plain.description, '+500', 'a KRX-only row has no tag');
    const vi = buildRow('005930', quote({ vi: true, viPrice: 77_000 }), 0, 1, ctx);
    assert.equal(vi.description, '+500 · VI');
    assert.equal(vi.iconId, 'warning');
    assert.match(vi.tooltip, /reference price 77,000/);
    const halted = buildRow('005930', quote({ halted: true, haltReason: 'disclosure' }), 0, 1, ctx);
    assert.match(halted.tooltip, /Halt reason: disclosure/);
    assert.equal(buildRow('005930', quote({ vi: true }), 0, 1, ctx).tooltip.includes('reference price'), false);
  });
});

describe("holidays: the REST calendar as the clock's provider", () => {
  it('answers the listed dates and leaves the others unknown', async () => {
    const { holidayProvider } = await import('../../../src/feed/rest/holidays');
    const provider = holidayProvider([
      { date: '20261207', open: false },
      { date: '20261208', open: true },
      { date: 'bad', open: true },
    ]);
    assert.equal(provider('2026-12-07'), 'closed');
    assert.equal(provider('2026-12-08'), 'open');
    assert.equal(provider('2026-12-09'), 'unknown');
    assert.equal(
      phaseWords({ session: sessionAt(AT['11:00'], provider), exchange: 'unified', calendar: true }, t),
      'closed: holiday, until Tue 08:00',
      'the status says why',
    );
  });
});
