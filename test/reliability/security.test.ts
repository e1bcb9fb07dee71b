/**
 * Security checks, through public surfaces only (no VS Code):
 * - no app key, app secret or approval key (nor an 8-character piece of one) in any text the agent or the
 *   session produces, on every path that produces text;
 * - symbol codes are refused before anything reaches the wire, and the other subscriptions are untouched;
 * - the simulator (library, `kis-monitor sim`, the session's embedded one) and every local server of the
 *   project bind 127.0.0.1 only.
 * The webview's CSP and message validation are tested in test/unit/webview/*.test.ts.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { AgentError, AppkeyHolds, KisAgent, type AgentOptions } from '../../src/agent';
import { MarketFeed as Session, type Credentials } from '../../src/feed';
import { Logger, type LogChannel } from '../../src/common/logger';
import { parseSettings, type RawSettings } from '../../src/settings';
import { buildAck } from '../../src/kis';
import { KisSimulator, type SimulatorOptions } from '../../src/simulator';
import { simCommand } from '../../src/cli/sim';
import { CollectingSink, nextEvent, waitFor } from './agent/helpers';

// ---------------------------------------------------------------------------------------------------------
// The secrets, and what "leaked" means

/** A made-up app key, 36 characters like a real one, distinctive enough that any match is a leak. */
const APPKEY = 'PSsecAUDITappkey7Qz2Lm9Vt4Rn6Wk1Hc8Yb';
/** A made-up 180-character app secret (base64-looking, like the real ones). */
const APPSECRET = [1, 2, 3]
  .map((n) => createHash('sha512').update(`kis-security-audit-${n}`).digest('base64').replace(/=+$/, ''))
  .join('')
  .slice(0, 180);
/** Pieces this long or longer of a secret count as a leak (the masked app key keeps only 4 characters). */
const LEAK_WINDOW = 8;

/** True when `text` holds `secret` or any LEAK_WINDOW-character piece of it. */
function leaks(text: string, secret: string): string | undefined {
  for (let i = 0; i + LEAK_WINDOW <= secret.length; i++) {
    const piece = secret.slice(i, i + LEAK_WINDOW);
    if (text.includes(piece)) return piece;
  }
  return undefined;
}

/** Everything the outside world got to see, labelled with where it came from. */
class Transcript {
  readonly entries: Array<{ where: string; text: string }> = [];

  add(where: string, text: string | undefined): void {
    if (text !== undefined && text !== '') this.entries.push({ where, text });
  }

  /** Every log line, 'error' event, state reason and ack of `agent`. */
  watch(agent: KisAgent, name = 'agent'): void {
    agent.on('log', (event) => this.add(`${name} log (${event.level})`, event.message));
    agent.on('error', (event) => this.add(`${name} 'error' event`, JSON.stringify(event)));
    agent.on('state', (change) => this.add(`${name} state ${change.from}→${change.to}`, change.reason));
    // The ack event promises a masked msg1 (its other fields are the server's protocol values, passed as they came).
    agent.on('ack', (ack) => this.add(`${name} 'ack' event msg1`, ack.msg1));
    agent.on('gap', (gap) => this.add(`${name} 'gap' event`, JSON.stringify(gap)));
  }

  /** Awaits `promise` and records its value, or its rejection's message, stack and code. Never rejects. */
  async settle(where: string, promise: Promise<unknown>): Promise<unknown> {
    try {
      const value = await promise;
      this.add(`${where} (resolved)`, JSON.stringify(value));
      return value;
    } catch (error) {
      this.add(
        `${where} (rejected)`,
        error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error),
      );
      return error;
    }
  }

  /** `agent.stats()` as JSON (lastError included). */
  stats(agent: KisAgent, name = 'agent'): void {
    this.add(`${name} stats()`, JSON.stringify(agent.stats()));
  }

  text(): string {
    return this.entries.map((e) => e.text).join('\n');
  }

  /** Fails naming the first entry that holds a piece of a secret (the piece, not the secret, is quoted). */
  assertClean(secrets: Record<string, string>): void {
    assert.ok(this.entries.length > 0, 'the scenario produced text to check');
    for (const [name, secret] of Object.entries(secrets)) {
      assert.ok(secret.length >= LEAK_WINDOW, `${name} is long enough to check`);
      for (const entry of this.entries) {
        const piece = leaks(entry.text, secret);
        assert.equal(
          piece,
          undefined,
          `${entry.where} shows part of the ${name} ("${piece}"):\n${entry.text.slice(0, 500)}`,
        );
      }
    }
  }
}

