import * as assert from 'node:assert/strict';
import { main, type CliIo } from '../../../src/cli/main';
import { noticeLine } from '../../../src/cli/noticeOutput';
import { parseSimArgs } from '../../../src/cli/sim';

function capture(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const controller = new AbortController();
  controller.abort();
  return {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    env: {},
    signal: controller.signal,
    out: () => out,
    err: () => err,
  };
}

describe('kis-monitor: fills on the command line', () => {
  it('prints a domestic fill by name, without the HTS ID, account number or account name', () => {
    const record =
      'HTSUSER^5019920201^0000012345^^02^0^00^0^005930^0000000003^000250000^105531^0^2^2^00950^000000010^홍길동^0^1^N^^^^삼성전자^000250000';
    const line = noticeLine('H0STCNI9', record.split('^'), 0, 26);
    assert.deepEqual(line, {
      type: 'record',
      trId: 'H0STCNI9',
      kind: 'notice',
      status: 'filled',
      orderNo: '0000012345',
      originalOrderNo: '',
      side: 'buy',
      symbol: '005930',
      name: '삼성전자',
      quantity: 3,
      price: 250000,
      orderQuantity: 10,
      orderPrice: 250000,
      orderKind: '00',
      time: '105531',
    });
  });

  it('prints an overseas notice by its column names, private columns left out', () => {
    const fields = Array.from({ length: 25 }, (_, i) => `v${i}`);
    fields[0] = 'HTSUSER';
    fields[1] = '5019920201';
    fields[16] = '홍길동';
    fields[11] = '1'; // RFUS_YN
    const line = noticeLine('H0GSCNI9', fields, 0, 25);
    assert.equal(line.status, 'refused');
    const named = line.fields as Record<string, string>;
    assert.equal(named.STCK_SHRN_ISCD, 'v7');
    assert.equal(named.CNTG_UNPR12, 'v24');
    assert.ok(!JSON.stringify(line).includes('HTSUSER') && !JSON.stringify(line).includes('5019920201'));
    assert.ok(!JSON.stringify(line).includes('홍길동'));
  });

  it('sim takes --hts-id and refuses one a tr_key cannot carry', () => {
    assert.equal(parseSimArgs(['--hts-id', 'trader.01']).htsId, 'trader.01');
    assert.throws(() => parseSimArgs(['--hts-id', 'two words']), /--hts-id takes 1 to 32/);
  });

  const bad: [string, string[], RegExp][] = [
    ['no side', ['sim-order', '005930', '1'], /--side must be buy or sell/],
    ['one operand', ['sim-order', '--side', 'buy', '005930'], /give a KRX code and a quantity/],
    ['a bad code', ['sim-order', '--side', 'buy', 'SAMSUNG', '1'], /"SAMSUNG" is not a KRX code/],
    ['a zero quantity', ['sim-order', '--side', 'sell', '005930', '0'], /QTY must be an integer from 1/],
    ['a bad price', ['sim-order', '--side', 'sell', '005930', '1', '--price', '7.5'], /--price must be an integer/],
    ['a bad account', ['sim-order', '--side', 'buy', '005930', '1', '--account', '1234'], /--account is 8 digits/],
    [
      'a remote simulator',
      ['sim-order', '--side', 'buy', '005930', '1', '--url', 'http://192.168.0.9:21000'],
      /this machine/,
    ],
  ];
  for (const [what, argv, message] of bad) {
    it(`sim-order exits 2 for ${what}`, async () => {
      const io = capture();
      assert.equal(await main(argv, io), 2);
      assert.match(io.err(), message);
      assert.equal(io.out(), '');
    });
  }

  it('sim-order exits 1 when no simulator answers', async () => {
    const io = capture();
    // Port 9 (discard) on loopback: nothing listens there in a test run.
    assert.equal(await main(['sim-order', '--side', 'buy', '005930', '1', '--url', 'http://127.0.0.1:9'], io), 1);
    assert.match(io.err(), /cannot reach http:\/\/127\.0\.0\.1:9/);
  });
});
