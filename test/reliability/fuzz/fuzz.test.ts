/**
 * Fuzzing: mutated fixture and simulator messages (fuzz/mutations.ts) through
 * (a) the parser and every reader the worker uses on a frame, in-process, and
 * (b) a live connection: KisSimulator → KisAgent → a collecting sink and a WorkerHost.
 *
 * Counts: `KIS_FUZZ_COUNT` (parser level, default 100,000), `KIS_FUZZ_LIVE_COUNT` (live, default
 * 30,000: each live message crosses a socket and the agent's event loop), `KIS_FUZZ_SEED` (default 1).
 * A failure prints the mutation's id, seed, operators and input; `mutate(buildCorpus(), seed)` rebuilds it.
 *
 * Hangs are caught by the mocha timeouts below (the loops include inputs of up to 1 MiB); nothing here
 * asserts a duration. Synchronisation in the live part is by conditions on the sink, never by sleeping.
 */
import { strict as assert } from 'node:assert';
import { performance } from 'node:perf_hooks';
import type { KisAgent } from '../../../src/agent';
import {
  buildAck,
  buildDataFrame,
  classify,
  classifyOpsp,
  countFields,
  decryptFrame,
  isKisProtocolError,
  isOpspCode,
  minimumWidth,
  parseSubscribeRequest,
  readNotice,
  readOrderBook,
  readTrade,
  splitRecords,
  type DataFrame,
  type FrameCipher,
  type KisProtocolErrorCode,
} from '../../../src/kis';
import {
  BookTickReader,
  bookTickAt,
  newBookTick,
  newTradeTick,
  TradeTickReader,
  tradeTickAt,
} from '../../../src/kis/ticks';
import type { AgentStats } from '../../../src/shared/stats';
import type { WorkerToHost } from '../../../src/shared/workerProtocol';
import { KisSimulator } from '../../../src/simulator';
import { WorkerHost } from '../../../src/worker/host';
import { WorkerRuntime, type RuntimeTimers } from '../../../src/worker/runtime';
import { TRADE_RECORD } from '../../unit/kis/fixtures';
import { CollectingSink, makeAgent, nextEvent, TEST_APPKEY, TEST_APPSECRET, waitFor } from '../agent/helpers';
import {
  buildCorpus,
  describeMutation,
  FIXTURE_CIPHER,
  mutate,
  mutationSeed,
  type FuzzSource,
  type Mutation,
} from './mutations';
import { nextEvent as nextSimEvent } from '../simulator/harness';

function envCount(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return n;
}

const PARSER_COUNT = envCount('KIS_FUZZ_COUNT', 100_000);
const LIVE_COUNT = envCount('KIS_FUZZ_LIVE_COUNT', 30_000);
const RUN_SEED = envCount('KIS_FUZZ_SEED', 1) >>> 0;
/** The live run draws other seeds than the parser run. */
const LIVE_SEED = (RUN_SEED ^ 0x11fe11fe) >>> 0;
/** One known good frame after every this many live mutations. */
const GOOD_EVERY = 50;
/** Live messages sent before waiting for the agent to catch up (bounds the socket buffers). */
const LIVE_CHUNK = 1000;
/** The live run's notice subscription (its key decrypts the encrypted sources). */
const NOTICE_TR = 'H0STCNI0';
const HTS_ID = 'HTSUSER';

const ERROR_CODES: ReadonlySet<KisProtocolErrorCode> = new Set<KisProtocolErrorCode>([
  'EMPTY_MESSAGE',
  'UNKNOWN_PREFIX',
  'BAD_JSON',
  'BAD_ACK',
  'BAD_ENVELOPE',
  'BAD_ENCRYPT_FLAG',
  'BAD_COUNT',
  'EMPTY_PAYLOAD',
  'FIELD_COUNT_MISMATCH',
  'RECORD_TOO_SHORT',
  'DECRYPT_FAILED',
]);
const DECRYPT_CODES: ReadonlySet<KisProtocolErrorCode> = new Set<KisProtocolErrorCode>([
  'DECRYPT_FAILED',
  'EMPTY_PAYLOAD',
  'FIELD_COUNT_MISMATCH',
  'RECORD_TOO_SHORT',
]);
const TR_ID = /^[A-Za-z0-9_]{1,32}$/;
/** Error messages quote at most a few characters of the input; anything longer is a flood risk. */
const MAX_ERROR_MESSAGE = 400;

