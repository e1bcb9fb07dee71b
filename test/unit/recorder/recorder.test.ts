/**
 * The recording format through its public surface: RecordingWriter fed tap events, RecordingReader
 * reading them back; files cut at random bytes, damaged, of another version or no recording at all;
 * limits, a full buffer, a failing disk, and the masking of credentials.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import {
  FORMAT_VERSION,
  MAGIC,
  RecordingError,
  RecordingReader,
  RecordingWriter,
  type RecordingEntry,
  type RecordingErrorCode,
} from '../../../src/recorder';
import type { TapEvent } from '../../../src/shared/tap';
import { poll, until } from '../../support/wait';

const APPKEY = 'PSg5dctL9dKPo727J13Ur405OSRECORDERKEY';
const APPSECRET = 'rec-secret-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-recorder';
const T0 = Date.UTC(2026, 11, 4, 0, 0, 0); // 09:00 KST

const ACK = (msg1: string, extra = ''): string =>
  `{"header":{"tr_id":"H0STCNT0","tr_key":"005930","encrypt":"N"},"body":{"rt_cd":"0","msg_cd":"OPSP0000","msg1":"${msg1}"${extra}}}`;
const FRAME = (i: number): string =>
  `0|H0STCNT0|001|005930^0900${String(i % 60).padStart(2, '0')}^${70000 + i}^2^100^0.14^${'x'.repeat(40)}`;

let dir: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-recorder-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;
const tmp = (): string => path.join(dir, `r${++n}.kisrec`);

/** A clock the test moves. */
function clock(start = T0): { now: () => number; t: number } {
  const c = { t: start, now: () => c.t };
  return c;
}

/** Writes `events` (with a flush between every `batch` of them) and closes. */
async function write(
  file: string,
  events: TapEvent[],
  options: { batch?: number; c?: ReturnType<typeof clock> } = {},
): Promise<void> {
  const c = options.c ?? clock();
  const writer = await RecordingWriter.open({
    file,
    source: 'simulator',
    now: c.now,
    flushIntervalMs: 5,
    meta: { codes: ['005930'] },
  });
  const batch = options.batch ?? events.length;
  for (let i = 0; i < events.length; i += batch) {
    for (const e of events.slice(i, i + batch)) writer.record(e);
    // Wait for the timer's flush to reach the file (bytes grow), so the file has entry-batch boundaries.
    const before = writer.stats().bytes;
    await until(() => writer.stats().bytes > before, poll(2), 'the writer to grow', 5000);
  }
  await writer.close();
}

async function readAll(file: string): Promise<{ reader: RecordingReader; entries: RecordingEntry[] }> {
  const reader = await RecordingReader.open(file);
  const entries: RecordingEntry[] = [];
  for await (const e of reader.entries()) entries.push(e);
  return { reader, entries };
}

