/**
 * The fault matrix: every fault the simulator can inject, against the production pipeline (KisAgent →
 * WorkerHost → worker thread), with the same checks in every case:
 *   - the agent ends in the right state;
 *   - every wanted subscription is registered again on the server and data flows, once the server is back;
 *   - no unhandled rejection;
 *   - nothing leaks: after the rig is disposed, the process holds no more timers, sockets, servers or
 *     threads (worker threads show up in /proc/self/task) than before the case started.
 * Synchronisation is by events and conditions with a timeout, never by sleeping.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import type { AgentErrorEvent, AgentOptions, KisAgent, StateChange } from '../../src/agent';
import { OPSP } from '../../src/kis/opsp';
import { KisSimulator, type SimulatorOptions } from '../../src/simulator';
import { WorkerHost, type RestartEvent, type WorkerHostOptions } from '../../src/worker/host';
import { HandlerDir, waitForEvent, waitUntil } from '../unit/worker/helpers';
import { makeAgent, nextEvent, TEST_APPKEY, TEST_APPSECRET, waitFor } from './agent/helpers';

const TRADE = 'H0STCNT0';
const BOOK = 'H0STASP0';
/** What every case subscribes: three trade streams and one order book. */
const WANTED = [
  { trId: TRADE, trKey: '005930' },
  { trId: TRADE, trKey: '000660' },
  { trId: TRADE, trKey: '035720' },
  { trId: BOOK, trKey: '005930' },
];
const TRADE_SYMBOLS = WANTED.filter((w) => w.trId === TRADE).map((w) => w.trKey);

/** Counts of the process's live resources, by type, plus its OS threads (worker threads included). */
interface ResourceCounts {
  byType: Map<string, number>;
  threads: number;
}

function resources(): ResourceCounts {
  const byType = new Map<string, number>();
  // Immediates live for one turn by definition (and the leak check itself polls with one).
  for (const type of process.getActiveResourcesInfo())
    if (type !== 'Immediate') byType.set(type, (byType.get(type) ?? 0) + 1);
  return { byType, threads: fs.readdirSync('/proc/self/task').length };
}

/** The resource types that grew since `before` ("Timeout +2", "threads +1"), empty when nothing did. */
function growth(before: ResourceCounts, after: ResourceCounts): string[] {
  const grown: string[] = [];
  for (const [type, n] of after.byType) {
    const was = before.byType.get(type) ?? 0;
    if (n > was) grown.push(`${type} +${n - was}`);
  }
  if (after.threads > before.threads) grown.push(`threads +${after.threads - before.threads}`);
  return grown;
}

/** One case's pipeline: simulator, worker host and agent, with what they said. */
class Rig {
  readonly states: StateChange[] = [];
  readonly errors: AgentErrorEvent[] = [];
  private constructor(
    public sim: KisSimulator,
    readonly host: WorkerHost,
    readonly agent: KisAgent,
  ) {
    agent.on('state', (change) => this.states.push(change));
    agent.on('error', (event) => this.errors.push(event));
  }

  static async start(
    simOptions: SimulatorOptions = {},
    agentOptions: Partial<AgentOptions> = {},
    hostOptions: WorkerHostOptions = {},
  ): Promise<Rig> {
    // PINGPONG every 100 ms: the agent's watchdog then sees a live session even before data flows.
    const sim = await KisSimulator.start({ port: 0, ratePerSymbol: 50, pingIntervalMs: 100, ...simOptions });
    const host = new WorkerHost({ snapshotIntervalMs: 50, ...hostOptions });
    // makeAgent: fast backoff and a hold table of its own. A stall is 2.5 × pingIntervalMs without a
    // message: 5 s, far above any GC or scheduling pause of a loaded CI machine (the stall case uses 200 ms).
    const agent = makeAgent(sim, host, { pingIntervalMs: 2000, ...agentOptions });
    return new Rig(sim, host, agent);
  }