/** Tallies by category, for the summary line. */
class Tally {
  private readonly counts = new Map<string, number>();
  add(key: string, n = 1): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + n);
  }
  get(key: string): number {
    return this.counts.get(key) ?? 0;
  }
  /** `a=1 b=2` for keys starting with `prefix`, sorted. */
  format(prefix: string): string {
    return [...this.counts]
      .filter(([k]) => k.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${k.slice(prefix.length)}=${v}`)
      .join(' ');
  }
}

/** Runs `check` and turns any failure into one that names the mutation and how to rerun up to it. */
function withMutation<T>(m: Mutation, rerun: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new assert.AssertionError({ message: `${describeMutation(m)}\n  failed: ${reason}\n  rerun: ${rerun}` });
  }
}

/**
 * Same values, field by field (`Object.is`, so -0 ≠ 0 and NaN = NaN), through nested arrays and plain
 * objects. `assert.deepStrictEqual` says the same but costs ~10x more, per record of 100,000 inputs.
 */
function sameValues(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!sameValues((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/** Asserts `sameValues`, with the full diff of `deepStrictEqual` when they differ. */
function assertSame(actual: unknown, expected: unknown, message: string): void {
  if (!sameValues(actual, expected)) assert.deepStrictEqual(actual, expected, message);
}

/** Timers that never fire on their own: the in-process worker runtime is flushed by hand. */
const manualTimers: RuntimeTimers = { setInterval: () => 0, clearInterval: () => undefined, now: () => 1_000_000 };

/**
 * Everything the worker does with a frame, checked against the split-array readers: the tick readers
 * must accept every frame `parseFrame` accepted and agree value for value with `tradeTickAt` /
 * `bookTickAt`; the record readers with `readTrade` / `readOrderBook` / `readNotice`.
 */
class FrameChecker {
  private readonly trades = new TradeTickReader();
  private readonly books = new BookTickReader();
  private readonly tradeScratch = newTradeTick();
  private readonly bookScratch = newBookTick(10);
  private readonly posted: WorkerToHost[] = [];
  private readonly runtime = new WorkerRuntime(
    (m) => this.posted.push(m),
    () => undefined,
    manualTimers,
  );
  private batchId = 0;
  records = 0;

  constructor() {
    this.runtime.handle({
      type: 'init',
      snapshotIntervalMs: 100,
      heartbeatIntervalMs: 1000,
      bookDepth: 10,
      userHandlers: [],
      alerts: [],
    });
  }

  /** Checks a plaintext frame's invariants and every reader on it, then hands it to the worker runtime. */
  check(frame: DataFrame): void {
    assert.equal(frame.encrypted, false);
    assert.ok(frame.width >= 1, `width ${frame.width}`);
    assert.ok(frame.payload.length > 0, 'empty payload accepted');
    assert.equal(countFields(frame.payload), frame.count * frame.width, 'count × width ≠ fields');
    assert.ok(frame.width >= minimumWidth(frame.trId), `width ${frame.width} below the TR minimum`);
    const fields = splitRecords(frame);
    assert.equal(fields.length, frame.count * frame.width);
    if (frame.trId === 'H0STCNT0') {
      assert.equal(this.trades.read(frame), frame.count, 'TradeTickReader refused a frame parseFrame accepted');
      for (let r = 0; r < frame.count; r++) {
        const o = r * frame.width;
        assertSame(
          { ...this.trades.tick(r) },
          { ...tradeTickAt(fields, o, this.tradeScratch) },
          `trade tick ${r}: cursor ≠ split`,
        );
        assert.equal(
          readTrade(fields, o, frame.width).symbol,
          this.trades.tick(r).symbol,
          `trade record ${r}: readTrade ≠ tick`,
        );
      }
    } else if (frame.trId === 'H0STASP0') {
      assert.equal(this.books.read(frame), frame.count, 'BookTickReader refused a frame parseFrame accepted');
      for (let r = 0; r < frame.count; r++) {
        const o = r * frame.width;
        const tick = this.books.tick(r);
        const split = bookTickAt(fields, o, this.bookScratch);
        assertSame(
          [
            tick.symbol,
            tick.time,
            [...tick.askPrices],
            [...tick.bidPrices],
            [...tick.askSizes],
            [...tick.bidSizes],
            tick.totalAskSize,
            tick.totalBidSize,
          ],
          [
            split.symbol,
            split.time,
            [...split.askPrices],
            [...split.bidPrices],
            [...split.askSizes],
            [...split.bidSizes],
            split.totalAskSize,
            split.totalBidSize,
          ],
          `book tick ${r}: cursor ≠ split`,
        );
        assert.equal(
          readOrderBook(fields, o, 10, frame.width).symbol,
          tick.symbol,
          `book record ${r}: readOrderBook ≠ tick`,
        );
      }
    } else if (frame.trId === 'H0STCNI0' || frame.trId === 'H0STCNI9') {
      for (let r = 0; r < frame.count; r++)
        assert.equal(typeof readNotice(fields, r * frame.width, frame.width), 'object', `notice ${r}`);
    }
    this.runtime.handle({ type: 'frames', batchId: ++this.batchId, frames: [frame] });
    this.records += frame.count;
  }

  /** The worker runtime's counters, as its next snapshot or ack reports them. */
  workerCounters(): { records: number; handlerErrors: number; parseErrors: number } {
    if (this.batchId === 0) return { records: 0, handlerErrors: 0, parseErrors: 0 };
    this.runtime.flush();
    for (let i = this.posted.length - 1; i >= 0; i--) {
      const m = this.posted[i];
      if (m.type === 'snapshot') return m.snapshot.counters;
      if (m.type === 'ack') return m.counters;
    }
    throw new Error('the worker runtime posted no counters');
  }

  /** Fatal messages the runtime posted (it reports its own failures this way instead of throwing). */
  fatal(): string[] {
    return this.posted.flatMap((m) => (m.type === 'fatal' ? [m.message] : []));
  }

  dispose(): void {
    this.runtime.handle({ type: 'stop' });
  }
}

/**
 * The agent's view of one message, decided with `classify` (and, for notices, `decryptFrame` with the
 * keys the agent holds for that TR): what the agent must do with it. Mirrors the agent's key handling:
 * an OPSP0000/OPSP0002 ack with output.key and output.iv files that key under (tr_id, tr_key), only for
 * a subscription the agent holds (`accept`); an encrypted frame is tried with each key of its TR.
 */
type Verdict =
  | { kind: 'invalid'; code: string }
  | { kind: 'frame'; frame: DataFrame }
  | { kind: 'ack'; fatal: boolean; sets?: { trId: string; trKey: string; cipher: FrameCipher } }
  | { kind: 'pingpong' };

class AgentOracle {
  /** Keys per tr_id, then per tr_key, in the order the agent filed them. */
  readonly ciphers = new Map<string, Map<string, FrameCipher>>();

  constructor(private readonly held: (trId: string, trKey: string) => boolean) {}

  /** What the agent does with `text`, given the keys it holds now. Changes nothing (see `accept`). */
  judge(text: string): Verdict {
    const inbound = classify(text);
    switch (inbound.kind) {
      case 'invalid':
        return { kind: 'invalid', code: inbound.error.code };
      case 'pingpong':
        return { kind: 'pingpong' };
      case 'ack': {
        const { ack } = inbound;
        if (ack.outcome === 'fatal') return { kind: 'ack', fatal: true };
        if ((ack.msgCd === 'OPSP0000' || ack.msgCd === 'OPSP0002') && ack.key !== undefined && ack.iv !== undefined) {
          return {
            kind: 'ack',
            fatal: false,
            sets: { trId: ack.trId, trKey: ack.trKey, cipher: { key: ack.key, iv: ack.iv } },
          };
        }
        return { kind: 'ack', fatal: false };
      }
      case 'frame': {
        const { frame } = inbound;
        if (!frame.encrypted) return { kind: 'frame', frame };
        const keys = this.ciphers.get(frame.trId);
        if (keys === undefined || keys.size === 0) return { kind: 'invalid', code: 'NO_KEY' };
        let failure: unknown;
        for (const cipher of keys.values()) {
          try {
            return { kind: 'frame', frame: decryptFrame(frame, cipher.key, cipher.iv) };
          } catch (error) {
            failure = error;
          }
        }
        return { kind: 'invalid', code: isKisProtocolError(failure) ? failure.code : 'UNEXPECTED' };
      }
    }
  }

  /** Applies what the agent does once the message has been sent: an ack with a key for a held subscription files it. */
  accept(verdict: Verdict): void {
    if (verdict.kind !== 'ack' || verdict.sets === undefined) return;
    const { trId, trKey, cipher } = verdict.sets;
    if (!this.held(trId, trKey)) return;
    let keys = this.ciphers.get(trId);
    if (keys === undefined) this.ciphers.set(trId, (keys = new Map()));
    keys.set(trKey, cipher);
  }
}

/** Results of both parts, printed as one line at the end for the issue note. */
const summary: { parser?: string; live?: string } = {};

describe(`fuzzing: mutated KIS messages (seed ${RUN_SEED})`, () => {
  after(() => {
    console.log(
      `    [fuzz summary] seed=${RUN_SEED} ${summary.parser ?? 'parser: not run'}; ${summary.live ?? 'live: not run'}`,
    );
  });

  describe('parser level', function () {
    // The hang detector: the loop includes inputs up to 1 MiB, and none may take pathological time.
    this.timeout(180_000);
    let checker: FrameChecker | undefined;
    afterEach(() => {
      checker?.dispose();
      checker = undefined;
    });

    it(`${PARSER_COUNT} mutations through classify, decryptFrame, the record and tick readers and the worker runtime: never a throw, always a typed result whose invariants hold`, () => {
      const corpus = buildCorpus(FIXTURE_CIPHER);
      const tally = new Tally();
      checker = new FrameChecker();
      const fc = checker;
      let slowest = { ms: -1, id: '' };
      let largest = 0;
      for (let i = 0; i < PARSER_COUNT; i++) {
        const m = mutate(corpus, mutationSeed(RUN_SEED, i), {}, `parser#${i}`);
        const text = m.bytes.toString('utf8');
        largest = Math.max(largest, m.bytes.length);
        const started = performance.now();
        withMutation(m, `KIS_FUZZ_SEED=${RUN_SEED} KIS_FUZZ_COUNT=${i + 1}`, () => checkOne(text, fc, tally));
        const ms = performance.now() - started;
        if (ms > slowest.ms) slowest = { ms, id: `${m.id} (seed ${m.seed}, ${m.bytes.length} bytes)` };
      }
      const counters = checker.workerCounters();
      assert.deepEqual(checker.fatal(), [], 'the worker runtime reported a fatal error');
      assert.equal(counters.parseErrors, 0, 'the worker runtime counted a parse error on a frame parseFrame accepted');
      assert.equal(counters.records, checker.records, 'the worker runtime lost or added records');
      const invalid = tally.get('invalid');
      const valid = PARSER_COUNT - invalid;
      assert.equal(counters.handlerErrors, 0, 'a built-in handler threw on a frame parseFrame accepted');
      if (PARSER_COUNT >= 1000)
        assert.ok(invalid > 0 && valid > 0, 'the mutator must produce both invalid and valid messages');
      summary.parser =
        `parser: ${PARSER_COUNT} mutations, invalid ${invalid} [${tally.format('code:')}], valid ${valid} ` +
        `[plain frames ${tally.get('frame:plain')}, encrypted ${tally.get('frame:encrypted')} (decrypted ${tally.get('decrypt:ok')}, rejected ${tally.get('decrypt:failed')}), ` +
        `acks ${tally.get('ack')} (${tally.format('outcome:')}), pingpong ${tally.get('pingpong')}], requests the simulator would accept ${tally.get('request:ok')}, records through the worker runtime ${counters.records} ` +
        `(handler errors ${counters.handlerErrors}), largest input ${largest} bytes, slowest input ${slowest.ms.toFixed(1)} ms: ${slowest.id}`;
      console.log(`    [fuzz] ${summary.parser}`);
    });
  });

  describe('through a live connection', function () {
    this.timeout(180_000);
    let sim: KisSimulator | undefined;
    let agent: KisAgent | undefined;
    let host: WorkerHost | undefined;
    afterEach(async () => {
      await agent?.dispose();
      await host?.dispose();
      await sim?.close();
      agent = host = sim = undefined;
    });

    it(`${LIVE_COUNT} mutations sent by the simulator, a known good frame after every ${GOOD_EVERY}: the session stays open, parseErrors counts exactly the invalid ones, the sink gets exactly the valid frames in order, the worker counts no parse error`, async () => {
      const server = await KisSimulator.start({ port: 0 });
      sim = server;
      host = new WorkerHost({ snapshotIntervalMs: 50 });
      const worker = host;
      // Started before the run: frames queued for a worker that is still starting may coalesce (books).
      const ready = nextEvent(worker, 'ready', () => true, 15_000);
      worker.start();
      await ready;
      const collected = new CollectingSink();
      const frames: DataFrame[] = [];
      const sink = {
        push(batch: readonly DataFrame[]): void {
          collected.push(batch);
          for (const f of batch) frames.push(f);
          worker.push(batch);
        },
      };
      agent = makeAgent(server, sink, { ackTimeoutMs: 30_000 });
      const a = agent;
      const keys: FrameCipher[] = [];
      const logs: string[] = [];
      const states: string[] = [];
      a.on('ack', (ack) => {
        if (
          ack.trId === NOTICE_TR &&
          ack.msgCd === 'OPSP0000' &&
          ack.key !== undefined &&
          ack.iv !== undefined &&
          keys.length === 0
        )
          keys.push({ key: ack.key, iv: ack.iv });
      });
      a.on('log', (e) => logs.push(e.message));
      await a.connect();
      a.on('state', (e) => states.push(`${e.from}→${e.to}${e.reason ? ` (${e.reason})` : ''}`));
      // A notice subscription, so encrypted frames have a key (the one the simulator issued).
      await a.subscribe(NOTICE_TR, HTS_ID);
      assert.equal(keys.length, 1, 'no SUBSCRIBE SUCCESS with a key for H0STCNI0');
      const cipher = keys[0];
      const corpus: FuzzSource[] = buildCorpus(cipher);
      const oracle = new AgentOracle((trId, trKey) => a.wanted().some((w) => w.trId === trId && w.trKey === trKey));
      oracle.ciphers.set(NOTICE_TR, new Map([[HTS_ID, cipher]]));

      const before: AgentStats = a.stats();
      const expected: DataFrame[] = [];
      /** Which input each expected frame came from, for failure messages. */
      const expectedFrom: string[] = [];
      /** The acks and PINGPONGs of the current chunk: the only inputs that can change the session. */
      let chunkControl: string[] = [];
      const tally = new Tally();
      let expectedInvalid = 0;
      let expectedPingpongs = 0;
      let good = 0;
      const sendGood = (): void => {
        // A recognisable marker: CNTG_VOL (field 12) = 1,000,000,000 + the good frame's number.
        const fields = TRADE_RECORD.split('^');
        fields[12] = String(1_000_000_000 + good++);
        const text = buildDataFrame('H0STCNT0', [fields]);
        const verdict = oracle.judge(text);
        assert.equal(verdict.kind, 'frame');
        if (verdict.kind === 'frame') {
          expected.push(verdict.frame);
          expectedFrom.push(`good frame ${good - 1}`);
        }
        server.sendRaw(text);
      };

      /** Sends live mutation `i` unless it is a fatal ack (OPSP0011/OPSP8996 end the session by design). */
      const sendMutation = (i: number): void => {
        const m = mutate(corpus, mutationSeed(LIVE_SEED, i), { maxLongBytes: 256 * 1024 }, `live#${i}`);
        const text = m.bytes.toString('utf8');
        const verdict = oracle.judge(text);
        if (verdict.kind === 'ack' && verdict.fatal) {
          // OPSP0011 / OPSP8996 end the session by design; they are counted, not sent.
          tally.add('fatal');
          return;
        }
        if (verdict.kind === 'invalid') {
          expectedInvalid++;
          tally.add(`code:${verdict.code}`);
        } else if (verdict.kind === 'frame') {
          expected.push(verdict.frame);
          expectedFrom.push(`${m.id} (seed ${m.seed})`);
          tally.add('frame');
        } else if (verdict.kind === 'pingpong') {
          expectedPingpongs++;
          tally.add('pingpong');
          chunkControl.push(describeMutation(m, 160));
        } else {
          tally.add('ack');
          chunkControl.push(describeMutation(m, 160));
        }
        tally.add('sent');
        oracle.accept(verdict);
        server.sendRaw(m.bytes);
      };

      for (let i = 0; i < LIVE_COUNT; i++) {
        sendMutation(i);
        if ((i + 1) % GOOD_EVERY === 0) sendGood();
        if ((i + 1) % LIVE_CHUNK === 0 || i === LIVE_COUNT - 1) {
          if ((i + 1) % GOOD_EVERY !== 0) sendGood();
          const want = expected.length;
          await waitFor(
            () => frames.length >= want || a.state !== 'open',
            `the agent to deliver ${want} frames (after live#${i})`,
            30_000,
          );
          // Everything sent before the chunk's last good frame has been handled once that frame is in
          // the sink (one socket, in order), so the counters are settled here.
          const where = `in the chunk ending at live#${i} (rerun: KIS_FUZZ_SEED=${RUN_SEED} KIS_FUZZ_LIVE_COUNT=${i + 1})`;
          assert.equal(
            a.state,
            'open',
            `the session ended ${where}: ${states.join(', ')}\nacks and PINGPONGs of the chunk:\n${chunkControl.join('\n')}`,
          );
          assert.equal(
            a.stats().parseErrors - before.parseErrors,
            expectedInvalid,
            `parseErrors ≠ the messages the oracle calls invalid, ${where}`,
          );
          chunkControl = [];
        }
      }

      const after = a.stats();
      assert.deepEqual(states, [], 'the agent changed state during the fuzz run');
      assert.equal(after.reconnects, before.reconnects, 'the agent reconnected');
      assert.equal(
        after.parseErrors - before.parseErrors,
        expectedInvalid,
        'parseErrors ≠ the messages the oracle calls invalid',
      );
      assert.equal(after.pingpongs - before.pingpongs, expectedPingpongs, 'PINGPONGs answered ≠ PINGPONGs sent');
      assert.equal(after.handlerErrors, 0, 'the sink threw');
      const records = expected.reduce((n, f) => n + f.count, 0);
      assert.equal(after.records - before.records, records, 'the agent counted other records than it delivered');
      assert.equal(frames.length, expected.length, 'frames delivered ≠ valid frames sent');
      for (let i = 0; i < expected.length; i++) {
        const got = frames[i];
        const want = expected[i];
        if (
          got.trId !== want.trId ||
          got.count !== want.count ||
          got.width !== want.width ||
          got.encrypted !== want.encrypted ||
          got.payload !== want.payload
        ) {
          assert.fail(
            `frame ${i} (from ${expectedFrom[i]}) delivered out of order or altered: got ${got.trId}/${got.count}/${got.width} ${JSON.stringify(got.payload.slice(0, 80))}, want ${want.trId}/${want.count}/${want.width} ${JSON.stringify(want.payload.slice(0, 80))}`,
          );
        }
      }
      const markers = frames.filter(
        (f) =>
          f.trId === 'H0STCNT0' &&
          /^005930\^093354\^71900\^5\^-100\^-0\.14\^72023\.83\^72100\^72400\^71700\^71900\^71800\^1\d{9}\^/.test(
            f.payload,
          ),
      );
      assert.equal(markers.length, good, 'a good frame went missing');
      assert.ok(
        markers.every((f, i) => f.payload.includes(`^${1_000_000_000 + i}^`)),
        'good frames arrived out of order',
      );
      for (const line of logs) {
        assert.ok(
          !line.includes(TEST_APPSECRET) && !line.includes(TEST_APPKEY) && !line.includes(cipher.key),
          `a log line carries a credential or the notice key: ${line.slice(0, 120)}`,
        );
      }

      await waitFor(() => worker.stats().records >= records, `the worker to count ${records} records`, 30_000).catch(
        (error: Error) => {
          throw new Error(`${error.message}; worker stats ${JSON.stringify(worker.stats())}`);
        },
      );
      const ws = worker.stats();
      assert.equal(ws.records, records, 'the worker counted other records than the agent delivered');
      assert.equal(ws.parseErrors, 0, 'the worker counted a parse error on a frame the agent accepted');
      assert.equal(ws.workerRestarts, 0, 'the worker restarted');
      assert.equal(ws.handlerErrors, 0, 'a built-in handler threw on a frame the agent accepted');
      assert.equal(ws.dropped + ws.coalesced, 0, 'the worker host dropped or coalesced frames');

      const delivered = frames.length;
      // The session still works: the genuine key back (as the server sent it), a real notice decrypts and
      // arrives, a PINGPONG is answered, and a new subscription is acknowledged and streams.
      server.sendRaw(
        buildAck({ trId: NOTICE_TR, trKey: HTS_ID, encrypt: true, msgCd: 'OPSP0000', iv: cipher.iv, key: cipher.key }),
      );
      const plaintext = server.sendNotice(HTS_ID);
      await waitFor(() => frames.length > expected.length, 'a genuine notice after the fuzz run');
      assert.equal(frames[expected.length].trId, NOTICE_TR);
      assert.equal(
        frames[expected.length].payload,
        plaintext,
        'the genuine notice did not decrypt to what the simulator sent',
      );
      const echo = nextSimEvent(server, 'pingpong-echo');
      server.pingNow();
      await echo;
      const subscribed = await a.subscribe('H0STCNT0', '000660');
      assert.equal(subscribed.status, 'subscribed');
      await waitFor(
        () => frames.slice(expected.length).some((f) => f.trId === 'H0STCNT0' && f.payload.startsWith('000660^')),
        'trades of 000660 after the fuzz run',
      );
      assert.equal(a.stats().parseErrors - before.parseErrors, expectedInvalid, 'parse errors after the fuzz run');

      summary.live =
        `live: ${LIVE_COUNT} mutations, ${tally.get('fatal')} fatal acks excluded, ${tally.get('sent')} sent + ${good} good frames; ` +
        `invalid ${expectedInvalid} = agent parseErrors [${tally.format('code:')}], valid frames ${tally.get('frame')}, acks ${tally.get('ack')}, pingpong ${tally.get('pingpong')}; ` +
        `sink got ${delivered} frames in order (${good} good), worker records ${ws.records}, worker parseErrors ${ws.parseErrors}, handlerErrors ${ws.handlerErrors}`;
      console.log(`    [fuzz] ${summary.live}`);
    });
  });
});

