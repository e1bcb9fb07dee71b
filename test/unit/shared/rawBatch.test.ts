import { strict as assert } from 'node:assert';
import { countRawRecords, emptyReceiveCounters, openRawBatch, packRawBatch } from '../../../src/shared/rawBatch';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

describe('raw batches (shared/rawBatch)', () => {
  it('packs frames into one shared buffer and reads each back byte for byte, multi-byte text included', () => {
    const frames = [bytes('0|H0STCNT0|001|005930^a'), bytes('0|H0STASP0|002|삼성^b^c^d'), bytes('{"x":1}')];
    const total = frames.reduce((n, f) => n + f.length, 0);
    const buffer = packRawBatch(frames, total);
    assert.ok(buffer instanceof SharedArrayBuffer);
    const view = openRawBatch(buffer);
    assert.ok(view !== undefined);
    assert.equal(view.count, 3);
    for (let i = 0; i < 3; i++) assert.deepEqual(view.data.subarray(view.start(i), view.end(i)), frames[i]);
    assert.equal(view.data.toString('utf8', view.start(1), view.end(1)), '0|H0STASP0|002|삼성^b^c^d');
  });

  it('an empty batch has no frames', () => {
    const view = openRawBatch(packRawBatch([], 0));
    assert.equal(view?.count, 0);
  });

  it('refuses buffers without the layout instead of reading out of bounds', () => {
    assert.equal(openRawBatch(new SharedArrayBuffer(2)), undefined, 'shorter than the count');
    const tooMany = new SharedArrayBuffer(8);
    new Uint32Array(tooMany)[0] = 5;
    assert.equal(openRawBatch(tooMany), undefined, 'more ends than fit');
    const pastEnd = packRawBatch([bytes('0|A|001|x')], 9);
    new Uint32Array(pastEnd, 0, 2)[1] = 100;
    assert.equal(openRawBatch(pastEnd), undefined, 'an end beyond the data');
    const backwards = packRawBatch([bytes('0|A|001|x'), bytes('0|A|001|y')], 18);
    new Uint32Array(backwards, 0, 3)[2] = 3;
    assert.equal(openRawBatch(backwards), undefined, 'ends going backwards');
    assert.equal(countRawRecords(backwards), 0);
  });

  it('counts records from the 3-digit counts without decoding; an unreadable count counts as one', () => {
    const frames = [
      bytes('0|H0STCNT0|001|a'),
      bytes('0|H0STCNT0|010|b'),
      bytes('0|H0STCNT0|0x2|c'),
      bytes('garbage'),
      bytes('0|H0STCNT0|12'),
    ];
    const buffer = packRawBatch(
      frames,
      frames.reduce((n, f) => n + f.length, 0),
    );
    assert.equal(countRawRecords(buffer), 1 + 10 + 1 + 1 + 1);
  });

  it('starts receive counters at zero', () => {
    assert.deepEqual(emptyReceiveCounters(), { records: 0, parseErrors: 0, lastTickAt: {} });
  });
});