  /** Connects and subscribes everything in WANTED, in order. */
  async subscribeAll(): Promise<void> {
    await this.agent.connect();
    for (const { trId, trKey } of WANTED) await this.agent.subscribe(trId, trKey);
  }

  /**
   * Every wanted subscription is acknowledged on the server's newest session, the agent is open and
   * counts them, and fresh trades of every trade symbol reach the worker.
   */
  async allBack(timeoutMs = 10_000): Promise<void> {
    await waitFor(
      () => {
        const newest = Math.max(...this.sim.sessionIds());
        const acked = this.sim.registrations().filter((r) => r.sessionId === newest && r.acked);
        return (
          this.agent.state === 'open' &&
          this.agent.stats().subscriptionsUsed === WANTED.length &&
          WANTED.every((w) => acked.some((r) => r.trId === w.trId && r.trKey === w.trKey))
        );
      },
      'every wanted subscription registered on the newest session',
      timeoutMs,
    );
    const marks = new Map(TRADE_SYMBOLS.map((s) => [s, this.host.latest(s)?.trades ?? 0]));
    await waitUntil(
      this.host,
      'snapshot',
      () => TRADE_SYMBOLS.every((s) => (this.host.latest(s)?.trades ?? 0) > (marks.get(s) ?? 0)),
      'fresh trades of every symbol',
      timeoutMs,
    );
  }

  async dispose(): Promise<void> {
    await this.agent.dispose();
    await this.host.dispose();
    await this.sim.close();
  }
}

const AGENT_ERROR_CODE = (error: unknown): string | undefined => (error as { code?: string } | undefined)?.code;

