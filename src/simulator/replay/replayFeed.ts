/**
 * ReplayFeed: plays a recording (src/recorder) through a running simulator, so a client takes exactly
 * the live path: the simulator answers the approval request and every subscribe with its own acks, and
 * the feed sends the recorded data frames to each connection registered for them, with the recorded
 * timing scaled by `speed`. Start the simulator with `synthetic: false` so it generates nothing itself.
 *
 * Choices (FORMAT.md, "Replay"):
 * - The recorded acks are not re-sent; each is a cue. At a recorded SUBSCRIBE SUCCESS the feed waits until
 *   a connection has registered that (tr_id, tr_key), at most `subscribeWaitMs` (without limit while no
 *   connection has registered anything). So a client that subscribes what was recorded misses no frame.
 * - Recorded notices are decrypted with the recorded session's key/iv and sent encrypted with the key/iv
 *   of the replay connection's own registration, so the client decrypts them as it would live.
 * - Recorded PINGPONGs, closes and reconnects are not reproduced (the simulator keeps its own PINGPONG and
 *   the connection stays up); messages that are neither frames nor JSON are re-sent as they are, to every
 *   connection with a registration, so a client counts the same parse errors.
 * - Time spent waiting (for a registration, for a slow socket) does not count as recorded time.
 */
import { performance } from 'node:perf_hooks';
import { EventSource } from '../../common/lifecycle';
import { buildDataFrame, classify, decryptFrame, parseFrame, splitRecords, type DataFrame } from '../../kis';
import { RecordingError, RecordingReader, type ReadSummary } from '../../recorder';
import { checkSpeed, fromInstant, type ReplayOptions, type ReplayProgress } from './replayOptions';
import type { KisSimulator } from '../server';

export { checkSpeed, fromInstant, type ReplayOptions, type ReplayProgress } from './replayOptions';

/** Events of the feed. */
export interface ReplayEvents {
  /** The recording has been played to its end (or to its cut, or to a damaged part: see `error`). */
  end: [ReplayProgress];
}

interface Cipher {
  key: string;
  iv: string;
}

const HIGH_WATER_BYTES = 1 << 20;
const YIELD_EVERY = 256;

/** Plays one recording through a simulator. Build with `ReplayFeed.start()`, end with `close()`. */
export class ReplayFeed extends EventSource<ReplayEvents> {
  /** Resolves with the final progress when the replay ends (never rejects). */
  readonly done: Promise<ReplayProgress>;
  private readonly progressValue: ReplayProgress;
  /** Live registrations: "tr_id|tr_key" → session id → the key/iv of its ack. */
  private readonly live = new Map<string, Map<number, Cipher>>();
  /** The recorded session's notice keys: tr_id → tr_key → key/iv (reset at each recorded session). */
  private readonly recordedKeys = new Map<string, Map<string, Cipher>>();
  private readonly waiters = new Set<() => void>();
  /** Wakes of pending sleeps, so close() ends them at once. */
  private readonly sleepers = new Set<() => void>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly fromAt: number | undefined;
  private readonly waitMs: number;
  private closed = false;
  private anchorWall = 0;
  private anchorRecorded: number | undefined;
  private sentSinceYield = 0;
  /** Streams subscribed in the skipped part before `from`: waited for at the first entry played. */
  private readonly skippedCues = new Set<string>();

  private constructor(
    private readonly sim: KisSimulator,
    private readonly reader: RecordingReader,
    options: ReplayOptions,
  ) {
    super();
    const speed = checkSpeed(options.speed ?? 1);
    this.fromAt = options.from === undefined ? undefined : fromInstant(reader.header.startedAt, options.from);
    this.waitMs = options.subscribeWaitMs ?? 3000;
    this.progressValue = {
      state: 'waiting',
      speed,
      recordingStartedAt: reader.header.startedAt,
      recordedAt: undefined,
      frames: 0,
      skipped: 0,
      truncated: false,
    };
    sim.on('ack', this.onAck);
    sim.on('close', this.onClose);
    this.done = this.play();
  }

  /**
   * Opens the recording and starts playing it through `sim` (which should run with `synthetic: false`).
   * @throws RecordingError for a recording that cannot be opened (bad magic, unknown version, …) or a bad option.
   */
  static async start(sim: KisSimulator, options: ReplayOptions): Promise<ReplayFeed> {
    checkSpeed(options.speed ?? 1);
    const reader = await RecordingReader.open(options.file);
    try {
      if (options.from !== undefined) fromInstant(reader.header.startedAt, options.from);
    } catch (error) {
      await reader.close();
      throw error;
    }
    return new ReplayFeed(sim, reader, options);
  }

