/**
 * The data pump of one simulator connection: the market-data streams of its acknowledged registrations
 * and the one data timer that drives all of them. Each tick sends every due record of every stream,
 * batched into frames, at the stream's rate; max-rate streams send as fast as the socket drains
 * (backpressure at `HIGH_WATER_BYTES`). `blast()` drives one stream by hand for tests and benchmarks.
 *
 * Timers: at most one data timer (a timeout, an immediate or a 'drain' listener) whatever the number of
 * streams, plus the waits of running blasts. `dispose()` clears them all; no blast promise hangs.
 */
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { WebSocket } from 'ws';
import { buildDataFrame } from '../../kis';
import { DAY_LAYOUTS } from '../../kis/layouts/day';
import { formatKstDate, formatKstTime } from '../../market';
import { AsciiWriter } from './ascii';
import type { DayStreamCursor } from '../market/daySim';
import { isIntlTr, type IntlSim } from '../market/intlSim';
import type { Registration, SessionHost, Stream } from './sessionTypes';
import type { PrintVenue } from '../market/reference';
import { TRADE_TR } from './trCatalog';

/** The index trade feed (it follows the KRX session). */
const INDEX_TR = 'H0UPCNT0';

/** Max-rate streams keep at most this many bytes queued on the socket (backpressure). */
export const HIGH_WATER_BYTES = 1 << 20;
const NO_VENUES: readonly PrintVenue[] = [];
/** Frames one max-rate pump may send before yielding to I/O. */
const FRAMES_PER_PUMP = 256;

/**
 * The TCP socket under a `ws` WebSocket. `ws` keeps it private, but corking it for the length of a pump
 * turns one write syscall per frame into one writev per pump (about 10× more 1-record frames per second
 * in bench/simulator-throughput), and its 'drain' event beats polling `bufferedAmount` on a timer.
 */
function rawSocket(ws: WebSocket): Socket | undefined {
  const socket = (ws as unknown as { _socket?: Socket })._socket;
  return socket !== undefined && typeof socket.cork === 'function' ? socket : undefined;
}

