/**
 * The feed's session shared between VS Code windows through the hub (src/hub). Each window's
 * extension host is its own process; with a paper or real source a second session on the same app key
 * is refused by KIS (OPSP8996), so the first window leads (it runs its own source, agent and worker, with
 * its own SecretStorage credentials) and every other window follows: it sends its watchlist wants and
 * folds the leader's coalesced snapshots into its own read model, so the views work unchanged.
 * The simulator is shared only when the user opts in (`kisMarket.shareSimulator`).
 *
 * Roles change under the feed: a follower becomes leader when the leader window closes or crashes (the
 * hub does the election); it then builds its own runtime through `SharedPort.open` and the feed adopts it,
 * and the hub reports the interval without data as a gap per want, like any reconnect gap.
 */
import { Disposable, Emitter, type Event } from '../../common/lifecycle';
import type { Logger } from '../../common/logger';
import type { HubWant } from '../../shared/hubProtocol';
import type { Snapshot } from '../../shared/snapshot';
import type { AgentState, DataGap } from '../../shared/stats';
import type { Settings } from '../../settings';
import { isKisSource } from '../../market/sources';
import type { KisSimulator } from '../../simulator';
import { Hub, type HubConnectionStatus, type HubEngine } from '../../hub/hub';
import { defaultHubDir } from '../../hub/paths';
import { closeRuntime, type Runtime } from './sourceRuntime';
import { TRADE_TR } from '../plan/subscriptionPlan';
import type { FeedOptions, FeedProblem, HubJoinOptions } from '../types';

/**
 * The WebSocket sessions of an embedded simulator: live now, and all it has served (its request log's
 * session ids plus the live ones). Two windows sharing one simulator show 1 live, 1 served at the leader.
 */
export function simulatorSessions(simulator: KisSimulator | undefined): { live: number; served: number } | undefined {
  if (simulator === undefined) return undefined;
  const live = simulator.sessionIds();
  const served = new Set([...simulator.requests.map((r) => r.sessionId), ...live]);
  return { live: live.length, served: served.size };
}

/** What the views show about the shared session. */
export interface ShareStatus {
  role: 'leader' | 'follower';
  /** Windows sharing the session, this one included. */
  windows: number;
  /** The leading window's name (this window's when it leads). */
  leaderName: string;
  /** The shared session's connection state (the leader's agent). */
  state: AgentState;
  /** This window's symbols whose trades did not fit the leader's 41 registrations. */
  overBudget: string[];
}

/** The sharing state of a feed: one object for the feed's life, `current` undefined while not shared. */
export class SharingState extends Disposable {
  private value: ShareStatus | undefined;
  private readonly emitter = this._register(new Emitter<ShareStatus | undefined>());
  /** Fires on every change (role, window count, leader state, over-budget wants). */
  readonly onDidChange: Event<ShareStatus | undefined> = this.emitter.event;

  get current(): ShareStatus | undefined {
    return this.value;
  }

  /** Replaces the status and announces it. */
  set(status: ShareStatus | undefined): void {
    this.value = status;
    this.emitter.fire(status);
  }
}

/**
 * Whether a source with these settings is shared: paper and real always, the simulator on opt-in, a
 * replay never (each window plays the file it picked, at its own speed).
 */
export function shouldShare(settings: Settings, hub: HubJoinOptions | undefined): boolean {
  if (settings.dataSource === 'replay') return false;
  return hub !== undefined && (settings.dataSource !== 'simulator' || settings.shareSimulator);
}

/** What the shared session needs from its feed. */
export interface SharedPort {
  /** Opens this window's source and builds its runtime (only when it leads); undefined when overtaken. */
  open(): Promise<Runtime | FeedProblem | undefined>;
  /** Makes the runtime the feed's current one (wired, connecting). Its snapshots reach the model that way. */
  adopt(rt: Runtime): void;
  /** A snapshot from the leader (this window follows). */
  snapshot(snapshot: Snapshot): void;
  /** A hand-over gap of one of this window's wants. */
  gap(gap: DataGap): void;
  /** The shared session ended for good (refused by the leader). */
  problem(problem: FeedProblem): void;
}

/** Options of `new SharedSession`. */
export interface SharedSessionOptions {
  hub: HubJoinOptions;
  settings: Settings;
  /** False when this window has no credentials for the source: it then waits for a leader instead. */
  canLead: boolean;
  log: Logger;
  state: SharingState;
  port: SharedPort;
  /** This window's registration wants at the join (its watchlist's plan; later ones via setWants). */
  wants: readonly HubWant[];
}

/** A problem raised while this window was building its engine (the election's caller gets it back). */
class EngineProblem extends Error {
  constructor(readonly problem: FeedProblem) {
    super(problem.message);
  }
}

/** This window's membership in the shared session of one source. */
export class SharedSession {
  private readonly hub: Hub;
  private wants: HubWant[];