describe('fault matrix (agent + worker against the simulator)', function () {
  this.timeout(30_000);
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
  let handlers: HandlerDir;
  let rig: Rig | undefined;
  let baseline: ResourceCounts;

  before(async () => {
    process.on('unhandledRejection', onUnhandled);
    // libuv starts its thread pool on first use, for good: start it now, so a case that happens to be the
    // first user does not read as "threads +4".
    await fs.promises.stat(__filename);
  });
  after(() => process.off('unhandledRejection', onUnhandled));

  // Async like the afterEach hook, so mocha's own hook timer is in both measurements.
  beforeEach(async () => {
    unhandled.length = 0;
    handlers = new HandlerDir();
    await Promise.resolve(); // mocha arms the hook's timer once the hook has returned its promise
    baseline = resources();
  });

  afterEach(async function () {
    await rig?.dispose();
    rig = undefined;
    handlers.cleanup();
    if (this.currentTest?.state === 'failed') return;
    // Sockets close and threads exit a few turns after dispose() resolves. Poll with setImmediate, not a
    // timer, so the wait itself adds no Timeout to what it measures.
    const deadline = Date.now() + 5000;
    let grown = growth(baseline, resources());
    while (grown.length > 0 && Date.now() < deadline) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      grown = growth(baseline, resources());
    }
    assert.deepEqual(grown, [], `leaked: ${grown.join(', ')}`);
    assert.deepEqual(unhandled, [], 'no unhandled rejection');
  });

  it('clean close (1000): reconnects and restores every subscription', async () => {
    rig = await Rig.start();
    await rig.subscribeAll();
    rig.sim.closeAll(1000, 'maintenance');
    await rig.allBack();
    assert.equal(rig.agent.stats().reconnects, 1);
    assert.ok(rig.states.some((s) => s.to === 'reconnecting' && /code 1000 maintenance/.test(s.reason ?? '')));
  });

  it('abrupt close (1006): reconnects, restores every subscription and reports each gap', async () => {
    rig = await Rig.start();
    await rig.subscribeAll();
    rig.sim.dropAll();
    await rig.allBack();
    assert.ok(rig.states.some((s) => s.to === 'reconnecting' && /1006/.test(s.reason ?? '')));
    assert.equal(rig.agent.stats().gaps, WANTED.length);
  });

  it('stall with the socket open: the watchdog ends the session and it recovers once the server talks again', async () => {
    rig = await Rig.start({}, { pingIntervalMs: 200 });
    await rig.subscribeAll();
    rig.sim.stall();
    const stalled = await nextEvent<StateChange>(rig.agent, 'state', (s) => s.to === 'reconnecting', 5000);
    assert.match(stalled.reason ?? '', /No message from KIS for/);
    assert.equal(rig.agent.stats().stalls, 1);
    assert.ok(rig.errors.some((e) => e.code === 'STALLED'));
    rig.sim.resume();
    await rig.allBack();
  });

  it('an ack that never comes: that subscribe fails with ACK_TIMEOUT; the others stream on; a later subscribe works', async () => {
    rig = await Rig.start({}, { ackTimeoutMs: 300 });
    await rig.subscribeAll();
    rig.sim.ignoreSubscriptions(true);
    await assert.rejects(rig.agent.subscribe(TRADE, '051910'), (e: unknown) => AGENT_ERROR_CODE(e) === 'ACK_TIMEOUT');
    assert.equal(rig.agent.state, 'open');
    assert.ok(rig.errors.some((e) => e.code === 'ACK_TIMEOUT' && e.trKey === '051910'));
    rig.sim.ignoreSubscriptions(false);
    await rig.allBack();
    // The timed-out request may be held by the server: the agent counts it until its session ends.
    assert.equal((await rig.agent.subscribe(TRADE, '068270')).status, 'subscribed');
  });

  const refusals = Object.entries(OPSP)
    .filter(([, row]) => row.outcome === 'refused')
    .map(([code]) => code);
  it(`each OPSP refusal (${refusals.length} codes) fails only its own subscribe, counted in refused`, async () => {
    rig = await Rig.start();
    await rig.subscribeAll();
    for (const [i, code] of refusals.entries()) {
      const symbol = String(200_000 + i * 10);
      rig.sim.refuseNext(code, (request) => request.trKey === symbol);
      const expected = code === 'OPSP0008' ? 'MAX_SUBSCRIPTIONS' : 'REFUSED';
      await assert.rejects(
        rig.agent.subscribe(TRADE, symbol),
        (e: unknown) => AGENT_ERROR_CODE(e) === expected && (e as Error).message.includes(code),
      );
    }
    assert.equal(rig.agent.stats().refused, refusals.length);
    assert.equal(rig.agent.state, 'open');
    assert.deepEqual(rig.agent.wanted(), WANTED, 'refused symbols left the wanted set; the others are untouched');
    await rig.allBack();
  });

  it('OPSP8996 (appkey in use): backs off at least appkeyInUseBackoffMs, says so, then restores everything', async () => {
    const backoffMs = 400;
    rig = await Rig.start({}, { appkeyInUseBackoffMs: backoffMs });
    await rig.subscribeAll();
    const connectedAt: number[] = [];
    rig.sim.on('connection', () => connectedAt.push(Date.now()));
    rig.sim.refuseNext('OPSP8996');
    // Measured from the agent's own 'reconnecting' (its hold starts there), not the server's close event.
    let reconnectingAt = 0;
    const reconnecting = nextEvent<StateChange>(
      rig.agent,
      'state',
      (s) => s.to === 'reconnecting' && (reconnectingAt = Date.now()) > 0,
    );
    void rig.agent.subscribe(TRADE, '051910').catch(() => undefined);
    assert.match((await reconnecting).reason ?? '', /^appkey already in use elsewhere; retrying in 400 ms$/);
    assert.ok(rig.errors.some((e) => e.code === 'APPKEY_IN_USE'));
    await rig.agent.unsubscribe(TRADE, '051910').catch(() => undefined);
    await rig.allBack();
    // A lower bound only: the retry never came sooner than the configured wait.
    assert.ok(
      connectedAt[0] - reconnectingAt >= backoffMs - 5,
      `retried ${connectedAt[0] - reconnectingAt} ms after the refusal`,
    );
  });

  it('OPSP0011 once: a fresh approval key, then everything is back', async () => {
    rig = await Rig.start();
    await rig.subscribeAll();
    rig.sim.refuseNext('OPSP0011');
    await rig.agent.subscribe(TRADE, '051910');
    await rig.agent.unsubscribe(TRADE, '051910');
    await rig.allBack();
    assert.equal(rig.agent.stats().reconnects, 1);
  });

  it('OPSP0011 twice: stops with BAD_CREDENTIALS and a clear message naming no secret', async () => {
    rig = await Rig.start();
    await rig.subscribeAll();
    rig.sim.refuseNext('OPSP0011', undefined, 2);
    const stopped = nextEvent<StateChange>(rig.agent, 'state', (s) => s.to === 'stopped');
    await assert.rejects(
      rig.agent.subscribe(TRADE, '051910'),
      (e: unknown) => AGENT_ERROR_CODE(e) === 'BAD_CREDENTIALS',
    );
    const reason = (await stopped).reason ?? '';
    assert.match(reason, /KIS rejected a freshly issued approval key .*check the credentials/);
    assert.ok(!reason.includes(TEST_APPKEY) && !reason.includes(TEST_APPSECRET));
    assert.equal(rig.agent.state, 'stopped');
    await waitFor(() => rig?.agent.trackedTasks() === 0 && !rig.agent.hasSocket(), 'the stopped agent holds nothing');
  });

  it('server down at start: keeps retrying with the reason in stats, and restores everything when it comes up', async () => {
    rig = await Rig.start({ ratePerSymbol: 50 });
    const port = Number(new URL(rig.sim.wsUrl).port);
    await rig.sim.close();
    const pending = WANTED.map(({ trId, trKey }) => rig!.agent.subscribe(trId, trKey));
    const connected = rig.agent.connect();
    await waitFor(() => (rig?.agent.stats().reconnects ?? 0) >= 2, 'a few failed attempts');
    assert.equal(rig.agent.stats().lastErrorCode, 'REST_UNREACHABLE');
    rig.sim = await KisSimulator.start({ port, ratePerSymbol: 50 });
    await connected;
    for (const result of await Promise.all(pending)) assert.equal(result.status, 'subscribed');
    await rig.allBack();
  });

  it('invalid UTF-8 in a frame: read tolerantly, the session stays', async () => {
    rig = await Rig.start();
    await rig.subscribeAll();
    const messages = rig.agent.stats().messages;
    rig.sim.sendInvalidUtf8();
    await waitFor(() => (rig?.agent.stats().messages ?? 0) > messages, 'the message arrived');
    assert.equal(rig.agent.stats().reconnects, 0);
    await rig.allBack();
  });

  it('an oversized frame (4 MB): handled as one frame, the session stays', async () => {
    rig = await Rig.start();
    await rig.subscribeAll();
    const bytes = rig.agent.stats().bytes;
    rig.sim.sendOversized(4 * 1024 * 1024);
    await waitFor(() => (rig?.agent.stats().bytes ?? 0) > bytes + 4_000_000, 'the big frame arrived');
    assert.equal(rig.agent.stats().reconnects, 0);
    assert.equal(rig.agent.stats().parseErrors, 0);
    await rig.allBack();
  });

  it('a handler that throws on every record: counted in the worker, the stream and the agent carry on', async () => {
    const thrower = handlers.write(`module.exports = () => { throw new Error('handler bug'); };`);
    rig = await Rig.start({}, {}, { userHandlers: [thrower] });
    await rig.subscribeAll();
    await waitUntil(rig.host, 'snapshot', () => rig!.host.stats().handlerErrors > 20, 'handler errors counted');
    await rig.allBack();
    assert.equal(rig.agent.stats().handlerErrors, 0, 'the receive loop never saw it');
    assert.equal(rig.host.stats().workerRestarts, 0);
  });

  it('a handler that blocks the worker: the watchdog restarts it, PINGPONG echoes go on, no trade is dropped', async () => {
    const { file: blocker, marker } = handlers.writeOnce(
      20,
      'const end = Date.now() + 4000; while (Date.now() < end) {}',
    );
    rig = await Rig.start({}, {}, { userHandlers: [blocker], heartbeatIntervalMs: 100, heartbeatTimeoutMs: 1000 });
    const restarted = waitForEvent<[RestartEvent]>(rig.host, 'restart', () => true, 'watchdog restart', 15_000);
    await rig.subscribeAll();
    assert.match((await restarted)[0].reason, /no heartbeat/);
    const restartedAt = Date.now();
    const blockedAt = fs.statSync(marker).mtimeMs;
    const during = (): { echoedAt?: number }[] =>
      rig!.sim.pingLog.filter((p) => p.sentAt >= blockedAt && p.sentAt < restartedAt);
    // Every PINGPONG sent while the worker was blocked was echoed (the receive loop never waited for it).
    await waitFor(() => during().every((p) => p.echoedAt !== undefined), 'every PINGPONG of the block echoed');
    assert.ok(during().length >= 5, `${during().length} PINGPONGs were sent during the block`);
    await rig.allBack();
    assert.equal(rig.agent.stats().reconnects, 0, 'the blocked worker never cost the session');
    assert.equal(rig.host.stats().dropped, 0);
  });

  it('a handler that crashes the worker: restarted, state rebuilt, the stream goes on', async () => {
    const { file: crasher } = handlers.writeOnce(20, "setImmediate(() => { throw new Error('worker crash'); });");
    rig = await Rig.start({}, {}, { userHandlers: [crasher] });
    const restarted = waitForEvent<[RestartEvent]>(rig.host, 'restart', () => true, 'crash restart', 15_000);
    await rig.subscribeAll();
    assert.doesNotMatch((await restarted)[0].reason, /no heartbeat/);
    await rig.allBack();
    assert.ok(rig.host.stats().workerRestarts >= 1);
    assert.equal(rig.agent.stats().reconnects, 0);
    assert.equal(rig.host.stats().dropped, 0);
  });

  it('dispose() while connecting: connect() rejects with DISPOSED and nothing is left', async () => {
    rig = await Rig.start();
    const connecting = rig.agent.connect();
    assert.equal(rig.agent.state, 'connecting');
    await rig.agent.dispose();
    await assert.rejects(connecting, (e: unknown) => AGENT_ERROR_CODE(e) === 'DISPOSED');
    assert.equal(rig.agent.state, 'stopped');
    assert.equal(rig.agent.trackedTasks(), 0);
    assert.equal(rig.agent.hasSocket(), false);
  });

  it('dispose() while a subscribe awaits its ack: it rejects with DISPOSED and nothing is left', async () => {
    rig = await Rig.start({ ackDelayMs: 2000 });
    await rig.agent.connect();
    const subscribing = rig.agent.subscribe(TRADE, '005930');
    await waitFor(() => rig!.sim.requests.length === 1, 'the request reached the server');
    await rig.agent.dispose();
    await assert.rejects(subscribing, (e: unknown) => AGENT_ERROR_CODE(e) === 'DISPOSED');
    assert.equal(rig.agent.pendingRequests(), 0);
    assert.equal(rig.agent.trackedTasks(), 0);
  });

  it('dispose() while reconnecting (in a long backoff): returns at once and nothing is left', async () => {
    rig = await Rig.start({}, { backoff: { baseMs: 60_000, capMs: 60_000 }, random: () => 0.99 });
    await rig.subscribeAll();
    rig.sim.dropAll();
    await nextEvent<StateChange>(rig.agent, 'state', (s) => s.to === 'reconnecting');
    assert.ok((rig.agent.stats().nextRetryAt ?? 0) > Date.now());
    await rig.agent.dispose();
    assert.equal(rig.agent.state, 'stopped');
    assert.equal(rig.agent.trackedTasks(), 0);
    assert.deepEqual(rig.agent.stats().openGaps, [], 'a disposed agent reports no open gap');
  });
});
