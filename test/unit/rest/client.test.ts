import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  KisRestClient,
  MemoryTokenStore,
  FileTokenStore,
  RestError,
  defaultCacheDir,
  type RestClientOptions,
  type StoredToken,
} from '../../../src/rest';
import { KisSimulator } from '../../../src/simulator';

/** 2026-12-04 11:17:30 KST, a Friday mid-session. */
const MID_SESSION = Date.UTC(2026, 11, 4, 2, 17, 30);
const APPKEY = 'PSg5dctL9dKPo727J13Ur405OSAPPKEYXXXXX';
const APPSECRET = `SECRET${'s3cr3tV4lue'.repeat(16)}`;

/** A store that remembers the tokens it saw, so the tests can look for them in outputs. */
class SpyStore extends MemoryTokenStore {
  readonly seen: string[] = [];
  override async set(id: string, token: StoredToken): Promise<void> {
    this.seen.push(token.accessToken);
    await super.set(id, token);
  }
}

describe('KisRestClient against the simulator', () => {
  let sim: KisSimulator;
  let clock: number;
  const clients: KisRestClient[] = [];

  async function start(options: Parameters<typeof KisSimulator.start>[0] = {}): Promise<void> {
    sim = await KisSimulator.start({ port: 0, now: () => clock, ...options });
  }
  function client(extra: Partial<RestClientOptions> = {}): KisRestClient {
    const c = new KisRestClient({
      baseUrl: sim.restUrl,
      env: 'real',
      appkey: APPKEY,
      appsecret: APPSECRET,
      now: () => clock,
      ...extra,
    });
    clients.push(c);
    return c;
  }
  async function failure(p: Promise<unknown>): Promise<RestError> {
    try {
      await p;
    } catch (e) {
      assert.ok(e instanceof RestError, `expected a RestError, got ${String(e)}`);
      return e;
    }
    assert.fail('expected a failure');
  }

  beforeEach(async () => {
    clock = MID_SESSION;
    await start();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await sim.close();
  });

  it('issues one token for every caller of the key and never asks again within a minute', async () => {
    const a = client();
    const b = client();
    const quotes = await Promise.all([a.price('005930'), b.price('000660'), a.price('035420')]);
    assert.equal(quotes.length, 3);
    assert.equal(sim.restApi.tokenRequests, 1);
    await a.revokeToken();
    const e = await failure(a.price('005930'));
    assert.equal(e.code, 'TOKEN_TOO_SOON');
    assert.equal(sim.restApi.tokenRequests, 1, 'the second request within a minute is never sent');
    clock += 61_000;
    await a.price('005930');
    assert.equal(sim.restApi.tokenRequests, 2);
  });

  it('re-issues once when KIS says the token expired, and only after a minute', async () => {
    const c = client();
    await c.price('005930');
    sim.restApi.expireTokens();
    const early = await failure(c.price('005930'));
    assert.equal(early.code, 'TOKEN_TOO_SOON');
    assert.equal(sim.restApi.tokenRequests, 1);
    clock += 61_000;
    sim.restApi.expireTokens();
    const quote = await c.price('005930');
    assert.equal(quote.symbol, '005930');
    assert.equal(sim.restApi.tokenRequests, 2);
    assert.equal(c.stats().tokensInvalidated, 1);
  });

  it('reports EGW00133 from the server as TOKEN_TOO_SOON (another process issued)', async () => {
    await client().price('005930');
    const other = new KisRestClient({
      baseUrl: sim.restUrl.replace('127.0.0.1', 'localhost'),
      env: 'real',
      appkey: APPKEY,
      appsecret: APPSECRET,
      now: () => clock,
    });
    clients.push(other);
    const e = await failure(other.price('005930'));
    assert.equal(e.code, 'TOKEN_TOO_SOON');
    assert.equal(e.kisCode, 'EGW00133');
  });

  it('refreshes 100 symbols without ever exceeding the per-second limit', async () => {
    const c = client({ perSecond: 18 });
    const codes = Array.from({ length: 100 }, (_, i) => String(100000 + i * 7));
    const started = Date.now();
    const quotes = await Promise.all(codes.map((code) => c.price(code)));
    const elapsed = Date.now() - started;
    assert.equal(quotes.length, 100);
    assert.ok(sim.restApi.maxPerSecond() <= 18, `max ${sim.restApi.maxPerSecond()}/s`);
    assert.equal(sim.restApi.rateLimited, 0);
    // Reported, not asserted (no wall-clock bounds in tests).
    process.stdout.write(`      100 prices in ${elapsed} ms, ${sim.restApi.maxPerSecond()} req/s max\n`);
  });

  it('backs off on EGW00201 and still answers every caller', async () => {
    await sim.close();
    await start({ restPerSecond: 3 });
    const c = client({ perSecond: 50, backoffMs: 200, maxRateRetries: 10 });
    const results = await Promise.allSettled(
      ['005930', '000660', '035420', '051910', '005380', '000270'].map((s) => c.price(s)),
    );
    assert.deepEqual(
      results.map((r) => r.status),
      Array(6).fill('fulfilled'),
      JSON.stringify({ stats: c.stats(), sim: sim.restApi.rateLimited, results }),
    );
    const stats = c.stats();
    assert.ok(stats.rateLimitedResponses > 0);
    assert.equal(stats.rateLimitedResponses, sim.restApi.rateLimited);
    assert.equal(stats.errors.RATE_LIMITED, 0);
  });

  it('gives up with RATE_LIMITED after its retries', async () => {
    await sim.close();
    await start({ restPerSecond: 1 });
    const c = client({ perSecond: 50, backoffMs: 1, maxRateRetries: 0 });
    const results = await Promise.allSettled([c.price('005930'), c.price('000660')]);
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(failed.length, 1);
    assert.equal((failed[0].reason as RestError).code, 'RATE_LIMITED');
    assert.equal(c.stats().errors.RATE_LIMITED, 1);
  });

  it('turns down, slow, malformed and unknown into typed errors with counters', async () => {
    const c = client({ timeoutMs: 100 });
    await c.price('005930');
    sim.restApi.faults.down = '503';
    assert.equal((await failure(c.price('005930'))).code, 'REST_DOWN');
    sim.restApi.faults.down = 'close';
    assert.equal((await failure(c.price('005930'))).code, 'REST_DOWN');
    sim.restApi.faults.down = undefined;
    sim.restApi.faults.malformed = true;
    assert.equal((await failure(c.price('005930'))).code, 'BAD_RESPONSE');
    sim.restApi.faults.malformed = false;
    sim.restApi.faults.delayMs = 400;
    assert.equal((await failure(c.price('005930'))).code, 'TIMEOUT');
    sim.restApi.faults.delayMs = 0;
    assert.equal((await failure(c.price('000000'))).code, 'UNKNOWN_SYMBOL');
    assert.equal((await failure(c.price('12'))).code, 'UNKNOWN_SYMBOL');
    const s = c.stats();
    assert.deepEqual(
      [s.errors.REST_DOWN, s.errors.BAD_RESPONSE, s.errors.TIMEOUT, s.errors.UNKNOWN_SYMBOL],
      [2, 1, 1, 2],
    );
    assert.equal((await c.price('005930')).symbol, '005930', 'recovers once the fault is gone');
  });

  it('reports a server that cannot be reached as REST_DOWN', async () => {
    const c = client();
    await sim.close();
    const e = await failure(c.price('005930'));
    assert.equal(e.code, 'REST_DOWN');
    await start();
  });

  it('refuses wrong credentials with BAD_CREDENTIALS', async () => {
    await sim.close();
    await start({ credentials: { appkey: APPKEY, secretkey: 'another-secret' } });
    const e = await failure(client().price('005930'));
    assert.equal(e.code, 'BAD_CREDENTIALS');
    assert.equal(e.kisCode, 'EGW00103');
  });

  it('fetches every minute since the open of a symbol mid-session, paged by 30, ascending, no duplicate', async () => {
    const c = client();
    const bars = await c.minuteBars('005930');
    const minutes = bars.map((b) => b.time);
    assert.equal(minutes[0], '090000');
    assert.equal(minutes[minutes.length - 1], '111700');
    assert.equal(bars.length, 138);
    assert.equal(new Set(minutes).size, bars.length);
    for (let i = 1; i < bars.length; i++) {
      const [h0, m0] = [Number(minutes[i - 1].slice(0, 2)), Number(minutes[i - 1].slice(2, 4))];
      const [h1, m1] = [Number(minutes[i].slice(0, 2)), Number(minutes[i].slice(2, 4))];
      assert.equal(h1 * 60 + m1 - (h0 * 60 + m0), 1, `gap before ${minutes[i]}`);
    }
    assert.equal(bars[bars.length - 1].close, sim.market('005930').price, 'the last bar closes at the streamed price');
    assert.equal(sim.restApi.uapiRequests, 5, '138 minutes = 5 pages of 30');
    const late = await c.minuteBars('005930', 'J', '110000');
    assert.equal(late[0].time, '110000');
  });

  it('answers the price the stream shows', async () => {
    const model = sim.market('005930');
    const quote = await client().price('005930', 'UN');
    assert.equal(quote.price, model.price);
    assert.equal(quote.basePrice, model.prevClose);
  });

  it('fetches daily candles ascending', async () => {
    const bars = await client().dailyBars('005930');
    assert.ok(bars.length > 50);
    for (let i = 1; i < bars.length; i++) assert.ok(bars[i - 1].date < bars[i].date);
  });

  it('asks for the holiday calendar at most once a day', async () => {
    const c = client();
    assert.equal(await c.isHoliday('20261225'), true);
    assert.equal(await c.isHoliday('20261204'), false);
    assert.equal(await c.isHoliday('20261205'), true);
    assert.equal(c.stats().holidayQueries, 1);
    clock += 86_400_000;
    await c.isHoliday('20261204');
    assert.equal(c.stats().holidayQueries, 2);
    const paper = client({ env: 'paper' });
    assert.equal((await failure(paper.holidays('20261201'))).code, 'UNSUPPORTED');
  });

  it('issues through a live client when the first client of the key has closed', async () => {
    const first = client();
    const second = client();
    first.close();
    const quote = await second.price('005930');
    assert.equal(quote.symbol, '005930');
    assert.equal(sim.restApi.tokenRequests, 1);
  });

  it('keeps the token in a 0600 file that a later client reuses', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kis-token-'));
    try {
      const first = client({ store: new FileTokenStore(dir) });
      await first.price('005930');
      first.close();
      const files = await fs.readdir(dir);
      assert.equal(files.length, 1);
      assert.ok(!files[0].includes(APPKEY));
      assert.equal((await fs.stat(path.join(dir, files[0]))).mode & 0o777, 0o600);
      const second = client({ store: new FileTokenStore(dir) });
      await second.price('005930');
      assert.equal(sim.restApi.tokenRequests, 1);
      assert.equal(second.stats().tokensFromStore, 1);
      await fs.writeFile(path.join(dir, files[0]), 'not json');
      assert.equal(await new FileTokenStore(dir).get(files[0].slice(6, -5)), undefined);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
    assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '/x' }), path.join('/x', 'kis-market-monitor'));
    assert.equal(defaultCacheDir({}), path.join(os.homedir(), '.cache', 'kis-market-monitor'));
  });

  it('never puts a secret in an error, a log line or stats', async () => {
    const store = new SpyStore();
    const lines: string[] = [];
    const c = client({ store, log: (l) => lines.push(l), timeoutMs: 100 });
    await c.price('005930');
    const errors: string[] = [];
    for (const fault of [() => (sim.restApi.faults.down = '503'), () => (sim.restApi.faults.malformed = true)]) {
      fault();
      errors.push((await failure(c.price('005930'))).message);
      sim.restApi.faults.down = undefined;
      sim.restApi.faults.malformed = false;
    }
    errors.push((await failure(c.price('000000'))).message);
    const token = store.seen[0];
    assert.ok(token.length > 8);
    const text = [...lines, ...errors, JSON.stringify(c.stats())].join('\n');
    for (const secret of [APPKEY, APPSECRET, token, APPSECRET.slice(20, 40), token.slice(5, 20)])
      assert.ok(!text.includes(secret), 'a secret leaked');
    assert.ok(lines.length >= 3);
  });

  it('types failures of the token endpoint itself', async () => {
    sim.restApi.faults.down = '503';
    assert.equal((await failure(client().price('005930'))).code, 'REST_DOWN');
    sim.restApi.faults.down = undefined;
    sim.restApi.faults.malformed = true;
    clock += 61_000;
    assert.equal((await failure(client().price('005930'))).code, 'BAD_RESPONSE');
    sim.restApi.faults.malformed = false;
    clock += 61_000;
    const c = client();
    c.close();
    assert.equal((await failure(c.price('005930'))).code, 'CLOSED');
    c.close();
  });

  it('aborts a request in flight when closed', async () => {
    const c = client();
    await c.price('005930');
    sim.restApi.faults.delayMs = 300;
    const pending = failure(c.price('000660'));
    setImmediate(() => c.close());
    assert.equal((await pending).code, 'CLOSED');
  });

  it('reports a failing token store as TOKEN_STORE', async () => {
    class BrokenStore extends MemoryTokenStore {
      override async set(): Promise<void> {
        throw new Error('EROFS');
      }
    }
    const c = client({ store: new BrokenStore() });
    assert.equal((await failure(c.price('005930'))).code, 'TOKEN_STORE');
    assert.equal(c.stats().errors.TOKEN_STORE, 1);
  });

  it('serves paper clients and refuses unknown app keys when credentials are configured', async () => {
    assert.equal((await client({ env: 'paper' }).price('005930')).symbol, '005930');
    await sim.close();
    await start({ credentials: { appkey: 'another-key-xxxx', secretkey: APPSECRET } });
    assert.equal((await failure(client().price('005930'))).code, 'BAD_CREDENTIALS');
  });

  it('answers unknown codes with empty bars and a holiday base date it cannot read with today', async () => {
    const c = client();
    assert.deepEqual(await c.minuteBars('000000'), []);
    assert.deepEqual(await c.dailyBars('000000', 'J', '20260101', '20261201'), []);
    assert.equal((await c.holidays('garbage')).length, 31);
  });

  it('serves KIS error bodies to raw requests (simulator)', async () => {
    const token = (await (
      await fetch(`${sim.restUrl}/oauth2/tokenP`, {
        method: 'POST',
        body: JSON.stringify({
          grant_type: 'client_credentials',
          appkey: 'raw-key-1234',
          appsecret: 'raw-secret-1234',
        }),
      })
    ).json()) as { access_token: string; expires_in: number };
    assert.equal(token.expires_in, 86400);
    const get = async (
      headers: Record<string, string>,
      query = 'fid_cond_mrkt_div_code=J&fid_input_iscd=005930',
    ): Promise<{ status: number; body: Record<string, unknown> }> => {
      const res = await fetch(`${sim.restUrl}/uapi/domestic-stock/v1/quotations/inquire-price?${query}`, { headers });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const auth = {
      authorization: `Bearer ${token.access_token}`,
      appkey: 'raw-key-1234',
      appsecret: 'raw-secret-1234',
    };
    assert.equal(
      (await get({ ...auth, tr_id: 'FHKST01010100' })).body.rt_cd,
      '0',
      'lower-case query names are accepted',
    );
    assert.equal((await get({ ...auth, tr_id: 'WRONG' })).body.msg_cd, 'EGW00205');
    assert.equal((await get({ ...auth, appkey: 'other', tr_id: 'FHKST01010100' })).body.msg_cd, 'EGW00123');
    assert.equal((await get({ tr_id: 'FHKST01010100' })).body.msg_cd, 'EGW00123');
    const bad = await fetch(`${sim.restUrl}/oauth2/tokenP`, { method: 'POST', body: 'not json' });
    assert.equal(((await bad.json()) as { error_code: string }).error_code, 'EGW00103');
    const wrongMethod = await fetch(`${sim.restUrl}/oauth2/tokenP`);
    assert.equal(wrongMethod.status, 403);
  });
});