  constructor(private readonly options: SharedSessionOptions) {
    this.wants = [...options.wants];
    const { hub, settings, log } = options;
    this.hub = new Hub({
      dir: hub.dir ?? (process.env.KIS_MONITOR_HUB_DIR || defaultHubDir()),
      source: settings.dataSource,
      name: hub.name,
      wants: options.wants,
      canLead: options.canLead,
      startEngine: () => this.startEngine(),
      ...(hub.pollMs !== undefined ? { pollMs: hub.pollMs } : {}),
      log: (level, message) => log[level](message),
    });
    this.hub.on('snapshot', (snapshot) => {
      // As leader the feed hears its own worker directly (sourceRuntime.ts); only a follower needs the channel.
      if (this.hub.currentRole() === 'follower') options.port.snapshot(snapshot);
    });
    this.hub.on('gap', (gap) => options.port.gap(gap));
    this.hub.on('status', (status) => options.state.set(this.statusOf(status)));
    this.hub.on('stopped', (error) => {
      options.state.set(undefined);
      options.port.problem(this.problemOf(error));
    });
  }

  /**
   * Joins as leader or follower. Resolves with the problem when this window had to lead and could not
   * build its source; throws a HubError when the hub itself is unusable (an unsafe directory, refused).
   */
  async join(): Promise<FeedProblem | undefined> {
    if (!this.options.canLead) {
      // Waiting for a leader may take as long as no window with credentials is open: not on the feed's
      // start/stop chain, or a disconnect would wait behind it. dispose() ends the wait.
      this.hub.join().catch((error: unknown) => this.options.port.problem(this.problemOf(error)));
      return undefined;
    }
    try {
      await this.hub.join();
      return undefined;
    } catch (error) {
      if (error instanceof EngineProblem) return error.problem;
      throw error;
    }
  }

  /** Replaces this window's registration wants (its watchlist's plan). */
  setWants(wants: readonly HubWant[]): void {
    this.wants = [...wants];
    this.hub.setWants(this.wants);
  }

  /** Leaves: as leader, closes the runtime first, then resigns, so a follower may take over at once. */
  async dispose(): Promise<void> {
    await this.hub.dispose();
    this.options.state.set(undefined);
  }

  private async startEngine(): Promise<HubEngine> {
    const rt = await this.options.port.open();
    if (rt === undefined) throw new Error('the shared session was stopped while starting');
    if ('code' in rt) throw new EngineProblem(rt);
    const log = this.options.log;
    const settle = (what: string, trId: string, trKey: string) => (error: unknown) =>
      log.debug(`${what} ${trId} ${trKey}: ${String(error)}`);
    let closing: Promise<void> | undefined;
    const engine: HubEngine = {
      subscribe: (trId, trKey) => void rt.agent.subscribe(trId, trKey).catch(settle('Subscribe', trId, trKey)),
      unsubscribe: (trId, trKey) => void rt.agent.unsubscribe(trId, trKey).catch(settle('Unsubscribe', trId, trKey)),
      onSnapshot: (listener) => void rt.worker.on('snapshot', listener),
      onState: (listener) => void rt.agent.on('state', (change) => listener(change.to)),
      dispose: () => (closing ??= closeRuntime(rt)),
    };
    this.options.port.adopt(rt);
    return engine;
  }

  private problemOf(error: unknown): FeedProblem {
    const message = error instanceof Error ? error.message : String(error);
    return {
      code: 'START_FAILED',
      source: this.options.settings.dataSource,
      message: `Cannot share the session with other windows: ${message}`,
    };
  }

  private statusOf(status: HubConnectionStatus): ShareStatus {
    const over = status.overBudget ?? [];
    return {
      role: status.role,
      windows: status.windows,
      leaderName: status.leaderName,
      state: status.state,
      overBudget: over
        .filter((w) => w.trId === TRADE_TR && this.wants.some((own) => own.trKey === w.trKey))
        .map((w) => w.trKey),
    };
  }
}

/** Options of `joinShared`. */
export interface JoinSharedOptions extends Omit<SharedSessionOptions, 'canLead' | 'log'> {
  feed: Pick<FeedOptions, 'credentials' | 'log'>;
  /** Tells the feed its session (before the join, so its registrations go to the hub), or undefined again. */
  attach(session: SharedSession | undefined): void;
}

/**
 * Joins the shared session of the configured source. True when joined (as leader or follower, or failed
 * with a problem already reported); false when the hub is unusable (an unsafe directory, refused by the
 * leader): the feed then runs its own session, unshared.
 */
export async function joinShared(options: JoinSharedOptions): Promise<boolean> {
  const source = options.settings.dataSource;
  const log = options.feed.log.child('hub');
  // A window without credentials for the source can follow but not lead: it waits for a leader instead.
  const canLead = !isKisSource(source) || (await options.feed.credentials(source)) !== undefined;
  const session = new SharedSession({ ...options, canLead, log });
  options.attach(session);
  try {
    const problem = await session.join();
    if (problem) options.port.problem(problem);
    return true;
  } catch (error) {
    options.attach(undefined);
    await session.dispose();
    log.warn(
      `Cannot share the session with other windows (${error instanceof Error ? error.message : String(error)}); running alone`,
    );
    return false;
  }
}
