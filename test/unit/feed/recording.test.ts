import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FeedRecorder, type RecordingEnd, type TapTarget } from '../../../src/feed/source/sessionRecording';
import { RecordingReader, type RecordingEntry } from '../../../src/recorder';
import type { AgentTap } from '../../../src/shared/tap';

const APPKEY = 'PSabcdefghijklmnopqrstuvwxyz0123456789';
const APPSECRET = 'secret-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ';

/** The agent as the recorder sees it: a tap slot and its registrations. */
function fakeAgent(): TapTarget & { tap: AgentTap | undefined; taps: number } {
  const agent = {
    tap: undefined as AgentTap | undefined,
    taps: 0,
    setTap(tap: AgentTap | undefined): void {
      agent.tap = tap;
      if (tap) agent.taps += 1;
    },
    wanted: () => [
      // The user's own notices, keyed by the HTS ID: never named in a recording.
      { trId: 'H0STCNI0', trKey: 'mytrader7' },
      { trId: 'H0STCNT0', trKey: '005930' },
      { trId: 'H0STASP0', trKey: '005930' },
    ],
  };
  return agent;
}

async function entriesOf(file: string): Promise<RecordingEntry[]> {
  const reader = await RecordingReader.open(file);
  const out: RecordingEntry[] = [];
  for await (const e of reader.entries()) out.push(e);
  return out;
}

function nextStop(recorder: FeedRecorder): Promise<RecordingEnd> {
  return new Promise((resolve) => {
    const sub = recorder.onDidStop((end) => {
      sub.dispose();
      resolve(end);
    });
  });
}

const FRAME = '0|H0STCNT0|001|005930^093000^71000';

