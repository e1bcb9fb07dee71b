import * as assert from 'node:assert/strict';
import { classifyOpsp, describeOpsp, isOpspCode, OPSP, redactMsg1, type OpspClass } from '../../../src/kis';

describe('kis opsp', () => {
  it('keeps the exact msg1 texts of the captured replies', () => {
    assert.equal(OPSP.OPSP0000.msg1, 'SUBSCRIBE SUCCESS');
    assert.equal(OPSP.OPSP0001.msg1, 'UNSUBSCRIBE SUCCESS');
    assert.equal(OPSP.OPSP0002.msg1, 'ALREADY IN SUBSCRIBE');
    assert.equal(OPSP.OPSP0003.msg1, 'UNSUBSCRIBE ERROR(not found!)');
    assert.equal(OPSP.OPSP0008.msg1, 'MAX SUBSCRIBE OVER');
    assert.equal(OPSP.OPSP0011.msg1, 'invalid approval : NOT FOUND');
    assert.equal(OPSP.OPSP8996.msg1, 'ALREADY IN USE appkey');
    assert.equal(OPSP.OPSP8997.msg1, 'JSON PARSING ERROR : invalid tr_type');
    assert.equal(OPSP.OPSP9999.msg1, 'JSON PARSING ERROR : invalid json format');
  });

  it('classes success, benign, refused and fatal codes', () => {
    const expected: [string, OpspClass][] = [
      ['OPSP0000', 'success'],
      ['OPSP0001', 'success'],
      ['OPSP0002', 'benign'],
      ['OPSP0003', 'benign'],
      ['OPSP0007', 'refused'],
      ['OPSP0008', 'refused'],
      ['OPSP8991', 'refused'],
      ['OPSP8997', 'refused'],
      ['OPSP9999', 'refused'],
      ['OPSP0011', 'fatal'],
      ['OPSP8996', 'fatal'],
    ];
    for (const [code, outcome] of expected) assert.equal(classifyOpsp(code, '1'), outcome, code);
  });

  it('classes by the table, not by rt_cd, for a known code', () => {
    assert.equal(classifyOpsp('OPSP0002', '0'), 'benign');
    assert.equal(classifyOpsp('OPSP0000', '1'), 'success');
  });

  it('classes an unknown code success when rt_cd is "0" and refused otherwise', () => {
    assert.equal(classifyOpsp('OPSP4242', '0'), 'success');
    assert.equal(classifyOpsp('OPSP4242', '1'), 'refused');
    assert.equal(classifyOpsp('', '9'), 'refused');
  });

  it('gives every code the rt_cd KIS sends with it', () => {
    for (const [code, entry] of Object.entries(OPSP)) {
      const expected = entry.outcome === 'success' ? '0' : code === 'OPSP8996' ? '9' : '1';
      assert.equal(entry.rtCd, expected, code);
    }
  });

  it('knows documented codes only, inherited names excluded', () => {
    assert.equal(isOpspCode('OPSP0008'), true);
    assert.equal(isOpspCode('OPSP4242'), false);
    assert.equal(isOpspCode('toString'), false);
  });

  it('explains what happened and what to do, with the code', () => {
    assert.match(describeOpsp('OPSP0008'), /41 subscriptions per connection.*Remove a symbol/);
    assert.match(describeOpsp('OPSP0008'), /\(OPSP0008\)$/);
    assert.match(describeOpsp('OPSP8996'), /Another connection already uses this app key/);
    assert.match(describeOpsp('OPSP0011'), /approval key/);
    assert.match(describeOpsp('OPSP9990'), /^KIS refused the request/);
    assert.equal(
      describeOpsp('OPSP4242', 'SOMETHING NEW'),
      'KIS replied with an unexpected code. (OPSP4242: SOMETHING NEW)',
    );
    assert.equal(describeOpsp('OPSP0002', ''), 'Already subscribed on this connection; nothing to do. (OPSP0002)');
  });

  it('masks an approval key quoted in msg1', () => {
    const msg1 = 'invalid approval : 062f61cb-c756-4b8f-9fab-92113c6fbea4';
    assert.equal(redactMsg1(msg1), 'invalid approval : ***');
    const described = describeOpsp('OPSP0011', msg1);
    assert.ok(!described.includes('062f61cb'), described);
    assert.match(described, /\(OPSP0011: invalid approval : \*\*\*\)$/);
    assert.equal(redactMsg1('JSON PARSING ERROR : invalid tr_type'), 'JSON PARSING ERROR : invalid tr_type');
    assert.equal(redactMsg1('key PSg5dctL9dKPo727J13Ur405OSXXXXXXXXXX here'), 'key *** here');
  });
});
