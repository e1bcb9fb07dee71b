/**
 * The leader's end of the hub: a local socket server that authenticates followers, plans the union of
 * their wants within the session budget, and fans the read model's snapshots out to them.
 *
 * The leader never blocks on a follower: each one has a bounded outbound buffer (the socket's high-water
 * mark plus one pending snapshot). When it is full, further
 * snapshots are folded into one pending snapshot (latest per symbol) that is written on 'drain'; a follower
 * that stays full for `stallMs` is dropped with a log line.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { EventSource } from '../common/lifecycle';
import { HUB_PROTOCOL_VERSION, type HubMessage, type HubWant, type LeaderMessage } from '../shared/hubProtocol';
import type { Snapshot } from '../shared/snapshot';
import type { AgentState } from '../shared/stats';
import { HubError } from './errors';
import { encodeFrame, FrameDecoder, MAX_FRAME_BYTES } from './framing';
import { filterSnapshot, mergeSnapshots, planUnion, wantKey } from './plan';

/** What the leader drives: the agent's registrations. */
export interface LeaderSource {
  subscribe(trId: string, trKey: string): void;
  unsubscribe(trId: string, trKey: string): void;
}

/** Options of `HubLeader.open`. */
export interface HubLeaderOptions {
  socketPath: string;
  token: string;
  /** This window's name, shown by followers as "via window <name>". */
  name: string;
  source: LeaderSource;
  /** Registration budget of the session. Default 41. */
  maxRegistrations?: number;
  /** A follower whose buffer stays full this long (ms) is dropped. Default 10000. */
  stallMs?: number;
  /** A connection that has not said hello within this time (ms) is dropped. Default 5000. */
  helloTimeoutMs?: number;
  /** Largest accepted message (bytes). Default MAX_FRAME_BYTES. */
  maxFrameBytes?: number;
  log?: (level: 'info' | 'warn', message: string) => void;
}

/** Counters of the leader end (plain data). */
export interface HubLeaderStats {
  followers: number;
  refused: number;
  malformed: number;
  dropped: number;
  coalesced: number;
}

interface Follower {
  id: number;
  socket: net.Socket;
  name: string;
  authed: boolean;
  wants: HubWant[];
  symbols: Set<string>;
  pending?: Snapshot;
  fullSince?: number;
}

/** Events of the leader end. */
export interface HubLeaderEvents {
  /** The number of processes sharing the session changed (the leader included). */
  windows: [number];
}

/** The leader's socket server. */
export class HubLeader extends EventSource<HubLeaderEvents> {
  private readonly server = net.createServer((socket) => this.onConnection(socket));
  private readonly conns = new Map<number, Follower>();
  private nextId = 1;
  private ownWants: HubWant[] = [];
  private registered = new Map<string, HubWant>();
  private over = new Set<string>();
  private state: AgentState = 'idle';
  private readonly counters = { refused: 0, malformed: 0, dropped: 0, coalesced: 0 };
  private readonly stallTimer: NodeJS.Timeout;
  private closed = false;

  private constructor(private readonly options: HubLeaderOptions) {
    super();
    const stallMs = options.stallMs ?? 10_000;
    this.stallTimer = setInterval(() => this.dropStalled(stallMs), Math.max(10, stallMs / 4));
    this.stallTimer.unref();
  }

  /**
   * Binds the socket. Call only as the elected leader (src/hub/election.ts): a socket file left by the
   * dead previous leader is detected (connect refused) and replaced.
   */
  static async open(options: HubLeaderOptions): Promise<HubLeader> {
    const leader = new HubLeader(options);
    try {
      await leader.bind();
    } catch (error) {
      clearInterval(leader.stallTimer);
      throw error;
    }
    return leader;
  }

  private async bind(): Promise<void> {
    const path = this.options.socketPath;
    const listen = (): Promise<void> =>
      new Promise((resolve, reject) => {
        const onError = (error: Error): void => reject(error);
        this.server.once('error', onError);
        this.server.listen({ path }, () => {
          this.server.off('error', onError);
          resolve();
        });
      });
    try {
      await listen();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      if (await answers(path)) throw new HubError('HUB_UNREACHABLE', `another process is already serving ${path}`);
      this.log('warn', `stale hub socket ${path} (a crashed leader left it; connect refused): replaced`);
      fs.rmSync(path, { force: true });
      await listen();
    }
    if (process.platform !== 'win32') fs.chmodSync(path, 0o600);
    this.server.on('error', (error) => this.log('warn', `hub server error: ${error.message}`));
  }

