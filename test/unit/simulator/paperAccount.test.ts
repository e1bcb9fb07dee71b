import { strict as assert } from 'node:assert';
import { answerDailyCcld, answerOrderCancel, answerOrderCash } from '../../../src/simulator/account/orderRest';
import {
  averageFillPrice,
  PaperAccount,
  type MarketView,
  type OrderRequest,
} from '../../../src/simulator/account/paperAccount';

/** A market whose previous close is 70,000 (band 49,000–91,000) for every code but 999999. */
const OPEN: MarketView = { open: true, known: (code) => code !== '999999', prevClose: () => 70_000 };
const buy = (quantity: number, price?: number, symbol = '005930'): OrderRequest => ({
  side: 'buy',
  symbol,
  quantity,
  price,
});

describe('simulator paper account', () => {
  it('refuses an order as KIS does before it gets a number', () => {
    const a = new PaperAccount('u1', '50012345-01');
    const refusal = (r: OrderRequest, market: MarketView = OPEN): string | undefined => {
      const placed = a.place(r, '090000', market);
      return placed.ok ? undefined : placed.refusal;
    };
    assert.equal(refusal(buy(1), { ...OPEN, open: false }), 'market-closed');
    assert.equal(refusal(buy(1, undefined, '999999')), 'unknown-symbol');
    assert.equal(refusal(buy(1, undefined, 'ABC')), 'unknown-symbol');
    assert.equal(refusal(buy(0)), 'bad-quantity');
    assert.equal(refusal(buy(1.5)), 'bad-quantity');
    assert.equal(refusal(buy(1_000_001)), 'bad-quantity');
    assert.equal(refusal(buy(1, 0)), 'bad-price');
    assert.equal(refusal(buy(1, 70_000.5)), 'bad-price');
    assert.equal(refusal(buy(1, 70_050)), 'off-tick', 'the tick is 100 from 50,000 to 200,000');
    assert.equal(refusal(buy(1_000_000, 70_100)), undefined);
    assert.equal(a.list().length, 1, 'only the accepted order is booked');
    assert.equal(a.list()[0].orderNo, '0000000001');
  });

  it('fills a limit sell only at or above its price, at the trade price, one lot per trade', () => {
    const a = new PaperAccount('u1', '50012345-01', 3);
    a.place({ side: 'sell', symbol: '005930', quantity: 5, price: 71_000 }, '090000', OPEN);
    assert.deepEqual(a.trade('005930', 70_900, '090001'), []);
    assert.deepEqual(a.trade('000660', 72_000, '090001'), [], 'another symbol');
    const [first] = a.trade('005930', 71_000, '090002');
    assert.equal(first.kind === 'filled' && [first.quantity, first.price].join(), '3,71000');
    const [second] = a.trade('005930', 71_200, '090003');
    assert.equal(second.kind === 'filled' && [second.quantity, second.price].join(), '2,71200');
    assert.equal(a.hasOpenOrders(), false);
    assert.equal(averageFillPrice(a.list()[0]), Math.round((3 * 71_000 + 2 * 71_200) / 5));
  });

  it('accepts then refuses a limit price outside the daily band; a refused order never fills', () => {
    const a = new PaperAccount('u1', '50012345-01');
    const over = a.place(buy(1, 92_000), '090000', OPEN);
    const under = a.place({ side: 'sell', symbol: '005930', quantity: 1, price: 48_950 }, '090000', OPEN);
    const edge = a.place(buy(1, 91_000), '090000', OPEN);
    assert.deepEqual(over.ok && over.events.map((e) => e.kind), ['accepted', 'refused']);
    assert.deepEqual(under.ok && under.events.map((e) => e.kind), ['accepted', 'refused']);
    assert.deepEqual(edge.ok && edge.events.map((e) => e.kind), ['accepted'], 'the upper limit itself is inside');
    assert.deepEqual(a.openSymbols(), ['005930']);
    assert.equal(a.trade('005930', 48_000, '090001').length, 1, 'only the in-band order fills');
    assert.equal(averageFillPrice(a.list()[0]), 0);
  });

  it('takes a positive whole lot per trade', () => {
    assert.throws(() => new PaperAccount('u1', '50012345-01', 0), RangeError);
  });

  describe('order-cash and inquire-daily-ccld bodies', () => {
    const context = { time: '101500', market: OPEN };
    const body = (fields: Record<string, string>): string =>
      JSON.stringify({ CANO: '50012345', ACNT_PRDT_CD: '01', PDNO: '005930', ORD_QTY: '2', ...fields });

    it('refuses a body that is not an order', () => {
      const a = new PaperAccount('u1', '50012345-01');
      const code = (trId: string, text: string): unknown =>
        (answerOrderCash(a, trId, text, context).body as Record<string, unknown>).msg_cd;
      assert.equal(code('VTTC0012U', '{'), 'SIMORD00');
      assert.equal(code('VTTC0012U', '[1]'), 'SIMORD00');
      assert.equal(code('VTTC0012U', 'null'), 'SIMORD00');
      assert.equal(code('FHKST01010100', body({ ORD_DVSN: '01', ORD_UNPR: '0' })), 'SIMORD00');
      assert.equal(code('VTTC0012U', body({ ORD_DVSN: '00', ORD_UNPR: '7만' })), 'SIMORD04');
      assert.equal(code('VTTC0012U', body({ ORD_DVSN: '01', ORD_UNPR: '0', ORD_QTY: 'ten' })), 'SIMORD03');
      assert.equal(
        (
          answerOrderCash(a, 'TTTC0012U', body({ ORD_DVSN: '01', ORD_UNPR: '0' }), {
            ...context,
            market: { ...OPEN, open: false },
          }).body as Record<string, unknown>
        ).msg_cd,
        'SIMORD01',
        'the real face has no documented closed-market code',
      );
    });

    it('refuses a cancel that is not one, of another account, or of more than is left', () => {
      const a = new PaperAccount('u1', '50012345-01');
      answerOrderCash(a, 'VTTC0012U', body({ ORD_DVSN: '00', ORD_UNPR: '50000', ORD_QTY: '3' }), context);
      const cancel = (fields: Record<string, string>, trId = 'VTTC0013U'): unknown =>
        (
          answerOrderCancel(
            a,
            trId,
            JSON.stringify({
              CANO: '50012345',
              ACNT_PRDT_CD: '01',
              ORGN_ODNO: '0000000001',
              RVSE_CNCL_DVSN_CD: '02',
              ...fields,
            }),
            '101600',
          ).body as Record<string, unknown>
        ).msg_cd;
      assert.equal(cancel({}, 'VTTC0012U'), 'SIMORD00');
      assert.equal(cancel({ CANO: '11111111' }), 'SIMACCT1');
      assert.equal(cancel({ RVSE_CNCL_DVSN_CD: '03' }), 'SIMORD06');
      assert.equal(cancel({ ORD_QTY: 'x', QTY_ALL_ORD_YN: 'N' }), 'SIMORD07');
      assert.equal(cancel({ ORD_QTY: '4', QTY_ALL_ORD_YN: 'N' }), 'SIMORD07', 'more than the 3 left');
      assert.equal(cancel({ ORGN_ODNO: '0000000009', QTY_ALL_ORD_YN: 'Y' }), 'SIMORD07');
      assert.equal(cancel({ ORD_QTY: '3', QTY_ALL_ORD_YN: 'N' }, 'TTTC0013U'), 'SIMORD10');
      assert.equal(a.hasOpenOrders(), false);
    });

    it("filters today's orders by side, fill state, symbol and number, in either order", () => {
      const a = new PaperAccount('u1', '50012345-01');
      answerOrderCash(a, 'VTTC0012U', body({ ORD_DVSN: '01', ORD_UNPR: '0' }), context);
      answerOrderCash(a, 'VTTC0011U', body({ ORD_DVSN: '00', ORD_UNPR: '80000', PDNO: '000660' }), context);
      answerOrderCash(a, 'VTTC0012U', body({ ORD_DVSN: '00', ORD_UNPR: '95000' }), context);
      a.trade('005930', 70_000, '101501');
      const odnos = (params: Record<string, string>, day = '20261207'): string[] => {
        const answer = answerDailyCcld(
          a,
          'VTTC0081R',
          '',
          (n) => ({ CANO: '50012345', ACNT_PRDT_CD: '01', ...params })[n] ?? '',
          day,
        );
        return ((answer.body as { output1?: { odno: string }[] }).output1 ?? []).map((r) => r.odno.slice(-1));
      };
      assert.deepEqual(odnos({}), ['3', '2', '1']);
      assert.deepEqual(odnos({ INQR_DVSN: '01' }), ['1', '2', '3']);
      assert.deepEqual(odnos({ SLL_BUY_DVSN_CD: '01' }), ['2']);
      assert.deepEqual(odnos({ SLL_BUY_DVSN_CD: '02' }), ['3', '1']);
      assert.deepEqual(odnos({ CCLD_DVSN: '01' }), ['1']);
      assert.deepEqual(odnos({ CCLD_DVSN: '02' }), ['2'], 'the refused order is not waiting');
      assert.deepEqual(odnos({ PDNO: '000660' }), ['2']);
      assert.deepEqual(odnos({ ODNO: '0000000003' }), ['3']);
      assert.deepEqual(odnos({ INQR_STRT_DT: '20261201', INQR_END_DT: '20261204' }), []);
      assert.deepEqual(odnos({ CANO: '11111111' }), []);
      const refused = answerDailyCcld(
        a,
        'VTTC0081R',
        '',
        (n) => ({ CANO: '50012345', ACNT_PRDT_CD: '01', ODNO: '0000000003' })[n] ?? '',
        '20261207',
      );
      const row = (refused.body as { output1: Record<string, string>[] }).output1[0];
      assert.deepEqual([row.rjct_qty, row.rmn_qty, row.tot_ccld_qty], ['2', '0', '0']);
    });
  });
});
