import * as assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { WebSocket } from 'ws';
import { KisSimulator } from '../../../src/simulator';
import { approval, approve, Fixture, nextEvent } from './harness';

describe('simulator protocol', () => {
  const fx = new Fixture();
  afterEach(() => fx.dispose());

  describe('POST /oauth2/Approval', () => {
    it('issues a UUID approval key for any non-empty pair by default', async () => {
      const sim = fx.sim(await KisSimulator.start());
      const { status, body } = await approval(sim, { grant_type: 'client_credentials', appkey: 'K', secretkey: 'S' });
      assert.equal(status, 200);
      assert.match(String(body.approval_key), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.deepEqual(Object.keys(body), ['approval_key']);
    });

    it('accepts only the configured pair and answers 403 EGW00103 otherwise', async () => {
      const sim = fx.sim(await KisSimulator.start({ credentials: { appkey: 'GOOD', secretkey: 'SECRET' } }));
      assert.equal(
        (await approval(sim, { grant_type: 'client_credentials', appkey: 'GOOD', secretkey: 'SECRET' })).status,
        200,
      );
      for (const body of [
        { grant_type: 'client_credentials', appkey: 'BAD', secretkey: 'SECRET' },
        { grant_type: 'client_credentials', appkey: 'GOOD', secretkey: 'WRONG' },
        { grant_type: 'client_credentials', appkey: '', secretkey: 'SECRET' },
        { grant_type: 'client_credentials', appkey: 'GOOD' },
      ]) {
        const res = await approval(sim, body);
        assert.equal(res.status, 403);
        assert.deepEqual(res.body, { error_code: 'EGW00103', error_description: '유효하지 않은 AppKey입니다.' });
      }
    });

    it('answers 400 in the gateway format for a bad grant_type or a body that is not a JSON object', async () => {
      const sim = fx.sim(await KisSimulator.start());
      const grant = await approval(sim, { grant_type: 'password', appkey: 'K', secretkey: 'S' });
      assert.equal(grant.status, 400);
      assert.equal(grant.body.error_code, 'EGW00104');
      for (const raw of ['{not json', '[1,2]', '"text"']) {
        const res = await approval(sim, undefined, raw);
        assert.equal(res.status, 400, raw);
        assert.equal(typeof res.body.error_description, 'string');
      }
    });

    it('answers 404 for other paths (the path is case-sensitive) and 405 for other methods', async () => {
      const sim = fx.sim(await KisSimulator.start());
      const lower = await fetch(`${sim.restUrl}/oauth2/approval`, { method: 'POST', body: '{}' });
      assert.equal(lower.status, 404);
      assert.equal(((await lower.json()) as { error_code: string }).error_code, 'EGW00404');
      const get = await fetch(`${sim.restUrl}/oauth2/Approval`);
      assert.equal(get.status, 405);
      await get.arrayBuffer();
    });

    it('refuses a body larger than 64 KiB with 413', async () => {
      const sim = fx.sim(await KisSimulator.start());
      const res = await approval(sim, undefined, JSON.stringify({ pad: 'x'.repeat(70_000) }));
      assert.equal(res.status, 413);
    });
  });

  describe('WebSocket paths', () => {
    for (const path of ['', '/', '/tryitout', '/tryitout/H0STCNT0', '/tryitout/anything/else']) {
      it(`accepts ${path === '' ? 'no path' : path}`, async () => {
        const sim = fx.sim(await KisSimulator.start());
        const connected = nextEvent(sim, 'connection');
        const client = await fx.client(`${sim.wsUrl}${path}`);
        assert.equal((await connected).path, path === '' ? '/' : path);
        assert.equal(client.ws.readyState, WebSocket.OPEN);
        assert.equal(sim.connectionCount, 1);
      });
    }

    it('answers 404 to an upgrade on any other path', async () => {
      const sim = fx.sim(await KisSimulator.start());
      const status = await new Promise<number>((resolve, reject) => {
        const ws = new WebSocket(`${sim.wsUrl}/oauth2/Approval`);
        ws.on('unexpected-response', (_req, res) => {
          resolve(res.statusCode ?? 0);
          ws.terminate();
        });
        ws.on('error', (error) => reject(error));
      });
      assert.equal(status, 404);
      assert.equal(sim.connectionCount, 0);
    });
  });

  describe('acks', () => {
    it('OPSP0000 carries a 16-char iv and a 32-char key, encrypt N for market data and Y for notices', async () => {
      const sim = fx.sim(await KisSimulator.start());
      const key = await approve(sim);
      const client = await fx.client(sim.wsUrl);
      const trade = await client.subscribe(key, 'H0STCNT0', '005930');
      assert.deepEqual(trade.header, { tr_id: 'H0STCNT0', tr_key: '005930', encrypt: 'N' });
      assert.equal(trade.body?.rt_cd, '0');
      assert.equal(trade.body?.msg_cd, 'OPSP0000');
      assert.equal(trade.body?.msg1, 'SUBSCRIBE SUCCESS');
      assert.match(trade.body?.output?.iv ?? '', /^[\x21-\x7e]{16}$/);
      assert.match(trade.body?.output?.key ?? '', /^[\x21-\x7e]{32}$/);
      const book = await client.subscribe(key, 'H0STASP0', '005930');
      assert.notEqual(book.body?.output?.key, trade.body?.output?.key, 'key material is per registration');
      for (const trId of ['H0STCNI0', 'H0STCNI9']) {
        const notice = await client.subscribe(key, trId, 'HTSUSER1');
        assert.equal(notice.header?.encrypt, 'Y');
        assert.equal(notice.body?.msg_cd, 'OPSP0000');
      }
    });

    it('OPSP0002 for a duplicate, OPSP0001 on unsubscribe, OPSP0003 for an unknown unsubscribe', async () => {
      const sim = fx.sim(await KisSimulator.start());
      const key = await approve(sim);
      const client = await fx.client(sim.wsUrl);
      await client.subscribe(key, 'H0STCNT0', '005930');
      const dup = await client.subscribe(key, 'H0STCNT0', '005930');
      assert.deepEqual(dup.body, { rt_cd: '1', msg_cd: 'OPSP0002', msg1: 'ALREADY IN SUBSCRIBE' });
      const unsub = await client.subscribe(key, 'H0STCNT0', '005930', '2');
      assert.deepEqual(unsub.body, { rt_cd: '0', msg_cd: 'OPSP0001', msg1: 'UNSUBSCRIBE SUCCESS' });
      const again = await client.subscribe(key, 'H0STCNT0', '005930', '2');
      assert.deepEqual(again.body, { rt_cd: '1', msg_cd: 'OPSP0003', msg1: 'UNSUBSCRIBE ERROR(not found!)' });
      assert.deepEqual(
        sim.requests.map((r) => [r.trType, r.msgCd]),
        [
          ['1', 'OPSP0000'],
          ['1', 'OPSP0002'],
          ['2', 'OPSP0001'],
          ['2', 'OPSP0003'],
        ],
      );
      assert.ok(sim.requests.every((r) => r.ackSentAt !== undefined && r.ackSentAt >= r.at));
    });

    it('refuses the 42nd registration of a session with OPSP0008 and keeps the session', async () => {
      const sim = fx.sim(await KisSimulator.start({ ratePerSymbol: 0.001 }));
      const key = await approve(sim);
      const client = await fx.client(sim.wsUrl);
      for (let i = 0; i < 41; i++) {
        const ack = await client.subscribe(key, i % 2 === 0 ? 'H0STCNT0' : 'H0STASP0', String(100000 + i));
        assert.equal(ack.body?.msg_cd, 'OPSP0000', `registration ${i + 1}`);
      }
      const over = await client.subscribe(key, 'H0STCNT0', '035720');
      assert.deepEqual(over, {
        header: { tr_id: 'H0STCNT0', tr_key: '035720', encrypt: 'N' },
        body: { rt_cd: '1', msg_cd: 'OPSP0008', msg1: 'MAX SUBSCRIBE OVER' },
      });
      // Releasing one frees a slot on the same session.
      await client.subscribe(key, 'H0STCNT0', '100000', '2');
      assert.equal((await client.subscribe(key, 'H0STCNT0', '035720')).body?.msg_cd, 'OPSP0000');
      assert.equal(client.ws.readyState, WebSocket.OPEN);
      assert.equal(sim.registrations().length, 41);
    });

    it('honours a configured subscription limit', async () => {
      const sim = fx.sim(await KisSimulator.start({ subscriptionLimit: 2 }));
      const key = await approve(sim);
      const client = await fx.client(sim.wsUrl);
      await client.subscribe(key, 'H0STCNT0', '005930');
      await client.subscribe(key, 'H0STCNI0', 'HTSUSER1');
      assert.equal((await client.subscribe(key, 'H0STASP0', '005930')).body?.msg_cd, 'OPSP0008');
    });

    it('OPSP0011 then a dropped connection for an unknown approval key', async () => {
      const sim = fx.sim(await KisSimulator.start());
      const client = await fx.client(sim.wsUrl);
      const ack = await client.subscribe('00000000-0000-4000-8000-000000000000', 'H0STCNT0', '005930');
      assert.deepEqual(ack.body, { rt_cd: '1', msg_cd: 'OPSP0011', msg1: 'invalid approval : NOT FOUND' });
      assert.equal((await client.closed()).code, 1006);
    });

    it('OPSP0011 for a key past its 24 h, but a bound session keeps working past it', async () => {
      let now = Date.UTC(2026, 10, 25, 1, 0, 0);
      const sim = fx.sim(await KisSimulator.start({ now: () => now }));
      const key = await approve(sim);
      const first = await fx.client(sim.wsUrl);
      assert.equal((await first.subscribe(key, 'H0STCNT0', '005930')).body?.msg_cd, 'OPSP0000');
      now += 24 * 60 * 60 * 1000;
      assert.equal(
        (await first.subscribe(key, 'H0STASP0', '005930')).body?.msg_cd,
        'OPSP0000',
        'checked only at session start',
      );
      await first.dispose();
      const second = await fx.client(sim.wsUrl);
      assert.equal((await second.subscribe(key, 'H0STCNT0', '005930')).body?.msg_cd, 'OPSP0011');
      await second.closed();
    });

    it('closes cleanly with the configured code after a fatal reply when fatalClose is a number', async () => {
      const sim = fx.sim(await KisSimulator.start({ fatalClose: 4011 }));
      const client = await fx.client(sim.wsUrl);
      await client.subscribe('nope', 'H0STCNT0', '005930');
      assert.equal((await client.closed()).code, 4011);
    });

    it('OPSP8996 then close for a second live connection of the same appkey; the first keeps streaming', async () => {
      const sim = fx.sim(await KisSimulator.start({ ratePerSymbol: 200 }));
      const keyA = await approve(sim, 'SAME');
      const keyB = await approve(sim, 'SAME');
      const first = await fx.client(sim.wsUrl);
      await first.subscribe(keyA, 'H0STCNT0', '005930');
      const second = await fx.client(`${sim.wsUrl}/tryitout`);
      second.request(keyB, 'H0STCNT0', '000660');
      const refused = await second.ack(1);
      assert.deepEqual(refused, {
        header: { tr_id: '(null)', tr_key: '', encrypt: 'N' },
        body: { rt_cd: '9', msg_cd: 'OPSP8996', msg1: 'ALREADY IN USE appkey' },
      });
      assert.equal((await second.closed()).code, 1006);
      const before = first.frames().length;
      await first.waitFor(
        () => (first.frames().length > before + 2 ? true : undefined),
        'more frames on the first connection',
      );
      assert.equal(first.ws.readyState, WebSocket.OPEN);
      // A different appkey is independent.
      const other = await fx.client(sim.wsUrl);
      assert.equal((await other.subscribe(await approve(sim, 'OTHER'), 'H0STCNT0', '000660')).body?.msg_cd, 'OPSP0000');
    });

    it('frees the slot after a clean close, and holds it as a zombie after an unclean one when configured', async () => {
      let now = Date.UTC(2026, 10, 25, 1, 0, 0);
      const sim = fx.sim(await KisSimulator.start({ zombieSlotMs: 30_000, now: () => now }));
      const key = await approve(sim, 'Z');
      const clean = await fx.client(sim.wsUrl);
      await clean.subscribe(key, 'H0STCNT0', '005930');
      const closedClean = nextEvent(sim, 'close');
      await clean.dispose();
      assert.equal((await closedClean).code, 1005);
      const next = await fx.client(sim.wsUrl);
      assert.equal((await next.subscribe(key, 'H0STCNT0', '005930')).body?.msg_cd, 'OPSP0000');
      const dropped = nextEvent(sim, 'close');
      next.ws.terminate();
      assert.equal((await dropped).code, 1006);
      const zombieVictim = await fx.client(sim.wsUrl);
      zombieVictim.request(key, 'H0STCNT0', '005930');
      assert.equal((await zombieVictim.ack(1)).body?.msg_cd, 'OPSP8996');
      await zombieVictim.closed();
      now += 30_000;
      const later = await fx.client(sim.wsUrl);
      assert.equal((await later.subscribe(key, 'H0STCNT0', '005930')).body?.msg_cd, 'OPSP0000');
    });

    it('answers a bad tr_type with OPSP8997 and bad JSON with OPSP9999, and keeps the session', async () => {
      const sim = fx.sim(await KisSimulator.start());
      const key = await approve(sim);
      const client = await fx.client(sim.wsUrl);
      client.ws.send(
        JSON.stringify({
          header: { approval_key: key, custtype: 'P', tr_type: '0', 'content-type': 'utf-8' },
          body: { input: { tr_id: 'H0STCNT0', tr_key: '005930' } },
        }),
      );
      const badType = await client.ack(1);
      assert.equal(badType.body?.msg_cd, 'OPSP8997');
      assert.equal(badType.header?.tr_id, 'H0STCNT0');
      client.ws.send('{"header":');
      assert.equal((await client.ack(2)).body?.msg_cd, 'OPSP9999');
      client.ws.send(Buffer.from('not json at all'), { binary: true });
      assert.equal((await client.ack(3)).body?.msg_cd, 'OPSP9999');
      assert.equal((await client.subscribe(key, 'H0STCNT0', '005930')).body?.msg_cd, 'OPSP0000');
      assert.equal(sim.requests.length, 4);
      assert.equal(sim.requests[1].trType, '');
    });

    it('answers an unknown tr_id with OPSP8991, a bad symbol with OPSP8992, and acknowledges silent TRs', async () => {
      const sim = fx.sim(await KisSimulator.start());
      const key = await approve(sim);
      const client = await fx.client(sim.wsUrl);
      assert.equal((await client.subscribe(key, 'NOPE0000', '005930')).body?.msg_cd, 'OPSP8991');
      assert.equal((await client.subscribe(key, 'H0STCNT0', '5930')).body?.msg_cd, 'OPSP8992');
      assert.equal((await client.subscribe(key, 'H0UPCNT0', '0001')).body?.msg_cd, 'OPSP0000');
      // Every TR of the official all-in-one sample is accepted (it stops at the first error reply);
      // the other encrypted notice TRs are acknowledged with encrypt Y.
      for (const trId of ['H0CFASP0', 'H0ZOCNT0', 'HDFFF020', 'H0BJCNT0']) {
        assert.equal((await client.subscribe(key, trId, 'X1')).body?.msg_cd, 'OPSP0000', trId);
      }
      assert.equal((await client.subscribe(key, 'HDFFF2C0', 'HTSUSER1')).header?.encrypt, 'Y');
      assert.equal((await client.subscribe(key, 'H0STCNT0', 'Q500001')).body?.msg_cd, 'OPSP0000');
    });

    it('a missing approval_key is fatal (OPSP0011)', async () => {
      const sim = fx.sim(await KisSimulator.start());
      const client = await fx.client(sim.wsUrl);
      client.request('', 'H0STCNT0', '005930');
      assert.equal((await client.ack(1)).body?.msg_cd, 'OPSP0011');
      await client.closed();
    });
  });

  describe('PINGPONG', () => {
    it('is sent from the first subscribe on, with a KST datetime, and a text echo is recorded', async () => {
      const sim = fx.sim(await KisSimulator.start({ pingIntervalMs: 40 }));
      const key = await approve(sim);
      const client = await fx.client(sim.wsUrl);
      client.ws.on('message', (data: Buffer) => {
        const text = data.toString();
        if (text.includes('"PINGPONG"')) client.ws.send(text);
      });
      await client.subscribe(key, 'H0STCNI0', 'HTSUSER1');
      const echo = await nextEvent(sim, 'pingpong-echo');
      assert.equal(echo.via, 'text');
      assert.ok(echo.delayMs >= 0);
      const ping = client.json().find((m) => m.header?.tr_id === 'PINGPONG');
      assert.ok(ping !== undefined);
      assert.deepEqual(Object.keys(ping), ['header']);
      assert.match(ping.header?.datetime ?? '', /^20\d{12}$/);
      const logged = sim.pingLog.find((p) => p.echoedAt !== undefined);
      assert.ok(logged !== undefined);
      assert.equal(logged.via, 'text');
      assert.ok((logged.echoedAt ?? 0) >= logged.sentAt);
    });

    it('takes an echo with JSON whitespace before its brace as an echo, not as a request', async () => {
      const sim = fx.sim(await KisSimulator.start({ pingFrom: 'connect', pingIntervalMs: 60_000 }));
      const client = await fx.client(sim.wsUrl);
      client.ws.on('message', (data: Buffer) => {
        const text = data.toString();
        if (text.includes('"PINGPONG"')) client.ws.send(` \r\n\t${text}`);
      });
      const echo = nextEvent(sim, 'pingpong-echo');
      sim.pingNow();
      assert.equal((await echo).via, 'text');
      assert.equal(sim.requests.length, 0, 'not logged as a request');
    });

    it('counts a control pong carrying the PINGPONG text as the echo', async () => {
      const sim = fx.sim(await KisSimulator.start({ pingFrom: 'connect', pingIntervalMs: 60_000 }));
      const client = await fx.client(sim.wsUrl);
      client.ws.on('message', (data: Buffer) => {
        if (data.toString().includes('"PINGPONG"')) client.ws.pong(data);
      });
      client.ws.pong(Buffer.from('unrelated'));
      const echo = nextEvent(sim, 'pingpong-echo');
      sim.pingNow();
      assert.equal((await echo).via, 'pong');
      assert.equal(sim.pingLog.length, 1);
    });

    it('with pingFrom "connect" starts before any subscribe', async () => {
      const sim = fx.sim(await KisSimulator.start({ pingFrom: 'connect', pingIntervalMs: 30 }));
      const client = await fx.client(sim.wsUrl);
      await client.waitFor(() => client.json().find((m) => m.header?.tr_id === 'PINGPONG'), 'a PINGPONG');
      assert.equal(sim.requests.length, 0);
    });

    it('strict mode closes a client that does not echo within pingTimeoutMs, and spares one that does', async () => {
      const sim = fx.sim(
        await KisSimulator.start({ strictPingPong: true, pingTimeoutMs: 50, pingIntervalMs: 20, pingFrom: 'connect' }),
      );
      const good = await fx.client(sim.wsUrl);
      good.ws.on('message', (data: Buffer) => good.ws.send(data.toString()));
      const silent = await fx.client(sim.wsUrl);
      const closed = await silent.closed();
      assert.equal(closed.code, 1008);
      assert.equal(closed.reason, 'PINGPONG timeout');
      await nextEvent(sim, 'pingpong-echo');
      assert.equal(good.ws.readyState, WebSocket.OPEN);
    });
  });

  describe('lifecycle', () => {
    it('close() ends every connection and stops listening', async () => {
      const sim = await KisSimulator.start({ ratePerSymbol: 100, pingIntervalMs: 10, pingFrom: 'connect' });
      const key = await approve(sim);
      const client = await fx.client(sim.wsUrl);
      await client.subscribe(key, 'H0STCNT0', '005930');
      await sim.close();
      await sim.close();
      assert.equal((await client.closed()).code, 1006);
      assert.equal(sim.connectionCount, 0);
      await assert.rejects(fetch(`${sim.restUrl}/oauth2/Approval`, { method: 'POST', body: '{}' }));
    });

    it('leaves no timer or socket of its own behind', async () => {
      // Mocha arms its own timeout timer just after this function returns its promise: let it.
      await new Promise<void>((resolve) => setImmediate(resolve));
      const before = process.getActiveResourcesInfo();
      const sim = await KisSimulator.start({
        ratePerSymbol: 'max',
        pingIntervalMs: 5,
        pingFrom: 'connect',
        ackDelayMs: 10_000,
      });
      const key = await approve(sim);
      const client = await fx.client(sim.wsUrl);
      const requested = nextEvent(sim, 'request');
      client.request(key, 'H0STCNT0', '005930');
      await requested; // its ack is now waiting on a 10 s timer that close() must clear
      await sim.close();
      await client.closed();
      await client.dispose();
      await new Promise<void>((resolve) => setImmediate(resolve)); // let closed handles be released
      const count = (list: string[], kind: string): number => list.filter((r) => r === kind).length;
      const after = process.getActiveResourcesInfo();
      assert.ok(
        count(after, 'Timeout') <= count(before, 'Timeout'),
        `timers before ${count(before, 'Timeout')}, after ${count(after, 'Timeout')}`,
      );
      assert.ok(count(after, 'Immediate') <= count(before, 'Immediate'));
      assert.equal(count(after, 'TCPServerWrap'), count(before, 'TCPServerWrap'));
    });

    it('rejects start() when the port is taken', async () => {
      const sim = fx.sim(await KisSimulator.start());
      await assert.rejects(KisSimulator.start({ port: sim.port }), /EADDRINUSE/);
    });

    it('a plain HTTP request to an unknown path gets 404', async () => {
      const sim = fx.sim(await KisSimulator.start());
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpRequest(`${sim.restUrl}/tryitout`, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
      assert.equal(status, 404);
    });
  });
});