/** A fetch that passes everything through and keeps every approval key the server handed out. */
function keyCatchingFetch(keys: string[]): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const text = await response.clone().text();
    try {
      const body = JSON.parse(text) as { approval_key?: unknown };
      if (typeof body.approval_key === 'string') keys.push(body.approval_key);
    } catch {
      // Not JSON: no key in it.
    }
    return response;
  };
}

/** The secrets of a scenario: the pair, and every approval key issued in it (by name). */
function secretsOf(
  keys: readonly string[],
  pair: Credentials = { appkey: APPKEY, appsecret: APPSECRET },
): Record<string, string> {
  const secrets: Record<string, string> = { appkey: pair.appkey, appsecret: pair.appsecret };
  keys.forEach((key, i) => (secrets[`approval key #${i + 1}`] = key));
  return secrets;
}

/** A KIS ack whose msg1 says what we want (KIS has echoed keys in msg1, kis-protocol.md §5.2). */
function ackWith(msgCd: string, trKey: string, msg1: string): string {
  return buildAck({ trId: 'H0STCNT0', trKey, msgCd, msg1, encrypt: false });
}

/** A port nothing listens on (bound once, then released). */
async function deadPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const SIM_OPTIONS: SimulatorOptions = {
  port: 0,
  credentials: { appkey: APPKEY, secretkey: APPSECRET },
  ratePerSymbol: 50,
  tickIntervalMs: 20,
  pingIntervalMs: 300,
};

// ---------------------------------------------------------------------------------------------------------