/** The streams of one connection and their timer. */
export class StreamPump {
  private readonly streams: Stream[] = [];
  private dataTimer?:
    | { kind: 'timeout'; handle: NodeJS.Timeout }
    | { kind: 'immediate'; handle: NodeJS.Immediate }
    | { kind: 'drain'; socket: Socket; handle: () => void };
  /** Waits of running blasts, woken by dispose so no promise hangs. */
  private readonly waits = new Set<{ cancel: () => void; wake: () => void }>();
  private readonly socket: Socket | undefined;
  /** Frame bytes are written here (created on first data). */
  private writer?: AsciiWriter;
  private closed = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly host: SessionHost,
  ) {
    this.socket = rawSocket(ws);
  }

  /** The oldest stream, if any (a sample record for the fault injections). */
  get first(): Stream | undefined {
    return this.streams[0];
  }

  /** Starts the stream of an acknowledged registration; its first record goes out at once. */
  start(registration: Registration): void {
    const stream: Stream = {
      trId: registration.trId,
      symbol: registration.trKey,
      trade: registration.trId === TRADE_TR,
      model: this.host.model(registration.trKey),
      log: this.host.sendLog.entry(registration.trId, registration.trKey),
      startedAt: performance.now(),
      emitted: 0,
      rate: this.host.rateOf(registration.trId, registration.trKey),
      paused: false,
      ...(DAY_LAYOUTS.has(registration.trId) ? { day: { viSeq: 0 } } : {}),
      ...(isIntlTr(registration.trId) ? { intl: true } : {}),
    };
    registration.stream = stream;
    this.streams.push(stream);
    this.holdVenues(stream, this.host.options.now());
    this.reschedule();
  }

  /** Ends the stream of a registration being released (if it had one). */
  stop(registration: Registration): void {
    if (registration.stream === undefined) return;
    const index = this.streams.indexOf(registration.stream);
    if (index >= 0) this.streams.splice(index, 1);
    this.releaseVenues(registration.stream);
    registration.stream = undefined;
  }

  /**
   * Holds open, on the symbol's walk, the venues `stream` prints at `at` (none outside its phase), and
   * lets go of those it no longer prints: an open venue keeps the other venue's prices next to its own.
   */
  private holdVenues(stream: Stream, at: number): void {
    if (stream.intl === true) return;
    const venues = this.host.day.printVenues(stream.trId, stream.symbol, at);
    const held = stream.heldVenues ?? NO_VENUES;
    if (venues === held) return;
    const reference = stream.model.reference;
    // Open the new ones first: a venue handed from one stream state to the next never closes in between.
    for (const venue of venues) if (!held.includes(venue)) reference.open(venue);
    for (const venue of held) if (!venues.includes(venue)) reference.close(venue);
    stream.heldVenues = venues;
  }

  /** Lets go of every venue `stream` holds open (it ends). */
  private releaseVenues(stream: Stream): void {
    for (const venue of stream.heldVenues ?? NO_VENUES) stream.model.reference.close(venue);
    stream.heldVenues = NO_VENUES;
  }

  /** Restarts the data timer now (a new stream or rate should not wait for the next tick). */
  reschedule(): void {
    this.clearDataTimer();
    this.schedule();
  }

  /** After a stall: restarts the rate clocks (no catch-up burst) and the timer. */
  resume(): void {
    this.resetClocks();
    this.schedule();
  }

  private clearDataTimer(): void {
    const timer = this.dataTimer;
    if (timer === undefined) return;
    if (timer.kind === 'timeout') clearTimeout(timer.handle);
    else if (timer.kind === 'immediate') clearImmediate(timer.handle);
    else timer.socket.off('drain', timer.handle);
    this.dataTimer = undefined;
  }

  private schedule(): void {
    if (this.closed || this.dataTimer !== undefined || this.streams.length === 0) return;
    const max = this.streams.some((s) => !s.paused && this.host.rateOf(s.trId, s.symbol) === 'max');
    const stalled = this.host.faults.stalled;
    if (max && !stalled && this.ws.bufferedAmount < HIGH_WATER_BYTES) {
      this.dataTimer = { kind: 'immediate', handle: setImmediate(() => this.pump()) };
    } else if (max && !stalled && this.socket !== undefined) {
      // Backpressure: continue when the kernel has taken the queued bytes.
      const socket = this.socket;
      const handle = (): void => this.pump();
      socket.once('drain', handle);
      this.dataTimer = { kind: 'drain', socket, handle };
    } else {
      const ms = max ? 1 : this.host.options.tickIntervalMs;
      this.dataTimer = { kind: 'timeout', handle: setTimeout(() => this.pump(), ms) };
    }
  }

  private resetClocks(): void {
    const t = performance.now();
    for (const stream of this.streams) {
      stream.startedAt = t;
      stream.emitted = 0;
    }
  }

  /** One tick of the data timer: sends every due record of every stream, batched into frames. */
  private pump(): void {
    this.dataTimer = undefined;
    if (this.closed) return;
    const { options, faults } = this.host;
    if (faults.stalled || !this.host.marketOpen()) {
      this.resetClocks();
      this.schedule();
      return;
    }
    const t = performance.now();
    const wall = new Date(options.now());
    const time = formatKstTime(wall);
    const date = formatKstDate(wall);
    const perFrame = options.maxRecordsPerFrame;
    const maxStreams: Stream[] = [];
    const at = wall.getTime();
    for (const stream of this.streams) {
      if (stream.paused) continue;
      this.holdVenues(stream, at);
      const quiet =
        stream.intl === true
          ? !this.intlSim().streams(stream.trId, stream.symbol, at) ||
            (stream.trId === INDEX_TR && !this.host.day.krxTrades(at))
          : !this.host.day.streams(stream.trId, stream.symbol, at);
      if (quiet) {
        // Outside its phases (or in a VI) a feed is silent; its rate clock restarts when it streams again.
        stream.startedAt = t;
        stream.emitted = 0;
        continue;
      }
      const rate = this.host.rateOf(stream.trId, stream.symbol);
      if (rate !== stream.rate) {
        // A new rate restarts the clock: after a faster rate the records already sent would otherwise
        // keep a slower stream silent until its clock caught up.
        stream.rate = rate;
        stream.startedAt = t;
        stream.emitted = 0;
      }
      if (rate === 'max') {
        maxStreams.push(stream);
        continue;
      }
      // The first record goes out at once, then `rate` per second on average.
      let due = Math.floor(((t - stream.startedAt) * rate) / 1000) + 1 - stream.emitted;
      // After a stall of the event loop, skip the backlog instead of bursting it out.
      const cap = Math.max(perFrame, Math.ceil(rate / 4));
      if (due > cap) {
        stream.emitted += due - cap;
        due = cap;
      }
      while (due > 0) {
        const n = due < perFrame ? due : perFrame;
        this.sendRecords(stream, n, time, date);
        stream.emitted += n;
        due -= n;
      }
    }
    if (maxStreams.length > 0) {
      let frames = 0;
      this.socket?.cork();
      while (frames < FRAMES_PER_PUMP && this.ws.bufferedAmount < HIGH_WATER_BYTES && !this.closed) {
        for (const stream of maxStreams) this.sendRecords(stream, perFrame, time, date);
        frames += maxStreams.length;
      }
      this.socket?.uncork();
    }
    this.host.day.tick();
    this.schedule();
  }

  /**
   * Generates `n` records of `stream` and sends them as one frame (count n), written straight into bytes
   * (see ascii.ts); record texts are decoded only while the send log still retains them.
   */
  private sendRecords(stream: Stream, n: number, time: string, date: string): void {
    if (stream.day !== undefined) {
      this.sendDayRecords(stream, stream.day, n, time, date);
      return;
    }
    if (stream.intl === true) {
      const records = this.intlSim().records(stream.trId, stream.symbol, n, this.host.options.now(), time, date);
      this.ws.send(buildDataFrame(stream.trId, records), { binary: false });
      this.host.sendLog.add(
        stream.log,
        records.map((r) => r.join('^')),
      );
      return;
    }
    if (stream.trade) this.host.day.prepare(stream.symbol, this.host.options.now());
    const w = (this.writer ??= new AsciiWriter());
    const log = this.host.sendLog;
    const retained: string[] | undefined = log.wants(stream.log) ? [] : undefined;
    const model = stream.model;
    w.begin(n * 512 + 32);
    w.ascii('0|');
    w.ascii(stream.trId);
    w.byte(124);
    w.count3(n);
    w.byte(124);
    for (let i = 0; i < n; i++) {
      if (i > 0) w.byte(94);
      const start = w.mark();
      if (stream.trade) model.writeNextTrade(w, time, date);
      else model.writeNextBook(w, time);
      if (retained !== undefined) retained.push(w.text(start));
    }
    this.ws.send(w.finish(), { binary: false });
    if (retained !== undefined) log.add(stream.log, retained);
    else log.addCount(stream.log, n);
    if (stream.trade) this.host.day.checkVi(stream.symbol, 'KRX', this.host.options.now());
  }

  /** The index/US record source: the server's, shared with every connection and its REST prices. */
  private intlSim(): IntlSim {
    return this.host.intl;
  }

  /** The records of a whole-day TR, from the day (market status: only its pending events, often none). */
  private sendDayRecords(stream: Stream, cursor: DayStreamCursor, n: number, time: string, date: string): void {
    const records = this.host.day.records(stream.trId, stream.symbol, n, time, date, this.host.options.now(), cursor);
    if (records.length === 0) return;
    this.ws.send(
      buildDataFrame(
        stream.trId,
        records.map((r) => r.split('^')),
      ),
      { binary: false },
    );
    this.host.sendLog.add(stream.log, records);
  }

  /**
   * Sends `total` records of `stream` as fast as the socket drains, `perFrame` per frame, pausing the
   * stream's own timer meanwhile. Resolves with the records sent (fewer if the connection closed).
   */
  async blast(stream: Stream, total: number, perFrame: number): Promise<number> {
    stream.paused = true;
    let sent = 0;
    try {
      while (sent < total && !this.closed) {
        if (this.ws.bufferedAmount >= HIGH_WATER_BYTES) {
          await this.wait('drain');
          continue;
        }
        const wall = new Date(this.host.options.now());
        const time = formatKstTime(wall);
        const date = formatKstDate(wall);
        this.socket?.cork();
        for (let i = 0; i < FRAMES_PER_PUMP && sent < total && this.ws.bufferedAmount < HIGH_WATER_BYTES; i++) {
          const n = Math.min(perFrame, total - sent);
          this.sendRecords(stream, n, time, date);
          sent += n;
        }
        this.socket?.uncork();
        // Yield so the socket can write and other connections get their turn.
        await this.wait('immediate');
      }
    } finally {
      stream.paused = false;
      stream.startedAt = performance.now();
      stream.emitted = 0;
    }
    return sent;
  }

  /**
   * Waits for the socket to drain (or, with no raw socket, 1 ms) or for the next turn of the event loop;
   * `dispose()` ends every wait early, so no blast promise outlives the socket.
   */
  private wait(what: 'drain' | 'immediate'): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.waits.delete(waiter);
        resolve();
      };
      let cancel: () => void;
      const socket = this.socket;
      if (what === 'immediate') {
        const handle = setImmediate(done);
        cancel = () => clearImmediate(handle);
      } else if (socket !== undefined) {
        socket.once('drain', done);
        cancel = () => socket.off('drain', done);
      } else {
        const handle = setTimeout(done, 1);
        cancel = () => clearTimeout(handle);
      }
      const waiter = { cancel, wake: resolve };
      this.waits.add(waiter);
    });
  }

  /** Stops the timer and every stream, and ends the waits of running blasts. Idempotent. */
  dispose(): void {
    this.closed = true;
    this.clearDataTimer();
    for (const waiter of this.waits) {
      waiter.cancel();
      waiter.wake();
    }
    this.waits.clear();
    for (const stream of this.streams) this.releaseVenues(stream);
    this.streams.length = 0;
  }
}