  /** The leader window's own wants (planned before any follower's). */
  setOwnWants(wants: readonly HubWant[]): void {
    this.ownWants = [...wants];
    this.replan();
  }

  /** Sends a read-model update to every follower (the part about its symbols). */
  publish(snapshot: Snapshot): void {
    for (const conn of this.conns.values()) {
      if (!conn.authed) continue;
      const part = filterSnapshot(snapshot, conn.symbols);
      if (part !== undefined) this.sendSnapshot(conn, part);
    }
  }

  /** The shared session's connection state, forwarded to followers. */
  setState(state: AgentState): void {
    if (state === this.state) return;
    this.state = state;
    this.broadcastStatus();
  }

  /** Authenticated followers. */
  followerCount(): number {
    let n = 0;
    for (const conn of this.conns.values()) if (conn.authed) n++;
    return n;
  }

  /** Registrations the plan holds now. */
  planned(): HubWant[] {
    return [...this.registered.values()];
  }

  stats(): HubLeaderStats {
    return { followers: this.followerCount(), ...this.counters };
  }

  /**
   * Closes every follower connection and the server (followers then elect a new leader); once the server
   * has closed, removes every listener.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.stallTimer);
    for (const conn of this.conns.values()) conn.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    super.dispose();
  }

  /** Starts `close()`, for an owner that cannot await. */
  override dispose(): void {
    void this.close();
  }

  // ---- connections ------------------------------------------------------------------------------

  private onConnection(socket: net.Socket): void {
    const conn: Follower = { id: this.nextId++, socket, name: '?', authed: false, wants: [], symbols: new Set() };
    this.conns.set(conn.id, conn);
    const decoder = new FrameDecoder(this.options.maxFrameBytes ?? MAX_FRAME_BYTES);
    const helloTimer = setTimeout(() => {
      this.log(
        'warn',
        `hub connection #${conn.id} said no hello within ${this.options.helloTimeoutMs ?? 5000} ms: dropped`,
      );
      socket.destroy();
    }, this.options.helloTimeoutMs ?? 5000);
    socket.on('data', (chunk: Buffer) => {
      for (const decoded of decoder.push(chunk)) {
        if (decoded.kind === 'error') {
          this.counters.malformed++;
          this.log(
            'warn',
            `hub follower ${describe(conn)} sent a ${decoded.code === 'HUB_OVERSIZED' ? 'message over the size cap' : 'malformed message'} (${decoded.message}): disconnected`,
          );
          socket.destroy();
          return;
        }
        if (decoded.message.type === 'hello') clearTimeout(helloTimer);
        this.onMessage(conn, decoded.message);
        if (socket.destroyed) return;
      }
    });
    socket.on('drain', () => this.onDrain(conn));
    socket.on('error', () => undefined); // 'close' follows
    socket.on('close', () => {
      clearTimeout(helloTimer);
      this.conns.delete(conn.id);
      if (!conn.authed) return;
      this.log('info', `hub follower ${describe(conn)} left`);
      this.replan();
      this.emitWindows();
    });
  }

  private onMessage(conn: Follower, message: HubMessage): void {
    switch (message.type) {
      case 'hello': {
        if (conn.authed) return;
        if (message.version !== HUB_PROTOCOL_VERSION) {
          this.refuse(
            conn,
            'VERSION_MISMATCH',
            `hub protocol version ${message.version} from "${message.name}" does not match the leader's ${HUB_PROTOCOL_VERSION}; update or reload that window`,
          );
          return;
        }
        if (!sameToken(message.token, this.options.token)) {
          this.refuse(conn, 'BAD_TOKEN', `hub follower "${message.name}" (pid ${message.pid}) sent a wrong token`);
          return;
        }
        conn.authed = true;
        conn.name = message.name;
        this.send(conn, {
          type: 'welcome',
          version: HUB_PROTOCOL_VERSION,
          leaderName: this.options.name,
          leaderPid: process.pid,
        });
        this.log('info', `hub follower ${describe(conn)} joined (pid ${message.pid})`);
        this.emitWindows();
        this.broadcastStatus();
        return;
      }
      case 'wants':
        if (!conn.authed) {
          this.refuse(conn, 'BAD_HELLO', 'hub connection sent wants before hello');
          return;
        }
        conn.wants = message.wants;
        conn.symbols = new Set(message.wants.map((w) => w.trKey));
        this.replan();
        return;
      default:
        // A follower sending leader messages is confused or hostile; either way it is malformed here.
        this.counters.malformed++;
        this.log(
          'warn',
          `hub follower ${describe(conn)} sent a "${message.type}" message, which only a leader sends: disconnected`,
        );
        conn.socket.destroy();
    }
  }