describe('security: no secret in any text the agent produces', function () {
  this.timeout(20_000);
  let sim: KisSimulator | undefined;
  let rest: Server | undefined;
  const agents: KisAgent[] = [];
  let transcript: Transcript;
  let keys: string[];

  beforeEach(() => {
    transcript = new Transcript();
    keys = [];
  });

  afterEach(async () => {
    for (const agent of agents.splice(0)) await agent.dispose();
    await sim?.close();
    sim = undefined;
    if (rest) {
      const server = rest;
      rest = undefined;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  /** The OPSP8996 holds of this test's agents (shared between them, as in one extension host; fresh per test). */
  let holds = new AppkeyHolds();
  beforeEach(() => {
    holds = new AppkeyHolds();
  });

  /** An agent with the audit pair, watched by the transcript, with a fast backoff; `overrides` win. */
  function agentOn(
    target: { wsUrl: string; restUrl: string },
    overrides: Partial<AgentOptions> = {},
    name = 'agent',
  ): KisAgent {
    const agent = new KisAgent({
      wsUrl: target.wsUrl,
      restUrl: target.restUrl,
      appkey: APPKEY,
      appsecret: APPSECRET,
      sink: new CollectingSink(),
      backoff: { baseMs: 10, capMs: 40 },
      fetch: keyCatchingFetch(keys),
      appkeyHolds: holds,
      ...overrides,
    });
    agents.push(agent);
    transcript.watch(agent, name);
    return agent;
  }

  it('a normal session: connect, data, PINGPONG, subscribe, unsubscribe, reconnect, disconnect', async () => {
    sim = await KisSimulator.start(SIM_OPTIONS);
    const sink = new CollectingSink();
    const agent = agentOn(sim, { sink });
    await transcript.settle('connect()', agent.connect());
    await transcript.settle('subscribe(005930)', agent.subscribe('H0STCNT0', '005930'));
    await transcript.settle('subscribe(book 005930)', agent.subscribe('H0STASP0', '005930'));
    await transcript.settle('subscribe(000660)', agent.subscribe('H0STCNT0', '000660'));
    await transcript.settle('subscribe(005930) again', agent.subscribe('H0STCNT0', '005930'));
    await waitFor(() => sink.records > 0 && agent.stats().pingpongs > 0, 'data and a PINGPONG');
    await transcript.settle('unsubscribe(000660)', agent.unsubscribe('H0STCNT0', '000660'));
    sim.dropAll();
    await waitFor(() => agent.stats().reconnects > 0 && agent.state === 'open', 'a reconnect');
    transcript.stats(agent);
    await transcript.settle('disconnect()', agent.disconnect());
    await transcript.settle('dispose()', agent.dispose());

    assert.equal(keys.length, 1, 'one approval key served the day');
    assert.match(transcript.text(), /open/);
    transcript.assertClean(secretsOf(keys));
  });

  it('a server close reason that echoes the keys: the reconnect reason, the gap event and the gaps in stats', async () => {
    sim = await KisSimulator.start(SIM_OPTIONS);
    const agent = agentOn(sim);
    await transcript.settle('connect()', agent.connect());
    await transcript.settle('subscribe(005930)', agent.subscribe('H0STCNT0', '005930'));
    const gap = nextEvent(agent, 'gap');
    // A close reason is at most 123 bytes: the app key and a piece of the secret fit.
    sim.closeAll(4000, `bye ${APPKEY} ${APPSECRET.slice(0, 40)}`);
    await gap;
    await waitFor(() => agent.state === 'open', 'open again');
    transcript.stats(agent);
    assert.match(JSON.stringify(agent.stats().recentGaps), /code 4000 bye PSse…/, 'the gap keeps the reason, masked');
    await transcript.settle('dispose()', agent.dispose());
    transcript.assertClean(secretsOf(keys));
  });

  it('bad credentials at the approval endpoint: the rejection, the events, the stopped state and later calls', async () => {
    sim = await KisSimulator.start({
      ...SIM_OPTIONS,
      credentials: { appkey: 'PSotherAPPKEYnotOurs0000000000000000', secretkey: 'other-secret-0000000000' },
    });
    const agent = agentOn(sim);
    const rejection = await transcript.settle('connect()', agent.connect());
    assert.ok(rejection instanceof AgentError && rejection.code === 'BAD_CREDENTIALS', String(rejection));
    await transcript.settle('subscribe() when stopped', agent.subscribe('H0STCNT0', '005930'));
    transcript.stats(agent);

    assert.equal(agent.state, 'stopped');
    assert.match(transcript.text(), /PSse…/, 'the masked app key names the account');
    transcript.assertClean(secretsOf(keys));
  });

  it('OPSP0011 echoing the approval key: a fresh key is issued once, then the agent stops', async () => {
    sim = await KisSimulator.start(SIM_OPTIONS);
    const server = sim;
    const agent = agentOn(server);
    await agent.connect();
    server.ignoreSubscriptions(true);
    const pending = transcript.settle('subscribe(005930)', agent.subscribe('H0STCNT0', '005930'));
    await waitFor(() => server.requests.length === 1, 'the request reached the server');
    // KIS has answered "invalid approval : <the approval key UUID>" (kis-protocol.md §5.2, S13).
    server.sendRaw(ackWith('OPSP0011', '005930', `invalid approval : ${keys[0]}`));
    await waitFor(() => keys.length === 2 && server.requests.length === 2, 'a fresh key and the replayed request');
    server.sendRaw(
      ackWith('OPSP0011', '005930', `invalid approval : ${keys[1]} (appkey ${APPKEY}, appsecret ${APPSECRET})`),
    );
    await waitFor(() => agent.state === 'stopped', 'the agent stopped');
    await pending;
    await transcript.settle('subscribe() when stopped', agent.subscribe('H0STCNT0', '000660'));
    transcript.stats(agent);

    assert.match(transcript.text(), /OPSP0011/);
    assert.match(transcript.text(), /\[approval key\]/, 'the echoed key was there, and masked');
    transcript.assertClean(secretsOf(keys));
  });

  it('OPSP8996 (the app key in use elsewhere), from the server and with the app key echoed in msg1', async () => {
    sim = await KisSimulator.start(SIM_OPTIONS);
    const server = sim;
    const first = agentOn(server, {}, 'first');
    await first.connect();
    await first.subscribe('H0STCNT0', '005930');
    const second = agentOn(server, { appkeyInUseBackoffMs: 30 }, 'second');
    await transcript.settle('second connect()', second.connect());
    const inUse = nextEvent(second, 'error', (e: { code: string }) => e.code === 'APPKEY_IN_USE');
    const pending = transcript.settle('second subscribe()', second.subscribe('H0STCNT0', '000660'));
    await inUse;
    const firstSession = server.sessionIds()[0];
    server.sendRaw(
      buildAck({
        trId: 'H0STCNT0',
        trKey: '005930',
        msgCd: 'OPSP8996',
        msg1: `ALREADY IN USE appkey ${APPKEY}`,
        encrypt: false,
      }),
      firstSession,
    );
    await waitFor(() => first.stats().reconnects > 0, 'the first agent backed off');
    transcript.stats(first, 'first');
    transcript.stats(second, 'second');
    await second.dispose();
    await pending;

    assert.match(transcript.text(), /OPSP8996/);
    transcript.assertClean(secretsOf(keys));
  });

  it('a refusal whose msg1 echoes every secret, and malformed messages that carry them', async () => {
    sim = await KisSimulator.start(SIM_OPTIONS);
    const server = sim;
    const agent = agentOn(server);
    await agent.connect();
    await agent.subscribe('H0STCNT0', '005930');
    server.ignoreSubscriptions(true);
    const refused = transcript.settle('subscribe(000660)', agent.subscribe('H0STCNT0', '000660'));
    await waitFor(() => server.requests.some((r) => r.trKey === '000660'), 'the request reached the server');
    const echo = `appkey=${APPKEY} secretkey=${APPSECRET} approval_key=${keys[0]}`;
    server.sendRaw(ackWith('OPSP8992', '000660', `INVALID TR_KEY (${echo})`));
    const error = await refused;
    assert.ok(error instanceof AgentError && error.code === 'REFUSED', String(error));
    // Garbage from the server that happens to hold the secrets: every parse-error path logs something.
    server.sendRaw(`X|${APPKEY}|${APPSECRET}`);
    server.sendRaw(`{"header":{"approval_key":"${keys[0]}","appkey":"${APPKEY}"`);
    server.sendRaw(`0|H0STCNT0|001|${APPKEY}^${APPSECRET}`);
    server.sendRaw(`1|H0STCNI0|001|${APPSECRET}`);
    server.sendRaw(
      JSON.stringify({
        header: { tr_id: 'H0STCNT0', tr_key: keys[0] },
        body: { rt_cd: '1', msg_cd: APPKEY, msg1: APPSECRET },
      }),
    );
    await waitFor(() => agent.stats().parseErrors >= 4, 'the malformed messages were counted');
    transcript.stats(agent);

    assert.equal(agent.stats().refused, 1);
    assert.deepEqual(agent.wanted(), [{ trId: 'H0STCNT0', trKey: '005930' }], 'the other subscription is untouched');
    assert.match(transcript.text(), /OPSP8992/);
    assert.match(transcript.text(), /\[appsecret\]/, 'the echoed secret was there, and masked');
    transcript.assertClean(secretsOf(keys));
  });

  it('an approval endpoint that answers 500 and garbage echoing the request, then a credential error echoing it', async () => {
    sim = await KisSimulator.start(SIM_OPTIONS);
    // Each answer quotes the request body back (appkey and secretkey in it), the worst a broken gateway could do.
    const answers: Array<(body: string) => { status: number; type: string; text: string }> = [
      (body) => ({ status: 500, type: 'text/plain', text: `Internal error while handling ${body}` }),
      (body) => ({ status: 200, type: 'text/html', text: `<html><body>maintenance ${body}</body></html>` }),
      (body) => ({
        status: 200,
        type: 'application/json',
        text: JSON.stringify({ error_code: APPKEY, error_description: body }),
      }),
      // A 403 whose error_code is the app key itself (a gateway echoing the request).
      (body) => ({
        status: 403,
        type: 'application/json',
        text: JSON.stringify({ error_code: APPKEY, error_description: `bad ${body}` }),
      }),
    ];
    let served = 0;
    rest = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const answer = answers[Math.min(served++, answers.length - 1)](Buffer.concat(chunks).toString('utf8'));
        res.writeHead(answer.status, { 'content-type': answer.type });
        res.end(answer.text);
      });
    });
    await new Promise<void>((resolve) => rest?.listen(0, '127.0.0.1', resolve));
    const restUrl = `http://127.0.0.1:${(rest.address() as net.AddressInfo).port}`;
    const agent = agentOn({ wsUrl: sim.wsUrl, restUrl });
    const rejection = await transcript.settle('connect()', agent.connect());
    assert.ok(rejection instanceof AgentError && rejection.code === 'BAD_CREDENTIALS', String(rejection));
    await transcript.settle('subscribe() when stopped', agent.subscribe('H0STCNT0', '005930'));
    transcript.stats(agent);

    assert.equal(served, answers.length, 'every answer was tried');
    assert.match(transcript.text(), /HTTP 500/);
    transcript.assertClean(secretsOf(keys));
  });

  it('a dead server: REST unreachable, then the WebSocket unreachable, then the server gone mid-session', async () => {
    const port = await deadPort();
    const dead = { wsUrl: `ws://127.0.0.1:${port}`, restUrl: `http://127.0.0.1:${port}` };
    const unreachable = agentOn(dead, {}, 'rest-dead');
    const connecting = transcript.settle('rest-dead connect()', unreachable.connect());
    await waitFor(() => unreachable.stats().reconnects >= 2, 'two failed approval attempts');
    transcript.stats(unreachable, 'rest-dead');
    await unreachable.dispose();
    await connecting;

    sim = await KisSimulator.start(SIM_OPTIONS);
    const server = sim;
    const noSocket = agentOn({ wsUrl: dead.wsUrl, restUrl: server.restUrl }, {}, 'ws-dead');
    const connectingWs = transcript.settle('ws-dead connect()', noSocket.connect());
    await waitFor(() => noSocket.stats().reconnects >= 2, 'two failed socket attempts');
    transcript.stats(noSocket, 'ws-dead');
    await noSocket.dispose();
    await connectingWs;

    const agent = agentOn(server, {}, 'gone');
    await agent.connect();
    await agent.subscribe('H0STCNT0', '005930');
    await server.close();
    await waitFor(() => agent.stats().reconnects >= 2, 'reconnect attempts against the closed server');
    transcript.stats(agent, 'gone');

    assert.match(transcript.text(), /Cannot reach the KIS approval endpoint/);
    assert.match(transcript.text(), /Cannot connect to ws:/);
    transcript.assertClean(secretsOf(keys));
  });
});

