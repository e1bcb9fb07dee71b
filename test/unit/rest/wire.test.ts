import * as assert from 'node:assert/strict';
import { main } from '../../../src/cli/main';
import {
  BodyError,
  classifyKisCode,
  ENDPOINTS,
  minuteBefore,
  parseDailyBars,
  parseEnvelope,
  parseGatewayError,
  parseHolidays,
  parseMinuteBars,
  parseQuote,
  parseToken,
  REST_FACTS,
  uapiHeaders,
} from '../../../src/kis/rest';
import { RefreshScheduler, retryDelayMs } from '../../../src/rest';

function env(body: Record<string, unknown>) {
  const e = parseEnvelope({ rt_cd: '0', msg_cd: 'MCA00000', msg1: 'ok', ...body });
  assert.ok(e);
  return e;
}

function collect(): {
  io: { stdout: { write(t: string): void }; stderr: { write(t: string): void }; env: Record<string, string> };
  out: string[];
  err: string[];
} {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: { write: (t) => out.push(t) }, stderr: { write: (t) => err.push(t) }, env: {} }, out, err };
}

describe('KIS REST wire formats', () => {
  it('builds headers with the tr_id of each endpoint', () => {
    const h = uapiHeaders('k', 's', 't', ENDPOINTS.price.trId.real);
    assert.equal(h.authorization, 'Bearer t');
    assert.equal(h.tr_id, 'FHKST01010100');
    assert.equal(ENDPOINTS.minute.trId.paper, 'FHKST03010200');
  });

  it('pages minute bars one minute back', () => {
    assert.equal(minuteBefore('100000'), '095900');
    assert.equal(minuteBefore('090100'), '090000');
    assert.equal(minuteBefore('000000'), undefined);
  });

  it('validates token bodies strictly', () => {
    assert.deepEqual(parseToken({ access_token: 'x', expires_in: 86400 }), { accessToken: 'x', expiresIn: 86400 });
    assert.equal(parseToken({ access_token: 'x', expires_in: '60' }).expiresIn, 60);
    assert.throws(() => parseToken('nope'), BodyError);
    assert.throws(() => parseToken({ access_token: '', expires_in: 1 }), /access_token/);
    assert.throws(() => parseToken({ access_token: 'x', expires_in: -1 }), /expires_in/);
    assert.throws(() => parseToken({ access_token: 'x' }), /expires_in/);
  });

  it('refuses a quote with a missing or non-numeric field, and a bad sign', () => {
    const good = {
      stck_prpr: '100',
      prdy_vrss: '-1',
      prdy_vrss_sign: '5',
      prdy_ctrt: '-0.99',
      acml_vol: '1',
      acml_tr_pbmn: '100',
      stck_oprc: '1',
      stck_hgpr: '1',
      stck_lwpr: '1',
      stck_mxpr: '1',
      stck_llam: '1',
      stck_sdpr: '101',
      temp_stop_yn: 'Y',
    };
    assert.equal(parseQuote(env({ output: good }), '005930').halted, true);
    assert.throws(() => parseQuote(env({ output: { ...good, stck_prpr: '1,000' } }), 'x'), /stck_prpr/);
    assert.throws(() => parseQuote(env({ output: { ...good, prdy_vrss_sign: '9' } }), 'x'), /prdy_vrss_sign/);
    assert.throws(() => parseQuote(env({ output: [] }), 'x'), /output/);
    assert.throws(() => parseQuote(env({ output: { ...good, acml_vol: 3 } }), 'x'), /acml_vol/);
  });

  it('drops KIS empty padding rows but refuses broken ones', () => {
    const row = {
      stck_bsop_date: '20261204',
      stck_cntg_hour: '090000',
      stck_prpr: '1',
      stck_oprc: '1',
      stck_hgpr: '1',
      stck_lwpr: '1',
      cntg_vol: '1',
    };
    assert.equal(parseMinuteBars(env({ output2: [row, { stck_bsop_date: '', stck_cntg_hour: '' }] })).length, 1);
    assert.throws(() => parseMinuteBars(env({ output2: [{ ...row, stck_cntg_hour: '0900' }] })), /stck_cntg_hour/);
    assert.throws(() => parseMinuteBars(env({ output2: ['x'] })), /output2/);
    assert.throws(() => parseMinuteBars(env({})), /output2/);
    assert.throws(() => parseDailyBars(env({ output2: [row] })), /stck_clpr/);
    assert.deepEqual(parseHolidays(env({ output: [{ bass_dt: '20261225', opnd_yn: 'N' }] })), [
      { date: '20261225', open: false },
    ]);
    assert.throws(() => parseHolidays(env({ output: [{ bass_dt: '20261225', opnd_yn: 'X' }] })), /opnd_yn/);
  });

  it('reads both error shapes and classifies the codes', () => {
    assert.equal(parseEnvelope({ msg_cd: 'x' }), undefined);
    assert.deepEqual(parseEnvelope({ rt_cd: '1' })?.msgCd, '');
    assert.deepEqual(parseGatewayError({ error_code: 'EGW00133' }), { code: 'EGW00133', description: '' });
    assert.equal(parseGatewayError([]), undefined);
    assert.deepEqual(
      ['EGW00201', 'EGW00123', 'EGW00121', 'EGW00133', 'EGW00103', 'EGW02004', 'X'].map(classifyKisCode),
      ['rate', 'token', 'token', 'tokenTooSoon', 'credentials', 'credentials', 'other'],
    );
  });

  it('keeps every unconfirmed fact with its source', () => {
    for (const fact of Object.values(REST_FACTS))
      assert.ok(fact.source.includes('kis-rest.md') || fact.source.includes('kis-protocol.md'));
  });
});

