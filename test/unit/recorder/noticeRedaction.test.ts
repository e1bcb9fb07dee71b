import { strict as assert } from 'node:assert';
import { RecordingRedactor } from '../../../src/recorder/redact';

describe('recording redaction of execution-notice keys', () => {
  it('masks the tr_key (the HTS ID) of a notice ack, and leaves a market-data ack alone', () => {
    const r = new RecordingRedactor();
    const notice = JSON.stringify({
      header: { tr_id: 'H0STCNI9', tr_key: 'myhts01', encrypt: 'Y' },
      body: { rt_cd: '0', msg1: 'SUBSCRIBE SUCCESS' },
    });
    const out = r.redact(notice);
    assert.ok(!out.includes('myhts01'), out);
    assert.ok(out.includes('"tr_key":"[redacted]"'));
    const overseas = r.redact('{"header":{"tr_key":"myhts01","tr_id":"H0GSCNI0"}}');
    assert.ok(!overseas.includes('myhts01'));
    const trade = '{"header":{"tr_id":"H0STCNT0","tr_key":"005930"}}';
    assert.equal(r.redact(trade), trade);
  });
});
