import * as assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BodyError, parseDailyCcldPage, parseEnvelope, type AccountNumber } from '../../../src/kis/rest';
import { BalanceError, fetchDailyOrders, KisRestClient } from '../../../src/rest';
import { loadDailyOrders } from '../../../src/feed';

const ACCOUNT: AccountNumber = { cano: '12345678', product: '01' };
const APPKEY = 'PSg5dctL9dKPo727J13Ur405OSAPPKEYXXXXX';
const APPSECRET = `SECRET${'s3cr3tV4lue'.repeat(16)}`;

const order = (odno: string, extra: Record<string, string> = {}): Record<string, string> => ({
  ord_dt: '20261204',
  odno,
  orgn_odno: '',
  sll_buy_dvsn_cd: '02',
  pdno: '005930',
  prdt_name: '삼성전자',
  ord_qty: '10',
  ord_unpr: '71900',
  ord_tmd: '093000',
  tot_ccld_qty: '10',
  avg_prvs: '71850',
  cncl_yn: 'N',
  rjct_qty: '0',
  ...extra,
});

describe('inquire-daily-ccld through the REST client, against a stub KIS', () => {
  let server: Server;
  let client: KisRestClient;
  let pages: { rows: Record<string, string>[]; trCont: string; nk: string }[];
  const asked: { trId: string; trCont: string; query: URLSearchParams; path: string }[] = [];

  beforeEach(async () => {
    asked.length = 0;
    server = createServer((req: IncomingMessage, res) => {
      req.resume();
      if (req.url?.startsWith('/oauth2') === true) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: 'tok-123456789', expires_in: 86400 }));
        return;
      }
      const url = new URL(req.url ?? '/', 'http://x');
      asked.push({
        path: url.pathname,
        trId: String(req.headers.tr_id),
        trCont: String(req.headers.tr_cont ?? ''),
        query: url.searchParams,
      });
      const page = pages[asked.length - 1];
      res.writeHead(200, { 'content-type': 'application/json', tr_cont: page.trCont });
      res.end(
        JSON.stringify({
          rt_cd: '0',
          msg_cd: 'KIOK0510',
          msg1: '',
          output1: page.rows,
          output2: {},
          ctx_area_fk100: 'FK',
          ctx_area_nk100: page.nk,
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new KisRestClient({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      env: 'paper',
      appkey: APPKEY,
      appsecret: APPSECRET,
    });
  });
  afterEach(async () => {
    client.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('asks VTTC0081R on paper for the day, follows tr_cont with the keys, and reads every order', async () => {
    pages = [
      {
        rows: [order('0000000003', { tot_ccld_qty: '3' }), order('0000000002', { sll_buy_dvsn_cd: '01' })],
        trCont: 'M',
        nk: 'N1',
      },
      { rows: [order('0000000001', { cncl_yn: 'Y', tot_ccld_qty: '0' })], trCont: 'D', nk: '' },
    ];
    const day = await fetchDailyOrders(client, ACCOUNT, '20261204');
    assert.equal(day.pages, 2);
    assert.deepEqual(
      asked.map((a) => [a.path, a.trId, a.trCont, a.query.get('CTX_AREA_NK100')]),
      [
        ['/uapi/domestic-stock/v1/trading/inquire-daily-ccld', 'VTTC0081R', '', ''],
        ['/uapi/domestic-stock/v1/trading/inquire-daily-ccld', 'VTTC0081R', 'N', 'N1'],
      ],
    );
    assert.equal(asked[0].query.get('INQR_STRT_DT'), '20261204');
    assert.equal(asked[0].query.get('INQR_END_DT'), '20261204');
    assert.equal(asked[0].query.get('CANO'), '12345678');
    assert.deepEqual(
      day.orders.map((o) => [o.orderNo, o.side, o.filledQuantity, o.averagePrice, o.cancelled]),
      [
        ['3', 'buy', 3, 71850, false],
        ['2', 'sell', 10, 71850, false],
        ['1', 'buy', 0, 71850, true],
      ],
    );
  });

  it('loadDailyOrders: the orders as an outcome, and a failure as its code without the account', async () => {
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const endpoint = { baseUrl, env: 'paper' as const, credentials: { appkey: APPKEY, appsecret: APPSECRET } };
    pages = [{ rows: [order('5')], trCont: 'D', nk: '' }];
    const ok = await loadDailyOrders(endpoint, ACCOUNT, '20261204');
    assert.deepEqual(ok.ok && ok.orders.map((o) => o.orderNo), ['5']);
    pages = [{ rows: [order('5', { tot_ccld_qty: 'x' })], trCont: 'D', nk: '' }];
    asked.length = 0;
    const bad = await loadDailyOrders(endpoint, ACCOUNT, '20261204');
    assert.equal(bad.ok, false);
    assert.ok(!bad.ok && bad.code === 'BAD_RESPONSE', JSON.stringify(bad));
    assert.ok(!bad.ok && !bad.message.includes(ACCOUNT.cano));
  });

  it('stops with PAGING_STUCK when KIS repeats its keys', async () => {
    pages = [
      { rows: [order('1')], trCont: 'M', nk: 'N1' },
      { rows: [order('2')], trCont: 'M', nk: 'N1' },
    ];
    await assert.rejects(
      fetchDailyOrders(client, ACCOUNT, '20261204'),
      (e: unknown) => e instanceof BalanceError && e.code === 'PAGING_STUCK',
    );
  });

  it('stops with TOO_MANY_PAGES past the bound', async () => {
    pages = Array.from({ length: 4 }, (_, i) => ({ rows: [], trCont: 'F', nk: `N${i}` }));
    await assert.rejects(
      fetchDailyOrders(client, ACCOUNT, '20261204', 2),
      (e: unknown) => e instanceof BalanceError && e.code === 'TOO_MANY_PAGES',
    );
    assert.equal(asked.length, 2);
  });
});

describe('an inquire-daily-ccld page', () => {
  const env = (body: Record<string, unknown>) => {
    const e = parseEnvelope({ rt_cd: '0', msg_cd: 'KIOK0510', msg1: '', ...body });
    assert.ok(e);
    return e;
  };

  it('drops the all-empty padding row and reads empty numbers as 0', () => {
    const blank = Object.fromEntries(Object.keys(order('1')).map((k) => [k, '']));
    const page = parseDailyCcldPage(env({ output1: [blank, order('7', { avg_prvs: '', rjct_qty: '2' })] }));
    assert.equal(page.orders.length, 1);
    assert.equal(page.orders[0].averagePrice, 0);
    assert.equal(page.orders[0].refusedQuantity, 2);
    assert.deepEqual(page.cursor, { fk100: '', nk100: '' });
  });

  it('refuses a malformed page naming the field, never its value', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{}, 'output1'],
      [{ output1: [null] }, 'output1'],
      [{ output1: [order('0000')] }, 'odno'],
      [{ output1: [order('1', { pdno: '59' })] }, 'pdno'],
      [{ output1: [order('1', { tot_ccld_qty: 'ten' })] }, 'tot_ccld_qty'],
      [{ output1: [{ ...order('1'), ord_tmd: undefined }] }, 'ord_tmd'],
    ];
    for (const [body, name] of cases)
      assert.throws(
        () => parseDailyCcldPage(env(body)),
        (e: unknown) => e instanceof BodyError && e.field === name,
        name,
      );
  });
});
