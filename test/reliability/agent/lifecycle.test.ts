import * as assert from 'node:assert/strict';
import { AgentError, KisAgent, type StateChange } from '../../../src/agent';
import { classify } from '../../../src/kis';
import { KisSimulator } from '../../../src/simulator';
import { CollectingSink, makeAgent, nextEvent, TEST_APPKEY, TEST_APPSECRET, waitFor } from './helpers';

function codeOf(error: unknown): string {
  return error instanceof AgentError ? error.code : `not an AgentError: ${String(error)}`;
}

/** Counts of active handles/requests by type, e.g. { TCPSocketWrap: 3, Timeout: 2 }. */
function resources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}

/** True when no resource type has more entries than in `baseline`. */
function backTo(baseline: Map<string, number>): boolean {
  for (const [type, n] of resources()) if (n > (baseline.get(type) ?? 0)) return false;
  return true;
}

describe('agent lifecycle: disconnect, dispose, leaks', function () {
  this.timeout(20_000);
  let sim: KisSimulator;
  let agent: KisAgent | undefined;

  beforeEach(async () => {
    sim = await KisSimulator.start({ port: 0, ratePerSymbol: 50, pingIntervalMs: 1000 });
  });
  afterEach(async () => {
    await agent?.dispose();
    agent = undefined;
    await sim.close();
  });

  it('dispose() while streaming cancels every tracked task and leaves no socket, timer, listener or pending promise', async () => {
    // Taken inside a timer callback, like the checks of waitFor(), so the running timer counts on both sides.
    const baseline = await new Promise<Map<string, number>>((resolve) => setTimeout(() => resolve(resources()), 0));
    const sink = new CollectingSink();
    agent = makeAgent(sim, sink, { ackTimeoutMs: 60_000 });
    agent.on('state', () => undefined);
    agent.on('log', () => undefined);
    await agent.connect();
    await agent.subscribe('H0STCNT0', '005930');
    await waitFor(() => sink.records > 0, 'streaming');
    sim.ignoreSubscriptions(true);
    const unanswered = agent.subscribe('H0STCNT0', '000660');
    await waitFor(() => sim.requests.some((r) => r.trKey === '000660'), 'the unanswered request reached the server');
    assert.ok(agent.trackedTasks() >= 2, 'session loop, watchdog and ack timer are tracked');
    assert.ok(!backTo(baseline), 'the session holds resources while open');

    await agent.dispose();
    await assert.rejects(unanswered, (e: unknown) => codeOf(e) === 'DISPOSED');
    assert.equal(agent.trackedTasks(), 0);
    assert.equal(agent.pendingRequests(), 0);
    assert.equal(agent.hasSocket(), false);
    assert.equal(agent.state, 'stopped');
    assert.equal(agent.listenerCount('state') + agent.listenerCount('log'), 0);
    assert.deepEqual(agent.wanted(), []);
    await waitFor(() => sim.connectionCount === 0, 'the server saw the close');
    await waitFor(() => backTo(baseline), `resources back to the baseline (now ${JSON.stringify([...resources()])})`);
    await assert.rejects(agent.connect(), (e: unknown) => codeOf(e) === 'DISPOSED');
    await assert.rejects(agent.subscribe('H0STCNT0', '005930'), (e: unknown) => codeOf(e) === 'DISPOSED');
    await agent.dispose();
  });

  it('disconnect() closes cleanly with 1000, returns to idle, keeps the wanted set, and connect() restores it', async () => {
    agent = makeAgent(sim, new CollectingSink());
    await agent.connect();
    await agent.subscribe('H0STCNT0', '005930');
    await agent.subscribe('H0STASP0', '005930');
    const closed = nextEvent<{ code: number }>(sim, 'close');
    await agent.disconnect();
    assert.equal((await closed).code, 1000);
    assert.equal(agent.state, 'idle');
    assert.equal(agent.trackedTasks(), 0);
    assert.equal(agent.hasSocket(), false);
    assert.deepEqual(
      agent.wanted().map((w) => w.trId),
      ['H0STCNT0', 'H0STASP0'],
    );
    assert.equal(agent.stats().subscriptionsUsed, 0);
    await agent.disconnect();
    await agent.connect();
    await waitFor(() => agent!.stats().subscriptionsUsed === 2, 'both subscriptions restored');
    assert.equal(sim.registrations().length, 2);
  });

  it('disconnect() during a backoff wait, and while the socket is still opening, leaves nothing behind', async () => {
    agent = makeAgent(sim, new CollectingSink(), { backoff: { baseMs: 60_000, capMs: 60_000 } });
    await agent.connect();
    await agent.subscribe('H0STCNT0', '005930');
    const reconnecting = nextEvent<StateChange>(agent, 'state', (s) => s.to === 'reconnecting');
    sim.dropAll();
    await reconnecting;
    assert.ok(agent.stats().nextRetryAt !== undefined);
    await agent.disconnect();
    assert.equal(agent.state, 'idle');
    assert.equal(agent.trackedTasks(), 0);

    const opening = agent.connect();
    const gone = agent.disconnect();
    await assert.rejects(opening, (e: unknown) => codeOf(e) === 'DISCONNECTED');
    await gone;
    assert.equal(agent.trackedTasks(), 0);
    assert.equal(agent.hasSocket(), false);
  });

  it('connect() while a disconnect is in progress waits for it, then opens a new session', async () => {
    agent = makeAgent(sim, new CollectingSink());
    await agent.connect();
    const states: string[] = [];
    agent.on('state', (s) => states.push(s.to));
    const gone = agent.disconnect();
    const back = agent.connect();
    await gone;
    await back;
    assert.equal(agent.state, 'open');
    assert.deepEqual(states, ['idle', 'connecting', 'open']);
    assert.equal(await agent.connect(), undefined, 'connect() when open resolves at once');
  });

  it('survives listeners that throw and a classifier that throws', async () => {
    let classifyCalls = 0;
    const sink = new CollectingSink();
    agent = makeAgent(sim, sink, {
      classify: (text) => {
        classifyCalls += 1;
        if (classifyCalls === 3) throw new Error('classifier bug');
        return classify(text);
      },
    });
    agent.on('state', () => {
      throw new Error('state listener bug');
    });
    agent.on('ack', () => {
      throw new Error('ack listener bug');
    });
    const logs: string[] = [];
    agent.on('log', (l) => logs.push(l.message));
    await agent.connect();
    await agent.subscribe('H0STCNT0', '005930');
    await waitFor(
      () => agent!.stats().parseErrors === 1 && sink.records > 0,
      'the throwing message counted, data flowing',
    );
    assert.equal(agent.state, 'open');
    assert.ok((agent.stats().listenerErrors ?? 0) >= 3, 'state (connecting, open) and ack listener exceptions counted');
    assert.match(logs.join('\n'), /A 'state' listener threw: state listener bug/);
    assert.match(logs.join('\n'), /Message handling failed: classifier bug/);
  });

  it('rejects unusable options with INVALID_OPTIONS', () => {
    const sink = new CollectingSink();
    assert.throws(
      () =>
        new KisAgent({
          wsUrl: 'not a url',
          restUrl: sim.restUrl,
          appkey: TEST_APPKEY,
          appsecret: TEST_APPSECRET,
          sink,
        }),
      (e: unknown) => codeOf(e) === 'INVALID_OPTIONS',
    );
    assert.throws(
      () =>
        new KisAgent({
          wsUrl: sim.restUrl,
          restUrl: sim.restUrl,
          appkey: TEST_APPKEY,
          appsecret: TEST_APPSECRET,
          sink,
        }),
      (e: unknown) => codeOf(e) === 'INVALID_OPTIONS' && /wsUrl must start with ws: or wss:/.test((e as Error).message),
    );
    assert.throws(
      () => new KisAgent({ wsUrl: sim.wsUrl, restUrl: sim.restUrl, appkey: '', appsecret: TEST_APPSECRET, sink }),
      (e: unknown) => codeOf(e) === 'INVALID_OPTIONS',
    );
  });

  it('masks the appkey in every log line and never logs the secret or the approval key', async () => {
    const lines: string[] = [];
    agent = makeAgent(sim, new CollectingSink());
    agent.on('log', (l) => lines.push(l.message));
    agent.on('error', () => undefined);
    await agent.connect();
    sim.refuseNext('OPSP0011');
    await agent.subscribe('H0STCNT0', '005930');
    sim.refuseNext('OPSP8992');
    await assert.rejects(agent.subscribe('H0STCNT0', '000660'));
    const text = lines.join('\n');
    assert.match(text, /KIS rejected the approval key/);
    assert.ok(!text.includes(TEST_APPKEY), 'no full appkey');
    assert.ok(!text.includes(TEST_APPSECRET), 'no secret');
    assert.ok(
      !/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i.test(text),
      `no approval key in:\n${text}`,
    );
  });
});