async function rejectsWith(
  promise: Promise<unknown>,
  code: RecordingErrorCode,
  message?: RegExp,
): Promise<RecordingError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof RecordingError, `a RecordingError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (message) assert.match(error.message, message);
    return error;
  }
  assert.fail(`expected ${code}`);
}

/** A file in the format built by hand: prefix bytes, then the gzip of `lines`. */
function craft(file: string, lines: string[], prefix = Buffer.concat([MAGIC, Buffer.from([FORMAT_VERSION, 1])])): void {
  fs.writeFileSync(file, Buffer.concat([prefix, zlib.gzipSync(lines.join(''))]));
}
const HEADER = `${JSON.stringify({ format: 'kis-recording', version: 1, source: 'real', startedAt: T0, meta: {} })}\n`;

function session(frames: number): TapEvent[] {
  const events: TapEvent[] = [
    { type: 'open', at: T0 + 1 },
    {
      type: 'message',
      at: T0 + 2,
      text: ACK('SUBSCRIBE SUCCESS', ',"output":{"iv":"0123456789abcdef","key":"0123456789abcdef0123456789abcdef"}'),
    },
  ];
  for (let i = 0; i < frames; i++) events.push({ type: 'message', at: T0 + 10 + i, text: FRAME(i) });
  events.push({ type: 'close', at: T0 + 10 + frames, code: 1006, reason: '' }, { type: 'open', at: T0 + 20 + frames });
  events.push({
    type: 'message',
    at: T0 + 21 + frames,
    text: '{"header":{"tr_id":"PINGPONG","datetime":"20261204090000"}}',
  });
  return events;
}

describe('recorder: writing and reading back', () => {
  it('reads back every entry in order, with absolute times, the header and a clean end', async () => {
    const file = tmp();
    const c = clock();
    await write(file, session(20), { batch: 7, c });
    const { reader, entries } = await readAll(file);
    assert.deepEqual(reader.header, {
      format: 'kis-recording',
      version: 1,
      source: 'simulator',
      startedAt: T0,
      meta: { codes: ['005930'] },
    });
    assert.equal(entries.length, 25 + 1);
    assert.deepEqual(entries[0], { kind: 'open', at: T0 + 1, session: 1 });
    assert.deepEqual(entries[2], { kind: 'message', at: T0 + 10, text: FRAME(0) });
    assert.deepEqual(entries[22], { kind: 'close', at: T0 + 30, code: 1006, reason: '' });
    assert.deepEqual(entries[23], { kind: 'open', at: T0 + 40, session: 2 }, 'a reconnect is session 2');
    assert.deepEqual(entries[25], { kind: 'end', at: T0, reason: 'stopped' });
    assert.deepEqual(reader.summary, { entries: 26, truncated: false, end: 'stopped' });
    assert.ok(fs.readFileSync(file).subarray(0, 6).equals(Buffer.from('KISREC')));
  });

  it('keeps text whose multi-byte characters straddle the inflater chunks', async () => {
    const file = tmp();
    const text = `0|H0STCNI0|001|${'홍길동'.repeat(20_000)}x`;
    await write(file, [
      { type: 'message', at: T0, text },
      { type: 'message', at: T0 + 1, text: 'é'.repeat(33_333) },
    ]);
    const { entries } = await readAll(file);
    assert.equal(entries[0].kind === 'message' && entries[0].text, text);
    assert.equal(entries[1].kind === 'message' && entries[1].text, 'é'.repeat(33_333));
  });

  it('a recording cut at any byte is read up to its last complete entry and says it was truncated', async () => {
    const file = tmp();
    await write(file, session(200), { batch: 25 });
    const whole = fs.readFileSync(file);
    const full = (await readAll(file)).entries;
    let seed = 20_261_204;
    const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const cuts = [
      0,
      3,
      8,
      9,
      20,
      whole.length - 1,
      whole.length - 9,
      ...Array.from({ length: 40 }, () => Math.floor(random() * whole.length)),
    ];
    let sawEntries = 0;
    for (const cut of cuts) {
      const cutFile = tmp();
      fs.writeFileSync(cutFile, whole.subarray(0, cut));
      let reader: RecordingReader;
      try {
        reader = await RecordingReader.open(cutFile);
      } catch (error) {
        assert.ok(error instanceof RecordingError && error.code === 'TRUNCATED', `cut at ${cut}: ${String(error)}`);
        continue;
      }
      const got: RecordingEntry[] = [];
      for await (const e of reader.entries()) got.push(e);
      assert.deepEqual(got, full.slice(0, got.length), `cut at ${cut}: a prefix of the entries`);
      // A cut in the last bytes (the final empty block, the gzip trailer) loses no entry: the end entry is there.
      assert.equal(reader.summary?.truncated, got.length < full.length, `cut at ${cut} of ${whole.length} is reported`);
      sawEntries = Math.max(sawEntries, got.length);
    }
    assert.ok(sawEntries > 150, `late cuts keep most entries (${sawEntries})`);
  });

  it('says CORRUPT for a damaged body, after every good entry before the damage', async () => {
    const file = tmp();
    await write(file, session(300), { batch: 50 });
    const bytes = fs.readFileSync(file);
    const full = (await readAll(file)).entries;
    // Damage inside an entry's text can inflate to a valid line: the gzip CRC-32 catches it at the end
    // of the stream (FORMAT.md); a flip near the end may instead cut the stream, which reads as truncated.
    for (const at of [Math.floor(bytes.length * 0.6), bytes.length - 5]) {
      const damaged = Buffer.from(bytes);
      for (let i = 0; i < 4; i++) damaged[at + i] ^= 0x5a;
      const bad = tmp();
      fs.writeFileSync(bad, damaged);
      const reader = await RecordingReader.open(bad);
      const got: RecordingEntry[] = [];
      const error = await rejectsWith(
        (async () => {
          for await (const e of reader.entries()) got.push(e);
        })(),
        'CORRUPT',
        /is damaged at entry \d+/,
      );
      assert.ok(error.message.includes(bad));
      assert.deepEqual(got.slice(0, -1), full.slice(0, Math.max(0, got.length - 1)), 'good entries first');
    }
  });

  it('refuses a file that is not a recording, another version, or an empty one, with a clear code', async () => {
    const text = tmp();
    fs.writeFileSync(text, 'hello, world\n');
    await rejectsWith(RecordingReader.open(text), 'BAD_MAGIC', /not a KIS Market Monitor recording/);
    const plainGzip = tmp();
    fs.writeFileSync(plainGzip, zlib.gzipSync(HEADER));
    await rejectsWith(RecordingReader.open(plainGzip), 'BAD_MAGIC');
    const v2 = tmp();
    craft(v2, [HEADER], Buffer.concat([MAGIC, Buffer.from([2, 1])]));
    await rejectsWith(RecordingReader.open(v2), 'UNSUPPORTED_VERSION', /version 2 recording.*reads version 1 only/);
    const otherCompression = tmp();
    craft(otherCompression, [HEADER], Buffer.concat([MAGIC, Buffer.from([1, 7])]));
    await rejectsWith(RecordingReader.open(otherCompression), 'UNSUPPORTED_VERSION', /compression 7/);
    const headerV3 = tmp();
    craft(headerV3, [HEADER.replace('"version":1', '"version":3')]);
    await rejectsWith(RecordingReader.open(headerV3), 'UNSUPPORTED_VERSION', /version 3 in its header/);
    const empty = tmp();
    fs.writeFileSync(empty, '');
    await rejectsWith(RecordingReader.open(empty), 'TRUNCATED', /empty/);
    const prefixOnly = tmp();
    fs.writeFileSync(prefixOnly, MAGIC.subarray(0, 4));
    await rejectsWith(RecordingReader.open(prefixOnly), 'TRUNCATED');
    const noBody = tmp();
    fs.writeFileSync(noBody, Buffer.concat([MAGIC, Buffer.from([1, 1])]));
    await rejectsWith(RecordingReader.open(noBody), 'TRUNCATED', /before its header/);
    await rejectsWith(RecordingReader.open(path.join(dir, 'missing.kisrec')), 'IO_ERROR', /Cannot read/);
  });

  it('says CORRUPT for a damaged header, a body that does not inflate, a malformed entry, or data after the end', async () => {
    for (const header of ['{"format":"other"}\n', 'not json\n', '[1,2]\n', HEADER.replace('"meta":{}', '"meta":[]')]) {
      const file = tmp();
      craft(file, [header]);
      await rejectsWith(RecordingReader.open(file), 'CORRUPT', /damaged header/);
    }
    const garbage = tmp();
    fs.writeFileSync(garbage, Buffer.concat([MAGIC, Buffer.from([1, 1]), Buffer.from('this is not gzip at all')]));
    await rejectsWith(RecordingReader.open(garbage), 'CORRUPT');
    const lines = [
      '[0,"m",5]',
      '[0,"o",0]',
      '[0,"c",1000]',
      '[0,"d",-1]',
      '[0,"e","bored"]',
      '[0,"q"]',
      '{"t":0}',
      '["0","m","x"]',
      'nope',
      '[0,"e","stopped"]\n[1,"m","after"]',
    ];
    for (const line of lines) {
      const file = tmp();
      craft(file, [HEADER, '[0,"o",1]\n', `${line}\n`]);
      const reader = await RecordingReader.open(file);
      const got: RecordingEntry[] = [];
      await rejectsWith(
        (async () => {
          for await (const e of reader.entries()) got.push(e);
        })(),
        'CORRUPT',
      );
      assert.ok(got.length >= 1, `the good entry before ${line}`);
    }
  });

  it('streams entries once; close() stops early', async () => {
    const file = tmp();
    await write(file, session(5));
    const reader = await RecordingReader.open(file);
    const first = await reader.entries().next();
    assert.equal(first.done, false);
    await assert.rejects(async () => {
      for await (const _e of reader.entries()) void _e;
    }, /only once/);
    await reader.close();
  });
});

describe('recorder: limits, a full buffer, errors', () => {
  it('stops at the time limit with an end entry that says so, and ignores what comes after', async () => {
    const file = tmp();
    const c = clock();
    const writer = await RecordingWriter.open({ file, source: 'paper', now: c.now, limitMs: 1000 });
    const limit = new Promise((resolve) => writer.on('limit', resolve));
    writer.record({ type: 'message', at: T0 + 500, text: FRAME(1) });
    writer.record({ type: 'message', at: T0 + 1000, text: FRAME(2) });
    writer.record({ type: 'message', at: T0 + 1001, text: FRAME(3) });
    assert.equal(await limit, 'time-limit');
    const stats = await writer.close();
    assert.equal(stats.stopped, 'time-limit');
    assert.equal(stats.entries, 1);
    const { entries, reader } = await readAll(file);
    assert.deepEqual(
      entries.map((e) => e.kind),
      ['message', 'end'],
    );
    assert.equal(reader.summary?.end, 'time-limit');
  });

  it('stops at the size limit after the flush that crosses it', async () => {
    const file = tmp();
    const writer = await RecordingWriter.open({ file, source: 'real', limitBytes: 2000, flushIntervalMs: 5 });
    const limit = new Promise((resolve) => writer.on('limit', resolve));
    let i = 0;
    const feed = setInterval(() => {
      for (let k = 0; k < 50; k++)
        writer.record({ type: 'message', at: Date.now(), text: `${FRAME(i++)}${Math.random()}` });
    }, 2);
    try {
      assert.equal(await limit, 'size-limit');
    } finally {
      clearInterval(feed);
    }
    const stats = await writer.close();
    assert.equal(stats.stopped, 'size-limit');
    assert.ok(stats.bytes >= 2000);
    assert.equal((await readAll(file)).reader.summary?.end, 'size-limit');
  });

  it('drops entries past its buffer bound, counts them and writes how many', async () => {
    const file = tmp();
    const writer = await RecordingWriter.open({
      file,
      source: 'simulator',
      maxBufferedBytes: 2000,
      flushIntervalMs: 1000,
    });
    for (let i = 0; i < 100; i++) writer.record({ type: 'message', at: T0 + i, text: FRAME(i) });
    const stats = writer.stats();
    assert.ok(stats.dropped > 0 && stats.entries + stats.dropped === 100, JSON.stringify(stats));
    assert.equal(stats.frames, stats.entries);
    await writer.close();
    const { entries } = await readAll(file);
    const dropped = entries.find((e) => e.kind === 'dropped');
    assert.deepEqual(dropped && dropped.kind === 'dropped' ? dropped.count : 0, stats.dropped);
  });

  it('flushes early once a megabyte waits, without waiting for its timer', async () => {
    const file = tmp();
    const writer = await RecordingWriter.open({ file, source: 'simulator', flushIntervalMs: 60_000 });
    const big = 'y'.repeat(64 * 1024);
    for (let i = 0; i < 20; i++) writer.record({ type: 'message', at: T0 + i, text: `0|H0STCNT0|001|${big}` });
    const start = writer.stats().bytes;
    await until(() => writer.stats().bytes > start + 1000, poll(2), 'the writer to grow by 1,000 bytes', 5000);
    await writer.close();
  });

  it('counts a failing disk instead of throwing, and still closes (/dev/full: every write fails with ENOSPC)', async () => {
    const writer = await RecordingWriter.open({ file: '/dev/full', source: 'simulator', flushIntervalMs: 5 });
    const failed = new Promise<RecordingError>((resolve) => writer.once('error', resolve));
    for (let i = 0; i < 2000; i++) writer.record({ type: 'message', at: T0 + i, text: `${FRAME(i)}${Math.random()}` });
    const error = await failed;
    assert.equal(error.code, 'IO_ERROR');
    writer.record({ type: 'open', at: T0 });
    const stats = await writer.close();
    assert.ok(stats.errors >= 1 && stats.lastError !== undefined);
  });

  it('refuses bad options and an uncreatable file with a RecordingError', async () => {
    await rejectsWith(
      RecordingWriter.open({ file: tmp(), source: 's', limitBytes: 0 }),
      'INVALID_OPTIONS',
      /limitBytes must be a positive number/,
    );
    await rejectsWith(RecordingWriter.open({ file: tmp(), source: 's', limitMs: Number.NaN }), 'INVALID_OPTIONS');
    await rejectsWith(
      RecordingWriter.open({ file: path.join(dir, 'no', 'such', 'dir.kisrec'), source: 's' }),
      'IO_ERROR',
      /Cannot create/,
    );
  });

  it('close() is idempotent and a tap after it is ignored', async () => {
    const file = tmp();
    const writer = await RecordingWriter.open({ file, source: 'simulator' });
    writer.tap({ type: 'message', at: Date.now(), text: FRAME(0) });
    const [a, b] = await Promise.all([writer.close(), writer.close()]);
    assert.deepEqual(a, b);
    writer.tap({ type: 'message', at: Date.now(), text: FRAME(1) });
    assert.equal(writer.stats().entries, 1);
    assert.equal(writer.startedAt, a.startedAt);
  });
});

describe('recorder: credentials never reach the file', () => {
  it('masks the app key, the secret, credential fields and an echoed approval key in acks and close reasons; frames stay untouched', async () => {
    const file = tmp();
    const writer = await RecordingWriter.open({ file, source: 'real', appkey: APPKEY, appsecret: APPSECRET });
    const approval = '1f0e9d8c-7b6a-5948-3726-15f4e3d2c1b0';
    const frame = FRAME(7);
    writer.record({ type: 'message', at: T0, text: ACK(`invalid approval : ${approval}`) });
    writer.record({
      type: 'message',
      at: T0,
      text: ACK('x', `,"approval_key":"${approval}","appsecret":"${APPSECRET}","token":"tok\\"en"`),
    });
    writer.record({ type: 'message', at: T0, text: ACK(`echo ${APPKEY} and ${APPSECRET.slice(5, 40)}`) });
    writer.record({ type: 'close', at: T0, code: 4000, reason: `bye ${APPSECRET.slice(20, 60)}` });
    writer.record({ type: 'message', at: T0, text: frame });
    writer.record({ type: 'message', at: T0, text: `garbage ${APPKEY}` });
    await writer.close();
    const inflated = zlib.gunzipSync(fs.readFileSync(file).subarray(8)).toString('utf8');
    const texts = (await readAll(file)).entries
      .map((e) => (e.kind === 'message' ? e.text : e.kind === 'close' ? e.reason : ''))
      .join('\n');
    for (const secret of [APPKEY, APPSECRET, approval]) {
      for (let i = 0; i + 8 <= secret.length; i++)
        assert.ok(!inflated.includes(secret.slice(i, i + 8)), `piece ${secret.slice(i, i + 8)} leaked`);
    }
    assert.match(texts, /invalid approval : \[redacted\]/);
    assert.match(texts, /"approval_key":"\[redacted\]"/);
    assert.match(texts, /"token":"\[redacted\]"/);
    assert.match(texts, /bye \[redacted\]/);
    assert.ok(inflated.includes(JSON.stringify(frame)), 'the data frame is stored as received');
  });
});