describe('KisRestClient against scripted answers', () => {
  let server: Server;
  let answers: { token: [number, object]; uapi: [number, object] | ((url: URL) => [number, object]) };
  let client: KisRestClient;
  let now: number;

  beforeEach(async () => {
    answers = {
      token: [200, { access_token: 'tok-123456789', expires_in: 86400 }],
      uapi: [200, { rt_cd: '0', output: {} }],
    };
    server = createServer((req, res) => {
      req.resume();
      const uapi = answers.uapi;
      const [status, body] =
        req.url?.startsWith('/oauth2') === true
          ? answers.token
          : typeof uapi === 'function'
            ? uapi(new URL(req.url ?? '/', 'http://x'))
            : uapi;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    now = MID_SESSION;
    client = new KisRestClient({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      env: 'real',
      appkey: APPKEY,
      appsecret: APPSECRET,
      now: () => now,
    });
  });
  afterEach(async () => {
    client.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function code(p: Promise<unknown>): Promise<string | undefined> {
    return p.then(
      () => undefined,
      (e: RestError) => e.code,
    );
  }

  it('refuses a token body without a token', async () => {
    answers.token = [200, { token_type: 'Bearer' }];
    assert.equal(await code(client.price('005930')), 'BAD_RESPONSE');
  });

  it('reports another gateway error of the token endpoint as KIS_ERROR', async () => {
    answers.token = [403, { error_code: 'EGW00999', error_description: 'x' }];
    assert.equal(await code(client.price('005930')), 'KIS_ERROR');
  });

  it('reports a paper key on the real host (EGW02004) as BAD_CREDENTIALS and a business error as KIS_ERROR', async () => {
    answers.uapi = [
      200,
      { rt_cd: '1', msg_cd: 'EGW02004', msg1: '실전투자 도메인은 모의투자 앱키로 호출하실 수 없습니다.' },
    ];
    assert.equal(await code(client.price('005930')), 'BAD_CREDENTIALS');
    answers.uapi = [200, { rt_cd: '1', msg_cd: 'OPSQ0002', msg1: 'x' }];
    assert.equal(await code(client.price('005930')), 'KIS_ERROR');
    answers.uapi = [404, { nothing: true }];
    assert.equal(await code(client.price('005930')), 'BAD_RESPONSE');
  });

  it('re-issues once on an expired token and gives up when the fresh one is refused too', async () => {
    answers.uapi = [200, { rt_cd: '0', output: { stck_sdpr: '' } }];
    assert.equal(await code(client.price('005930')), 'UNKNOWN_SYMBOL');
    now += 61_000;
    answers.uapi = [500, { rt_cd: '1', msg_cd: 'EGW00123', msg1: '기간이 만료된 token 입니다.' }];
    assert.equal(await code(client.price('005930')), 'TOKEN_EXPIRED');
    // The next issuance would be within the minute: refused by the guard, never sent.
    assert.equal(await code(client.price('005930')), 'TOKEN_TOO_SOON');
    assert.equal(client.stats().tokensIssued, 2);
  });

  it('merges pages that repeat the boundary minute into one bar per minute', async () => {
    const hhmm = (m: number): string =>
      `${String(Math.floor(m / 60)).padStart(2, '0')}${String(m % 60).padStart(2, '0')}00`;
    answers.uapi = (url) => {
      const asked = url.searchParams.get('FID_INPUT_HOUR_1') ?? '';
      const last = Math.min(Number(asked.slice(0, 2)) * 60 + Number(asked.slice(2, 4)) + 1, 11 * 60 + 17);
      // Newest first, 30 rows, and one minute past the asked time: the previous page's oldest bar again.
      const rows = [];
      for (let m = last; m > last - 30 && m >= 9 * 60; m--)
        rows.push({
          stck_bsop_date: '20261204',
          stck_cntg_hour: hhmm(m),
          stck_prpr: '1',
          stck_oprc: '1',
          stck_hgpr: '1',
          stck_lwpr: '1',
          cntg_vol: '1',
        });
      return [200, { rt_cd: '0', output2: rows }];
    };
    const bars = await client.minuteBars('005930');
    assert.equal(bars.length, 138);
    assert.equal(new Set(bars.map((b) => b.time)).size, 138);
    assert.equal(bars[0].time, '090000');
  });
});
