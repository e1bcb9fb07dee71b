import * as assert from 'node:assert/strict';
import { AgentError, type KisAgent } from '../../../src/agent';
import { KisSimulator } from '../../../src/simulator';
import { codes, CollectingSink, makeAgent, TEST_APPKEY, waitFor } from './helpers';

function codeOf(error: unknown): string {
  return error instanceof AgentError ? error.code : `not an AgentError: ${String(error)}`;
}

/** Tracks how many requests the server has received but not yet answered, in server event order. */
function inFlightProbe(sim: KisSimulator): { max: () => number; atSend: number[] } {
  let open = 0;
  let max = 0;
  const atSend: number[] = [];
  sim.on('request', () => {
    atSend.push(open);
    open += 1;
    max = Math.max(max, open);
  });
  sim.on('ack', () => {
    open -= 1;
  });
  return { max: () => max, atSend };
}

describe('agent subscriptions against the simulator', function () {
  this.timeout(20_000);
  let sim: KisSimulator;
  let agent: KisAgent;
  let sink: CollectingSink;

  beforeEach(async () => {
    sim = await KisSimulator.start({ port: 0, ratePerSymbol: 1 });
    sink = new CollectingSink();
  });
  afterEach(async () => {
    await agent?.dispose();
    await sim.close();
  });

  it('sends 41 subscriptions strictly one after another, each only after the previous ack', async () => {
    sim.setAckDelay(3);
    const probe = inFlightProbe(sim);
    agent = makeAgent(sim, sink);
    await agent.connect();
    const results = await Promise.all(codes(41).map((code) => agent.subscribe('H0STCNT0', code)));
    assert.ok(results.every((r) => r.status === 'subscribed'));
    assert.equal(sim.requests.length, 41);
    assert.deepEqual(probe.atSend, new Array(41).fill(0), 'nothing was in flight when each request arrived');
    for (let i = 1; i < sim.requests.length; i++) {
      const previous = sim.requests[i - 1];
      assert.ok(
        previous.ackSentAt !== undefined && sim.requests[i].at >= previous.ackSentAt,
        `request ${i} arrived before ack ${i - 1}`,
      );
    }
    assert.deepEqual(
      sim.requests.map((r) => r.trKey),
      codes(41),
      'in the order asked',
    );
    const stats = agent.stats();
    assert.equal(stats.subscriptionsUsed, 41);
    assert.equal(stats.subscriptionLimit, 41);
    assert.ok(stats.ackRttP50 !== undefined && stats.ackRttP99 !== undefined && stats.ackRttP99 >= stats.ackRttP50);
    assert.equal(agent.pendingRequests(), 0);
  });

  it('with maxInFlight 8 keeps at most 8 requests unanswered, and uses the window', async () => {
    sim.setAckDelay(20);
    const probe = inFlightProbe(sim);
    agent = makeAgent(sim, sink, { maxInFlight: 8 });
    await agent.connect();
    const results = await Promise.all(codes(41).map((code) => agent.subscribe('H0STCNT0', code)));
    assert.equal(results.length, 41);
    assert.ok(probe.max() <= 8, `max in flight ${probe.max()}`);
    assert.ok(probe.max() > 1, `the window was used (max ${probe.max()})`);
    assert.equal(agent.stats().subscriptionsUsed, 41);
  });

  it('refuses the 42nd subscription locally with a clear message; the server never sees it', async () => {
    agent = makeAgent(sim, sink, { maxInFlight: 4 });
    await agent.connect();
    await Promise.all(codes(41).map((code) => agent.subscribe('H0STCNT0', code)));
    await assert.rejects(agent.subscribe('H0STCNT0', '999990'), (e: unknown) => {
      assert.equal(codeOf(e), 'MAX_SUBSCRIPTIONS');
      assert.match((e as Error).message, /KIS allows 41 real-time registrations per session; unsubscribe one first/);
      return true;
    });
    assert.equal(sim.requests.length, 41);
    assert.ok(!sim.requests.some((r) => r.trKey === '999990'));
    assert.equal(agent.stats().refused, 1);
    assert.equal(agent.stats().lastErrorCode, 'MAX_SUBSCRIPTIONS');
    // Freeing one slot makes room again.
    assert.equal((await agent.unsubscribe('H0STCNT0', codes(1)[0])).status, 'unsubscribed');
    assert.equal((await agent.subscribe('H0STCNT0', '999990')).status, 'subscribed');
  });

  it('when the server still answers OPSP0008, only that subscription fails and the others stay', async () => {
    agent = makeAgent(sim, sink);
    const errors: string[] = [];
    agent.on('error', (e) => errors.push(`${e.code} ${e.trKey ?? ''}`));
    await agent.connect();
    sim.refuseNext('OPSP0008', (r) => r.trKey === '000020');
    const settled = await Promise.allSettled(codes(3).map((code) => agent.subscribe('H0STCNT0', code)));
    assert.deepEqual(
      settled.map((s) => s.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    const reason = (settled[1] as PromiseRejectedResult).reason as Error;
    assert.equal(codeOf(reason), 'MAX_SUBSCRIPTIONS');
    assert.match(reason.message, /unsubscribe one first/);
    assert.deepEqual(
      agent.wanted().map((w) => w.trKey),
      ['000010', '000030'],
    );
    assert.deepEqual(errors, ['MAX_SUBSCRIPTIONS 000020']);
    await waitFor(() => sink.records > 0, 'data for the remaining subscriptions');
    assert.equal(agent.state, 'open');
  });

  it('a failed subscription leaves no pending, result or error entry, and a retry starts clean', async () => {
    agent = makeAgent(sim, sink, { ackTimeoutMs: 100 });
    await agent.connect();
    sim.ignoreSubscriptions(true);
    await assert.rejects(agent.subscribe('H0STCNT0', '005930'), (e: unknown) => codeOf(e) === 'ACK_TIMEOUT');
    assert.equal(agent.pendingRequests(), 0);
    assert.equal(agent.stats().pendingRequests, 0);
    assert.deepEqual(agent.wanted(), []);
    sim.ignoreSubscriptions(false);
    sim.refuseNext('OPSP0007');
    await assert.rejects(
      agent.subscribe('H0STCNT0', '005930'),
      (e: unknown) => codeOf(e) === 'REFUSED' && /OPSP0007/.test((e as Error).message),
    );
    assert.equal(agent.pendingRequests(), 0);
    const retry = await agent.subscribe('H0STCNT0', '005930');
    assert.ok(retry.status === 'subscribed' || retry.status === 'already', retry.status);
    assert.equal(agent.pendingRequests(), 0);
    assert.deepEqual(agent.wanted(), [{ trId: 'H0STCNT0', trKey: '005930' }]);
  });

  it('masks a key that KIS echoes in a refusal, in the error and in stats', async () => {
    agent = makeAgent(sim, sink);
    await agent.connect();
    sim.ignoreSubscriptions(true);
    const refused = agent.subscribe('H0STCNT0', '005930');
    await waitFor(() => sim.requests.some((r) => r.trKey === '005930'), 'the subscribe on the wire');
    sim.sendRaw(
      JSON.stringify({
        header: { tr_id: 'H0STCNT0', tr_key: '005930', encrypt: 'N' },
        body: { rt_cd: '1', msg_cd: 'OPSP0010', msg1: `SUBSCRIBE WARNING : invalid appkey ${TEST_APPKEY}` },
      }),
    );
    await assert.rejects(
      refused,
      (e: unknown) => codeOf(e) === 'REFUSED' && !(e as Error).message.includes(TEST_APPKEY),
    );
    assert.ok(!(agent.stats().lastError ?? '').includes(TEST_APPKEY), agent.stats().lastError);
    assert.match(agent.stats().lastError ?? '', /OPSP0010/);
  });

  it('rejects malformed tr_id / tr_key before anything is sent', async () => {
    agent = makeAgent(sim, sink);
    await agent.connect();
    await assert.rejects(agent.subscribe('h0', '005930'), (e: unknown) => codeOf(e) === 'INVALID_REQUEST');
    await assert.rejects(agent.subscribe('H0STCNT0', '00 59"30'), (e: unknown) => codeOf(e) === 'INVALID_REQUEST');
    await assert.rejects(agent.unsubscribe('H0STCNT0', ''), (e: unknown) => codeOf(e) === 'INVALID_REQUEST');
    assert.equal(sim.requests.length, 0);
  });

  it('a request made while not connected waits for the connection', async () => {
    agent = makeAgent(sim, sink);
    const pending = agent.subscribe('H0STASP0', '005930');
    assert.equal(agent.pendingRequests(), 1);
    assert.equal(sim.requests.length, 0);
    await agent.connect();
    assert.equal((await pending).status, 'subscribed');
    await waitFor(() => sink.batches.some((b) => b.some((f) => f.trId === 'H0STASP0')), 'order-book frames');
  });
});
