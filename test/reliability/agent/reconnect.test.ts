import * as assert from 'node:assert/strict';
import { AgentError, AppkeyHolds, type KisAgent, type StateChange } from '../../../src/agent';
import { KisSimulator } from '../../../src/simulator';
import { codes, CollectingSink, makeAgent, nextEvent, TEST_APPKEY, TEST_APPSECRET, waitFor } from './helpers';

function codeOf(error: unknown): string {
  return error instanceof AgentError ? error.code : `not an AgentError: ${String(error)}`;
}

describe('agent reconnects and fatal replies against the simulator', function () {
  this.timeout(20_000);
  let sim: KisSimulator;
  const agents: KisAgent[] = [];

  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.dispose()));
    await sim.close();
  });

  it('after an abrupt close every subscription is back, in order, and data flows again', async () => {
    sim = await KisSimulator.start({ port: 0, ratePerSymbol: 50 });
    const sink = new CollectingSink();
    const agent = makeAgent(sim, sink);
    agents.push(agent);
    const states: string[] = [];
    agent.on('state', (s: StateChange) => states.push(s.to));
    await agent.connect();
    const wanted = [...codes(5).map((c) => ['H0STCNT0', c]), ['H0STASP0', '005930']];
    for (const [trId, trKey] of wanted) await agent.subscribe(trId, trKey);
    const firstSession = sim.sessionIds()[0];
    const reopened = nextEvent<StateChange>(agent, 'state', (s) => s.to === 'open');
    sim.dropAll();
    await reopened;
    await waitFor(() => sim.registrations().filter((r) => r.acked).length === wanted.length, 'all registrations back');
    const again = sim.requests.filter((r) => r.sessionId !== firstSession);
    assert.deepEqual(
      again.map((r) => [r.trId, r.trKey]),
      wanted,
      'replayed in the order they were asked for',
    );
    const recordsNow = sink.records;
    await waitFor(() => sink.records > recordsNow + 20, 'data flows on the new session');
    const stats = agent.stats();
    assert.equal(stats.reconnects, 1);
    assert.equal(stats.subscriptionsUsed, wanted.length);
    assert.deepEqual(states, ['connecting', 'open', 'reconnecting', 'connecting', 'open']);
  });

  it('reconnects after a clean server close, and stays in the loop while the server is down', async () => {
    sim = await KisSimulator.start({ port: 0, ratePerSymbol: 10 });
    const agent = makeAgent(sim, new CollectingSink());
    agents.push(agent);
    await agent.connect();
    await agent.subscribe('H0STCNT0', '005930');
    const reasons: string[] = [];
    agent.on('state', (s) => s.reason && reasons.push(s.reason));
    const reopened = nextEvent<StateChange>(agent, 'state', (s) => s.to === 'open');
    sim.closeAll(1001, 'going away');
    await reopened;
    assert.match(reasons.join('\n'), /Connection closed \(code 1001 going away\); retrying in/);
    await waitFor(() => sim.registrations().some((r) => r.acked && r.trKey === '005930'), 'resubscribed');
  });

  it('detects a stall (no message for 2.5 × the PINGPONG interval) and recovers', async () => {
    sim = await KisSimulator.start({ port: 0, ratePerSymbol: 20, pingIntervalMs: 200 });
    const sink = new CollectingSink();
    const agent = makeAgent(sim, sink, { pingIntervalMs: 200 });
    agents.push(agent);
    await agent.connect();
    await agent.subscribe('H0STCNT0', '005930');
    await waitFor(() => sink.records > 0, 'data before the stall');
    const reconnecting = nextEvent<StateChange>(agent, 'state', (s) => s.to === 'reconnecting');
    sim.stall();
    const change = await reconnecting;
    assert.match(change.reason ?? '', /No message from KIS for [\d.]+ m?s \(a PINGPONG is expected every 200 ms\)/);
    assert.equal(agent.stats().stalls, 1);
    assert.equal(agent.stats().lastErrorCode, 'STALLED');
    sim.resume();
    await nextEvent<StateChange>(agent, 'state', (s) => s.to === 'open');
    const recordsNow = sink.records;
    await waitFor(() => sink.records > recordsNow, 'data after recovery');
  });

  it('OPSP0011: re-issues the approval key once and carries on', async () => {
    sim = await KisSimulator.start({ port: 0, ratePerSymbol: 10 });
    const sink = new CollectingSink();
    const agent = makeAgent(sim, sink);
    agents.push(agent);
    await agent.connect();
    sim.refuseNext('OPSP0011');
    const result = await agent.subscribe('H0STCNT0', '005930');
    assert.equal(result.status, 'subscribed');
    assert.equal(agent.state, 'open');
    const keys = new Set(sim.requests.map((r) => r.sessionId));
    assert.equal(keys.size, 2, 'a second session after the refusal');
    await waitFor(() => sink.records > 0, 'data on the new session');
  });

  it('OPSP0011 twice in a row: stops with BAD_CREDENTIALS and a clear, secret-free message', async () => {
    sim = await KisSimulator.start({ port: 0 });
    const agent = makeAgent(sim, new CollectingSink());
    agents.push(agent);
    const logs: string[] = [];
    agent.on('log', (l) => logs.push(l.message));
    const errors: string[] = [];
    agent.on('error', (e) => errors.push(e.code));
    await agent.connect();
    sim.refuseNext('OPSP0011', undefined, 2);
    const stopped = nextEvent<StateChange>(agent, 'state', (s) => s.to === 'stopped');
    await assert.rejects(agent.subscribe('H0STCNT0', '005930'), (e: unknown) => codeOf(e) === 'BAD_CREDENTIALS');
    const change = await stopped;
    assert.match(change.reason ?? '', /KIS rejected a freshly issued approval key for appkey PSg5… \(OPSP0011\)/);
    assert.equal(agent.stats().lastErrorCode, 'BAD_CREDENTIALS');
    assert.deepEqual(errors, ['BAD_CREDENTIALS']);
    const everything = [...logs, change.reason ?? '', agent.stats().lastError ?? ''].join('\n');
    assert.ok(!everything.includes(TEST_APPKEY) && !everything.includes(TEST_APPSECRET), everything);
    await waitFor(() => agent.trackedTasks() === 0, 'every task of the stopped agent settled');
    await assert.rejects(agent.subscribe('H0STCNT0', '000660'), (e: unknown) => codeOf(e) === 'STOPPED');
  });

  it('OPSP8996: backs off at least appkeyInUseBackoffMs before retrying, says so, then gets in', async () => {
    sim = await KisSimulator.start({ port: 0, ratePerSymbol: 1 });
    const holder = makeAgent(sim, new CollectingSink());
    agents.push(holder);
    await holder.connect();
    await holder.subscribe('H0STCNT0', '005930');
    const holderSession = sim.sessionIds()[0];

    const backoffMs = 300;
    const second = makeAgent(sim, new CollectingSink(), { appkeyInUseBackoffMs: backoffMs });
    agents.push(second);
    const connections: number[] = [];
    sim.on('connection', () => connections.push(Date.now()));
    const closes: number[] = [];
    sim.on('close', (c: { sessionId: number }) => c.sessionId !== holderSession && closes.push(Date.now()));
    await second.connect();
    const reconnecting = nextEvent<StateChange>(second, 'state', (s) => s.to === 'reconnecting');
    const reported = nextEvent<{ code: string; message: string }>(second, 'error', (e) => e.code === 'APPKEY_IN_USE');
    const subscribed = second.subscribe('H0STCNT0', '000660');
    const change = await reconnecting;
    assert.match((await reported).message, /appkey already in use elsewhere/);
    assert.match(change.reason ?? '', /^appkey already in use elsewhere; retrying in 300 ms$/);
    assert.equal(second.stats().lastErrorCode, 'APPKEY_IN_USE');
    // Let the holder go; the second agent gets in on its retry.
    await holder.dispose();
    assert.equal((await subscribed).status, 'subscribed');
    assert.ok(connections.length >= 2 && closes.length >= 1);
    // Lower bound only: the retry never came earlier than the configured wait after the refusal.
    assert.ok(
      connections[1] - closes[0] >= backoffMs - 5,
      `retried ${connections[1] - closes[0]} ms after the refusal`,
    );
  });

  it('OPSP8996 holds the app key for every agent of the process: a new agent (reconnect command, source switch) waits too', async () => {
    sim = await KisSimulator.start({ port: 0, ratePerSymbol: 1 });
    const holds = new AppkeyHolds();
    const holdMs = 400;
    const first = makeAgent(sim, new CollectingSink(), { appkeyHolds: holds, appkeyInUseBackoffMs: holdMs });
    agents.push(first);
    await first.connect();
    const refusedAt = Date.now();
    sim.refuseNext('OPSP8996');
    const reconnecting = nextEvent<StateChange>(first, 'state', (s) => s.to === 'reconnecting');
    void first.subscribe('H0STCNT0', '005930').catch(() => undefined);
    await reconnecting;
    await first.dispose();

    // A fresh agent with the same key: no connection before the hold ends, and it says why.
    const connections: number[] = [];
    sim.on('connection', () => connections.push(Date.now()));
    const second = makeAgent(sim, new CollectingSink(), { appkeyHolds: holds });
    agents.push(second);
    const waiting = nextEvent<StateChange>(second, 'state', (s) => s.to === 'reconnecting');
    const connected = second.connect();
    assert.match(
      (await waiting).reason ?? '',
      /^appkey PSg5… was reported in use elsewhere \(OPSP8996\); connecting in \d+ ms$/,
    );
    assert.equal(second.stats().lastErrorCode, 'APPKEY_IN_USE');
    await connected;
    assert.equal(connections.length, 1);
    // A lower bound only: the new agent did not connect before the hold set by the first one ended.
    assert.ok(connections[0] - refusedAt >= holdMs - 5, `connected ${connections[0] - refusedAt} ms after the refusal`);

    // Another app key is not held.
    const other = makeAgent(sim, new CollectingSink(), {
      appkeyHolds: holds,
      appkey: 'PSotherkey0000000000000000000000000',
    });
    agents.push(other);
    const states: string[] = [];
    other.on('state', (s) => states.push(s.to));
    await other.connect();
    assert.deepEqual(states, ['connecting', 'open']);
  });

  it('disconnect() during an OPSP8996 hold ends the wait at once', async () => {
    sim = await KisSimulator.start({ port: 0 });
    const holds = new AppkeyHolds();
    holds.hold(TEST_APPKEY, Date.now() + 60_000);
    const agent = makeAgent(sim, new CollectingSink(), { appkeyHolds: holds });
    agents.push(agent);
    const waiting = nextEvent<StateChange>(agent, 'state', (s) => s.to === 'reconnecting');
    const connecting = agent.connect();
    await waiting;
    await agent.disconnect();
    await assert.rejects(connecting, (e: unknown) => codeOf(e) === 'DISCONNECTED');
    assert.equal(agent.trackedTasks(), 0);
    assert.equal(sim.connectionCount, 0, 'never connected');
  });

  it('bad credentials: connect() rejects with BAD_CREDENTIALS and the agent stops without leaking the secret', async () => {
    sim = await KisSimulator.start({ port: 0, credentials: { appkey: 'OTHERKEY1234', secretkey: 'OTHERSECRET' } });
    const agent = makeAgent(sim, new CollectingSink());
    agents.push(agent);
    await assert.rejects(agent.connect(), (e: unknown) => {
      assert.equal(codeOf(e), 'BAD_CREDENTIALS');
      assert.match((e as Error).message, /EGW00103/);
      assert.ok(!(e as Error).message.includes(TEST_APPSECRET));
      return true;
    });
    assert.equal(agent.state, 'stopped');
    assert.equal(agent.stats().lastErrorCode, 'BAD_CREDENTIALS');
    assert.equal(sim.connectionCount, 0, 'no WebSocket was opened with bad credentials');
  });

  it('a dead server keeps the agent reconnecting with the reason in its stats, and disconnect() ends it', async () => {
    sim = await KisSimulator.start({ port: 0 });
    const { restUrl, wsUrl } = sim;
    await sim.close();
    const agent = makeAgent(sim, new CollectingSink(), { restUrl, wsUrl });
    agents.push(agent);
    const connecting = agent.connect();
    await nextEvent<StateChange>(agent, 'state', (s) => s.to === 'reconnecting');
    assert.equal(agent.stats().lastErrorCode, 'REST_UNREACHABLE');
    assert.ok(agent.stats().nextRetryAt !== undefined);
    await agent.disconnect();
    await assert.rejects(connecting, (e: unknown) => codeOf(e) === 'DISCONNECTED');
    assert.equal(agent.state, 'idle');
    assert.equal(agent.trackedTasks(), 0);
    sim = await KisSimulator.start({ port: 0 });
  });
});