// ---------------------------------------------------------------------------------------------------------

/** A log channel that keeps every line. */
function memoryChannel(): LogChannel & { lines: string[] } {
  const lines: string[] = [];
  const push = (message: string): void => void lines.push(message);
  return { lines, trace: push, debug: push, info: push, warn: push, error: push };
}

describe("security: no secret in the session's log, problems or results (src/feed/marketFeed.ts)", function () {
  this.timeout(20_000);
  let sim: KisSimulator | undefined;
  let session: Session | undefined;
  let transcript: Transcript;
  let channel: ReturnType<typeof memoryChannel>;
  let keys: string[];

  beforeEach(() => {
    transcript = new Transcript();
    channel = memoryChannel();
    keys = [];
  });

  afterEach(async () => {
    await session?.dispose();
    session = undefined;
    await sim?.close();
    sim = undefined;
  });

  /** A session on the paper source, pointed at `target` through the advanced URLs, with `stored` credentials. */
  function paperSession(target: KisSimulator, stored: Credentials): Session {
    const raw: RawSettings = {
      dataSource: 'paper',
      'advanced.wsUrl': target.wsUrl,
      'advanced.restUrl': target.restUrl,
    };
    const s = new Session({
      settings: () => parseSettings(raw).settings,
      credentials: async (source) => (source === 'paper' ? stored : undefined),
      store: { load: () => [], save: async () => undefined },
      log: new Logger(channel),
      agent: { ackTimeoutMs: 3000, backoff: { baseMs: 10, capMs: 40 }, fetch: keyCatchingFetch(keys) },
    });
    s.onProblem((problem) => transcript.add(`problem ${problem.code}`, JSON.stringify(problem)));
    s.onAgentState((change) => transcript.add('agent state', JSON.stringify(change)));
    session = s;
    return s;
  }

  function collectSession(s: Session): void {
    for (const line of channel.lines) transcript.add('log channel', line);
    transcript.add('agentStats()', JSON.stringify(s.agentStats()));
    transcript.add('failureReason', JSON.stringify(s.failureReason));
  }

  it('streams, refuses a symbol with an echoing msg1, is rejected with echoed keys, and stops', async () => {
    sim = await KisSimulator.start(SIM_OPTIONS);
    const server = sim;
    const s = paperSession(server, { appkey: APPKEY, appsecret: APPSECRET });
    await transcript.settle('add(005930)', s.add(['005930']));
    await waitFor(() => s.model.quote('005930') !== undefined, 'a quote from the worker');

    server.ignoreSubscriptions(true);
    const adding = transcript.settle('add(000660)', s.add(['000660']));
    await waitFor(
      () => server.requests.some((r) => r.trKey === '000660' && r.trId === 'H0STCNT0'),
      'the request reached the server',
    );
    server.sendRaw(ackWith('OPSP8992', '000660', `INVALID TR_KEY appkey:${APPKEY} secretkey:${APPSECRET}`));
    await adding;
    assert.deepEqual(s.symbols, ['005930'], 'the refused symbol left the watchlist; the other stayed');

    const before = server.requests.length;
    const adding2 = transcript.settle('add(035720)', s.add(['035720']));
    await waitFor(() => server.requests.length > before, 'the request for 035720');
    server.sendRaw(ackWith('OPSP0011', '035720', `invalid approval : ${keys[0]} ${APPKEY}`));
    const afterFirst = server.requests.length;
    await waitFor(() => keys.length === 2 && server.requests.length > afterFirst, 'the replay on a fresh key');
    server.sendRaw(ackWith('OPSP0011', '035720', `invalid approval : ${keys[1]} ${APPSECRET}`));
    await waitFor(() => s.agentStats()?.state === 'stopped', 'the agent stopped');
    await adding2;
    collectSession(s);

    assert.ok(channel.lines.length > 5, 'the session logged');
    assert.match(transcript.text(), /BAD_CREDENTIALS/);
    transcript.assertClean(secretsOf(keys));
  });

  it('bad credentials: the problem, the log and the result of add()', async () => {
    sim = await KisSimulator.start(SIM_OPTIONS);
    const wrong = {
      appkey: 'PSwrongAPPKEYq8Zt3Lm6Vn1Rk4Wc7Hb2Yd',
      appsecret: `${APPSECRET.slice(90)}${APPSECRET.slice(0, 90)}`,
    };
    const s = paperSession(sim, wrong);
    const problem = new Promise<void>((resolve) => s.onProblem((p) => p.code === 'BAD_CREDENTIALS' && resolve()));
    await transcript.settle('add(005930)', s.add(['005930']));
    await problem;
    collectSession(s);

    assert.match(transcript.text(), /PSwr…/);
    transcript.assertClean(secretsOf(keys, wrong));
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('security: symbol codes are checked before they reach the wire', function () {
  this.timeout(20_000);
  let sim: KisSimulator;
  let agent: KisAgent;
  let sink: CollectingSink;

  beforeEach(async () => {
    sim = await KisSimulator.start(SIM_OPTIONS);
    sink = new CollectingSink();
    agent = new KisAgent({ wsUrl: sim.wsUrl, restUrl: sim.restUrl, appkey: APPKEY, appsecret: APPSECRET, sink });
    agent.on('error', () => undefined);
    await agent.connect();
    await agent.subscribe('H0STCNT0', '005930');
  });

  afterEach(async () => {
    await agent.dispose();
    await sim.close();
  });

  const BAD_KEYS: Array<[string, string]> = [
    ['empty', ''],
    ['far too long', '0'.repeat(33)],
    ['a caret (the record separator)', '005930^H0STASP0'],
    ['a pipe (the envelope separator)', '005930|000660'],
    ['a double quote', '0059"0'],
    ['JSON-breaking text', '005930"},"header":{"tr_type":"2'],
    ['a backslash', '005930\\'],
    ['Korean text', '삼성전자'],
    ['full-width digits', '００５９３０'],
    ['a zero-width space', '005930\u200b'],
    ['a newline', '005930\n'],
    ['surrounding space', ' 005930 '],
    ['a NUL', '005930\u0000'],
  ];

  it('refuses each malformed tr_key with INVALID_REQUEST and a clear message, sends nothing, and keeps the others streaming', async () => {
    const sent = sim.requests.length;
    for (const [name, key] of BAD_KEYS) {
      for (const call of [
        (k: string) => agent.subscribe('H0STCNT0', k),
        (k: string) => agent.unsubscribe('H0STCNT0', k),
      ]) {
        await assert.rejects(call(key), (error: unknown) => {
          assert.ok(error instanceof AgentError, `${name}: ${String(error)}`);
          assert.equal(error.code, 'INVALID_REQUEST', name);
          assert.match(error.message, /is not a valid tr_key/, name);
          assert.ok(error.message.length < 120, `${name}: a short message`);
          return true;
        });
      }
    }
    for (const trId of ['', 'h0stcnt0', 'H0STCNT0"', 'H0ST CNT0', 'H0STCNT0|1']) {
      await assert.rejects(
        agent.subscribe(trId, '000660'),
        (error: unknown) =>
          error instanceof AgentError && error.code === 'INVALID_REQUEST' && /not a TR id/.test(error.message),
      );
    }
    // The wire: nothing new reached the server; the good subscription is still registered and streaming.
    assert.equal(sim.requests.length, sent, 'no request reached the server');
    assert.deepEqual(agent.wanted(), [{ trId: 'H0STCNT0', trKey: '005930' }]);
    assert.deepEqual(
      sim.registrations().map((r) => r.trKey),
      ['005930'],
    );
    const records = sink.records;
    await waitFor(() => sink.records > records, 'data still flows for 005930');
    assert.equal(agent.pendingRequests(), 0);
    assert.equal(agent.state, 'open');
  });

  it('refuses a tr_key that is not a KRX code for a market TR (lower case, wrong length) before the wire, and counts and logs every refusal', async () => {
    const logs: string[] = [];
    agent.on('log', (event) => logs.push(event.message));
    const sent = sim.requests.length;
    const wrong = ['abc123', '00593a', '0059300', '5930', '005930x'];
    // The whole-day TRs (NXT, unified, auctions, market status) take the same KRX code as H0STCNT0.
    const marketTrs = ['H0STCNT0', 'H0STASP0', 'H0UNCNT0', 'H0NXASP0', 'H0STANC0', 'H0UNMKO0'];
    for (const key of wrong) {
      for (const trId of marketTrs) {
        await assert.rejects(agent.subscribe(trId, key), (error: unknown) => {
          assert.ok(
            error instanceof AgentError && error.code === 'INVALID_REQUEST',
            `${trId} ${key}: ${String(error)}`,
          );
          assert.match(error.message, new RegExp(`"${key}" is not a valid tr_key for ${trId}`));
          return true;
        });
      }
    }
    await assert.rejects(
      agent.subscribe('H0STCNT0', '005930^'),
      (error: unknown) => error instanceof AgentError && error.code === 'INVALID_REQUEST',
    );
    assert.equal(sim.requests.length, sent, 'no request reached the server');
    assert.equal(agent.stats().invalidRequests, wrong.length * marketTrs.length + 1);
    assert.equal(
      logs.filter((line) => /Refused before sending/.test(line)).length,
      10,
      'the first ten are logged, then thinned',
    );
    assert.deepEqual(agent.wanted(), [{ trId: 'H0STCNT0', trKey: '005930' }]);
    // A notice TR takes an HTS ID, which may be lower case: it is not held to the KRX format and is sent.
    await agent.subscribe('H0STCNI9', 'htsuser01').catch(() => undefined);
    assert.ok(sim.requests.some((r) => r.trKey === 'htsuser01'));
  });

  it('holds index and US TRs to their own key rules: four digits for H0UPCNT0, D/R + exchange + ticker for HDFS*', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['H0UPCNT0', '005930', /an index code is four digits/],
      ['H0UPCNT0', 'DNASAAPL', /an index code is four digits/],
      ['HDFSCNT0', 'AAPL', /a US key is D \+ exchange \+ ticker/],
      ['HDFSASP0', '005930', /a US key is D \+ exchange \+ ticker/],
      ['H0STCNT0', '0001', /a KRX code is six/],
      ['H0STCNT0', 'DNASAAPL', /a KRX code is six/],
    ];
    for (const [trId, key, hint] of cases) {
      await assert.rejects(
        agent.subscribe(trId, key),
        (error: unknown) => error instanceof AgentError && error.code === 'INVALID_REQUEST' && hint.test(error.message),
      );
    }
    // Well-formed keys pass the check and reach the server (whatever it answers).
    const sent = sim.requests.length;
    await Promise.all(
      [agent.subscribe('H0UPCNT0', '0001'), agent.subscribe('HDFSCNT0', 'DNASAAPL')].map((p) =>
        p.catch(() => undefined),
      ),
    );
    assert.equal(sim.requests.length, sent + 2);
  });
});

// ---------------------------------------------------------------------------------------------------------

/** The project root: the nearest folder above this file that holds package.json. */
function projectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    assert.notEqual(parent, dir, 'package.json not found above the test');
    dir = parent;
  }
  return dir;
}

