import * as assert from 'node:assert/strict';
import {
  classify,
  KisProtocolError,
  type Ack,
  type DataFrame,
  type Inbound,
  type KisProtocolErrorCode,
} from '../../../src/kis';
import { ACK_IV, ACK_KEY, fixture, loadFixtureMessages, TRADE_RECORD } from './fixtures';

function expectAck(result: Inbound): Ack {
  assert.equal(result.kind, 'ack', `expected an ack, got ${JSON.stringify(result)}`);
  return (result as { kind: 'ack'; ack: Ack }).ack;
}

function expectFrame(result: Inbound): DataFrame {
  assert.equal(result.kind, 'frame', `expected a frame, got ${JSON.stringify(result)}`);
  return (result as { kind: 'frame'; frame: DataFrame }).frame;
}

function expectInvalid(result: Inbound, code: KisProtocolErrorCode): string {
  assert.equal(result.kind, 'invalid', `expected invalid, got ${JSON.stringify(result)}`);
  const error = (result as { kind: 'invalid'; error: KisProtocolError }).error;
  assert.ok(error instanceof KisProtocolError, 'the error is a KisProtocolError');
  assert.equal(error.code, code, error.message);
  return error.message;
}

describe('kis classify', () => {
  it('classifies every fixture message without an invalid result', () => {
    const kinds = loadFixtureMessages().map((m) => `${classify(m.text).kind}`);
    assert.deepEqual(kinds, ['frame', 'frame', 'pingpong', 'ack', 'ack', 'ack', 'ack', 'ack', 'ack']);
  });

  it('classifies the H0STCNT0 fixture as a one-record, 46-field plaintext frame', () => {
    const frame = expectFrame(classify(fixture('H0STCNT0 trade frame')));
    assert.deepEqual(frame, { encrypted: false, trId: 'H0STCNT0', count: 1, width: 46, payload: TRADE_RECORD });
  });

  it('classifies the H0STASP0 fixture as a one-record, 59-field frame', () => {
    const frame = expectFrame(classify(fixture('H0STASP0 order-book frame')));
    assert.equal(frame.trId, 'H0STASP0');
    assert.equal(frame.count, 1);
    assert.equal(frame.width, 59);
  });

  it('returns the PINGPONG datetime and the exact received text for the echo', () => {
    const text = fixture('PINGPONG');
    assert.deepEqual(classify(text), { kind: 'pingpong', datetime: '20230502221924', text });
  });

  it('keeps a PINGPONG text byte for byte, spacing included', () => {
    const text = '{ "header" : { "datetime":"20261125091500", "tr_id":"PINGPONG" } }';
    const result = classify(text);
    assert.equal(result.kind, 'pingpong');
    assert.equal((result as { text: string }).text, text);
    assert.equal((result as { datetime: string }).datetime, '20261125091500');
  });

  it('treats a PINGPONG without a datetime as a PINGPONG with an empty datetime', () => {
    const text = '{"header":{"tr_id":"PINGPONG"}}';
    assert.deepEqual(classify(text), { kind: 'pingpong', datetime: '', text });
  });

  it('accepts JSON preceded by whitespace (a pretty-printed reply)', () => {
    const text = '\n  {"header":{"tr_id":"PINGPONG","datetime":"20230502221924"}}';
    assert.equal(classify(text).kind, 'pingpong');
  });

  it('decodes the SUBSCRIBE SUCCESS ack with its iv and key', () => {
    const ack = expectAck(classify(fixture('Subscribe ack, success')));
    assert.deepEqual(ack, {
      trId: 'H0STCNT0',
      trKey: '005930',
      encrypt: false,
      rtCd: '0',
      msgCd: 'OPSP0000',
      msg1: 'SUBSCRIBE SUCCESS',
      iv: ACK_IV,
      key: ACK_KEY,
      outcome: 'success',
    });
  });

  it('classes OPSP0002 benign and OPSP0008 refused, keeping their tr_id and tr_key', () => {
    const already = expectAck(classify(fixture('Subscribe ack, already subscribed')));
    assert.equal(already.outcome, 'benign');
    assert.equal(already.msgCd, 'OPSP0002');
    assert.equal(already.rtCd, '1');
    assert.equal(already.iv, undefined);
    const over = expectAck(classify(fixture('Subscribe ack, 42nd registration')));
    assert.equal(over.outcome, 'refused');
    assert.equal(over.trKey, '035720');
    assert.equal(over.msg1, 'MAX SUBSCRIBE OVER');
  });

  it('tolerates the missing header of the OPSP0003 and OPSP0011 captures', () => {
    const notFound = expectAck(classify(fixture('Unsubscribe of a key that is not registered')));
    assert.deepEqual(notFound, {
      trId: '',
      trKey: '',
      encrypt: false,
      rtCd: '1',
      msgCd: 'OPSP0003',
      msg1: 'UNSUBSCRIBE ERROR(not found!)',
      outcome: 'benign',
    });
    const badKey = expectAck(classify(fixture('Bad approval key')));
    assert.equal(badKey.outcome, 'fatal');
    assert.equal(badKey.msg1, 'invalid approval : NOT FOUND');
  });

  it('classes OPSP8996 fatal with the "(null)" tr_id and rt_cd 9', () => {
    const ack = expectAck(classify(fixture('Second connection with the same appkey')));
    assert.equal(ack.trId, '(null)');
    assert.equal(ack.trKey, '');
    assert.equal(ack.rtCd, '9');
    assert.equal(ack.outcome, 'fatal');
  });

  it('reads encrypt "Y" as an encrypted TR', () => {
    const ack = expectAck(
      classify(
        '{"header":{"tr_id":"H0STCNI0","tr_key":"HTSUSER","encrypt":"Y"},"body":{"rt_cd":"0","msg_cd":"OPSP0000","msg1":"SUBSCRIBE SUCCESS"}}',
      ),
    );
    assert.equal(ack.encrypt, true);
  });

  it('reads a header without tr_id or tr_key as empty strings', () => {
    const ack = expectAck(
      classify(
        '{"header":{"encrypt":"Y"},"body":{"rt_cd":"1","msg_cd":"OPSP0003","msg1":"UNSUBSCRIBE ERROR(not found!)"}}',
      ),
    );
    assert.equal(ack.trId, '');
    assert.equal(ack.trKey, '');
    assert.equal(ack.encrypt, true);
  });

  it('says how long broken JSON is without quoting any of it', () => {
    const message = expectInvalid(classify('{"header":{"approval_key":"a2585daf-8c09"'), 'BAD_JSON');
    assert.equal(message, 'message of 41 characters starts with "{" but is not valid JSON');
  });

  it('classes an unknown code by rt_cd: "0" success, anything else refused', () => {
    assert.equal(expectAck(classify('{"body":{"rt_cd":"0","msg_cd":"OPSP1234","msg1":"NEW"}}')).outcome, 'success');
    assert.equal(expectAck(classify('{"body":{"rt_cd":"7","msg_cd":"OPSP1234","msg1":"NEW"}}')).outcome, 'refused');
  });

  it('accepts a null output and ignores an output without iv/key', () => {
    const nullOut = expectAck(
      classify('{"body":{"rt_cd":"0","msg_cd":"OPSP0001","msg1":"UNSUBSCRIBE SUCCESS","output":null}}'),
    );
    assert.equal(nullOut.iv, undefined);
    const emptyOut = expectAck(
      classify('{"body":{"rt_cd":"0","msg_cd":"OPSP0001","msg1":"UNSUBSCRIBE SUCCESS","output":{}}}'),
    );
    assert.equal(emptyOut.key, undefined);
  });

  it('turns every frame error into an invalid result with the parser code', () => {
    expectInvalid(classify('0|H0STCNT0|001|a^b'), 'RECORD_TOO_SHORT');
    expectInvalid(classify('0|H0STCNT0|01|a'), 'BAD_COUNT');
    expectInvalid(classify('1|H0STCNI0|001|'), 'EMPTY_PAYLOAD');
    expectInvalid(classify('0H0STCNT0'), 'BAD_ENVELOPE');
  });

  it('passes an encrypted frame through with width 0', () => {
    const frame = expectFrame(classify('1|H0STCNI0|001|AAAA'));
    assert.deepEqual(frame, { encrypted: true, trId: 'H0STCNI0', count: 1, width: 0, payload: 'AAAA' });
  });

  const malformed: [string, string, KisProtocolErrorCode][] = [
    ['an empty message', '', 'EMPTY_MESSAGE'],
    ['whitespace only', ' \n\t', 'EMPTY_MESSAGE'],
    ['an unknown first character', 'hello', 'UNKNOWN_PREFIX'],
    ['a JSON array', '[1,2]', 'UNKNOWN_PREFIX'],
    ['broken JSON', '{"header":', 'BAD_JSON'],
    ['a header that is not an object', '{"header":"x","body":{}}', 'BAD_ACK'],
    ['JSON with no body that is not a PINGPONG', '{"header":{"tr_id":"H0STCNT0"}}', 'BAD_ACK'],
    ['an empty object', '{}', 'BAD_ACK'],
    ['a body that is not an object', '{"body":[1]}', 'BAD_ACK'],
    ['a numeric rt_cd', '{"body":{"rt_cd":0,"msg_cd":"OPSP0000","msg1":"SUBSCRIBE SUCCESS"}}', 'BAD_ACK'],
    ['a missing msg1', '{"body":{"rt_cd":"0","msg_cd":"OPSP0000"}}', 'BAD_ACK'],
    ['a null msg_cd', '{"body":{"rt_cd":"0","msg_cd":null,"msg1":"x"}}', 'BAD_ACK'],
    [
      'a numeric header.tr_key',
      '{"header":{"tr_id":"H0STCNT0","tr_key":5930},"body":{"rt_cd":"0","msg_cd":"OPSP0000","msg1":"x"}}',
      'BAD_ACK',
    ],
    ['an output that is a string', '{"body":{"rt_cd":"0","msg_cd":"OPSP0000","msg1":"x","output":"k"}}', 'BAD_ACK'],
    [
      'a numeric output.key',
      '{"body":{"rt_cd":"0","msg_cd":"OPSP0000","msg1":"x","output":{"iv":"0123456789abcdef","key":7}}}',
      'BAD_ACK',
    ],
    ['a PINGPONG carrying a body without fields', '{"header":{"tr_id":"PINGPONG"},"body":{}}', 'BAD_ACK'],
  ];
  for (const [name, text, code] of malformed) {
    it(`reports ${name} as ${code}`, () => {
      expectInvalid(classify(text), code);
    });
  }

  it('names the bad field and its type in an ack error, never its value', () => {
    const secret = 'a2585daf-8c09-4587-9fce-8ab893000000';
    const message = expectInvalid(classify(`{"body":{"rt_cd":"1","msg_cd":["${secret}"],"msg1":"x"}}`), 'BAD_ACK');
    assert.equal(message, 'ack body.msg_cd is an array; a string expected');
    assert.ok(!message.includes(secret));
  });

  it('never throws, whatever the input', () => {
    const inputs = [
      '0',
      '1',
      '0|',
      '1||',
      '0|||',
      '{',
      '{"a":1}',
      '\u0000',
      '0|TR|999|' + 'x^'.repeat(10),
      '{"header":null}',
      '{"body":null}',
    ];
    for (const text of inputs) {
      const result = classify(text);
      assert.ok(['frame', 'pingpong', 'ack', 'invalid'].includes(result.kind), text);
    }
  });
});
