import * as assert from 'node:assert/strict';
import { maskAppkey, Redactor } from '../../../src/common/redact';

describe('agent secret masking', () => {
  it('shows only the first 4 characters of an appkey', () => {
    assert.equal(maskAppkey('PSg5dctL9dKPo727J13Ur405OS'), 'PSg5…');
    assert.equal(maskAppkey('abc'), '…');
  });

  it('replaces the appkey, the appsecret and every approval key in a text', () => {
    const redactor = new Redactor('PSg5dctL9dKPo727', 'yo2t8zS68zpdjGuWvFyM9VikjXE0i0');
    redactor.addApprovalKey('062f61cb-c756-4b8f-9fab-92113c6fbea4');
    redactor.addApprovalKey('062f61cb-c756-4b8f-9fab-92113c6fbea4');
    redactor.addApprovalKey('x');
    const text =
      'key PSg5dctL9dKPo727 secret yo2t8zS68zpdjGuWvFyM9VikjXE0i0 invalid approval : 062f61cb-c756-4b8f-9fab-92113c6fbea4';
    const out = redactor.redact(text);
    assert.equal(out, 'key PSg5… secret [appsecret] invalid approval : [approval key]');
    assert.equal(redactor.redact('nothing secret'), 'nothing secret');
  });

  it('masks a truncated echo: any run of 8 or more characters of a secret', () => {
    const secret = 'yo2t8zS68zpdjGuWvFyM9VikjXE0i0CbgPEamnqPA00G0bIfrdfQ';
    const redactor = new Redactor('PSg5dctL9dKPo727J13U', secret);
    assert.equal(redactor.redact(`bye ${secret.slice(5, 45)} end`), 'bye [redacted] end');
    assert.equal(redactor.redact(`key tail dctL9dKPo727J13U!`), 'key tail [redacted]!');
    assert.equal(redactor.redact(`${secret.slice(0, 8)}|${secret.slice(20, 28)}`), '[redacted]|[redacted]');
    assert.equal(
      redactor.redact(`seven ${secret.slice(0, 7)} stays`),
      `seven ${secret.slice(0, 7)} stays`,
      'shorter pieces are not a key',
    );
    assert.equal(
      redactor.redact('Connection closed (code 1006); retrying in 250 ms'),
      'Connection closed (code 1006); retrying in 250 ms',
    );
  });
});