/** Non-loopback IPv4 addresses of this machine (may be none in a sandbox). */
function externalAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((info) => info.family === 'IPv4' && !info.internal)
    .map((info) => info.address);
}

/** Resolves with the error code of a TCP connection attempt to `host:port` ('connected' if it succeeded). */
function tryConnect(host: string, port: number): Promise<string> {
  return new Promise<string>((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** Asserts that `sim` listens on 127.0.0.1 only. */
async function assertLoopbackOnly(sim: KisSimulator): Promise<void> {
  const address = sim.address();
  assert.ok(address, 'the simulator listens');
  assert.equal(address.address, '127.0.0.1');
  assert.equal(address.family, 'IPv4');
  assert.match(sim.wsUrl, /^ws:\/\/127\.0\.0\.1:\d+$/);
  assert.match(sim.restUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
  for (const host of externalAddresses()) {
    assert.notEqual(await tryConnect(host, address.port), 'connected', `reachable on ${host}`);
  }
}

describe('security: the simulator and every local server bind 127.0.0.1 only', function () {
  this.timeout(20_000);

  it('KisSimulator.start() listens on 127.0.0.1, even when an untyped caller asks for another host', async () => {
    for (const options of [{ port: 0 }, { port: 0, host: '0.0.0.0' }, { port: 0, host: '::' }]) {
      const sim = await KisSimulator.start(options as SimulatorOptions);
      try {
        await assertLoopbackOnly(sim);
      } finally {
        await sim.close();
      }
      assert.equal(sim.address(), undefined, 'closed');
    }
  });

  it('kis-monitor sim listens on 127.0.0.1, and refuses a --host or --bind flag', async () => {
    const stop = new AbortController();
    let out = '';
    let listening: KisSimulator | undefined;
    const io = {
      stdout: { write: (text: string) => (out += text) },
      stderr: { write: (text: string) => (out += text) },
      signal: stop.signal,
      onListening: (sim: KisSimulator) => {
        listening = sim;
      },
    };
    const exit = simCommand.run(['--port', '0'], io);
    await waitFor(() => listening !== undefined, 'the CLI simulator listens');
    assert.ok(listening);
    await assertLoopbackOnly(listening);
    assert.match(out, /listening on 127\.0\.0\.1/);
    stop.abort();
    assert.equal(await exit, 0);

    for (const flag of [['--host', '0.0.0.0'], ['--bind', '0.0.0.0'], ['--host=::']]) {
      let err = '';
      const code = await simCommand.run(flag, {
        stdout: { write: () => undefined },
        stderr: { write: (t: string) => (err += t) },
      });
      assert.equal(code, 2, flag.join(' '));
      assert.match(err, /Unknown option/i, flag.join(' '));
    }
  });

  it("the session's embedded simulator listens on 127.0.0.1", async () => {
    const session = new Session({
      settings: () => parseSettings({}).settings,
      credentials: async () => undefined,
      store: { load: () => [], save: async () => undefined },
      log: new Logger(memoryChannel()),
      simulator: { tickIntervalMs: 20 },
    });
    try {
      await session.add(['005930']);
      const sim = session.embeddedSimulator;
      assert.ok(sim, 'the embedded simulator runs');
      await assertLoopbackOnly(sim);
    } finally {
      await session.dispose();
    }
  });

  it('every server in the sources, scripts, tests and benchmarks binds 127.0.0.1, and code-server is started on it', () => {
    const root = projectRoot();
    const self = path.join(root, 'test', 'reliability', 'security.test.ts');
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (/\.(?:ts|mts|mjs|js|sh)$/.test(entry.name) && full !== self) files.push(full);
      }
    };
    for (const dir of ['src', 'scripts', 'test', 'bench']) walk(path.join(root, dir));
    assert.ok(files.length > 50, 'the tree was read');

    let listens = 0;
    let binds = 0;
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      const where = path.relative(root, file);
      // server.listen(port, host, ...): the host must be the loopback address. The hub's local channel
      // (src/hub) listens on a Unix socket or named pipe, `.listen({ path })`: no TCP port at all.
      for (const match of text.matchAll(/\.listen\(([^)]*)\)?/g)) {
        listens++;
        assert.match(match[1], /^[^,]+,\s*'127\.0\.0\.1'|^\{\s*path\b/, `${where}: ${match[0]}`);
      }
      // code-server --bind-addr HOST:PORT
      for (const match of text.matchAll(/--bind-addr['"]?,?\s*[`'"]?([^`'"\s]+)/g)) {
        binds++;
        assert.match(match[1], /^127\.0\.0\.1:/, `${where}: ${match[0]}`);
      }
      // A WebSocketServer given a port listens on every interface: it must ride on one of the http servers
      // checked above (`noServer` with our own upgrade handler, or `server:`).
      for (const match of text.matchAll(/new WebSocketServer\(\{([^}]*)\}/g)) {
        assert.match(match[1], /noServer:\s*true|\bserver:/, `${where}: ${match[0]}`);
        assert.doesNotMatch(match[1], /\bport:/, `${where}: ${match[0]}`);
      }
    }
    assert.ok(listens >= 5, `found the listen() calls (${listens})`);
    assert.ok(binds >= 3, `found the code-server launches (${binds})`);
    // npm start goes through the shared launcher, which is among those checked above.
    const start = fs.readFileSync(path.join(root, 'scripts', 'start.mjs'), 'utf8');
    assert.match(start, /import \{[^}]*\bstartCodeServer\b[^}]*\} from '\.\/lib\/codeServer\.mjs'/);
    assert.match(
      fs.readFileSync(path.join(root, 'scripts', 'lib', 'codeServer.mjs'), 'utf8'),
      /'--bind-addr',\s*`127\.0\.0\.1:\$\{/,
    );
  });
});
