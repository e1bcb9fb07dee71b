/**
 * One KIS session for every process of the user: `Hub.join()` makes this process the leader (it runs
 * the engine: agent, worker, REST) or a follower of the live leader, and hands over when the leader dies.
 *
 * Hand-over: a follower whose leader connection closes waits until the leader has resigned or its process
 * is dead (src/hub/election.ts), claims the next epoch, and only then starts its own engine, so KIS never
 * sees two sessions. The engine gets the user-wide OPSP8996 holds (src/hub/holdFile.ts), so a hold the
 * dead leader was under is honoured. The interval with no data is reported as a `gap` per want.
 */
import type { AppkeyHolds } from '../agent/appkeyHold';
import { EventSource } from '../common/lifecycle';
import type { HubStatus, HubWant } from '../shared/hubProtocol';
import type { Snapshot } from '../shared/snapshot';
import type { AgentState, DataGap } from '../shared/stats';
import { leaderGone, resign, tryClaim, type LeaderRecord } from './election';
import { HubError } from './errors';
import { HubFollower } from './follower';
import { SharedAppkeyHolds } from './holdFile';
import { HubLeader, type LeaderSource } from './leader';
import { ensureHubDir, readOrCreateToken, socketPath } from './paths';

/** What a leader runs: the KIS session and the read model. Built only after this process won the election. */
export interface HubEngine extends LeaderSource {
  /** Registers the listener of every coalesced snapshot of the read model. */
  onSnapshot(listener: (snapshot: Snapshot) => void): void;
  /** Registers the listener of the session's state. */
  onState(listener: (state: AgentState) => void): void;
  /** Closes the KIS session (awaited before leadership is given up). */
  dispose(): Promise<void>;
}

/** Options of `new Hub`. */
export interface HubOptions {
  /** The per-user hub directory (checked: ours, 0700). */
  dir: string;
  /** Which source the hub shares (`paper`, `real`, or a simulator tag); one socket per source. */
  source: string;
  /** This window's name ("via window <name>"). */
  name: string;
  wants: readonly HubWant[];
  /** Builds the engine when this process becomes leader; `holds` is the user-wide OPSP8996 table. */
  startEngine(holds: AppkeyHolds): HubEngine | Promise<HubEngine>;
  /**
   * False for a process that must never lead (a CLI without credentials): it waits for a leader instead.
   * Default true.
   */
  canLead?: boolean;
  /** Poll period while waiting for a dead leader to be gone or a new one to listen (ms). Default 50. */
  pollMs?: number;
  log?: (level: 'info' | 'warn', message: string) => void;
}

/** What the hub shows about the shared session. */
export interface HubConnectionStatus {
  role: 'leader' | 'follower';
  /** Processes sharing the session. */
  windows: number;
  /** The leader's name (this window's when leader). */
  leaderName: string;
  state: AgentState;
  /** "shared with N windows" / "via window X". */
  text: string;
  /** This follower's wants the leader's budget could not take (a leader's own always fit). */
  overBudget?: HubWant[];
}

/** Events of the hub. */
export interface HubEvents {
  role: ['leader' | 'follower'];
  snapshot: [Snapshot];
  status: [HubConnectionStatus];
  gap: [DataGap];
  /** The hub stopped for good (refused by the leader: wrong token, version mismatch). */
  stopped: [HubError];
}

/** This process's membership in the hub of one source. */
export class Hub extends EventSource<HubEvents> {
  private role: 'leader' | 'follower' | undefined;
  private follower: HubFollower | undefined;
  private leader: HubLeader | undefined;
  private engine: HubEngine | undefined;
  private record: LeaderRecord | undefined;
  private wants: HubWant[];
  private disposed = false;
  private token = '';
  private readonly path: string;

  constructor(private readonly options: HubOptions) {
    super();
    this.wants = [...options.wants];
    this.path = socketPath(options.dir, options.source);
  }

  /** The current role (undefined before join() settles). */
  currentRole(): 'leader' | 'follower' | undefined {
    return this.role;
  }

  /** Leader-side counters (undefined as follower). */
  leaderStats(): ReturnType<HubLeader['stats']> | undefined {
    return this.leader?.stats();
  }

  /**
   * Joins: follower of a live leader, else leader. Rejects with HUB_UNSAFE_DIR (the directory is not
   * ours or not owner-only) or HUB_REFUSED (the leader refused us).
   */
  async join(): Promise<'leader' | 'follower'> {
    ensureHubDir(this.options.dir);
    this.token = readOrCreateToken(this.options.dir);
    await this.elect(undefined);
    return this.role as 'leader' | 'follower';
  }

  /** Replaces this window's wants (as leader: replans; as follower: tells the leader). */
  setWants(wants: readonly HubWant[]): void {
    this.wants = [...wants];
    this.leader?.setOwnWants(this.wants);
    this.follower?.setWants(this.wants);
  }

