import * as assert from 'node:assert/strict';
import { buildDataFrame, decryptFrame, FieldCursor, num, parseFrame, readNotice, splitRecords } from '../../../src/kis';
import { ACK_IV, ACK_KEY, NOTICE_RECORD_23, NOTICE_RECORD_26 } from './fixtures';

describe('kis FieldCursor', () => {
  describe('FieldCursor', () => {
    it('reads fields in order, strings and numbers, then reports done', () => {
      const c = new FieldCursor('005930^71900^-0.14^^Y^+0.11');
      assert.equal(c.str(), '005930');
      assert.equal(c.num(), 71900);
      assert.equal(c.num(), -0.14);
      assert.equal(c.num(), 0);
      assert.equal(c.is('Y'), true);
      assert.equal(c.done, false);
      assert.equal(c.num(), 0.11);
      assert.equal(c.done, true);
      assert.equal(c.str(), '');
      assert.equal(c.num(), 0);
      assert.equal(c.is('Y'), false);
    });

    it('parses every number the way num() does', () => {
      const samples = [
        '0',
        '-0',
        '71900',
        '-100',
        '-0.14',
        '72023.83',
        '84.90',
        '219853241700',
        '0000000001',
        '+0.11',
        '-100.00',
        '',
        '-',
        '+',
        '.',
        '1.2.3',
        'abc',
        '1e3',
        ' 5',
        '12345678901234567',
        '0.1234567890123456789',
        '3.',
        '.5',
      ];
      const c = new FieldCursor(samples.join('^'));
      for (const s of samples) assert.ok(Object.is(c.num(), num(s)), `field ${JSON.stringify(s)}`);
    });

    it('skips fields and stops at the end', () => {
      const c = new FieldCursor('a^b^c^d');
      c.skip(2);
      assert.equal(c.str(), 'c');
      c.skip(10);
      assert.equal(c.done, true);
      assert.equal(c.is('a'), false);
    });

    it('matches only a one-character field in is()', () => {
      const c = new FieldCursor('YY^N^Y');
      assert.equal(c.is('Y'), false);
      assert.equal(c.is('Y'), false);
      assert.equal(c.is('Y'), true);
    });
  });

  // Moved from the whole-frame readers' tests (kis/records.ts, replaced by kis/ticks.ts): fill notices are
  // read record by record with readNotice over splitRecords.
  describe('notice frames', () => {
    it('reads every record of a decrypted 26-field frame', () => {
      const frame = decryptFrame(
        parseFrame(buildDataFrame('H0STCNI0', [NOTICE_RECORD_26, NOTICE_RECORD_26], { key: ACK_KEY, iv: ACK_IV })),
        ACK_KEY,
        ACK_IV,
      );
      const fields = splitRecords(frame);
      const notices = [0, 1].map((r) => readNotice(fields, r * frame.width, frame.width));
      assert.equal(frame.count, 2);
      assert.deepEqual(notices[1], readNotice(NOTICE_RECORD_26.split('^'), 0, 26));
    });

    it('reads the legacy 23-field layout', () => {
      const frame = parseFrame(`0|H0STCNI9|001|${NOTICE_RECORD_23}`);
      const notice = readNotice(splitRecords(frame), 0, frame.width);
      assert.equal(notice.layoutWidth, 23);
      assert.equal(notice.price, 3190);
    });

    it('refuses a frame that is still encrypted', () => {
      const frame = parseFrame(buildDataFrame('H0STCNI0', [NOTICE_RECORD_26], { key: ACK_KEY, iv: ACK_IV }));
      assert.throws(() => splitRecords(frame), { name: 'KisProtocolError', code: 'BAD_ENVELOPE' });
    });
  });
});