describe('FeedRecorder', () => {
  let dir: string;
  let recorder: FeedRecorder;
  const limits = { maxMegabytes: 100, maxMinutes: 60 };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-feedrec-'));
    recorder = new FeedRecorder();
  });
  afterEach(async () => {
    await recorder.stop();
    recorder.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to start without a session, and a second recording while one runs', async () => {
    const none = await recorder.start(path.join(dir, 'a.kisrec'), limits);
    assert.deepEqual(none.ok ? undefined : none.code, 'NO_SESSION');
    recorder.attach({ agent: fakeAgent(), source: 'simulator', credentials: { appkey: APPKEY, appsecret: APPSECRET } });
    assert.equal((await recorder.start(path.join(dir, 'a.kisrec'), limits)).ok, true);
    const again = await recorder.start(path.join(dir, 'b.kisrec'), limits);
    assert.equal(again.ok ? undefined : again.code, 'ALREADY_RECORDING');
  });

  it('reports a file that cannot be created as IO_ERROR data, not a throw', async () => {
    recorder.attach({ agent: fakeAgent(), source: 'simulator', credentials: { appkey: APPKEY, appsecret: APPSECRET } });
    const result = await recorder.start(path.join(dir, 'no', 'such', 'dir', 'a.kisrec'), limits);
    assert.equal(result.ok ? undefined : result.code, 'IO_ERROR');
    assert.equal(recorder.current(), undefined);
  });

  it('records what the tap sees with the subscriptions in the header, masks the credentials, and takes the tap off at stop', async () => {
    const agent = fakeAgent();
    recorder.attach({ agent, source: 'real', credentials: { appkey: APPKEY, appsecret: APPSECRET } });
    const file = path.join(dir, 'rec.kisrec');
    const started = await recorder.start(file, limits);
    assert.deepEqual(started, { ok: true, file });
    assert.ok(agent.tap, 'the tap is on the agent');
    const now = Date.now();
    agent.tap({ type: 'open', at: now });
    agent.tap({ type: 'message', at: now + 1, text: FRAME });
    agent.tap({
      type: 'message',
      at: now + 2,
      text: `{"header":{"tr_id":"PINGPONG"},"note":"${APPKEY} ${APPSECRET}"}`,
    });
    assert.equal(recorder.current()?.stats.frames, 1);
    const end = await recorder.stop();
    assert.equal(end?.reason, 'stopped');
    assert.equal(agent.tap, undefined, 'the tap is off the agent');
    const reader = await RecordingReader.open(file);
    assert.equal(reader.header.source, 'real');
    assert.deepEqual(reader.header.meta.codes, ['005930']);
    assert.deepEqual(reader.header.meta.trIds, ['H0STCNT0', 'H0STASP0']);
    await reader.close();
    const text = JSON.stringify(await entriesOf(file));
    assert.ok(text.includes(FRAME));
    assert.ok(!text.includes(APPKEY) && !text.includes(APPSECRET), 'no secret in the recording');
  });

  it('stops by itself at the size limit, with its reason', async () => {
    const agent = fakeAgent();
    recorder.attach({ agent, source: 'simulator', credentials: { appkey: APPKEY, appsecret: APPSECRET } });
    const stopped = nextStop(recorder);
    await recorder.start(path.join(dir, 'size.kisrec'), { maxMegabytes: 0.001, maxMinutes: 60 });
    const start = Date.now();
    // ~1 KB limit: random payloads do not compress, so a few entries pass it at the next flush.
    for (let i = 0; i < 400; i++)
      agent.tap?.({
        type: 'message',
        at: start + i,
        text: `${FRAME}^${Math.random().toString(36)}${Math.random().toString(36)}`,
      });
    const end = await stopped;
    assert.equal(end.reason, 'size-limit');
    assert.equal(agent.tap, undefined);
    assert.equal(recorder.current(), undefined);
    const entries = await entriesOf(end.file);
    assert.deepEqual(entries[entries.length - 1], {
      kind: 'end',
      at: entries[entries.length - 1].at,
      reason: 'size-limit',
    });
  });

  it('stops by itself at the time limit (recorded time), with its reason', async () => {
    const agent = fakeAgent();
    recorder.attach({ agent, source: 'simulator', credentials: { appkey: APPKEY, appsecret: APPSECRET } });
    const stopped = nextStop(recorder);
    await recorder.start(path.join(dir, 'time.kisrec'), { maxMegabytes: 100, maxMinutes: 1 });
    const start = recorder.current()?.stats.startedAt ?? Date.now();
    agent.tap?.({ type: 'message', at: start + 1_000, text: FRAME });
    agent.tap?.({ type: 'message', at: start + 61_000, text: FRAME });
    const end = await stopped;
    assert.equal(end.reason, 'time-limit');
    assert.equal(end.stats.frames, 1, 'the entry past the limit is not recorded');
  });

  it('finishes the recording when its session ends, and ignores the end of another', async () => {
    const agent = fakeAgent();
    recorder.attach({ agent, source: 'simulator', credentials: { appkey: APPKEY, appsecret: APPSECRET } });
    await recorder.start(path.join(dir, 'session.kisrec'), limits);
    await recorder.detach(fakeAgent());
    assert.ok(recorder.current(), 'another agent ending does not stop it');
    const stopped = nextStop(recorder);
    await recorder.detach(agent);
    assert.equal((await stopped).reason, 'session-ended');
    const after = await recorder.start(path.join(dir, 'later.kisrec'), limits);
    assert.equal(after.ok ? undefined : after.code, 'NO_SESSION');
    assert.equal(await recorder.stop(), undefined);
  });

  it('a disk that fails stops the recording with write-failed and its error, never a throw (/dev/full)', async () => {
    const agent = fakeAgent();
    recorder.attach({ agent, source: 'simulator', credentials: { appkey: APPKEY, appsecret: APPSECRET } });
    const stopped = nextStop(recorder);
    assert.equal((await recorder.start('/dev/full', limits)).ok, true);
    agent.tap?.({ type: 'message', at: Date.now(), text: FRAME });
    const end = await stopped;
    assert.equal(end.reason, 'write-failed');
    assert.match(end.error ?? '', /ENOSPC/);
    assert.equal(agent.tap, undefined, 'the tap is off the agent');
  });
});
