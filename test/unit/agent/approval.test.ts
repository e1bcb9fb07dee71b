import * as assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApprovalClient } from '../../../src/agent/approval';
import { AgentError } from '../../../src/agent/errors';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

const APPKEY = 'PSg5dctL9dKPo727J13Ur405OSXXXXXXXXXX';
const SECRET = 'yo2t8zS68zpdjGuWvFyM9VikjXE0i0CbgPEamnqPA00G0bIfrdfQb2RUD1xP7Sqat';

function codeOf(error: unknown): string {
  return error instanceof AgentError ? error.code : String(error);
}

describe('agent ApprovalClient', () => {
  let server: Server;
  let handler: Handler;
  let url: string;
  let calls: { path: string; body: string; contentType: string }[];

  beforeEach(async () => {
    calls = [];
    handler = (_req, _body, res) => res.end(JSON.stringify({ approval_key: 'a2585daf-8c09-4587-9fce-8ab893000001' }));
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        calls.push({ path: req.url ?? '', body, contentType: String(req.headers['content-type']) });
        handler(req, body, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('POSTs {grant_type, appkey, secretkey} to /oauth2/Approval and caches the key while valid', async () => {
    let now = 0;
    const client = new ApprovalClient({
      restUrl: `${url}/`,
      appkey: APPKEY,
      appsecret: SECRET,
      now: () => now,
      minIntervalMs: 20,
    });
    const [k1, k2] = await Promise.all([client.get(), client.get()]);
    assert.equal(k1, 'a2585daf-8c09-4587-9fce-8ab893000001');
    assert.equal(k2, k1);
    assert.equal(calls.length, 1, 'concurrent callers share one request');
    assert.equal(calls[0].path, '/oauth2/Approval');
    assert.match(calls[0].contentType, /^application\/json/);
    assert.deepEqual(JSON.parse(calls[0].body), {
      grant_type: 'client_credentials',
      appkey: APPKEY,
      secretkey: SECRET,
    });
    now = 23 * 3600 * 1000;
    await client.get();
    assert.equal(calls.length, 1, 'still valid after 23 h');
    now = 24 * 3600 * 1000;
    await client.get();
    assert.equal(calls.length, 2, 're-issued at 24 h');
    client.invalidate();
    await client.get();
    assert.equal(calls.length, 3, 're-issued after invalidate()');
    assert.equal(client.issued, 3);
  });

  it('spaces issuance requests by minIntervalMs (KIS issues about one key per second)', async () => {
    let now = 5000;
    const waits: number[] = [];
    const client = new ApprovalClient({
      restUrl: url,
      appkey: APPKEY,
      appsecret: SECRET,
      now: () => now,
      delay: async (ms) => {
        waits.push(ms);
        now += ms;
      },
    });
    await client.get();
    now += 300;
    client.invalidate();
    await client.get();
    assert.deepEqual(waits, [700], 'the second request waited out the rest of the second');
    now += 5000;
    client.invalidate();
    await client.get();
    assert.deepEqual(waits, [700], 'no wait once a second has passed');
    assert.equal(calls.length, 3);
  });

  it('an abort during the spacing wait rejects without a request', async () => {
    const client = new ApprovalClient({ restUrl: url, appkey: APPKEY, appsecret: SECRET, minIntervalMs: 60_000 });
    await client.get();
    client.invalidate();
    const controller = new AbortController();
    const p = client.get(controller.signal);
    controller.abort(new Error('stop waiting'));
    await assert.rejects(p, /stop waiting/);
    const aborted = new AbortController();
    aborted.abort(new Error('already'));
    await assert.rejects(client.get(aborted.signal), /already/);
    assert.equal(calls.length, 1);
  });

  it('reports HTTP 403 with a gateway body as BAD_CREDENTIALS, without the secret', async () => {
    handler = (_req, _body, res) => {
      res.statusCode = 403;
      res.end(JSON.stringify({ error_code: 'EGW00103', error_description: '유효하지 않은 AppKey입니다.' }));
    };
    const client = new ApprovalClient({ restUrl: url, appkey: APPKEY, appsecret: SECRET });
    await assert.rejects(client.get(), (e: unknown) => {
      assert.equal(codeOf(e), 'BAD_CREDENTIALS');
      const message = (e as Error).message;
      assert.match(message, /EGW00103/);
      assert.match(message, /PSg5…/);
      assert.ok(!message.includes(SECRET) && !message.includes(APPKEY), message);
      return true;
    });
  });

  it('reports an EGW body even with HTTP 200, and 401 without a body, as BAD_CREDENTIALS', async () => {
    handler = (_req, _body, res) =>
      res.end(
        JSON.stringify({
          rt_cd: '1',
          msg_cd: 'EGW02004',
          msg1: '실전투자 도메인은 모의투자 앱키로 호출하실 수 없습니다.',
        }),
      );
    await assert.rejects(
      new ApprovalClient({ restUrl: url, appkey: APPKEY, appsecret: SECRET }).get(),
      (e: unknown) => codeOf(e) === 'BAD_CREDENTIALS',
    );
    handler = (_req, _body, res) => {
      res.statusCode = 401;
      res.end();
    };
    await assert.rejects(
      new ApprovalClient({ restUrl: url, appkey: APPKEY, appsecret: SECRET }).get(),
      (e: unknown) => codeOf(e) === 'BAD_CREDENTIALS' && /HTTP 401/.test((e as Error).message),
    );
  });

  it('reports a gateway rate limit as APPROVAL_FAILED (retried), not as bad credentials', async () => {
    handler = (_req, _body, res) => {
      res.statusCode = 500;
      res.end(JSON.stringify({ rt_cd: '1', msg_cd: 'EGW00201', msg1: '초당 거래건수를 초과하였습니다.' }));
    };
    await assert.rejects(
      new ApprovalClient({ restUrl: url, appkey: APPKEY, appsecret: SECRET }).get(),
      (e: unknown) => codeOf(e) === 'APPROVAL_FAILED' && /EGW00201/.test((e as Error).message),
    );
  });

  it('reports an answer without approval_key as APPROVAL_FAILED', async () => {
    handler = (_req, _body, res) => {
      res.statusCode = 500;
      res.end('oops');
    };
    await assert.rejects(
      new ApprovalClient({ restUrl: url, appkey: APPKEY, appsecret: SECRET }).get(),
      (e: unknown) => codeOf(e) === 'APPROVAL_FAILED',
    );
    handler = (_req, _body, res) => res.end('{"something":"else"}');
    await assert.rejects(
      new ApprovalClient({ restUrl: url, appkey: APPKEY, appsecret: SECRET }).get(),
      (e: unknown) => codeOf(e) === 'APPROVAL_FAILED',
    );
  });

  it('reports a refused connection and a timeout as REST_UNREACHABLE', async () => {
    const spare = createServer();
    await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
    const closedPort = (spare.address() as AddressInfo).port;
    await new Promise<void>((resolve) => spare.close(() => resolve()));
    const dead = new ApprovalClient({ restUrl: `http://127.0.0.1:${closedPort}`, appkey: APPKEY, appsecret: SECRET });
    await assert.rejects(
      dead.get(),
      (e: unknown) => codeOf(e) === 'REST_UNREACHABLE' && /ECONNREFUSED/.test((e as Error).message),
    );
    handler = () => undefined; // never answers
    const slow = new ApprovalClient({ restUrl: url, appkey: APPKEY, appsecret: SECRET, timeoutMs: 50 });
    await assert.rejects(
      slow.get(),
      (e: unknown) => codeOf(e) === 'REST_UNREACHABLE' && /timed out/.test((e as Error).message),
    );
  });

  it('is abortable by the caller', async () => {
    handler = () => undefined;
    const client = new ApprovalClient({ restUrl: url, appkey: APPKEY, appsecret: SECRET });
    const controller = new AbortController();
    const p = client.get(controller.signal);
    await new Promise<void>((resolve) => {
      const check = (): void => (calls.length > 0 ? resolve() : void setImmediate(check));
      check();
    });
    controller.abort(new Error('caller gave up'));
    await assert.rejects(p, /caller gave up/);
  });
});
