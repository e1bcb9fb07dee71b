import { strict as assert } from 'node:assert';
import {
  dailyCcldQuery,
  DOMESTIC_NOTICE_COLUMNS,
  H0STCNI0,
  noticeStatus,
  noticeTrId,
  noticeTrOf,
  orderCancelBody,
  orderCashBody,
  orderCashTrOf,
  OVERSEAS_NOTICE_COLUMNS,
  shownTrKey,
} from '../../../src/kis';

const flags = (RFUS_YN: string, CNTG_YN: string, ACPT_YN: string, RCTF_CLS = '0') => ({
  RFUS_YN,
  CNTG_YN,
  ACPT_YN,
  RCTF_CLS,
});

describe('kis orders: the notice and order wire facts', () => {
  it('reads the order status from RFUS_YN, CNTG_YN, ACPT_YN and RCTF_CLS', () => {
    assert.equal(noticeStatus(flags('0', '1', '1')), 'accepted');
    assert.equal(noticeStatus(flags('0', '1', '2', '1')), 'accepted', 'a modification acknowledged');
    assert.equal(noticeStatus(flags('0', '2', '2')), 'filled');
    assert.equal(noticeStatus(flags('1', '1', '1')), 'refused');
    assert.equal(noticeStatus(flags('1', '2', '2')), 'refused', 'a refusal wins over the fill flag');
    assert.equal(noticeStatus(flags('0', '1', '1', '2')), 'cancelled');
    assert.equal(noticeStatus(flags('0', '1', '3')), 'cancelled', 'the unfilled rest of an IOC/FOK order');
  });

  it('lists 26 domestic columns in the positions of the H0STCNI0 layout and 25 overseas ones', () => {
    assert.equal(DOMESTIC_NOTICE_COLUMNS.length, 26);
    for (const [name, index] of Object.entries(H0STCNI0)) assert.equal(DOMESTIC_NOTICE_COLUMNS[index], name);
    assert.equal(OVERSEAS_NOTICE_COLUMNS.length, 25);
    assert.equal(OVERSEAS_NOTICE_COLUMNS[12], 'CNTG_YN');
    assert.equal(OVERSEAS_NOTICE_COLUMNS[24], 'CNTG_UNPR12');
  });

  it('names the notice TR of each market and source, and reads one back', () => {
    assert.equal(noticeTrId('domestic', 'simulator'), 'H0STCNI9');
    assert.equal(noticeTrId('domestic', 'paper'), 'H0STCNI9');
    assert.equal(noticeTrId('domestic', 'real'), 'H0STCNI0');
    assert.equal(noticeTrId('overseas', 'real'), 'H0GSCNI0');
    assert.equal(noticeTrId('overseas', 'paper'), 'H0GSCNI9');
    assert.deepEqual(noticeTrOf('H0GSCNI9'), { market: 'overseas', env: 'paper' });
    assert.equal(noticeTrOf('H0STCNT0'), undefined);
  });

  it('shows a notice tr_key (the HTS ID) by its first two characters only', () => {
    assert.equal(shownTrKey('H0STCNI9', 'simuser1'), 'si…');
    assert.equal(shownTrKey('H0GSCNI0', 'abcdef'), 'ab…');
    assert.equal(shownTrKey('H0STCNT0', '005930'), '005930');
  });

  it('reads the side and environment of the current and legacy order-cash tr_ids', () => {
    assert.deepEqual(orderCashTrOf('VTTC0012U'), { side: 'buy', env: 'paper' });
    assert.deepEqual(orderCashTrOf('VTTC0011U'), { side: 'sell', env: 'paper' });
    assert.deepEqual(orderCashTrOf('TTTC0012U'), { side: 'buy', env: 'real' });
    assert.deepEqual(orderCashTrOf('TTTC0011U'), { side: 'sell', env: 'real' });
    assert.deepEqual(orderCashTrOf('VTTC0802U'), { side: 'buy', env: 'paper' });
    assert.deepEqual(orderCashTrOf('TTTC0801U'), { side: 'sell', env: 'real' });
    assert.equal(orderCashTrOf('FHKST01010100'), undefined);
  });

  it('builds order bodies with string values: market "01" at "0", limit "00" at its price', () => {
    assert.deepEqual(orderCashBody({ cano: '50012345', product: '01', symbol: '005930', quantity: 10 }), {
      CANO: '50012345',
      ACNT_PRDT_CD: '01',
      PDNO: '005930',
      ORD_DVSN: '01',
      ORD_QTY: '10',
      ORD_UNPR: '0',
      EXCG_ID_DVSN_CD: 'KRX',
    });
    const limit = orderCashBody({
      cano: '50012345',
      product: '01',
      symbol: '005930',
      quantity: 1,
      price: 70000,
      exchange: 'SOR',
    });
    assert.deepEqual([limit.ORD_DVSN, limit.ORD_UNPR, limit.EXCG_ID_DVSN_CD], ['00', '70000', 'SOR']);
  });

  it('builds a cancel of all that is left (QTY_ALL_ORD_YN Y, ORD_QTY 0) or of some shares', () => {
    const all = orderCancelBody({ cano: '50012345', product: '01', branch: '00950', orderNo: '0000000007' });
    assert.deepEqual(
      [all.RVSE_CNCL_DVSN_CD, all.QTY_ALL_ORD_YN, all.ORD_QTY, all.ORGN_ODNO, all.KRX_FWDG_ORD_ORGNO],
      ['02', 'Y', '0', '0000000007', '00950'],
    );
    const some = orderCancelBody({
      cano: '50012345',
      product: '01',
      branch: '00950',
      orderNo: '0000000007',
      quantity: 2,
    });
    assert.deepEqual([some.QTY_ALL_ORD_YN, some.ORD_QTY], ['N', '2']);
  });

  it('asks inquire-daily-ccld for one day, all sides, newest first, with the continuation keys as given', () => {
    const q = dailyCcldQuery({ cano: '50012345', product: '01' }, '20261207', { fk100: 'A ', nk100: ' 15' });
    assert.deepEqual(
      [q.INQR_STRT_DT, q.INQR_END_DT, q.SLL_BUY_DVSN_CD, q.CCLD_DVSN, q.INQR_DVSN, q.CTX_AREA_FK100, q.CTX_AREA_NK100],
      ['20261207', '20261207', '00', '00', '00', 'A ', ' 15'],
    );
    assert.equal(dailyCcldQuery({ cano: '50012345', product: '01' }, '20261207').CTX_AREA_NK100, '');
  });
});
