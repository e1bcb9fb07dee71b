/**
 * The balance import against the simulator's inquire-balance: real HTTP on port 0, the real client (its
 * limiter, token and headers), KIS's paging (20 rows a page on paper, 50 on real; tr_cont M/D; padded
 * continuation keys sent back untouched).
 */
import { strict as assert } from 'node:assert';
import { KisRestClient, MemoryTokenStore, RestError, fetchBalance, type RestClientOptions } from '../../src/rest';
import { balanceQuery, parseAccountNumber, parseBalancePage, type AccountNumber } from '../../src/kis/rest';
import { KisSimulator } from '../../src/simulator';
import { SIM_ACCOUNT } from '../../src/simulator/rest/restBalance';
import { holdingsOf, importBalance } from '../../src/feed';

const APPKEY = 'PSbalanceTestAppKeyXXXXXXXXXXXXXXXXX';
const APPSECRET = `SECRET${'b4l4nc3'.repeat(20)}`;

function account(text: string): AccountNumber {
  const r = parseAccountNumber(text);
  assert.ok(r.ok);
  return r.account;
}

describe('balance import against the simulator', () => {
  let sim: KisSimulator;
  const clients: KisRestClient[] = [];

  function client(extra: Partial<RestClientOptions> = {}): KisRestClient {
    const c = new KisRestClient({
      baseUrl: sim.restUrl,
      env: 'paper',
      appkey: APPKEY,
      appsecret: APPSECRET,
      perSecond: 20,
      ...extra,
    });
    clients.push(c);
    return c;
  }

  beforeEach(async () => {
    sim = await KisSimulator.start({ port: 0 });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await sim.close();
  });

  it('ends with every one of 45 positions over 3 paper pages', async () => {
    sim.restApi.balance.setAccount('87654321-01', 45);
    const balance = await fetchBalance(client(), account('87654321-01'));
    assert.equal(balance.pages, 3);
    assert.equal(sim.restApi.balance.pagesServed, 3);
    assert.equal(balance.positions.length, 45);
    assert.equal(new Set(balance.positions.map((p) => p.symbol)).size, 45);
    for (const p of balance.positions) {
      assert.ok(p.quantity > 0 && Number.isInteger(p.quantity), p.symbol);
      assert.ok(p.averageCost > 0, p.symbol);
      assert.ok(p.price > 0, p.symbol);
    }
  });

  it('takes one page on real (50 rows) and exactly the pages needed at the boundary', async () => {
    sim.restApi.balance.setAccount('87654321-01', 45);
    assert.equal((await fetchBalance(client({ env: 'real', appkey: `${APPKEY}R` }), account('87654321-01'))).pages, 1);
    sim.restApi.balance.setAccount('11112222-01', 40);
    const exact = await fetchBalance(client(), account('11112222-01'));
    assert.deepEqual([exact.pages, exact.positions.length], [2, 40]);
    sim.restApi.balance.setAccount('11114444-01', 60);
    const big = await fetchBalance(client({ env: 'real', appkey: `${APPKEY}R` }), account('11114444-01'));
    assert.deepEqual([big.pages, big.positions.length, new Set(big.positions.map((p) => p.symbol)).size], [2, 60, 60]);
    sim.restApi.balance.setAccount('11113333-01', 0);
    assert.deepEqual(await fetchBalance(client(), account('11113333-01')), { positions: [], pages: 1 });
  });

  it('serves the default simulated account', async () => {
    const balance = await fetchBalance(client(), account(SIM_ACCOUNT));
    assert.equal(balance.positions.length, 5);
  });

  it('fails an unknown account with a RestError that holds no secret and no account number', async () => {
    const c = client();
    const error = await fetchBalance(c, account('99998888-01')).then(
      () => assert.fail('expected a failure'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof RestError);
    assert.equal(error.code, 'KIS_ERROR');
    assert.equal(error.kisCode, 'SIMACCT1');
    for (const secret of [APPKEY, APPSECRET, '99998888']) assert.ok(!error.message.includes(secret));
    assert.equal(c.stats().errors.KIS_ERROR, 1);
  });

  it('refuses a continuation sent without tr_cont N (what the client must send)', async () => {
    sim.restApi.balance.setAccount('87654321-01', 45);
    const c = client();
    const acct = account('87654321-01');
    const first = await c.page('balance', balanceQuery(acct), '', parseBalancePage);
    assert.equal(first.trCont, 'M');
    assert.equal(first.value.cursor.nk100.length, 100, 'the simulator pads the keys');
    await assert.rejects(
      c.page('balance', balanceQuery(acct, first.value.cursor), '', parseBalancePage),
      (e: unknown) => e instanceof RestError && e.kisCode === 'SIMCTX01',
    );
    const second = await c.page('balance', balanceQuery(acct, first.value.cursor), 'N', parseBalancePage);
    assert.equal(second.value.positions.length, 20);
    assert.notEqual(second.value.positions[0].symbol, first.value.positions[0].symbol);
  });

  it('imports holdings marked as imported, and turns a refusal into data with nothing thrown', async () => {
    sim.restApi.balance.setAccount('87654321-01', 25);
    const endpoint = {
      baseUrl: sim.restUrl,
      env: 'paper' as const,
      credentials: { appkey: APPKEY, appsecret: APPSECRET },
      store: new MemoryTokenStore(),
    };
    const ok = await importBalance(endpoint, account('87654321-01'));
    assert.ok(ok.ok);
    assert.equal(ok.pages, 2);
    assert.equal(ok.holdings.length, 25);
    assert.ok(
      ok.holdings.every((h) => h.imported === true && h.currency === 'KRW' && h.quantity > 0 && h.averageCost > 0),
    );
    const refused = await importBalance(endpoint, account('99998888-01'));
    assert.deepEqual(refused.ok ? 'ok' : [refused.code, refused.message.includes('99998888')], ['KIS_ERROR', false]);
    const down = await importBalance({ ...endpoint, baseUrl: 'http://127.0.0.1:9' }, account('87654321-01'));
    assert.equal(down.ok ? 'ok' : down.code, 'REST_DOWN');
  });

  it('keeps only positions with a quantity and a cost as holdings', () => {
    const h = holdingsOf([
      { symbol: '005930', name: 'a', quantity: 3, averageCost: 70000, price: 1 },
      { symbol: '000660', name: 'b', quantity: 0, averageCost: 70000, price: 1 },
      { symbol: '035420', name: 'c', quantity: 1, averageCost: 0, price: 1 },
    ]);
    assert.deepEqual(h, [{ symbol: '005930', quantity: 3, averageCost: 70000, currency: 'KRW', imported: true }]);
  });
});
