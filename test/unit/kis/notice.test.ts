import { strict as assert } from 'node:assert';
import { readFillNotice } from '../../../src/kis';

/** A current-layout (26-field) H0STCNI9 record: a fill of 3 of 10 shares of 005930 at 71,900. */
function domestic(overrides: Record<number, string> = {}): string[] {
  const f = [
    'HTSUSER',
    '5019920201',
    '0000012345',
    '0000000000',
    '02',
    '0',
    '00',
    '0',
    '005930',
    '3',
    '71900',
    '105531',
    '0',
    '2',
    '2',
    '00950',
    '10',
    '홍길동',
    '0',
    '1',
    'N',
    '',
    '',
    '',
    '삼성전자',
    '71900',
  ];
  for (const [i, v] of Object.entries(overrides)) f[Number(i)] = v;
  return f;
}

/** A 25-field H0GSCNI9 record: a fill of 2 AAPL at 148.0100 (implied 4 decimals). */
function overseas(overrides: Record<number, string> = {}): string[] {
  const f = [
    'HTSUSER',
    '5019920201',
    '0000000777',
    '',
    '02',
    '0',
    '2',
    'AAPL',
    '2',
    '001480100',
    '223015',
    '0',
    '2',
    '2',
    '00950',
    '5',
    '홍길동',
    'APPLE INC',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
  ];
  for (const [i, v] of Object.entries(overrides)) f[Number(i)] = v;
  return f;
}

describe('execution notices read into FillNotice', () => {
  it('reads a 26-field partial fill: side, symbol, name, quantities, price, order number, time', () => {
    const r = readFillNotice('H0STCNI9', domestic(), 0, 26);
    assert.deepEqual(r, {
      ok: true,
      notice: {
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
      },
    });
  });

  it('reads the record at its offset in a two-record frame', () => {
    const fields = [...domestic(), ...domestic({ 4: '01', 8: '000660', 24: 'SK하이닉스' })];
    const r = readFillNotice('H0STCNI0', fields, 26, 26);
    assert.ok(r.ok);
    assert.equal(r.notice.symbol, '000660');
    assert.equal(r.notice.side, 'sell');
    assert.equal(r.notice.name, 'SK하이닉스');
  });

  it('a refusal (RFUS_YN 1) is refused even with CNTG_YN 1 and ACPT_YN 1', () => {
    const r = readFillNotice('H0STCNI9', domestic({ 12: '1', 13: '1', 14: '1' }), 0, 26);
    assert.ok(r.ok);
    assert.equal(r.notice.status, 'refused');
  });

  it('an order acknowledgement (CNTG_YN 1) is accepted; ACPT_YN 3 and RCTF_CLS 2 are cancelled', () => {
    const ack = readFillNotice('H0STCNI9', domestic({ 13: '1', 14: '1' }), 0, 26);
    const ioc = readFillNotice('H0STCNI9', domestic({ 13: '1', 14: '3' }), 0, 26);
    const cancel = readFillNotice('H0STCNI9', domestic({ 5: '2', 13: '1', 14: '2' }), 0, 26);
    assert.deepEqual(
      [ack, ioc, cancel].map((r) => r.ok && r.notice.status),
      ['accepted', 'cancelled', 'cancelled'],
    );
  });

  it('reads the legacy 23-field layout (name and order price from their old places)', () => {
    const legacy = [...domestic().slice(0, 18), '삼성전자', '', '', '삼성전자', '71900'];
    const r = readFillNotice('H0STCNI9', legacy, 0, 23);
    assert.ok(r.ok);
    assert.equal(r.notice.name, '삼성전자');
    assert.equal(r.notice.quantity, 3);
  });

  it('refuses a width neither layout has, and a record without a symbol', () => {
    assert.deepEqual(readFillNotice('H0STCNI9', domestic().slice(0, 24), 0, 24), { ok: false, code: 'UNKNOWN_WIDTH' });
    assert.deepEqual(readFillNotice('H0STCNI9', [...domestic(), 'x'], 0, 27), { ok: false, code: 'UNKNOWN_WIDTH' });
    assert.deepEqual(readFillNotice('H0STCNI9', domestic({ 8: '  ' }), 0, 26), { ok: false, code: 'NO_SYMBOL' });
    assert.deepEqual(readFillNotice('H0STCNT0', domestic(), 0, 26), { ok: false, code: 'NOT_A_NOTICE' });
  });

  it('reads a 25-field overseas fill with its implied four decimals', () => {
    const r = readFillNotice('H0GSCNI9', overseas(), 0, 25);
    assert.ok(r.ok);
    assert.equal(r.notice.market, 'us');
    assert.equal(r.notice.symbol, 'AAPL');
    assert.equal(r.notice.price, 148.01);
    assert.equal(r.notice.quantity, 2);
    assert.equal(r.notice.orderNo, '777');
    assert.equal(r.notice.originalOrderNo, '');
    assert.equal(r.notice.status, 'filled');
  });

  it('overseas: CNTG_UNPR12 wins when it has decimals; 03 sells, 04 buys; 26 fields is unknown', () => {
    const r = readFillNotice('H0GSCNI0', overseas({ 4: '03', 24: '148.5' }), 0, 25);
    assert.ok(r.ok);
    assert.equal(r.notice.price, 148.5);
    assert.equal(r.notice.side, 'sell');
    const b = readFillNotice('H0GSCNI0', overseas({ 4: '04', 9: '12.5' }), 0, 25);
    assert.ok(b.ok);
    assert.equal(b.notice.side, 'buy');
    assert.equal(b.notice.price, 12.5);
    const o = readFillNotice('H0GSCNI0', overseas({ 4: '09' }), 0, 25);
    assert.equal(o.ok && o.notice.side, 'other');
    assert.deepEqual(readFillNotice('H0GSCNI0', [...overseas(), ''], 0, 26), { ok: false, code: 'UNKNOWN_WIDTH' });
    assert.deepEqual(readFillNotice('H0GSCNI0', overseas({ 7: '' }), 0, 25), { ok: false, code: 'NO_SYMBOL' });
  });
});