describe("recorder: the user's own orders stay out", () => {
  const HTS_ID = 'mytrader7';
  const noticeAck = (trId: string): string =>
    `{"header":{"tr_id":"${trId}","tr_key":"${HTS_ID}","encrypt":"N"},"body":{"rt_cd":"0","msg_cd":"OPSP0000","msg1":"SUBSCRIBE SUCCESS","output":{"iv":"0123456789abcdef","key":"abcdefghijklmnopqrstuvwxyz123456"}}}`;
  const tradeAck = `{"header":{"tr_id":"H0STCNT0","tr_key":"005930","encrypt":"N"},"body":{"rt_cd":"0","msg_cd":"OPSP0000","msg1":"SUBSCRIBE SUCCESS","output":{"iv":"0123456789abcdef","key":"abcdefghijklmnopqrstuvwxyz123456"}}}`;
  const notice = '1|H0STCNI9|001|c2VjcmV0IGFjY291bnQgNTAwMTIzNDU=';

  async function recorded(keepNotices?: boolean): Promise<{ texts: string[]; omitted: number }> {
    const file = tmp();
    const writer = await RecordingWriter.open({ file, source: 'paper', ...(keepNotices ? { keepNotices } : {}) });
    for (const text of [noticeAck('H0STCNI9'), noticeAck('H0GSCNI0'), tradeAck, notice, FRAME(1)])
      writer.record({ type: 'message', at: T0, text });
    const stats = await writer.close();
    const texts = (await readAll(file)).entries.flatMap((e) => (e.kind === 'message' ? [e.text] : []));
    return { texts, omitted: stats.privateOmitted };
  }

  it('leaves out execution notices and their acks (the HTS ID, the AES key) by default, and counts them', async () => {
    const { texts, omitted } = await recorded();
    assert.equal(omitted, 3, 'two notice acks and one notice');
    assert.deepEqual(texts, [tradeAck, FRAME(1)], 'market data and its ack stay');
    assert.ok(!texts.join('\n').includes(HTS_ID));
  });

  it('keeps them when asked (a recording made to replay notices)', async () => {
    const { texts, omitted } = await recorded(true);
    assert.equal(omitted, 0);
    assert.equal(texts.length, 5);
    assert.ok(texts.includes(notice));
  });
});
