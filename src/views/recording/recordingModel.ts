/**
 * What the views say about recording and replay, as pure functions: the recording indicator,
 * the message when a recording ends, the "replay 10×" label with the recorded time, the end-of-replay
 * sentence and the default file name. vscode-free (the translate function is passed in), unit-tested.
 */
import type { Translate } from '../../common/translate';
import { formatKstClock, formatKstDateTime } from '../../market/time';
import type { RecordingEnd, RecordingProgress, ReplayStatus } from '../../feed';

/** A byte count for people: "812 KB", "1.2 MB", "3.40 GB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(0, Math.round(bytes / 1024))} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

/** Elapsed time as "m:ss", or "h:mm:ss" from an hour. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** The recording indicator: `$(record) REC 1:23 · 1.2 MB`, and its tooltip. */
export function recordingIndicator(p: RecordingProgress, now: number, t: Translate): { text: string; tooltip: string } {
  const elapsed = formatElapsed(now - p.stats.startedAt);
  const size = formatBytes(p.stats.bytes);
  const dropped = p.stats.dropped > 0 ? ` · ${t('{0} dropped', p.stats.dropped)}` : '';
  return {
    text: `$(record) ${t('REC')} ${elapsed} · ${size}${dropped}`,
    tooltip: t('Recording to {0}: {1} frames, {2} on disk. Click to stop.', p.file, p.stats.frames, size),
  };
}

/** The sentence shown when a recording ends (the limit that stopped it, or why it could not go on). */
export function recordingEndMessage(
  end: RecordingEnd,
  limits: { maxMegabytes: number; maxMinutes: number },
  t: Translate,
): string {
  const what = t('{0} frames, {1}', end.stats.frames, formatBytes(end.stats.bytes));
  switch (end.reason) {
    case 'stopped':
      return t('Recording saved to {0} ({1}).', end.file, what);
    case 'size-limit':
      return t(
        'Recording stopped at the size limit ({0} MB): saved to {1} ({2}).',
        limits.maxMegabytes,
        end.file,
        what,
      );
    case 'time-limit':
      return t('Recording stopped at the time limit ({0} min): saved to {1} ({2}).', limits.maxMinutes, end.file, what);
    case 'session-ended':
      return t('The session stopped, so the recording did too: saved to {0} ({1}).', end.file, what);
    case 'write-failed':
      return t(
        'Recording stopped: the file could not be written ({0}). What was written up to then is readable: {1}.',
        end.error ?? '?',
        end.file,
      );
  }
}

/** The speed as the views say it: "10×", "max". */
export function speedLabel(speed: number | 'max'): string {
  return speed === 'max' ? 'max' : `${speed}×`;
}

/** "replay 10× · 09:01:23 KST": the speed and the recorded time (the recording's clock, not the wall clock). */
export function replayLabel(status: ReplayStatus, t: Translate): string {
  const at = status.recordedAt ?? status.recordingStartedAt;
  const head =
    status.state === 'ended' || status.state === 'failed'
      ? t('replay ended')
      : t('replay {0}', speedLabel(status.speed));
  return `${head} · ${formatKstClock(at)} KST`;
}

/** The announcement at the end of a replay: played to the end, to a cut, or stopped at a damaged part. */
export function replayEndMessage(status: ReplayStatus, t: Translate): string {
  const at = status.recordedAt === undefined ? '' : ` (${formatKstClock(status.recordedAt)} KST)`;
  if (status.state === 'failed')
    return t('The replay stopped at a damaged part of the recording{0}: {1}', at, status.error?.message ?? '?');
  if (status.truncated)
    return t(
      'The replay reached the end of a recording that was cut short{0}; it played everything up to the cut.',
      at,
    );
  return t('The replay reached the end of the recording{0}: {1} frames played.', at, status.frames);
}

/** A file name for a new recording: `kis-20261204-091500.kisrec` (KST). */
export function defaultRecordingName(now: number): string {
  const stamp = formatKstDateTime(new Date(now));
  return `kis-${stamp.slice(0, 8)}-${stamp.slice(8)}.kisrec`;
}
