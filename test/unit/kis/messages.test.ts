import * as assert from 'node:assert/strict';
import {
  buildAck,
  buildPingPong,
  buildSubscribeRequest,
  classify,
  OPSP,
  parseSubscribeRequest,
} from '../../../src/kis';
import { formatKstDate, formatKstDateTime, formatKstTime, isKrxCode } from '../../../src/market';
import { ACK_IV, ACK_KEY, fixture } from './fixtures';

/** The compact request of kis-protocol.md §4, verbatim. */
const SECTION_4_REQUEST =
  '{"header":{"approval_key":"<approval_key>","custtype":"P","tr_type":"1","content-type":"utf-8"},"body":{"input":{"tr_id":"H0STCNT0","tr_key":"005930"}}}';

describe('kis messages', () => {
  describe('buildSubscribeRequest', () => {
    it('produces the §4 text exactly, custtype P by default', () => {
      assert.equal(
        buildSubscribeRequest({ approvalKey: '<approval_key>', trType: '1', trId: 'H0STCNT0', trKey: '005930' }),
        SECTION_4_REQUEST,
      );
    });

    it('sends tr_type "2" to unsubscribe and the given custtype', () => {
      const text = buildSubscribeRequest({
        approvalKey: 'k',
        trType: '2',
        trId: 'H0STASP0',
        trKey: '000660',
        custtype: 'B',
      });
      assert.equal(
        text,
        '{"header":{"approval_key":"k","custtype":"B","tr_type":"2","content-type":"utf-8"},"body":{"input":{"tr_id":"H0STASP0","tr_key":"000660"}}}',
      );
    });

    it('escapes quotes so a hostile key cannot change the JSON structure', () => {
      const text = buildSubscribeRequest({
        approvalKey: 'a","tr_type":"9',
        trType: '1',
        trId: 'H0STCNT0',
        trKey: '005930',
      });
      const parsed = parseSubscribeRequest(text);
      assert.ok(parsed.ok);
      assert.equal(parsed.request.header.approval_key, 'a","tr_type":"9');
      assert.equal(parsed.request.header.tr_type, '1');
    });
  });

  describe('parseSubscribeRequest', () => {
    it('accepts the §4 request and the pretty-printed portal form', () => {
      const parsed = parseSubscribeRequest(SECTION_4_REQUEST);
      assert.deepEqual(parsed, {
        ok: true,
        request: {
          header: { approval_key: '<approval_key>', custtype: 'P', tr_type: '1', 'content-type': 'utf-8' },
          body: { input: { tr_id: 'H0STCNT0', tr_key: '005930' } },
        },
      });
      const pretty = JSON.stringify(JSON.parse(SECTION_4_REQUEST), null, 9);
      assert.equal(parseSubscribeRequest(pretty).ok, true);
    });

    it("ignores extra header fields such as mojito's personalseckey", () => {
      const text =
        '{"header":{"approval_key":"k","personalseckey":"1","custtype":"P","tr_type":"2","content-type":"utf-8"},"body":{"input":{"tr_id":"H0STCNT0","tr_key":"005930"}}}';
      const parsed = parseSubscribeRequest(text);
      assert.ok(parsed.ok);
      assert.equal(parsed.request.header.tr_type, '2');
      assert.equal(JSON.stringify(parsed.request).includes('personalseckey'), false);
    });

    const header = '"header":{"approval_key":"k","custtype":"P","tr_type":"1","content-type":"utf-8"}';
    const body = '"body":{"input":{"tr_id":"H0STCNT0","tr_key":"005930"}}';
    const defects: [string, string, string][] = [
      ['text that is not JSON', '{"header":', 'OPSP9999'],
      ['JSON that is not an object', '[1]', 'OPSP9999'],
      ['a missing header', `{${body}}`, 'OPSP9998'],
      ['a header that is a string', `{"header":"x",${body}}`, 'OPSP9998'],
      ['a missing approval_key', `{"header":{"custtype":"P","tr_type":"1"},${body}}`, 'OPSP0011'],
      ['an empty approval_key', `{"header":{"approval_key":"","custtype":"P","tr_type":"1"},${body}}`, 'OPSP0011'],
      ['a missing custtype', `{"header":{"approval_key":"k","tr_type":"1"},${body}}`, 'OPSP9997'],
      ['custtype "X"', `{"header":{"approval_key":"k","custtype":"X","tr_type":"1"},${body}}`, 'OPSP8998'],
      [
        'tr_type "0" (the docstrings\' mistake)',
        `{"header":{"approval_key":"k","custtype":"P","tr_type":"0"},${body}}`,
        'OPSP8997',
      ],
      ['a numeric tr_type', `{"header":{"approval_key":"k","custtype":"P","tr_type":1},${body}}`, 'OPSP8997'],
      ['a missing tr_type', `{"header":{"approval_key":"k","custtype":"P"},${body}}`, 'OPSP8997'],
      ['a missing body', `{${header}}`, 'OPSP9992'],
      ['a missing input', `{${header},"body":{}}`, 'OPSP9991'],
      ['a missing tr_id', `{${header},"body":{"input":{"tr_key":"005930"}}}`, 'OPSP8991'],
      ['a missing tr_key', `{${header},"body":{"input":{"tr_id":"H0STCNT0"}}}`, 'OPSP9990'],
      ['an empty tr_key', `{${header},"body":{"input":{"tr_id":"H0STCNT0","tr_key":""}}}`, 'OPSP8992'],
      ['a numeric tr_key', `{${header},"body":{"input":{"tr_id":"H0STCNT0","tr_key":5930}}}`, 'OPSP8992'],
    ];
    for (const [name, text, msgCd] of defects) {
      it(`answers ${name} with ${msgCd} and its exact msg1`, () => {
        const parsed = parseSubscribeRequest(text);
        assert.equal(parsed.ok, false);
        if (parsed.ok) return;
        assert.equal(parsed.msgCd, msgCd);
        assert.equal(parsed.msg1, OPSP[msgCd as keyof typeof OPSP].msg1);
      });
    }

    it('returns the tr_id and tr_key it could read, for the reply header', () => {
      const parsed = parseSubscribeRequest(`{"header":{"approval_key":"k","custtype":"P","tr_type":"7"},${body}}`);
      assert.deepEqual(parsed, {
        ok: false,
        msgCd: 'OPSP8997',
        msg1: 'JSON PARSING ERROR : invalid tr_type',
        trId: 'H0STCNT0',
        trKey: '005930',
      });
      const noInput = parseSubscribeRequest(`{${header},"body":{}}`);
      assert.ok(!noInput.ok && noInput.trId === '' && noInput.trKey === '');
    });
  });

  describe('buildAck', () => {
    it('reproduces the SUBSCRIBE SUCCESS fixture byte for byte', () => {
      assert.equal(
        buildAck({ trId: 'H0STCNT0', trKey: '005930', encrypt: false, msgCd: 'OPSP0000', iv: ACK_IV, key: ACK_KEY }),
        fixture('Subscribe ack, success'),
      );
    });

    it('reproduces the OPSP0002 and OPSP0008 fixtures', () => {
      assert.equal(
        buildAck({ trId: 'H0STCNT0', trKey: '005930', encrypt: false, msgCd: 'OPSP0002' }),
        fixture('Subscribe ack, already subscribed'),
      );
      assert.equal(
        buildAck({ trId: 'H0STCNT0', trKey: '035720', encrypt: false, msgCd: 'OPSP0008' }),
        fixture('Subscribe ack, 42nd registration'),
      );
    });

    it('writes OPSP8996 with tr_id "(null)", empty tr_key and rt_cd 9, whatever it is given', () => {
      assert.equal(
        buildAck({ trId: 'H0STCNT0', trKey: '005930', encrypt: true, msgCd: 'OPSP8996' }),
        fixture('Second connection with the same appkey'),
      );
    });

    it('flags encrypted TRs with encrypt "Y" and classifies back to the same ack', () => {
      const text = buildAck({
        trId: 'H0STCNI0',
        trKey: 'HTSUSER',
        encrypt: true,
        msgCd: 'OPSP0000',
        iv: ACK_IV,
        key: ACK_KEY,
      });
      const result = classify(text);
      assert.equal(result.kind, 'ack');
      if (result.kind !== 'ack') return;
      assert.equal(result.ack.encrypt, true);
      assert.equal(result.ack.iv, ACK_IV);
      assert.equal(result.ack.outcome, 'success');
    });

    it('sends rt_cd "0" for OPSP0001 and "1" for OPSP0003 and OPSP0011', () => {
      const rtCd = (msgCd: string): unknown =>
        (JSON.parse(buildAck({ trId: 'T', trKey: 'K', encrypt: false, msgCd })) as { body: { rt_cd: unknown } }).body
          .rt_cd;
      assert.equal(rtCd('OPSP0001'), '0');
      assert.equal(rtCd('OPSP0003'), '1');
      assert.equal(rtCd('OPSP0011'), '1');
    });

    it('takes a msg1 override, and requires msg1 for an unknown code', () => {
      const custom = JSON.parse(
        buildAck({ trId: 'T', trKey: 'K', encrypt: false, msgCd: 'OPSP0011', msg1: 'invalid approval : x' }),
      ) as { body: { msg1: string } };
      assert.equal(custom.body.msg1, 'invalid approval : x');
      assert.throws(() => buildAck({ trId: 'T', trKey: 'K', encrypt: false, msgCd: 'OPSP4242' }), RangeError);
      const unknown = JSON.parse(
        buildAck({ trId: 'T', trKey: 'K', encrypt: false, msgCd: 'OPSP4242', msg1: 'NEW' }),
      ) as { body: { rt_cd: string } };
      assert.equal(unknown.body.rt_cd, '1');
    });

    it('adds output only when both iv and key are given', () => {
      assert.ok(!buildAck({ trId: 'T', trKey: 'K', encrypt: false, msgCd: 'OPSP0000', iv: ACK_IV }).includes('output'));
    });
  });

  describe('PINGPONG and KST times', () => {
    it('builds the PINGPONG fixture text exactly', () => {
      assert.equal(buildPingPong('20230502221924'), fixture('PINGPONG'));
    });

    it('formats in Asia/Seoul (UTC+9) whatever the local zone', () => {
      const date = new Date(Date.UTC(2023, 4, 2, 13, 19, 24));
      assert.equal(formatKstDateTime(date), '20230502221924');
      assert.equal(formatKstDate(date), '20230502');
      assert.equal(formatKstTime(date), '221924');
    });

    it('rolls over the day, month and year at 15:00 UTC', () => {
      const date = new Date(Date.UTC(2026, 11, 31, 15, 0, 5));
      assert.equal(formatKstDateTime(date), '20270101000005');
      assert.equal(formatKstDateTime(new Date(Date.UTC(2026, 10, 25, 0, 30, 0))), '20261125093000');
    });
  });

  describe('isKrxCode', () => {
    it('accepts 6-character KRX codes and Q-prefixed ETN codes', () => {
      for (const code of ['005930', '000660', '0088M0', 'Q500001']) assert.equal(isKrxCode(code), true, code);
    });

    it('rejects other shapes', () => {
      for (const code of ['', '5930', '0059300', '00593a', 'Q50000A', ' 005930', '005930\n', 'DNASAAPL'])
        assert.equal(isKrxCode(code), false, JSON.stringify(code));
    });
  });
});
