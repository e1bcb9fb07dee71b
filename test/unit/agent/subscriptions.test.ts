import * as assert from 'node:assert/strict';
import { AgentError } from '../../../src/agent/errors';
import { SubscriptionManager, type SubscriptionManagerOptions } from '../../../src/agent/subscriptions';
import { TaskTracker } from '../../../src/agent/tasks';
import { classifyOpsp, OPSP, type Ack, type OpspCode } from '../../../src/kis';

interface Sent {
  trType: string;
  trId: string;
  trKey: string;
}

function ack(trId: string, trKey: string, msgCd: OpspCode | string): Ack {
  const entry = (OPSP as Record<string, { msg1: string; rtCd: string } | undefined>)[msgCd];
  const rtCd = entry?.rtCd ?? '0';
  return {
    trId,
    trKey,
    encrypt: false,
    rtCd,
    msgCd,
    msg1: entry?.msg1 ?? 'SOMETHING',
    outcome: classifyOpsp(msgCd, rtCd),
  };
}

function codeOf(error: unknown): string {
  return error instanceof AgentError ? error.code : `not an AgentError: ${String(error)}`;
}

describe('agent SubscriptionManager (ledger and request queue)', () => {
  let tracker: TaskTracker;
  let sent: Sent[];
  let failures: string[];
  let clock: number;

  function make(overrides: Partial<SubscriptionManagerOptions> = {}): SubscriptionManager {
    return new SubscriptionManager({
      tracker,
      send: (trType, trId, trKey) => sent.push({ trType, trId, trKey }),
      now: () => clock,
      maxInFlight: 1,
      ackTimeoutMs: 60_000,
      maxRegistrations: 41,
      onFailure: (error, s) => failures.push(`${error.code} ${s.trKey}`),
      ...overrides,
    });
  }

  beforeEach(() => {
    tracker = new TaskTracker();
    sent = [];
    failures = [];
    clock = 1000;
  });
  afterEach(async () => {
    await tracker.cancelAll();
  });

  it('sends one request at a time, each only after the previous ack', async () => {
    const subs = make();
    subs.sessionOpened();
    const results = ['000001', '000002', '000003'].map((code) => subs.subscribe('H0STCNT0', code));
    assert.deepEqual(
      sent.map((s) => s.trKey),
      ['000001'],
    );
    clock += 7;
    subs.handleAck(ack('H0STCNT0', '000001', 'OPSP0000'), clock);
    assert.deepEqual(
      sent.map((s) => s.trKey),
      ['000001', '000002'],
    );
    subs.handleAck(ack('H0STCNT0', '000002', 'OPSP0002'), clock);
    subs.handleAck(ack('H0STCNT0', '000003', 'OPSP0000'), clock);
    const settled = await Promise.all(results);
    assert.deepEqual(
      settled.map((r) => r.status),
      ['subscribed', 'already', 'subscribed'],
    );
    assert.equal(settled[0].rttMs, 7);
    assert.equal(subs.registrations, 3);
    assert.equal(subs.pendingRequests(), 0);
  });

  it('keeps at most maxInFlight requests on the wire', () => {
    const subs = make({ maxInFlight: 3 });
    subs.sessionOpened();
    for (let i = 0; i < 10; i++) void subs.subscribe('H0STCNT0', String(i).padStart(6, '0'));
    assert.equal(sent.length, 3);
    assert.equal(subs.inFlight, 3);
    subs.handleAck(ack('H0STCNT0', '000001', 'OPSP0000'), clock);
    assert.equal(sent.length, 4, 'one ack releases exactly one slot');
    assert.equal(subs.inFlight, 3);
  });

  it('queues requests made before the session opens and sends them in order once it does', async () => {
    const subs = make();
    const a = subs.subscribe('H0STCNT0', '005930');
    const b = subs.subscribe('H0STASP0', '005930');
    assert.equal(sent.length, 0);
    assert.equal(subs.pendingRequests(), 2);
    subs.sessionOpened();
    assert.deepEqual(sent, [{ trType: '1', trId: 'H0STCNT0', trKey: '005930' }]);
    subs.handleAck(ack('H0STCNT0', '005930', 'OPSP0000'), clock);
    subs.handleAck(ack('H0STASP0', '005930', 'OPSP0000'), clock);
    assert.deepEqual(
      (await Promise.all([a, b])).map((r) => r.status),
      ['subscribed', 'subscribed'],
    );
  });

  it('refuses the 42nd wanted subscription locally without sending anything', async () => {
    const subs = make({ maxRegistrations: 2 });
    void subs.subscribe('H0STCNT0', '000001');
    void subs.subscribe('H0STCNT0', '000002');
    const third = subs.subscribe('H0STCNT0', '000003');
    await assert.rejects(
      third,
      (e: unknown) =>
        codeOf(e) === 'MAX_SUBSCRIPTIONS' &&
        /41 real-time registrations per session; unsubscribe one first/.test((e as Error).message),
    );
    assert.deepEqual(
      subs.wanted().map((s) => s.trKey),
      ['000001', '000002'],
    );
    assert.deepEqual(failures, ['MAX_SUBSCRIPTIONS 000003']);
  });

  it('never sends past the budget even when the server registered extra keys (late acks)', async () => {
    const subs = make({ maxRegistrations: 2 });
    subs.sessionOpened();
    // The server reports a registration we did not ask for (counted: it holds a slot), and we release it.
    subs.handleAck(ack('H0STCNT0', '999999', 'OPSP0000'), clock);
    assert.deepEqual(sent.at(-1), { trType: '2', trId: 'H0STCNT0', trKey: '999999' });
    const a = subs.subscribe('H0STCNT0', '000001');
    subs.handleAck(ack('H0STCNT0', '999999', 'OPSP0001'), clock);
    subs.handleAck(ack('H0STCNT0', '000001', 'OPSP0000'), clock);
    assert.equal((await a).status, 'subscribed');
    assert.equal(subs.registrations, 1);
  });

  it('at send time, a full budget with a release on the wire holds the subscribe until the release ack', async () => {
    const subs = make({ maxRegistrations: 2, maxInFlight: 4 });
    subs.sessionOpened();
    subs.handleAck(ack('H0STCNT0', '999999', 'OPSP0000'), clock); // a slot held by a late ack (its release is in flight)
    const a = subs.subscribe('H0STCNT0', '000001');
    const b = subs.subscribe('H0STCNT0', '000002');
    assert.deepEqual(
      sent.map((x) => `${x.trType} ${x.trKey}`),
      ['2 999999', '1 000001'],
      'the subscribe over the budget does not go out while the budget is full',
    );
    subs.handleAck(ack('H0STCNT0', '000001', 'OPSP0000'), clock);
    assert.equal((await a).status, 'subscribed');
    subs.handleAck(ack('H0STCNT0', '999999', 'OPSP0001'), clock);
    assert.deepEqual(
      sent.map((x) => `${x.trType} ${x.trKey}`).slice(2),
      ['1 000002'],
      'sent once the release freed its slot',
    );
    subs.handleAck(ack('H0STCNT0', '000002', 'OPSP0000'), clock);
    assert.equal((await b).status, 'subscribed');
    assert.deepEqual(failures, []);
  });

  it('with maxInFlight > 1, a replace at 41/41 waits for the unsubscribe ack instead of being refused', async () => {
    const subs = make({ maxInFlight: 4 });
    subs.sessionOpened();
    const codes = Array.from({ length: 41 }, (_, i) => String(100_000 + i));
    const first = codes.map((code) => subs.subscribe('H0STCNT0', code));
    // Ack whatever is on the wire until all 41 are registered.
    for (let i = 0; i < codes.length; i++) subs.handleAck(ack('H0STCNT0', codes[i], 'OPSP0000'), clock);
    await Promise.all(first);
    assert.equal(subs.registrations, 41);
    sent.length = 0;

    const released = subs.unsubscribe('H0STCNT0', codes[0]);
    const added = subs.subscribe('H0STCNT0', '200000');
    assert.deepEqual(
      sent.map((r) => `${r.trType}:${r.trKey}`),
      [`2:${codes[0]}`],
      'the subscribe waits; nothing past the budget goes out',
    );
    assert.deepEqual(failures, []);
    subs.handleAck(ack('H0STCNT0', codes[0], 'OPSP0001'), clock);
    assert.deepEqual(
      sent.map((r) => `${r.trType}:${r.trKey}`),
      [`2:${codes[0]}`, '1:200000'],
    );
    subs.handleAck(ack('H0STCNT0', '200000', 'OPSP0000'), clock);
    assert.equal((await released).status, 'unsubscribed');
    assert.equal((await added).status, 'subscribed');
    assert.equal(subs.registrations, 41);
  });

  it('with maxInFlight > 1 and the budget full, a subscribe with no unsubscribe on the wire is still refused at once', async () => {
    const subs = make({ maxInFlight: 4, maxRegistrations: 2 });
    subs.sessionOpened();
    const both = [subs.subscribe('H0STCNT0', '000001'), subs.subscribe('H0STASP0', '000001')];
    subs.handleAck(ack('H0STCNT0', '000001', 'OPSP0000'), clock);
    subs.handleAck(ack('H0STASP0', '000001', 'OPSP0000'), clock);
    await Promise.all(both);
    await assert.rejects(subs.subscribe('H0STCNT0', '000002'), (e: unknown) => codeOf(e) === 'MAX_SUBSCRIPTIONS');
  });

  it('fails only the refused request (OPSP0008) with the clear message; the others stay', async () => {
    const subs = make();
    subs.sessionOpened();
    const a = subs.subscribe('H0STCNT0', '000001');
    const b = subs.subscribe('H0STCNT0', '000002');
    const c = subs.subscribe('H0STCNT0', '000003');
    subs.handleAck(ack('H0STCNT0', '000001', 'OPSP0000'), clock);
    subs.handleAck(ack('H0STCNT0', '000002', 'OPSP0008'), clock);
    subs.handleAck(ack('H0STCNT0', '000003', 'OPSP0000'), clock);
    assert.equal((await a).status, 'subscribed');
    await assert.rejects(
      b,
      (e: unknown) => codeOf(e) === 'MAX_SUBSCRIPTIONS' && /unsubscribe one first/.test((e as Error).message),
    );
    assert.equal((await c).status, 'subscribed');
    assert.deepEqual(
      subs.wanted().map((s) => s.trKey),
      ['000001', '000003'],
    );
    assert.equal(subs.pendingRequests(), 0);
  });

  it('reports other refusals as REFUSED with the server text', async () => {
    const subs = make();
    subs.sessionOpened();
    const p = subs.subscribe('H0STCNT0', '00593X');
    subs.handleAck(ack('H0STCNT0', '00593X', 'OPSP8992'), clock);
    await assert.rejects(p, (e: unknown) => codeOf(e) === 'REFUSED' && /OPSP8992/.test((e as Error).message));
  });

  it('names a refused notice registration without its HTS ID (the first two characters only)', async () => {
    const subs = make();
    subs.sessionOpened();
    const p = subs.subscribe('H0STCNI9', 'mytrader7');
    subs.handleAck(ack('H0STCNI9', 'mytrader7', 'OPSP8992'), clock);
    await assert.rejects(
      p,
      (e: unknown) =>
        codeOf(e) === 'REFUSED' &&
        /H0STCNI9 my…/.test((e as Error).message) &&
        !(e as Error).message.includes('mytrader7'),
    );
  });

  it('times out an unanswered request, leaves no entry behind, and a retry starts clean', async () => {
    const subs = make({ ackTimeoutMs: 5 });
    subs.sessionOpened();
    const first = subs.subscribe('H0STCNT0', '005930');
    await assert.rejects(first, (e: unknown) => codeOf(e) === 'ACK_TIMEOUT');
    assert.equal(subs.pendingRequests(), 0);
    assert.equal(subs.inFlight, 0);
    assert.deepEqual(subs.wanted(), [], 'a subscription that timed out is not wanted any more');
    const retry = subs.subscribe('H0STCNT0', '005930');
    assert.equal(sent.length, 2, 'the retry is sent again');
    subs.handleAck(ack('H0STCNT0', '005930', 'OPSP0000'), clock);
    assert.equal((await retry).status, 'subscribed');
    assert.equal(subs.pendingRequests(), 0);
  });

  it('counts a subscribe that timed out against the budget until its ack arrives or the session ends', async () => {
    const subs = make({ ackTimeoutMs: 5, maxRegistrations: 2 });
    subs.sessionOpened();
    const first = subs.subscribe('H0STCNT0', '000001');
    subs.handleAck(ack('H0STCNT0', '000001', 'OPSP0000'), clock);
    await first;
    await assert.rejects(subs.subscribe('H0STCNT0', '000002'), (e: unknown) => codeOf(e) === 'ACK_TIMEOUT');
    // 000002 may be registered on the server: a third key would make it three of two.
    await assert.rejects(subs.subscribe('H0STCNT0', '000003'), (e: unknown) => codeOf(e) === 'MAX_SUBSCRIPTIONS');
    assert.deepEqual(
      sent.map((x) => x.trKey),
      ['000001', '000002'],
    );
    // The server answers the timed-out one late: the agent releases it, and the budget frees up.
    subs.handleAck(ack('H0STCNT0', '000002', 'OPSP0000'), clock);
    assert.deepEqual(sent.at(-1), { trType: '2', trId: 'H0STCNT0', trKey: '000002' });
    subs.handleAck(ack('H0STCNT0', '000002', 'OPSP0001'), clock);
    const third = subs.subscribe('H0STCNT0', '000003');
    subs.handleAck(ack('H0STCNT0', '000003', 'OPSP0000'), clock);
    assert.equal((await third).status, 'subscribed');
  });

  it('joins a duplicate subscribe to the pending one', async () => {
    const subs = make();
    subs.sessionOpened();
    const a = subs.subscribe('H0STCNT0', '005930');
    const b = subs.subscribe('H0STCNT0', '005930');
    assert.equal(a, b);
    subs.handleAck(ack('H0STCNT0', '005930', 'OPSP0000'), clock);
    assert.equal((await a).status, 'subscribed');
    assert.equal((await subs.subscribe('H0STCNT0', '005930')).status, 'already', 'registered: nothing sent');
    assert.equal(sent.length, 1);
  });

  it('unsubscribes a registered key, and answers not-subscribed for an unknown one without sending', async () => {
    const subs = make();
    subs.sessionOpened();
    const a = subs.subscribe('H0STCNT0', '005930');
    subs.handleAck(ack('H0STCNT0', '005930', 'OPSP0000'), clock);
    await a;
    const u = subs.unsubscribe('H0STCNT0', '005930');
    assert.deepEqual(sent.at(-1), { trType: '2', trId: 'H0STCNT0', trKey: '005930' });
    subs.handleAck(ack('H0STCNT0', '005930', 'OPSP0001'), clock);
    assert.equal((await u).status, 'unsubscribed');
    assert.equal(subs.registrations, 0);
    assert.equal((await subs.unsubscribe('H0STCNT0', '000660')).status, 'not-subscribed');
    assert.equal(sent.length, 2);
  });

  it('cancels a queued subscribe when an unsubscribe of the same key overtakes it', async () => {
    const subs = make();
    const queued = subs.subscribe('H0STCNT0', '005930');
    const un = subs.unsubscribe('H0STCNT0', '005930');
    await assert.rejects(queued, (e: unknown) => codeOf(e) === 'CANCELLED');
    assert.equal((await un).status, 'not-subscribed');
    assert.equal(subs.pendingRequests(), 0);
    subs.sessionOpened();
    assert.equal(sent.length, 0);
  });

  it('waits for a subscribe on the wire before sending the unsubscribe of the same key', async () => {
    const subs = make({ maxInFlight: 4 });
    subs.sessionOpened();
    const s = subs.subscribe('H0STCNT0', '005930');
    const u = subs.unsubscribe('H0STCNT0', '005930');
    assert.equal(sent.length, 1, 'one request per key on the wire');
    subs.handleAck(ack('H0STCNT0', '005930', 'OPSP0000'), clock);
    await s;
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.deepEqual(sent.at(-1), { trType: '2', trId: 'H0STCNT0', trKey: '005930' });
    subs.handleAck(ack('H0STCNT0', '005930', 'OPSP0003'), clock);
    assert.equal((await u).status, 'not-subscribed');
  });

  it('a chained request superseded by a later one is cancelled', async () => {
    const subs = make();
    subs.sessionOpened();
    const s = subs.subscribe('H0STCNT0', '005930');
    const u = subs.unsubscribe('H0STCNT0', '005930');
    const s2 = subs.subscribe('H0STCNT0', '005930');
    assert.equal(s2, s, 'the subscribe on the wire is joined');
    subs.handleAck(ack('H0STCNT0', '005930', 'OPSP0000'), clock);
    await s;
    await assert.rejects(u, (e: unknown) => codeOf(e) === 'CANCELLED');
    assert.equal(subs.registrations, 1);
    assert.equal(sent.length, 1);
  });

  it('replays the wanted set in order on a new session and requeues requests lost with the old one', async () => {
    const subs = make();
    subs.sessionOpened();
    const a = subs.subscribe('H0STCNT0', '000001');
    const b = subs.subscribe('H0STCNT0', '000002');
    subs.handleAck(ack('H0STCNT0', '000001', 'OPSP0000'), clock);
    await a;
    subs.sessionClosed();
    assert.equal(subs.registrations, 0);
    sent = [];
    subs.sessionOpened();
    subs.handleAck(ack('H0STCNT0', '000001', 'OPSP0000'), clock);
    subs.handleAck(ack('H0STCNT0', '000002', 'OPSP0000'), clock);
    assert.deepEqual(
      sent.map((s) => s.trKey),
      ['000001', '000002'],
    );
    assert.equal((await b).status, 'subscribed', 'the caller of a request lost with the session still gets its answer');
    assert.equal(subs.registrations, 2);
  });

  it('settles a pending unsubscribe when its session ends (the registration went with it)', async () => {
    const subs = make();
    subs.sessionOpened();
    const a = subs.subscribe('H0STCNT0', '000001');
    subs.handleAck(ack('H0STCNT0', '000001', 'OPSP0000'), clock);
    await a;
    const u = subs.unsubscribe('H0STCNT0', '000001');
    subs.sessionClosed();
    subs.sessionOpened();
    assert.equal((await u).status, 'not-subscribed');
    assert.equal(subs.pendingRequests(), 0);
  });

  it('rejectAll fails every pending request but keeps the wanted set', async () => {
    const subs = make();
    const a = subs.subscribe('H0STCNT0', '000001');
    subs.rejectAll(new AgentError('DISCONNECTED', 'bye'));
    await assert.rejects(a, (e: unknown) => codeOf(e) === 'DISCONNECTED');
    assert.equal(subs.pendingRequests(), 0);
    assert.equal(subs.wanted().length, 1);
    subs.clearWanted();
    assert.equal(subs.wanted().length, 0);
  });

  it('treats an undocumented rt_cd "0" code as success and logs unmatched replies', async () => {
    const logs: string[] = [];
    const subs = make({ onLog: (_l, m) => logs.push(m) });
    subs.sessionOpened();
    const a = subs.subscribe('H0STCNT0', '000001');
    subs.handleAck(ack('H0STCNT0', '000001', 'OPSP0100'), clock);
    assert.equal((await a).status, 'subscribed');
    subs.handleAck(ack('', '', 'OPSP9999'), clock);
    assert.match(logs.join('\n'), /Unmatched KIS reply OPSP9999/);
  });
});
