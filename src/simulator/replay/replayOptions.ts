/**
 * The options of a replay (`kis-monitor sim --replay`, `ReplayFeed.start()`), their checks, and the
 * progress a replay reports. Pure: no file or socket.
 */
import { RecordingError } from '../../recorder';
import { kstMidnight } from '../../market';

/** Options of `ReplayFeed.start()`. */
export interface ReplayOptions {
  /** The recording to play. */
  file: string;
  /** 1 = as recorded, 10 = ten times faster, 'max' = as fast as the sockets drain. Default 1. */
  speed?: number | 'max';
  /** Start at this KST clock time (`HH:MM`) of the recording's first day; earlier frames are skipped. */
  from?: string;
  /** Longest wait at a recorded subscribe for a connection to register the same stream (ms). Default 3000. */
  subscribeWaitMs?: number;
}

/** Where a replay is: for the views ("replay 10×", the recorded clock) and for tests. */
export interface ReplayProgress {
  state: 'waiting' | 'playing' | 'ended' | 'failed';
  speed: number | 'max';
  /** Epoch ms the recording started. */
  recordingStartedAt: number;
  /** Recorded time (epoch ms) of the last entry played; undefined before the first. */
  recordedAt: number | undefined;
  /** Data frames sent (each counted once, whatever the number of connections). */
  frames: number;
  /** Data frames not sent: before `from`, nobody registered, or undecryptable. */
  skipped: number;
  /** The recording was cut short (it played up to the cut). */
  truncated: boolean;
  /** Why the replay failed (state 'failed'): a damaged recording. */
  error?: { code: string; message: string };
}

const FROM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Checks a `--speed` value: a positive number or 'max'. @throws RecordingError 'INVALID_OPTIONS'. */
export function checkSpeed(speed: unknown): number | 'max' {
  if (speed === 'max') return speed;
  if (typeof speed === 'number' && Number.isFinite(speed) && speed > 0) return speed;
  throw new RecordingError('INVALID_OPTIONS', `speed must be a positive number or "max", got ${String(speed)}`);
}

/**
 * The first instant at or after the KST midnight of `startedAt`'s day whose KST clock reads `hhmm`.
 * @throws RecordingError 'INVALID_OPTIONS' for anything but HH:MM.
 */
export function fromInstant(startedAt: number, hhmm: string): number {
  const match = FROM.exec(hhmm);
  if (match === null)
    throw new RecordingError('INVALID_OPTIONS', `from must be HH:MM (KST), e.g. 09:01, got "${hhmm}"`);
  return kstMidnight(startedAt) + Number(match[1]) * 3600_000 + Number(match[2]) * 60_000;
}