describe('RefreshScheduler', () => {
  it('refreshes every symbol once per cycle within the budget', () => {
    const s = new RefreshScheduler(2);
    const symbols = Array.from({ length: 59 }, (_, i) => `S${i}`);
    s.setSymbols(symbols);
    assert.equal(s.plan().everySeconds, 30);
    const counts = new Map<string, number>();
    for (let t = 0; t < 59; t++) {
      const batch = s.next(1000);
      assert.equal(batch.length, 2);
      for (const x of batch) counts.set(x, (counts.get(x) ?? 0) + 1);
    }
    assert.deepEqual([...new Set(counts.values())], [2]);
  });

  it('honours a fractional rate and keeps the turn when the list changes', () => {
    const s = new RefreshScheduler(0.5);
    s.setSymbols(['a', 'b', 'c']);
    assert.deepEqual([s.next(), s.next(), s.next(), s.next()], [[], ['a'], [], ['b']]);
    s.setSymbols(['x', 'c', 'a', 'c']);
    assert.deepEqual([s.next(), s.next()], [[], ['c']]);
    s.setSymbols([]);
    assert.deepEqual(s.next(), []);
    assert.equal(s.plan().everySeconds, 0);
    assert.throws(() => new RefreshScheduler(0), RangeError);
  });
});

describe('kis-monitor quote and bars', () => {
  it('prints the quote of the embedded simulator', async () => {
    const { io, out } = collect();
    assert.equal(await main(['quote', '005930', '--exchange', 'UN'], io), 0);
    assert.equal((JSON.parse(out.join('')) as { symbol: string }).symbol, '005930');
  });

  it('prints daily candles', async () => {
    const { io, out } = collect();
    assert.equal(await main(['bars', '005930', '--daily'], io), 0);
    assert.ok((JSON.parse(out.join('')) as unknown[]).length > 0);
  });

  it('says what is wrong with the input (exit 2) and with the answer (exit 1)', async () => {
    for (const argv of [
      ['quote'],
      ['quote', '005930', '--exchange', 'XX'],
      ['bars', '005930', '--source', 'x'],
      ['quote', '005930', '--source', 'paper'],
      ['quote', '--bogus'],
    ]) {
      const { io, err } = collect();
      assert.equal(await main(argv, io), 2, argv.join(' '));
      assert.ok(err.join('').length > 0);
    }
    const { io, err } = collect();
    assert.equal(await main(['quote', '000000'], io), 1);
    assert.match(err.join(''), /UNKNOWN_SYMBOL/);
    const help = collect();
    assert.equal(await main(['bars', '--help'], help.io), 0);
  });

  it('reports an unreachable --rest-url as REST_DOWN', async () => {
    const { io, err } = collect();
    io.env = { KIS_APPKEY: 'k'.repeat(36), KIS_APPSECRET: 's'.repeat(40), XDG_CACHE_HOME: '/nonexistent-kis-test' };
    assert.equal(await main(['quote', '005930', '--source', 'real', '--rest-url', 'http://127.0.0.1:1'], io), 1);
    assert.match(err.join(''), /REST_DOWN/);
  });

  it('asks a failed symbol again when its retry falls due, first in the budget, and not in the round-robin before', () => {
    const s = new RefreshScheduler(1);
    s.setSymbols(['a', 'b', 'c']);
    s.retry('b', 10_000);
    assert.equal(s.retryAt('b'), 10_000);
    assert.deepEqual([s.next(1000, 8_000), s.next(1000, 9_000)], [['a'], ['c']], 'b waits for its retry');
    assert.deepEqual(s.next(1000, 10_000), ['b'], 'due: before the round-robin goes on');
    assert.equal(s.retryAt('b'), undefined);
    assert.deepEqual(s.next(1000, 11_000), ['a']);
  });

  it('runs retries with no round-robin at all (a closed market), within the budget', () => {
    const s = new RefreshScheduler(1);
    s.retry('x', 5_000);
    s.retry('y', 5_000);
    assert.equal(s.hasRetries(), true);
    assert.deepEqual(s.next(1000, 4_999), []);
    assert.deepEqual(s.next(1000, 5_000), ['x']);
    assert.deepEqual(s.next(1000, 6_000), ['y']);
    assert.equal(s.hasRetries(), false);
    s.retry('z', 1);
    s.cancelRetry('z');
    assert.deepEqual(s.next(1000, 10_000), []);
  });

  it('waits for KIS’s token minute, backs off from 5 s to 5 min otherwise, and never retries what cannot mend', () => {
    assert.equal(retryDelayMs('TOKEN_TOO_SOON', 1, 42_000), 42_000);
    assert.equal(retryDelayMs('TOKEN_TOO_SOON', 3), 60_000, 'EGW00133 without a time: the minute');
    assert.equal(retryDelayMs('TIMEOUT', 1), 5_000);
    assert.equal(retryDelayMs('REST_DOWN', 3), 20_000);
    assert.equal(retryDelayMs('RATE_LIMITED', 20), 300_000);
    assert.equal(retryDelayMs('UNKNOWN_SYMBOL', 1), undefined);
    assert.equal(retryDelayMs('BAD_CREDENTIALS', 1), undefined);
  });
});
