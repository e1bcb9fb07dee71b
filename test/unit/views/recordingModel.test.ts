import assert from 'node:assert/strict';
import type { AgentStats } from '../../../src/shared/stats';
import type { ReplayStatus } from '../../../src/feed';
import { formatMessage as t } from '../../../src/common/translate';
import {
  defaultRecordingName,
  formatBytes,
  formatElapsed,
  recordingEndMessage,
  recordingIndicator,
  replayEndMessage,
  replayLabel,
  speedLabel,
} from '../../../src/views/recording/recordingModel';
import { statsRows, statusKind, statusView, type StatusInput } from '../../../src/views/status/statusBarModel';

/** 2026-12-04 09:01:23 KST. */
const RECORDED = Date.UTC(2026, 11, 4, 0, 1, 23);
const WALL = Date.UTC(2026, 11, 4, 7, 30, 0);
const stats = (over = {}) => ({
  entries: 10,
  frames: 8,
  dropped: 0,
  privateOmitted: 0,
  bytes: 1_300_000,
  errors: 0,
  startedAt: WALL - 83_000,
  ...over,
});

function replay(over: Partial<ReplayStatus> = {}): ReplayStatus {
  return {
    state: 'playing',
    speed: 10,
    recordingStartedAt: RECORDED - 60_000,
    recordedAt: RECORDED,
    frames: 120,
    skipped: 0,
    truncated: false,
    ...over,
  };
}

describe('recording and replay texts', () => {
  it('formats sizes and elapsed times for people', () => {
    assert.equal(formatBytes(812 * 1024), '812 KB');
    assert.equal(formatBytes(1_300_000), '1.2 MB');
    assert.equal(formatBytes(3.4 * 1024 ** 3), '3.40 GB');
    assert.equal(formatElapsed(83_000), '1:23');
    assert.equal(formatElapsed(3_723_000), '1:02:03');
    assert.equal(formatElapsed(-5), '0:00');
  });

  it('the indicator shows the elapsed time and the size, and what was dropped', () => {
    const view = recordingIndicator({ file: '/tmp/a.kisrec', stats: stats() }, WALL, t);
    assert.equal(view.text, '$(record) REC 1:23 · 1.2 MB');
    assert.match(view.tooltip, /\/tmp\/a\.kisrec: 8 frames/);
    assert.match(recordingIndicator({ file: 'f', stats: stats({ dropped: 3 }) }, WALL, t).text, /3 dropped$/);
  });

  it('says which limit stopped a recording, and where it is', () => {
    const limits = { maxMegabytes: 500, maxMinutes: 60 };
    const end = (reason: Parameters<typeof recordingEndMessage>[0]['reason'], error?: string) =>
      recordingEndMessage({ file: '/r/x.kisrec', reason, stats: stats(), ...(error ? { error } : {}) }, limits, t);
    assert.equal(end('stopped'), 'Recording saved to /r/x.kisrec (8 frames, 1.2 MB).');
    assert.match(end('size-limit'), /size limit \(500 MB\): saved to \/r\/x\.kisrec/);
    assert.match(end('time-limit'), /time limit \(60 min\)/);
    assert.match(end('session-ended'), /session stopped/);
    assert.match(end('write-failed', 'ENOSPC'), /could not be written \(ENOSPC\)/);
  });

  it('labels a replay with its speed and the recorded time (KST), not the wall clock', () => {
    assert.equal(speedLabel(10), '10×');
    assert.equal(speedLabel('max'), 'max');
    assert.equal(replayLabel(replay(), t), 'replay 10× · 09:01:23 KST');
    assert.equal(replayLabel(replay({ recordedAt: undefined, state: 'waiting' }), t), 'replay 10× · 09:00:23 KST');
    assert.equal(replayLabel(replay({ state: 'ended' }), t), 'replay ended · 09:01:23 KST');
  });

  it('announces the end: played through, cut short, or stopped at damage', () => {
    assert.match(replayEndMessage(replay({ state: 'ended' }), t), /end of the recording \(09:01:23 KST\): 120 frames/);
    assert.match(replayEndMessage(replay({ state: 'ended', truncated: true }), t), /cut short/);
    assert.match(
      replayEndMessage(replay({ state: 'failed', error: { code: 'CORRUPT', message: 'line 7 is not JSON' } }), t),
      /damaged part .*line 7 is not JSON/,
    );
  });

  it('names a new recording by its KST start', () => {
    assert.equal(defaultRecordingName(RECORDED), 'kis-20261204-090123.kisrec');
  });

  describe('in the status bar', () => {
    const agent = {
      state: 'open',
      reconnects: 0,
      messages: 1,
      records: 1,
      bytes: 1,
      messagesPerSec1s: 1500,
      messagesPerSec10s: 1,
      parseErrors: 0,
      handlerErrors: 0,
      pingpongs: 0,
      lastTickAt: {},
      subscriptionsUsed: 4,
      subscriptionLimit: 41,
      refused: 0,
      connectedSince: WALL - 600_000,
    } as AgentStats;
    const input = (over: Partial<StatusInput> = {}): StatusInput => ({
      source: 'replay',
      session: 'running',
      agent,
      marketOpen: true,
      phase: 'demo',
      watchlistSize: 2,
      now: WALL,
      staleAfterMs: 30_000,
      t,
      replay: replay(),
      ...over,
    });

    it('says "replay 10×" and the recorded time', () => {
      const view = statusView(input());
      assert.equal(view.kind, 'live');
      assert.equal(view.text, '$(history) replay 10× · 09:01:23 KST 4/41');
      assert.match(view.text, /4\/41$/);
      assert.ok(statsRows(input()).some(([k, v]) => k === 'Replay' && v.includes('120 frames played')));
      assert.equal(statsRows(input()).find(([k]) => k === 'Data source')?.[1], 'Replay');
    });

    it('a replay gone quiet (its end, a quiet stretch of the recording) is not a stall', () => {
      assert.equal(statusKind(input()), 'live');
      assert.equal(statusKind(input({ replay: undefined, source: 'simulator' })), 'stalled');
    });
  });
});
