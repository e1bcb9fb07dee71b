/**
 * The REST token's expiry as the client itself judges it: by its own clock and a 5-minute margin, before
 * KIS would refuse the token. The server here never expires a token early (its clock and TTL are the
 * normal 24 h), so only the client's own check can make it ask for a new one: a client that ignored the
 * expiry, or the margin, would keep sending the old token until KIS said EGW00123.
 */
import * as assert from 'node:assert/strict';
import { KisRestClient, MemoryTokenStore, tokenStoreId, type StoredToken } from '../../../src/rest';
import { KisSimulator } from '../../../src/simulator';

/** 2026-12-07 10:00:00 KST, a Monday in the regular session. */
const T0 = Date.UTC(2026, 11, 7, 1, 0, 0);
const HOUR = 3_600_000;
const MINUTE = 60_000;
/** The simulator issues 24-hour tokens (kis-rest.md §2.1). */
const TOKEN_LIFETIME_MS = 24 * HOUR;
const APPKEY = 'PSexpiryTestAppKey000000000000000000001';
const APPSECRET = `SECRET${'expiry'.repeat(30)}`;

describe("REST token expiry by the client's own clock and margin", () => {
  let sim: KisSimulator;
  let clock: number;
  const clients: KisRestClient[] = [];
  const client = (store = new MemoryTokenStore()): KisRestClient => {
    const c = new KisRestClient({
      baseUrl: sim.restUrl,
      env: 'real',
      appkey: APPKEY,
      appsecret: APPSECRET,
      store,
      now: () => clock,
    });
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    clock = T0;
    sim = await KisSimulator.start({ port: 0, now: () => clock });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await sim.close();
  });

  it('keeps the token until 5 minutes before its expiry, and from then on issues a new one before using it', async () => {
    const c = client();
    await c.price('005930');
    assert.equal(sim.restApi.tokenRequests, 1);
    // One millisecond before the margin: still valid by the client's clock.
    clock = T0 + TOKEN_LIFETIME_MS - 5 * MINUTE - 1;
    await c.price('005930');
    assert.equal(sim.restApi.tokenRequests, 1, 'a token with more than 5 minutes left was replaced');
    // Exactly 5 minutes left: the server would still take it, but a request could outlive it.
    clock = T0 + TOKEN_LIFETIME_MS - 5 * MINUTE;
    await c.price('005930');
    assert.equal(sim.restApi.tokenRequests, 2, 'the token was used with only 5 minutes left');
  });

  it("does not use a stored token that has 5 minutes or less left by this client's clock", async () => {
    const store = new MemoryTokenStore();
    // Issued by another process 23 h 56 min ago (by this clock): 4 minutes left, and unknown to this server.
    const stale: StoredToken = {
      accessToken: 'stored-elsewhere',
      issuedAt: T0 - TOKEN_LIFETIME_MS + 4 * MINUTE,
      expiresAt: T0 + 4 * MINUTE,
    };
    await store.set(tokenStoreId('real', APPKEY, APPSECRET, sim.restUrl), stale);
    const c = client(store);
    await c.price('005930');
    assert.equal(sim.restApi.tokenRequests, 1);
    // One data request: the stored token was never tried (this server would refuse it and cost a retry).
    assert.equal(sim.restApi.uapiRequests, 1, 'the nearly expired stored token was sent instead of a new one');
    assert.notEqual(
      (await store.get(tokenStoreId('real', APPKEY, APPSECRET, sim.restUrl)))?.accessToken,
      'stored-elsewhere',
    );
  });
});
