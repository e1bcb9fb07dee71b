/**
 * "KIS: Start Recording" / "KIS: Stop Recording": records the running session with the same
 * writer as `kis-monitor record` (src/recorder), attached to the agent's receive tap while it runs.
 *
 * The recorder follows the feed's runtime, not one socket: the agent keeps its tap across reconnects (each
 * reconnect is an `open` entry in the file), so a recording survives them. When the runtime itself ends
 * (disconnect, a data-source switch, deactivate) the recording is finished and closed with it: a file
 * mixing two sources would replay neither. A limit (size, time) finishes it the same way, and says so.
 * vscode-free; the views turn `onDidStop` into a message.
 */
import { Disposable, Emitter, type Event } from '../../common/lifecycle';
import { noticeTrOf } from '../../kis';
import { RecordingWriter, type EndReason, type RecorderStats } from '../../recorder';
import type { AgentTap } from '../../shared/tap';
import type { DataSource } from '../../settings';
import type { Credentials } from '../types';

/** What the recorder needs of the agent: its tap slot and what it has registered (for the header). */
export interface TapTarget {
  setTap(tap: AgentTap | undefined): void;
  wanted(): ReadonlyArray<{ trId: string; trKey: string }>;
}

/** The runtime the recorder may attach to. */
export interface RecordableSession {
  agent: TapTarget;
  source: DataSource;
  credentials: Credentials;
}

/** How large or long a recording may grow before it stops by itself. */
export interface RecordingLimits {
  maxMegabytes: number;
  maxMinutes: number;
}

/** Stable codes of a recording that could not start. */
export type RecordingStartCode = 'NO_SESSION' | 'ALREADY_RECORDING' | 'IO_ERROR' | 'INVALID_OPTIONS';

/** The outcome of `start()`: errors are data, with a sentence for the user. */
export type RecordingStartResult =
  { ok: true; file: string } | { ok: false; code: RecordingStartCode; message: string };

/** Why a recording ended: the writer's reasons, the session ending under it, or a write failure. */
export type RecordingEndReason = EndReason | 'session-ended' | 'write-failed';

/** A finished recording. */
export interface RecordingEnd {
  file: string;
  reason: RecordingEndReason;
  stats: RecorderStats;
  /** The write error, for 'write-failed'. */
  error?: string;
}

/** A recording in progress, as the status bar shows it. */
export interface RecordingProgress {
  file: string;
  stats: RecorderStats;
}

/** One recording at a time of the feed's session; see the file comment. */
export class FeedRecorder extends Disposable {
  private readonly startEmitter = this._register(new Emitter<RecordingProgress>());
  private readonly stopEmitter = this._register(new Emitter<RecordingEnd>());
  /** Fires when a recording starts. */
  readonly onDidStart: Event<RecordingProgress> = this.startEmitter.event;
  /** Fires once per recording when its file is finished and closed (stopped, limit, session end, failure). */
  readonly onDidStop: Event<RecordingEnd> = this.stopEmitter.event;

  private session: RecordableSession | undefined;
  private active: { file: string; writer: RecordingWriter; agent: TapTarget } | undefined;
  private finishing: Promise<RecordingEnd | undefined> | undefined;

  /** The recording in progress, if any. */
  current(): RecordingProgress | undefined {
    const a = this.active;
    return a === undefined ? undefined : { file: a.file, stats: a.writer.stats() };
  }

  /** The feed adopted a runtime: recordings can start on it. */
  attach(session: RecordableSession): void {
    this.session = session;
  }

  /** The feed is closing `agent`'s runtime: a recording on it is finished ('session-ended') first. */
  async detach(agent: TapTarget | undefined): Promise<void> {
    if (agent === undefined || this.session?.agent !== agent) return;
    this.session = undefined;
    if (this.active?.agent === agent) await this.finish('session-ended');
  }

  /** Starts recording the attached session into `file` (replaced if it exists). */
  async start(file: string, limits: RecordingLimits, meta: Record<string, string> = {}): Promise<RecordingStartResult> {
    if (this.active !== undefined || this.finishing !== undefined) {
      return {
        ok: false,
        code: 'ALREADY_RECORDING',
        message: `Already recording to ${this.active?.file ?? 'a file'}. Stop that recording first.`,
      };
    }
    const session = this.session;
    if (session === undefined) {
      return {
        ok: false,
        code: 'NO_SESSION',
        message:
          'Nothing to record: this window runs no session of its own. Connect first (a window that follows a shared session records in the window that leads it).',
      };
    }
    // The user's own notices are not recorded (the writer leaves them out): nor is their registration,
    // whose key is the HTS ID.
    const wanted = session.agent.wanted().filter((w) => noticeTrOf(w.trId) === undefined);
    let writer: RecordingWriter;
    try {
      writer = await RecordingWriter.open({
        file,
        source: session.source,
        meta: {
          ...meta,
          trIds: [...new Set(wanted.map((w) => w.trId))],
          codes: [...new Set(wanted.map((w) => w.trKey))],
        },
        limitBytes: Math.round(limits.maxMegabytes * 1024 * 1024),
        limitMs: Math.round(limits.maxMinutes * 60_000),
        appkey: session.credentials.appkey,
        appsecret: session.credentials.appsecret,
      });
    } catch (error) {
      const code = (error as { code?: unknown }).code === 'INVALID_OPTIONS' ? 'INVALID_OPTIONS' : 'IO_ERROR';
      return { ok: false, code, message: error instanceof Error ? error.message : String(error) };
    }
    // The session may have ended while the file was being created.
    if (this.session !== session || this.active !== undefined) {
      await writer.close();
      return { ok: false, code: 'NO_SESSION', message: 'The session ended before the recording could start.' };
    }
    this.active = { file, writer, agent: session.agent };
    writer.on('limit', (reason) => void this.finish(reason));
    writer.on('error', (error) => void this.finish('write-failed', error.message));
    session.agent.setTap(writer.tap);
    this.startEmitter.fire({ file, stats: writer.stats() });
    return { ok: true, file };
  }

  /** Stops the recording in progress; resolves with how it ended once the file is closed (undefined if none). */
  stop(): Promise<RecordingEnd | undefined> {
    return this.finish('stopped');
  }

  /** Finishes the recording: the tap off, the file closed, then `onDidStop`. Idempotent while it runs. */
  private finish(reason: RecordingEndReason, error?: string): Promise<RecordingEnd | undefined> {
    const active = this.active;
    if (active === undefined) return this.finishing ?? Promise.resolve(undefined);
    this.active = undefined;
    active.agent.setTap(undefined);
    this.finishing = (async () => {
      const stats = await active.writer.close();
      // A limit closes the file itself; its reason is in the stats (size-limit / time-limit).
      const end: RecordingEnd = {
        file: active.file,
        reason: reason === 'stopped' && stats.stopped !== undefined ? stats.stopped : reason,
        stats,
        ...(error !== undefined ? { error } : {}),
      };
      this.finishing = undefined;
      this.stopEmitter.fire(end);
      return end;
    })();
    return this.finishing;
  }

  /** Finishes a recording in progress (deactivate awaits it through the feed's dispose). */
  override dispose(): void {
    void this.finish('session-ended');
    super.dispose();
  }
}