  /** A copy of where the replay is. */
  progress(): ReplayProgress {
    return { ...this.progressValue };
  }

  /** Stops the replay and releases the file; resolves once the play loop has ended (listeners removed). */
  async close(): Promise<ReplayProgress> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const wake of [...this.waiters, ...this.sleepers]) wake();
    this.sim.off('ack', this.onAck);
    this.sim.off('close', this.onClose);
    const final = await this.done;
    super.dispose();
    return final;
  }

  /** Starts `close()`, for an owner that cannot await. */
  override dispose(): void {
    void this.close();
  }

  // ---- the simulator's side ----------------------------------------------------------------------

  private readonly onAck = (event: {
    sessionId: number;
    request: { trType: string; trId: string; trKey: string };
    msgCd: string;
    text: string;
  }): void => {
    const id = `${event.request.trId}|${event.request.trKey}`;
    if (event.request.trType === '1' && event.msgCd === 'OPSP0000') {
      const inbound = classify(event.text);
      const cipher =
        inbound.kind === 'ack' && inbound.ack.key !== undefined && inbound.ack.iv !== undefined
          ? { key: inbound.ack.key, iv: inbound.ack.iv }
          : { key: '', iv: '' };
      let sessions = this.live.get(id);
      if (sessions === undefined) this.live.set(id, (sessions = new Map()));
      sessions.set(event.sessionId, cipher);
      for (const wake of [...this.waiters]) wake();
    } else if (event.request.trType === '2' && event.msgCd === 'OPSP0001') {
      this.live.get(id)?.delete(event.sessionId);
    }
  };

  private readonly onClose = (event: { sessionId: number }): void => {
    for (const sessions of this.live.values()) sessions.delete(event.sessionId);
  };

  private registered(id: string): boolean {
    return (this.live.get(id)?.size ?? 0) > 0;
  }

  private anyRegistered(): boolean {
    for (const sessions of this.live.values()) if (sessions.size > 0) return true;
    return false;
  }

  // ---- the play loop -----------------------------------------------------------------------------

  private async play(): Promise<ReplayProgress> {
    const p = this.progressValue;
    const entries = this.reader.entries();
    let summary: ReadSummary | undefined;
    try {
      for (;;) {
        const next = await entries.next();
        if (next.done === true) {
          summary = next.value;
          break;
        }
        if (this.closed) break;
        const entry = next.value;
        if (entry.kind === 'open') this.recordedKeys.clear();
        if (entry.kind !== 'message') continue;
        const skipping = this.fromAt !== undefined && entry.at < this.fromAt;
        const text = entry.text;
        const first = text.charCodeAt(0);
        if (first === 123 /* { */) {
          await this.onRecordedJson(text, entry.at, skipping);
          continue;
        }
        if (skipping) {
          if (first === 48 || first === 49) p.skipped += 1;
          continue;
        }
        if (this.skippedCues.size > 0) {
          // The first entry at `from`: the streams subscribed before it are live from here on.
          for (const id of this.skippedCues) await this.waitFor(id);
          this.skippedCues.clear();
          this.rebase(entry.at);
        }
        await this.pace(entry.at);
        if (this.closed) break;
        p.recordedAt = entry.at;
        if (first === 48 || first === 49) this.sendFrame(text);
        else this.broadcast(text);
        if (++this.sentSinceYield >= YIELD_EVERY) {
          this.sentSinceYield = 0;
          await this.yieldToSockets();
        }
      }
      p.state = 'ended';
    } catch (error) {
      p.state = 'failed';
      p.error =
        error instanceof RecordingError
          ? { code: error.code, message: error.message }
          : { code: 'CORRUPT', message: String(error) };
    } finally {
      await entries.return(undefined as unknown as ReadSummary);
      p.truncated = summary?.truncated ?? this.reader.summary?.truncated ?? false;
      this.sim.off('ack', this.onAck);
      this.sim.off('close', this.onClose);
    }
    if (!this.closed) this.emit('end', this.progress());
    return this.progress();
  }

  /** A recorded ack (a cue: keys to remember, a registration to wait for) or PINGPONG (ignored). */
  private async onRecordedJson(text: string, at: number, skipping: boolean): Promise<void> {
    const inbound = classify(text);
    if (inbound.kind !== 'ack') return;
    const ack = inbound.ack;
    if (ack.msgCd !== 'OPSP0000' && ack.msgCd !== 'OPSP0002') return;
    if (ack.key !== undefined && ack.iv !== undefined) {
      let keys = this.recordedKeys.get(ack.trId);
      if (keys === undefined) this.recordedKeys.set(ack.trId, (keys = new Map()));
      keys.set(ack.trKey, { key: ack.key, iv: ack.iv });
    }
    if (ack.msgCd !== 'OPSP0000') return;
    if (skipping) {
      this.skippedCues.add(`${ack.trId}|${ack.trKey}`);
      return;
    }
    await this.waitFor(`${ack.trId}|${ack.trKey}`);
    this.rebase(at);
  }

  /** Waits until a connection registered `id`: unbounded while nobody registered anything, else `subscribeWaitMs`. */
  private async waitFor(id: string): Promise<void> {
    while (!this.closed && !this.registered(id)) {
      const bounded = this.anyRegistered();
      const timedOut = await new Promise<boolean>((resolve) => {
        let timer: NodeJS.Timeout | undefined;
        const wake = (): void => {
          this.waiters.delete(wake);
          if (timer !== undefined) {
            clearTimeout(timer);
            this.timers.delete(timer);
          }
          resolve(false);
        };
        this.waiters.add(wake);
        if (bounded) {
          timer = setTimeout(() => {
            this.timers.delete(timer as NodeJS.Timeout);
            this.waiters.delete(wake);
            resolve(true);
          }, this.waitMs);
          this.timers.add(timer);
        }
      });
      if (timedOut) break;
    }
    this.progressValue.state = 'playing';
  }

  /** Restarts the clock at recorded time `at` now (after a wait that must not count as recorded time). */
  private rebase(at: number): void {
    this.anchorWall = performance.now();
    this.anchorRecorded = at;
  }

  /** Waits until recorded time `at` is due at this speed; at 'max', only while a socket is backed up. */
  private async pace(at: number): Promise<void> {
    const speed = this.progressValue.speed;
    this.progressValue.state = 'playing';
    if (this.anchorRecorded === undefined) this.rebase(at);
    if (speed === 'max') {
      while (!this.closed && this.backedUp()) await this.sleep(1);
      return;
    }
    const due = this.anchorWall + (at - (this.anchorRecorded as number)) / speed;
    const wait = due - performance.now();
    if (wait >= 1) {
      await this.sleep(wait);
      this.sentSinceYield = 0;
    }
  }

  private backedUp(): boolean {
    for (const id of this.sim.sessionIds()) if (this.sim.bufferedAmount(id) >= HIGH_WATER_BYTES) return true;
    return false;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        this.timers.delete(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.timers.add(timer);
      // close() clears the timer and calls this, so the loop wakes and sees `closed`.
      this.sleepers.add(wake);
    });
  }

  private yieldToSockets(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
  }

  /** Sends a recorded data frame to every connection registered for its stream. */
  private sendFrame(text: string): void {
    const p = this.progressValue;
    const bar = text.indexOf('|', 2);
    const trId = text.slice(2, bar);
    if (text.charCodeAt(0) === 49) {
      this.sendNotice(text, trId);
      return;
    }
    const payload = text.indexOf('|', bar + 1) + 1;
    const caret = text.indexOf('^', payload);
    const symbol = text.slice(payload, caret < 0 ? text.length : caret);
    const sessions = this.live.get(`${trId}|${symbol}`);
    if (sessions === undefined || sessions.size === 0) {
      p.skipped += 1;
      return;
    }
    for (const sessionId of sessions.keys()) this.sim.sendRaw(text, sessionId);
    p.frames += 1;
  }

  /** Decrypts a recorded notice with the recorded key, re-encrypts it for each replay registration. */
  private sendNotice(text: string, trId: string): void {
    const p = this.progressValue;
    let plain: DataFrame | undefined;
    let trKey = '';
    try {
      const frame = parseFrame(text);
      for (const [key, cipher] of this.recordedKeys.get(trId) ?? []) {
        try {
          plain = decryptFrame(frame, cipher.key, cipher.iv);
          trKey = key;
          break;
        } catch {
          // another registration's key; try the next
        }
      }
    } catch {
      plain = undefined;
    }
    const sessions = this.live.get(`${trId}|${trKey}`);
    if (plain === undefined || sessions === undefined || sessions.size === 0) {
      p.skipped += 1;
      return;
    }
    const fields = splitRecords(plain);
    const records: string[][] = [];
    for (let i = 0; i < plain.count; i++) records.push(fields.slice(i * plain.width, (i + 1) * plain.width));
    for (const [sessionId, cipher] of sessions) this.sim.sendRaw(buildDataFrame(trId, records, cipher), sessionId);
    p.frames += 1;
  }

  /** Anything that is neither a frame nor JSON: re-sent as it is to every registered connection. */
  private broadcast(text: string): void {
    const targets = new Set<number>();
    for (const sessions of this.live.values()) for (const id of sessions.keys()) targets.add(id);
    for (const id of targets) this.sim.sendRaw(text, id);
  }
}
