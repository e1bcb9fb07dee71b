import * as assert from 'node:assert/strict';
import {
  classify,
  H0STASP0,
  H0STCNI0,
  H0STCNI0_LEGACY,
  H0STCNT0,
  minimumWidth,
  num,
  readNotice,
  readOrderBook,
  readTrade,
  splitRecords,
  toSign,
  TR,
  type DataFrame,
} from '../../../src/kis';
import { BOOK_RECORD, fixture, NOTICE_RECORD_23, NOTICE_RECORD_26, TRADE_RECORD, withWidth } from './fixtures';

function fixtureFrame(prefix: string): DataFrame {
  const result = classify(fixture(prefix));
  if (result.kind !== 'frame') throw new Error(`${prefix} is not a frame`);
  return result.frame;
}

describe('kis layouts', () => {
  describe('minimumWidth', () => {
    it('knows the oldest layout of each TR we read and 0 for the rest', () => {
      assert.equal(minimumWidth(TR.TRADE), 46);
      assert.equal(minimumWidth(TR.ORDER_BOOK), 59);
      assert.equal(minimumWidth(TR.NOTICE), 23);
      assert.equal(minimumWidth(TR.NOTICE_PAPER), 23);
      assert.equal(minimumWidth('HDFSCNT0'), 26, 'the US trade layout is registered');
      assert.equal(minimumWidth('H0IFCNT0'), 0);
    });
  });

  describe('field indexes', () => {
    it('place the documented fields where §8 puts them', () => {
      assert.equal(H0STCNT0.TRHT_YN, 35);
      assert.equal(H0STCNT0.VI_STND_PRC, 45);
      assert.equal(H0STCNT0.MARKET_CLS_CODE, 46);
      assert.equal(H0STASP0.ASKP1 + H0STASP0.LEVELS, H0STASP0.BIDP1);
      assert.equal(H0STASP0.ACML_VOL, 53);
      assert.equal(H0STASP0.MID_PRC, 59);
      assert.equal(H0STCNI0.CNTG_YN, 13);
      assert.equal(H0STCNI0.ODER_PRC, 25);
      assert.equal(H0STCNI0_LEGACY.ODER_PRC, 22);
    });
  });

  describe('num and toSign', () => {
    it('parses wire numbers, empty and garbage as 0', () => {
      assert.equal(num('71900'), 71900);
      assert.equal(num('-0.14'), -0.14);
      assert.equal(num('+0.11'), 0.11);
      assert.equal(num('-100.00'), -100);
      assert.equal(num('0000000001'), 1);
      assert.equal(num(''), 0);
      assert.equal(num(undefined), 0);
      assert.equal(num('abc'), 0);
    });

    it('accepts sign codes 1..5 and reads anything else as unchanged', () => {
      assert.deepEqual(['1', '2', '3', '4', '5'].map(toSign), ['1', '2', '3', '4', '5']);
      assert.equal(toSign('0'), '3');
      assert.equal(toSign(''), '3');
      assert.equal(toSign(undefined), '3');
    });
  });

  describe('readTrade', () => {
    it('reads the portal H0STCNT0 example', () => {
      const frame = fixtureFrame('H0STCNT0 trade frame');
      assert.deepEqual(readTrade(splitRecords(frame), 0, frame.width), {
        symbol: '005930',
        time: '093354',
        price: 71900,
        sign: '5',
        change: -100,
        rate: -0.14,
        vwap: 72023.83,
        open: 72100,
        high: 72400,
        low: 71700,
        ask1: 71900,
        bid1: 71800,
        tradeVolume: 1,
        cumVolume: 3052507,
        cumValue: 219853241700,
        strength: 84.9,
        side: '1',
        businessDate: '20230612',
        marketOperationCode: '20',
        halted: false,
        askSize1: 65945,
        bidSize1: 216924,
        totalAskSize: 1118750,
        totalBidSize: 2199206,
        hourClsCode: '0',
        viPrice: 72100,
        marketClsCode: '',
      });
    });

    it('reads a halted record, an out-of-range sign and empty numbers', () => {
      const fields = TRADE_RECORD.split('^');
      fields[H0STCNT0.TRHT_YN] = 'Y';
      fields[H0STCNT0.PRDY_VRSS_SIGN] = '0';
      fields[H0STCNT0.WGHN_AVRG_STCK_PRC] = '';
      const trade = readTrade(fields, 0);
      assert.equal(trade.halted, true);
      assert.equal(trade.sign, '3');
      assert.equal(trade.vwap, 0);
    });

    it('reads MARKET_CLS_CODE only when the width has it', () => {
      const fields = withWidth(TRADE_RECORD, 47, '3').split('^');
      assert.equal(readTrade(fields, 0, 47).marketClsCode, '3');
      assert.equal(readTrade(fields, 0, 46).marketClsCode, '');
    });

    it('reads the record at an offset, not the first one', () => {
      const second = TRADE_RECORD.replace('005930', '000660').replace('^71900^5^', '^120500^2^');
      const fields = `${TRADE_RECORD}^${second}`.split('^');
      const trade = readTrade(fields, 46);
      assert.equal(trade.symbol, '000660');
      assert.equal(trade.price, 120500);
      assert.equal(trade.sign, '2');
    });

    it('reads missing trailing fields as empty rather than throwing', () => {
      const trade = readTrade(['005930', '090000', '100'], 0);
      assert.equal(trade.price, 100);
      assert.equal(trade.businessDate, '');
      assert.equal(trade.viPrice, 0);
      assert.equal(trade.halted, false);
    });
  });

  describe('readOrderBook', () => {
    it('reads all ten levels of the portal H0STASP0 example, best first', () => {
      const frame = fixtureFrame('H0STASP0 order-book frame');
      const book = readOrderBook(splitRecords(frame), 0, 10, frame.width);
      assert.equal(book.symbol, '005930');
      assert.equal(book.time, '093730');
      assert.equal(book.hourClsCode, '0');
      assert.deepEqual(
        book.asks.map((l) => l.price),
        [71900, 72000, 72100, 72200, 72300, 72400, 72500, 72600, 72700, 72800],
      );
      assert.deepEqual(
        book.asks.map((l) => l.size),
        [91918, 117942, 92673, 79708, 106729, 141988, 176192, 113906, 134077, 104229],
      );
      assert.deepEqual(
        book.bids.map((l) => l.price),
        [71800, 71700, 71600, 71500, 71400, 71300, 71200, 71100, 71000, 70900],
      );
      assert.deepEqual(
        book.bids.map((l) => l.size),
        [95221, 159371, 220746, 284657, 212742, 195370, 182710, 209747, 376432, 158171],
      );
      assert.equal(book.totalAskSize, 1159362);
      assert.equal(book.totalBidSize, 2095167);
      assert.equal(book.expectedPrice, 0);
      assert.equal(book.expectedVolume, 525579);
      assert.equal(book.cumVolume, 3159115);
      assert.equal(book.midPrice, 0);
      assert.equal(book.marketClsCode, '');
    });

    it('reads fewer levels on request and clamps the level count to 0..10', () => {
      const fields = BOOK_RECORD.split('^');
      assert.deepEqual(readOrderBook(fields, 0, 2).asks, [
        { price: 71900, size: 91918 },
        { price: 72000, size: 117942 },
      ]);
      assert.equal(readOrderBook(fields, 0, 25).bids.length, 10);
      assert.equal(readOrderBook(fields, 0, -3).bids.length, 0);
      assert.equal(readOrderBook(fields, 0).asks.length, 10);
    });

    it('reads MID_PRC from 62 fields and MARKET_CLS_CODE from 63', () => {
      const fields62 = `${BOOK_RECORD}^71850^1200^1`.split('^');
      assert.equal(readOrderBook(fields62, 0, 10, 62).midPrice, 71850);
      assert.equal(readOrderBook(fields62, 0, 10, 62).marketClsCode, '');
      const fields63 = `${BOOK_RECORD}^71850^1200^1^2`.split('^');
      assert.equal(readOrderBook(fields63, 0, 10, 63).marketClsCode, '2');
    });
  });

  describe('readNotice', () => {
    it('reads the 26-field fill notice of §8.3', () => {
      assert.deepEqual(readNotice(NOTICE_RECORD_26.split('^'), 0, 26), {
        customerId: 'HTSUSER',
        accountNo: '50199202',
        orderNo: '0000012345',
        originalOrderNo: '0000000000',
        side: 'buy',
        correctionCode: '0',
        orderKind: '00',
        symbol: '005930',
        quantity: 3,
        price: 250000,
        time: '105531',
        rejected: false,
        isFill: true,
        acceptCode: '2',
        orderQuantity: 3,
        accountName: '홍길동',
        symbolName: '삼성전자',
        orderPrice: 250000,
        layoutWidth: 26,
      });
    });

    it('reads the legacy 23-field fill notice', () => {
      const notice = readNotice(NOTICE_RECORD_23.split('^'), 0, 23);
      assert.equal(notice.layoutWidth, 23);
      assert.equal(notice.symbol, '136480');
      assert.equal(notice.price, 3190);
      assert.equal(notice.quantity, 1);
      assert.equal(notice.isFill, true);
      assert.equal(notice.symbolName, '하림');
      assert.equal(notice.orderPrice, 0);
    });

    it('falls back to the short name when the legacy 40-character name is empty', () => {
      const fields = NOTICE_RECORD_23.split('^');
      fields[H0STCNI0_LEGACY.CNTG_ISNM40] = '';
      assert.equal(readNotice(fields, 0, 23).symbolName, '하림');
    });

    it('decodes sell, buy and other sides, a rejection and an order acknowledgement', () => {
      const fields = NOTICE_RECORD_26.split('^');
      fields[H0STCNI0.SELN_BYOV_CLS] = '01';
      fields[H0STCNI0.RFUS_YN] = '1';
      fields[H0STCNI0.CNTG_YN] = '1';
      const sell = readNotice(fields, 0);
      assert.equal(sell.side, 'sell');
      assert.equal(sell.rejected, true);
      assert.equal(sell.isFill, false);
      fields[H0STCNI0.SELN_BYOV_CLS] = '03';
      assert.equal(readNotice(fields, 0).side, 'other');
    });
  });
});
