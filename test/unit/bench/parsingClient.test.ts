import * as assert from 'node:assert/strict';
import { parseTradeFrame, type ParsedSums } from '../../../bench/support/pipeline';

/** One 46-field H0STCNT0 record with the fields the parsing client converts set, the rest filler. */
function record(time: string, price: string, sign: string, change: string, rate: string, volume: string): string {
  const fields = Array.from({ length: 46 }, (_, i) => `f${i}`);
  fields[0] = '005930';
  fields[1] = time;
  fields[2] = price;
  fields[3] = sign;
  fields[4] = change;
  fields[5] = rate;
  fields[12] = volume;
  return fields.join('^');
}

function zero(): ParsedSums {
  return { price: 0, change: 0, rate: 0, volume: 0, seconds: 0 };
}

describe('bench parsing client (the fair limit of the throughput benchmark)', () => {
  it('converts price, signed change, rate, volume and time of every record of a frame', () => {
    const payload = [
      record('090001', '71900', '2', '300', '0.42', '15'),
      record('153000', '71500', '5', '100', '-0.14', '7'),
    ].join('^');
    const sums = zero();
    const count = parseTradeFrame(Buffer.from(`0|H0STCNT0|002|${payload}`), sums);
    assert.equal(count, 2);
    assert.equal(sums.price, 71900 + 71500);
    // Sign 5 (down): the change counts negative.
    assert.equal(sums.change, 300 - 100);
    assert.ok(Math.abs(sums.rate - 0.28) < 1e-9);
    assert.equal(sums.volume, 22);
    assert.equal(sums.seconds, 9 * 3600 + 1 + 15 * 3600 + 30 * 60);
  });

  it('reads a one-record frame of the 47-field width', () => {
    const sums = zero();
    const count = parseTradeFrame(
      Buffer.from(`0|H0STCNT0|001|${record('100000', '500', '4', '20', '-3.85', '1')}^KRX`),
      sums,
    );
    assert.equal(count, 1);
    assert.equal(sums.price, 500);
    assert.equal(sums.change, -20);
    assert.equal(sums.seconds, 36000);
  });
});