/** One parser-level check: classify, then the invariants of whatever it returned. */
function checkOne(text: string, checker: FrameChecker, tally: Tally): void {
  // The simulator's side of the same wire: a request parse never throws and names an OPSP code when it fails.
  const request = parseSubscribeRequest(text);
  if (request.ok) tally.add('request:ok');
  else
    assert.ok(
      isOpspCode(request.msgCd) && typeof request.trId === 'string' && typeof request.trKey === 'string',
      `parseSubscribeRequest gave ${request.msgCd}`,
    );
  const inbound = classify(text);
  switch (inbound.kind) {
    case 'invalid': {
      const { error } = inbound;
      assert.ok(isKisProtocolError(error), 'invalid without a KisProtocolError');
      assert.ok(ERROR_CODES.has(error.code), `unknown error code ${String(error.code)}`);
      assert.ok(
        typeof error.message === 'string' && error.message.length > 0 && error.message.length <= MAX_ERROR_MESSAGE,
        `error message of ${error.message.length} chars`,
      );
      tally.add('invalid');
      tally.add(`code:${error.code}`);
      return;
    }
    case 'pingpong':
      assert.equal(inbound.text, text, 'PINGPONG text is not the received text');
      assert.equal(typeof inbound.datetime, 'string');
      tally.add('pingpong');
      return;
    case 'ack': {
      const { ack } = inbound;
      for (const v of [ack.trId, ack.trKey, ack.rtCd, ack.msgCd, ack.msg1]) assert.equal(typeof v, 'string');
      assert.equal(typeof ack.encrypt, 'boolean');
      assert.ok(ack.iv === undefined || typeof ack.iv === 'string');
      assert.ok(ack.key === undefined || typeof ack.key === 'string');
      assert.equal(ack.outcome, classifyOpsp(ack.msgCd, ack.rtCd));
      tally.add('ack');
      tally.add(`outcome:${ack.outcome}`);
      return;
    }
    case 'frame': {
      const { frame } = inbound;
      assert.match(frame.trId, TR_ID);
      assert.ok(Number.isInteger(frame.count) && frame.count >= 1 && frame.count <= 999, `count ${frame.count}`);
      assert.ok(frame.payload.length > 0, 'empty payload accepted');
      if (!frame.encrypted) {
        tally.add('frame:plain');
        checker.check(frame);
        return;
      }
      tally.add('frame:encrypted');
      assert.equal(frame.width, 0, 'an encrypted frame has a width before decryption');
      let plain: DataFrame;
      try {
        plain = decryptFrame(frame, FIXTURE_CIPHER.key, FIXTURE_CIPHER.iv);
      } catch (error) {
        assert.ok(isKisProtocolError(error), `decryptFrame threw ${String(error)}`);
        assert.ok(DECRYPT_CODES.has(error.code), `decryptFrame threw ${error.code}`);
        tally.add('decrypt:failed');
        return;
      }
      tally.add('decrypt:ok');
      assert.equal(plain.trId, frame.trId);
      assert.equal(plain.count, frame.count);
      checker.check(plain);
      return;
    }
    default: {
      const unreachable: never = inbound;
      assert.fail(`classify returned an unknown kind: ${JSON.stringify(unreachable)}`);
    }
  }
}
