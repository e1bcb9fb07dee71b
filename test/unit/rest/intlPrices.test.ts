import * as assert from 'node:assert/strict';
import {
  INDEX_PRICE,
  isEmptyPrice,
  OVERSEAS_PRICE,
  parseEnvelope,
  parseIndexPrice,
  parseOverseasPrice,
  BodyError,
  type EndpointSpec,
  type Envelope,
  type RestQuote,
} from '../../../src/kis/rest';
import {
  indexPrice,
  overseasPrice,
  routedPrices,
  RestError,
  type RestGetter,
  type StockPriceClient,
  type RestStats,
} from '../../../src/rest';

const env = (output: unknown): Envelope => {
  const e = parseEnvelope({ rt_cd: '0', msg_cd: 'MCA00000', msg1: '정상처리 되었습니다.', output });
  assert.ok(e);
  return e;
};

/** inquire-index-price `output` (kis-rest.md §5.1 names): KOSPI 2,650.12, down 12.34. */
const INDEX_OUTPUT = {
  bstp_nmix_prpr: '2650.12',
  bstp_nmix_prdy_vrss: '-12.34',
  prdy_vrss_sign: '5',
  bstp_nmix_prdy_ctrt: '-0.46',
  acml_vol: '412345',
  acml_tr_pbmn: '9876543',
  bstp_nmix_oprc: '2660.00',
  bstp_nmix_hgpr: '2671.50',
  bstp_nmix_lwpr: '2640.10',
};
/** overseas `price` `output` (kis-rest.md §7.1 names): AAPL 169.7850, up 0.1950. */
const US_OUTPUT = {
  rsym: 'DNASAAPL',
  zdiv: '4',
  base: '169.5900',
  pvol: '1',
  last: '169.7850',
  sign: '2',
  diff: '0.1950',
  rate: '+0.11',
  tvol: '108464',
  tamt: '18414163',
  ordy: '매수가능',
};
const EMPTY_US = { rsym: '', zdiv: '', base: '', last: '', sign: '', diff: '', rate: '', tvol: '', tamt: '', ordy: '' };

/** A getter that answers one output and records what it was asked. */
class FakeGetter implements RestGetter {
  asked: { path: string; query: Record<string, string> }[] = [];
  constructor(private readonly output: unknown) {}
  async get<T>(spec: EndpointSpec, query: Record<string, string>, read: (e: Envelope) => T): Promise<T> {
    this.asked.push({ path: spec.path, query });
    return read(env(this.output));
  }
}

async function failure(p: Promise<unknown>): Promise<RestError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof RestError, String(e));
    return e;
  }
  assert.fail('expected a RestError');
}