  private refuse(conn: Follower, code: 'BAD_TOKEN' | 'VERSION_MISMATCH' | 'BAD_HELLO', message: string): void {
    this.counters.refused++;
    this.log('warn', `${message}: refused`);
    conn.socket.end(encodeFrame({ type: 'refused', code, message }));
  }

  // ---- plan and status --------------------------------------------------------------------------

  private replan(): void {
    const lists = [this.ownWants, ...[...this.conns.values()].filter((c) => c.authed).map((c) => c.wants)];
    const { registered, over } = planUnion(lists, this.options.maxRegistrations ?? 41);
    const next = new Map(registered.map((w) => [wantKey(w), w]));
    // Release first, so a slot freed by a departed window is available to the new registrations.
    for (const [key, want] of this.registered)
      if (!next.has(key)) this.options.source.unsubscribe(want.trId, want.trKey);
    for (const [key, want] of next) if (!this.registered.has(key)) this.options.source.subscribe(want.trId, want.trKey);
    const changedOver = over.size !== this.over.size || [...over].some((k) => !this.over.has(k));
    this.registered = next;
    this.over = over;
    if (changedOver) this.broadcastStatus();
  }

  private emitWindows(): void {
    this.emit('windows', this.followerCount() + 1);
    this.broadcastStatus();
  }

  private broadcastStatus(): void {
    const windows = this.followerCount() + 1;
    for (const conn of this.conns.values()) {
      if (!conn.authed) continue;
      const overBudget = conn.wants.filter((w) => this.over.has(wantKey(w)));
      this.send(conn, { type: 'status', leaderName: this.options.name, windows, state: this.state, overBudget });
    }
  }

  // ---- output with a bounded buffer --------------------------------------------------------------

  private send(conn: Follower, message: LeaderMessage): void {
    if (!conn.socket.destroyed) conn.socket.write(encodeFrame(message));
  }

  private sendSnapshot(conn: Follower, snapshot: Snapshot): void {
    // Full means past the socket's high-water mark (16 KiB queued in user space, after the kernel's own
    // buffer): then 'drain' is certain to follow, and it flushes the one pending snapshot.
    if (conn.pending !== undefined || conn.socket.writableNeedDrain) {
      this.counters.coalesced++;
      conn.pending = conn.pending === undefined ? snapshot : mergeSnapshots(conn.pending, snapshot);
      conn.fullSince ??= Date.now();
      return;
    }
    this.send(conn, { type: 'snapshot', snapshot });
  }

  private onDrain(conn: Follower): void {
    conn.fullSince = undefined;
    const pending = conn.pending;
    conn.pending = undefined;
    if (pending !== undefined) this.send(conn, { type: 'snapshot', snapshot: pending });
  }

  private dropStalled(stallMs: number): void {
    const now = Date.now();
    for (const conn of this.conns.values()) {
      if (conn.fullSince === undefined || now - conn.fullSince < stallMs) continue;
      this.counters.dropped++;
      this.log(
        'warn',
        `hub follower ${describe(conn)} has not read for ${now - conn.fullSince} ms (buffer full): dropped`,
      );
      conn.socket.destroy();
    }
  }

  private log(level: 'info' | 'warn', message: string): void {
    this.options.log?.(level, message);
  }
}

function describe(conn: Follower): string {
  return conn.authed ? `"${conn.name}" (#${conn.id})` : `#${conn.id}`;
}

/** Constant-time token comparison (the token is the only secret on the channel). */
function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Whether something accepts connections on `path` (a live leader) or not (a stale file). */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}
