import * as assert from 'node:assert/strict';
import { isKisProtocolError, KisProtocolError, quoteForError } from '../../../src/kis';

describe('kis errors', () => {
  it('carries a stable code, a name and the message', () => {
    const error = new KisProtocolError('BAD_COUNT', 'frame X has record count "01"');
    assert.ok(error instanceof Error);
    assert.equal(error.code, 'BAD_COUNT');
    assert.equal(error.name, 'KisProtocolError');
    assert.equal(error.message, 'frame X has record count "01"');
  });

  it('recognises its own errors only', () => {
    assert.equal(isKisProtocolError(new KisProtocolError('EMPTY_MESSAGE', 'empty message')), true);
    assert.equal(isKisProtocolError(new Error('x')), false);
    assert.equal(isKisProtocolError({ code: 'EMPTY_MESSAGE', message: 'forged' }), false);
  });

  it('quotes untrusted text short and with control characters escaped', () => {
    assert.equal(quoteForError('H0STCNT0'), '"H0STCNT0"');
    assert.equal(quoteForError('a\nb'), '"a\\nb"');
    assert.equal(quoteForError('0123456789', 4), '"0123…"');
  });
});