describe('REST index and overseas prices', () => {
  it('reads an index price in points: signed change and rate, open/high/low, the previous close derived', () => {
    const q = parseIndexPrice(env(INDEX_OUTPUT), '0001');
    assert.deepEqual(
      [q.symbol, q.price, q.change, q.sign, q.changeRate, q.volume, q.open, q.high, q.low, q.basePrice],
      ['0001', 2650.12, -12.34, '5', -0.46, 412345, 2660, 2671.5, 2640.1, 2662.46],
    );
  });

  it('signs an index change sent unsigned by its sign code, and reads a missing open/high/low as 0', () => {
    const q = parseIndexPrice(
      env({
        ...INDEX_OUTPUT,
        bstp_nmix_prdy_vrss: '12.34',
        bstp_nmix_prdy_ctrt: '0.46',
        bstp_nmix_oprc: undefined,
        bstp_nmix_hgpr: '',
      }),
      '0001',
    );
    assert.deepEqual([q.change, q.changeRate, q.open, q.high], [-12.34, -0.46, 0, 0]);
  });

  it('reads an overseas price in dollars; a fall is negative although diff is unsigned', () => {
    const q = parseOverseasPrice(env(US_OUTPUT), 'DNASAAPL');
    assert.deepEqual(
      [q.symbol, q.price, q.change, q.changeRate, q.volume, q.value, q.basePrice],
      ['DNASAAPL', 169.785, 0.195, 0.11, 108464, 18414163, 169.59],
    );
    const down = parseOverseasPrice(env({ ...US_OUTPUT, sign: '5', diff: '0.2000', rate: '-0.12' }), 'DNASAAPL');
    assert.deepEqual([down.change, down.changeRate], [-0.2, -0.12]);
  });

  it('refuses a malformed answer by naming the field, never its value', () => {
    assert.throws(
      () => parseIndexPrice(env({ ...INDEX_OUTPUT, bstp_nmix_prpr: 'abc' }), '0001'),
      (e: unknown) => e instanceof BodyError && /bstp_nmix_prpr/.test(e.message) && !/abc/.test(e.message),
    );
    assert.throws(() => parseIndexPrice(env({ ...INDEX_OUTPUT, prdy_vrss_sign: '9' }), '0001'), /prdy_vrss_sign/);
    assert.throws(() => parseOverseasPrice(env({ ...US_OUTPUT, tvol: undefined }), 'DNASAAPL'), /tvol/);
    assert.throws(() => parseOverseasPrice(env([US_OUTPUT]), 'DNASAAPL'), /output/);
    assert.throws(() => parseIndexPrice(env({ ...INDEX_OUTPUT, bstp_nmix_oprc: 'x' }), '0001'), /bstp_nmix_oprc/);
  });

  it('tells an empty answer (unknown symbol) from a price', () => {
    assert.equal(isEmptyPrice(env(EMPTY_US), 'last'), true);
    assert.equal(isEmptyPrice(env(US_OUTPUT), 'last'), false);
    assert.equal(isEmptyPrice(env('x'), 'last'), false);
  });

  it('asks the index price with U and the 업종코드, and refuses a code that is not one before asking', async () => {
    const getter = new FakeGetter(INDEX_OUTPUT);
    assert.equal((await indexPrice(getter, '1001')).symbol, '1001');
    assert.deepEqual(getter.asked, [
      { path: INDEX_PRICE.path, query: { FID_COND_MRKT_DIV_CODE: 'U', FID_INPUT_ISCD: '1001' } },
    ]);
    assert.equal((await failure(indexPrice(getter, 'KOSPI'))).code, 'UNKNOWN_SYMBOL');
    assert.equal(
      (await failure(indexPrice(new FakeGetter({ ...INDEX_OUTPUT, bstp_nmix_prpr: '' }), '0999'))).code,
      'UNKNOWN_SYMBOL',
    );
  });

  it('asks the overseas price with EXCD and SYMB from the key; a day-session key asks BAQ/BAY/BAA', async () => {
    const getter = new FakeGetter(US_OUTPUT);
    await overseasPrice(getter, 'DNYSKO');
    await overseasPrice(getter, 'RBAQAAPL');
    assert.deepEqual(
      getter.asked.map((a) => [a.path, a.query.EXCD, a.query.SYMB, a.query.AUTH]),
      [
        [OVERSEAS_PRICE.path, 'NYS', 'KO', ''],
        [OVERSEAS_PRICE.path, 'BAQ', 'AAPL', ''],
      ],
    );
    const unknown = await failure(overseasPrice(new FakeGetter(EMPTY_US), 'DNASZZZZ'));
    assert.equal(unknown.code, 'UNKNOWN_SYMBOL');
    assert.match(unknown.message, /ZZZZ is not listed on NAS/);
    assert.equal((await failure(overseasPrice(getter, 'DHKS00003'))).code, 'UNKNOWN_SYMBOL');
  });

  it('routes price by market: KRX to the stock price, an index and a US key to theirs; history only for KRX', async () => {
    const calls: string[] = [];
    const quote = (symbol: string): RestQuote => ({
      symbol,
      price: 1,
      change: 0,
      sign: '3',
      changeRate: 0,
      volume: 0,
      value: 0,
      open: 0,
      high: 0,
      low: 0,
      upperLimit: 0,
      lowerLimit: 0,
      basePrice: 1,
      halted: false,
    });
    const stats = { requests: 7 } as unknown as RestStats;
    const client: StockPriceClient = {
      price: async (s) => (calls.push(`price ${s}`), quote(s)),
      minuteBars: async (s) => (calls.push(`bars ${s}`), []),
      stats: () => stats,
      get: async <T>(spec: EndpointSpec, _query: Record<string, string>, read: (e: Envelope) => T): Promise<T> => {
        calls.push(`get ${spec === INDEX_PRICE ? 'index' : 'overseas'}`);
        return read(env(spec === INDEX_PRICE ? INDEX_OUTPUT : US_OUTPUT));
      },
    };
    const routed = routedPrices(client);
    assert.equal((await routed.price('005930', 'J')).symbol, '005930');
    assert.equal((await routed.price('0001')).price, 2650.12);
    assert.equal((await routed.price('DNASAAPL')).price, 169.785);
    assert.deepEqual(await routed.minuteBars('DNASAAPL'), []);
    assert.deepEqual(await routed.minuteBars('0001'), []);
    await routed.minuteBars('005930');
    assert.deepEqual(calls, ['price 005930', 'get index', 'get overseas', 'bars 005930']);
    assert.equal(routed.stats(), stats);
  });
});
