import * as assert from 'node:assert/strict';
import {
  buildDataFrame,
  countFields,
  decryptFrame,
  encryptNotice,
  formatFrame,
  KisProtocolError,
  parseFrame,
  readNotice,
  readOrderBook,
  readTrade,
  splitRecords,
  type DataFrame,
  type KisProtocolErrorCode,
} from '../../../src/kis';
import { ACK_IV, ACK_KEY, BOOK_RECORD, NOTICE_RECORD_23, NOTICE_RECORD_26, TRADE_RECORD, withWidth } from './fixtures';

/** Runs `fn`, expects a KisProtocolError with `code`, returns its message. */
function expectCode(fn: () => unknown, code: KisProtocolErrorCode): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof KisProtocolError, `expected a KisProtocolError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.equal(error.name, 'KisProtocolError');
    return error.message;
  }
  assert.fail(`expected ${code}, nothing was thrown`);
}

/** A trade record for `symbol` whose price and cumulative volume identify record number `n`. */
function tradeRecord(symbol: string, n: number): string {
  const fields = TRADE_RECORD.split('^');
  fields[0] = symbol;
  fields[2] = String(70000 + n);
  fields[13] = String(1000 + n);
  return fields.join('^');
}

describe('kis frame', () => {
  describe('parseFrame', () => {
    it('parses the envelope of a one-record trade frame', () => {
      const frame = parseFrame(`0|H0STCNT0|001|${TRADE_RECORD}`);
      assert.deepEqual(frame, { encrypted: false, trId: 'H0STCNT0', count: 1, width: 46, payload: TRADE_RECORD });
    });

    it('parses a two-record frame; record 1 starts at offset width', () => {
      const frame = parseFrame(`0|H0STCNT0|002|${tradeRecord('005930', 1)}^${tradeRecord('005930', 2)}`);
      assert.equal(frame.count, 2);
      assert.equal(frame.width, 46);
      const fields = splitRecords(frame);
      assert.equal(fields.length, 92);
      assert.deepEqual(
        [0, 1].map((i) => [readTrade(fields, i * frame.width).price, readTrade(fields, i * frame.width).cumVolume]),
        [
          [70001, 1001],
          [70002, 1002],
        ],
      );
    });

    it('parses a four-record frame of different symbols, each at i * width', () => {
      const symbols = ['005930', '000660', '035720', 'Q50000'];
      const text = formatFrame('H0STCNT0', 4, symbols.map((s, i) => tradeRecord(s, i)).join('^'));
      assert.ok(text.startsWith('0|H0STCNT0|004|'));
      const frame = parseFrame(text);
      const fields = splitRecords(frame);
      const read = symbols.map((_, i) => readTrade(fields, i * frame.width));
      assert.deepEqual(
        read.map((r) => r.symbol),
        symbols,
      );
      assert.deepEqual(
        read.map((r) => r.price),
        [70000, 70001, 70002, 70003],
      );
      assert.deepEqual(
        read.map((r) => r.businessDate),
        ['20230612', '20230612', '20230612', '20230612'],
      );
    });

    it('reads every count from 001 to 999 as its decimal value (leading zeros are not octal, not dropped)', () => {
      for (let n = 1; n <= 999; n++) {
        const digits = String(n).padStart(3, '0');
        const frame = parseFrame(`0|XTEST000|${digits}|${Array.from({ length: n }, (_, i) => `r${i}`).join('^')}`);
        if (frame.count !== n || frame.width !== 1)
          assert.fail(`count ${digits}: got count ${frame.count}, width ${frame.width}`);
      }
    });

    for (const n of [10, 100, 999]) {
      const digits = String(n).padStart(3, '0');
      it(`parses a ${digits}-record trade frame; the last record is number ${n}`, () => {
        const text = `0|H0STCNT0|${digits}|${Array.from({ length: n }, (_, i) => tradeRecord('005930', i + 1)).join('^')}`;
        const frame = parseFrame(text);
        assert.deepEqual([frame.count, frame.width], [n, 46]);
        const fields = splitRecords(frame);
        assert.equal(fields.length, n * 46);
        const last = readTrade(fields, (n - 1) * frame.width);
        assert.deepEqual([last.price, last.cumVolume], [70000 + n, 1000 + n]);
        // One record fewer than declared is refused, not read short.
        expectCode(() => parseFrame(text.slice(0, text.lastIndexOf('^005930^'))), 'FIELD_COUNT_MISMATCH');
      });
    }

    it('accepts the drifted H0STCNT0 width 47 and reads MARKET_CLS_CODE', () => {
      const record = withWidth(TRADE_RECORD, 47, '2');
      const frame = parseFrame(`0|H0STCNT0|002|${record}^${record}`);
      assert.equal(frame.width, 47);
      const fields = splitRecords(frame);
      const second = readTrade(fields, frame.width, frame.width);
      assert.equal(second.price, 71900);
      assert.equal(second.marketClsCode, '2');
    });

    for (const width of [59, 62, 63]) {
      it(`accepts H0STASP0 records of ${width} fields`, () => {
        const record = withWidth(BOOK_RECORD, width, '71850');
        const frame = parseFrame(`0|H0STASP0|002|${record}^${record}`);
        assert.equal(frame.width, width);
        const book = readOrderBook(splitRecords(frame), width, 10, width);
        assert.equal(book.asks[0].price, 71900);
        assert.equal(book.midPrice, width >= 62 ? 71850 : 0);
      });
    }

    it('accepts H0STCNI0 plaintext of 26 and 23 fields and H0STCNI9 likewise', () => {
      assert.equal(parseFrame(`0|H0STCNI0|001|${NOTICE_RECORD_26}`).width, 26);
      assert.equal(parseFrame(`0|H0STCNI9|001|${NOTICE_RECORD_23}`).width, 23);
    });

    it('accepts any width for a TR without a known layout', () => {
      const frame = parseFrame('0|H0IFCNT0|003|a^b^c');
      assert.equal(frame.width, 1);
    });

    it('accepts tr_ids of letters, digits and underscores', () => {
      assert.equal(parseFrame('0|x_Test_9|001|a').trId, 'x_Test_9');
    });

    it('keeps empty fields and a "|" inside the payload', () => {
      const frame = parseFrame('0|XTEST000|002|a|b^^c^');
      assert.equal(frame.payload, 'a|b^^c^');
      assert.equal(frame.width, 2);
      assert.deepEqual(splitRecords(frame), ['a|b', '', 'c', '']);
    });

    it('leaves an encrypted payload alone with width 0', () => {
      const frame = parseFrame('1|H0STCNI0|001|QUJD+/==');
      assert.deepEqual(frame, { encrypted: true, trId: 'H0STCNI0', count: 1, width: 0, payload: 'QUJD+/==' });
    });

    it('states the declared count and the field count when they do not divide', () => {
      const message = expectCode(
        () => parseFrame(`0|H0STCNT0|002|${TRADE_RECORD}^${withWidth(TRADE_RECORD, 47)}`),
        'FIELD_COUNT_MISMATCH',
      );
      assert.equal(message, 'frame H0STCNT0 declares 2 records but has 93 fields (not a multiple of 2)');
    });

    it('states the width and the minimum when records are too short', () => {
      const message = expectCode(() => parseFrame(`0|H0STCNT0|001|${withWidth(TRADE_RECORD, 45)}`), 'RECORD_TOO_SHORT');
      assert.equal(message, 'frame H0STCNT0 has 45 fields per record (45 fields / 1 records); at least 46 expected');
      expectCode(
        () => parseFrame(`0|H0STASP0|002|${withWidth(BOOK_RECORD, 58)}^${withWidth(BOOK_RECORD, 58)}`),
        'RECORD_TOO_SHORT',
      );
      expectCode(() => parseFrame(`0|H0STCNI0|001|${withWidth(NOTICE_RECORD_26, 22)}`), 'RECORD_TOO_SHORT');
    });

    const malformed: [string, string, KisProtocolErrorCode][] = [
      ['an empty message', '', 'EMPTY_MESSAGE'],
      ['no "|" at all', '0H0STCNT0001', 'BAD_ENVELOPE'],
      ['one "|"', '0|H0STCNT0', 'BAD_ENVELOPE'],
      ['two "|"', '0|H0STCNT0|001', 'BAD_ENVELOPE'],
      ['an empty tr_id', '0||001|a', 'BAD_ENVELOPE'],
      ['a tr_id with a space', '0|H0ST CNT0|001|a', 'BAD_ENVELOPE'],
      ['a 33-character tr_id', `0|${'A'.repeat(33)}|001|a`, 'BAD_ENVELOPE'],
      ['encrypt flag "2"', '2|H0STCNT0|001|a', 'BAD_ENCRYPT_FLAG'],
      ['a two-character encrypt flag', '00|H0STCNT0|001|a', 'BAD_ENCRYPT_FLAG'],
      ['an empty encrypt flag', '|H0STCNT0|001|a', 'BAD_ENCRYPT_FLAG'],
      ['a two-digit count', '0|XTEST000|01|a', 'BAD_COUNT'],
      ['a four-digit count', '0|XTEST000|0001|a', 'BAD_COUNT'],
      ['count 000', '0|XTEST000|000|a', 'BAD_COUNT'],
      ['a count with a letter', '0|XTEST000|0a1|a', 'BAD_COUNT'],
      ['an empty count', '0|XTEST000||a', 'BAD_COUNT'],
      ['an empty payload', '0|XTEST000|001|', 'EMPTY_PAYLOAD'],
      ['an empty encrypted payload', '1|H0STCNI0|001|', 'EMPTY_PAYLOAD'],
      ['3 fields for 2 records', '0|XTEST000|002|a^b^c', 'FIELD_COUNT_MISMATCH'],
      ['1 field for 3 records', '0|XTEST000|003|a', 'FIELD_COUNT_MISMATCH'],
    ];
    for (const [name, text, code] of malformed) {
      it(`rejects ${name} with ${code}`, () => {
        expectCode(() => parseFrame(text), code);
      });
    }

    it('quotes a bad count and a bad flag briefly, without the payload', () => {
      assert.equal(
        expectCode(() => parseFrame('0|H0STCNT0|1x1|SECRETPAYLOAD'), 'BAD_COUNT'),
        'frame H0STCNT0 has record count "1x1"; 3 digits from 001 to 999 expected',
      );
      assert.equal(
        expectCode(() => parseFrame('7|H0STCNT0|001|SECRET'), 'BAD_ENCRYPT_FLAG'),
        'encrypt flag is "7"; "0" or "1" expected',
      );
    });
  });

  describe('countFields', () => {
    it('counts carets + 1, empty fields included', () => {
      assert.equal(countFields('a'), 1);
      assert.equal(countFields('^^'), 3);
      assert.equal(countFields(TRADE_RECORD), 46);
    });
  });

  describe('splitRecords', () => {
    it('refuses an encrypted frame', () => {
      const frame: DataFrame = { encrypted: true, trId: 'H0STCNI0', count: 1, width: 0, payload: 'AAAA' };
      assert.equal(
        expectCode(() => splitRecords(frame), 'BAD_ENVELOPE'),
        'frame H0STCNI0 is still encrypted; call decryptFrame first',
      );
    });
  });

  describe('decryptFrame', () => {
    const cipher = { key: ACK_KEY, iv: ACK_IV };

    it('decrypts a 26-field notice frame built by buildDataFrame and validates its width', () => {
      const text = buildDataFrame('H0STCNI0', [NOTICE_RECORD_26], cipher);
      assert.ok(text.startsWith('1|H0STCNI0|001|'));
      const encrypted = parseFrame(text);
      assert.equal(encrypted.width, 0);
      const plain = decryptFrame(encrypted, ACK_KEY, ACK_IV);
      assert.deepEqual(plain, { encrypted: false, trId: 'H0STCNI0', count: 1, width: 26, payload: NOTICE_RECORD_26 });
      const notice = readNotice(splitRecords(plain), 0, plain.width);
      assert.equal(notice.symbolName, '삼성전자');
      assert.equal(notice.accountName, '홍길동');
    });

    it('decrypts a two-record legacy (23-field) notice frame', () => {
      const plain = decryptFrame(
        parseFrame(buildDataFrame('H0STCNI9', [NOTICE_RECORD_23, NOTICE_RECORD_23], cipher)),
        ACK_KEY,
        ACK_IV,
      );
      assert.equal(plain.count, 2);
      assert.equal(plain.width, 23);
      assert.equal(readNotice(splitRecords(plain), 23, 23).symbol, '136480');
    });

    it('returns a plaintext frame unchanged', () => {
      const frame = parseFrame(`0|H0STCNT0|001|${TRADE_RECORD}`);
      assert.equal(decryptFrame(frame, ACK_KEY, ACK_IV), frame);
    });

    it('fails with DECRYPT_FAILED, naming the TR, for a wrong key', () => {
      const frame = parseFrame(buildDataFrame('H0STCNI0', [NOTICE_RECORD_26], cipher));
      const message = expectCode(
        () => decryptFrame(frame, 'ABCDEFGHIJKLMNOPABCDEFGHIJKLMNOP', ACK_IV),
        'DECRYPT_FAILED',
      );
      assert.match(message, /^frame H0STCNI0: /);
      assert.ok(!message.includes('ABCDEFGHIJKLMNOP'), 'the key is not in the message');
    });

    it('fails with DECRYPT_FAILED for a key of the wrong length', () => {
      const frame = parseFrame(buildDataFrame('H0STCNI0', [NOTICE_RECORD_26], cipher));
      expectCode(() => decryptFrame(frame, 'short', ACK_IV), 'DECRYPT_FAILED');
    });

    it('validates the decrypted field count against the declared count', () => {
      const frame = parseFrame(formatFrame('H0STCNI0', 3, encryptNotice(NOTICE_RECORD_26, ACK_KEY, ACK_IV), true));
      assert.equal(
        expectCode(() => decryptFrame(frame, ACK_KEY, ACK_IV), 'FIELD_COUNT_MISMATCH'),
        'frame H0STCNI0 declares 3 records but has 26 fields (not a multiple of 3)',
      );
      const halves = parseFrame(formatFrame('H0STCNI0', 2, encryptNotice(NOTICE_RECORD_26, ACK_KEY, ACK_IV), true));
      expectCode(() => decryptFrame(halves, ACK_KEY, ACK_IV), 'RECORD_TOO_SHORT');
    });

    it('rejects a payload that decrypts to nothing', () => {
      const frame = parseFrame(formatFrame('H0STCNI0', 1, encryptNotice('', ACK_KEY, ACK_IV), true));
      expectCode(() => decryptFrame(frame, ACK_KEY, ACK_IV), 'EMPTY_PAYLOAD');
    });
  });

  describe('formatFrame and buildDataFrame', () => {
    it('zero-pads the count to three digits', () => {
      assert.equal(formatFrame('H0STCNT0', 1, 'a'), '0|H0STCNT0|001|a');
      assert.equal(formatFrame('H0STCNT0', 12, 'a'), '0|H0STCNT0|012|a');
      assert.equal(formatFrame('H0STCNT0', 123, 'a'), '0|H0STCNT0|123|a');
      assert.equal(formatFrame('H0STCNI0', 1, 'QUJD', true), '1|H0STCNI0|001|QUJD');
    });

    for (const count of [0, 1000, 1.5, -1, Number.NaN]) {
      it(`refuses count ${count}`, () => {
        assert.throws(() => formatFrame('H0STCNT0', count, 'a'), RangeError);
      });
    }

    it('refuses an empty tr_id or one containing "|"', () => {
      assert.throws(() => formatFrame('', 1, 'a'), RangeError);
      assert.throws(() => formatFrame('A|B', 1, 'a'), RangeError);
    });

    it('joins field arrays and pre-joined records the same way', () => {
      const fromArrays = buildDataFrame('H0STCNT0', [TRADE_RECORD.split('^'), TRADE_RECORD.split('^')]);
      const fromStrings = buildDataFrame('H0STCNT0', [TRADE_RECORD, TRADE_RECORD]);
      assert.equal(fromArrays, fromStrings);
      assert.equal(fromArrays, `0|H0STCNT0|002|${TRADE_RECORD}^${TRADE_RECORD}`);
      assert.equal(parseFrame(fromArrays).width, 46);
    });

    it('refuses to build a frame of no records', () => {
      assert.throws(() => buildDataFrame('H0STCNT0', []), RangeError);
    });
  });
});
