import assert from 'node:assert/strict';
import { replayClock } from '../../../src/feed/source/replaySource';
import type { ReplayProgress } from '../../../src/simulator';

const STARTED = Date.UTC(2026, 11, 4, 0, 0, 0);

function progressOf(over: Partial<ReplayProgress>): () => ReplayProgress {
  const p: ReplayProgress = {
    state: 'waiting',
    speed: 10,
    recordingStartedAt: STARTED,
    recordedAt: undefined,
    frames: 0,
    skipped: 0,
    truncated: false,
    ...over,
  };
  return () => p;
}

describe('the replay source clock', () => {
  it('reads the recording: its start before the first entry, then the recorded time of the last one played', () => {
    const played: { at: number | undefined } = { at: undefined };
    const clock = replayClock({ progress: () => ({ ...progressOf({})(), recordedAt: played.at }) });
    assert.equal(clock.now(), STARTED);
    played.at = STARTED + 61_000;
    assert.equal(clock.now(), STARTED + 61_000, 'the recorded time, not the wall clock');
  });

  it('is no calendar clock (a replay streams whatever it recorded, at any hour) and runs at the replay speed', () => {
    const tenfold = replayClock({ progress: progressOf({ speed: 10 }) });
    assert.equal(tenfold.calendar, false);
    assert.equal(tenfold.speed, 10);
    assert.equal(replayClock({ progress: progressOf({ speed: 'max' }) }).speed, 1);
  });
});