  /**
   * Leaves: as leader, closes the KIS session first and then resigns, so a follower may take over at once.
   * Removes every listener last.
   */
  override async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.follower?.close();
    if (this.engine !== undefined) await this.engine.dispose();
    if (this.record !== undefined) resign(this.options.dir, this.options.source, this.record);
    await this.leader?.close();
    super.dispose();
  }

  private async elect(lostAt: number | undefined): Promise<void> {
    let waitingLogged = false;
    while (!this.disposed) {
      try {
        const follower = await HubFollower.connect({
          socketPath: this.path,
          token: this.token,
          name: this.options.name,
          wants: this.wants,
          log: this.options.log,
        });
        this.becomeFollower(follower);
        return;
      } catch (error) {
        if (!(error instanceof HubError) || error.code === 'HUB_REFUSED') throw error;
      }
      const gone = leaderGone(this.options.dir, this.options.source);
      if (gone && this.options.canLead === false) {
        if (!waitingLogged)
          this.log('info', 'no hub leader, and this process cannot lead (no credentials): waiting for one');
        waitingLogged = true;
      } else if (gone) {
        const record = tryClaim(this.options.dir, this.options.source, this.options.name);
        if (record !== undefined) {
          await this.becomeLeader(record, lostAt);
          return;
        }
      } else if (!waitingLogged && lostAt !== undefined) {
        waitingLogged = true;
        this.log('info', 'waiting for the previous hub leader to exit before taking over');
      }
      await new Promise((resolve) => setTimeout(resolve, this.options.pollMs ?? 50));
    }
  }

  private becomeFollower(follower: HubFollower): void {
    this.follower = follower;
    this.role = 'follower';
    this.log('info', `hub: following "${follower.welcome.leaderName}" (pid ${follower.welcome.leaderPid})`);
    this.emit('role', 'follower');
    follower.on('snapshot', (s) => this.emit('snapshot', s));
    follower.on('status', (s: HubStatus) => {
      this.emit('status', {
        role: 'follower',
        windows: s.windows,
        leaderName: s.leaderName,
        state: s.state,
        text: `via window ${s.leaderName}`,
        overBudget: s.overBudget,
      });
    });
    follower.on('lost', (reason) => {
      this.follower = undefined;
      if (this.disposed) return;
      this.log('warn', `hub: ${reason}; electing a new leader`);
      this.elect(follower.lastMessageAt).catch((error: unknown) => this.stop(error));
    });
  }

  private async becomeLeader(record: LeaderRecord, lostAt: number | undefined): Promise<void> {
    this.record = record;
    let engine: HubEngine | undefined;
    let leader: HubLeader;
    try {
      // The engine first: followers that connect as soon as the socket is bound are planned at once.
      engine = await this.options.startEngine(new SharedAppkeyHolds(this.options.dir));
      leader = await HubLeader.open({
        socketPath: this.path,
        token: this.token,
        name: this.options.name,
        source: engine,
        log: this.options.log,
      });
    } catch (error) {
      // A claim we cannot serve must not make the others wait for our exit.
      await engine?.dispose();
      resign(this.options.dir, this.options.source, record);
      this.record = undefined;
      throw error;
    }
    this.engine = engine;
    this.leader = leader;
    this.role = 'leader';
    this.log('info', `hub: leading epoch ${record.epoch} at ${this.path}`);
    let windows = 1;
    let state: AgentState = 'idle';
    const status = (): void => {
      this.emit('status', {
        role: 'leader',
        windows,
        leaderName: this.options.name,
        state,
        text: windows > 1 ? `shared with ${windows - 1} window${windows > 2 ? 's' : ''}` : 'not shared',
      });
    };
    leader.on('windows', (n) => {
      windows = n;
      status();
    });
    const openGaps =
      lostAt === undefined
        ? []
        : this.wants.map((w): DataGap => ({
            trId: w.trId,
            trKey: w.trKey,
            from: lostAt,
            reason: 'the hub leader exited; this window took over the session',
          }));
    engine.onState((s) => {
      state = s;
      leader.setState(s);
      status();
      if (s === 'open') for (const gap of openGaps.splice(0)) this.emit('gap', { ...gap, to: Date.now() });
    });
    engine.onSnapshot((snapshot) => {
      this.emit('snapshot', snapshot);
      leader.publish(snapshot);
    });
    leader.setOwnWants(this.wants);
    this.emit('role', 'leader');
    status();
  }

  private stop(error: unknown): void {
    const hubError =
      error instanceof HubError
        ? error
        : new HubError('HUB_UNREACHABLE', error instanceof Error ? error.message : String(error));
    this.log('warn', `hub: stopped: ${hubError.message}`);
    this.emit('stopped', hubError);
  }

  private log(level: 'info' | 'warn', message: string): void {
    this.options.log?.(level, message);
  }
}
