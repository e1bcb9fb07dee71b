/**
 * The feed's session: the data source (the embedded simulator, or the KIS paper/real endpoints), the
 * `KisAgent` and the `WorkerHost` (or the hub's shared session: hubSource.ts), the read model they fill,
 * the REST side and the trading day. The watchlist's commands (marketFeed.ts) sit on top of it.
 *
 * Life cycle. `off` → `starting` → `running` (the agent then has its own state: connecting, open,
 * reconnecting, stopped) → `off` again on `disconnect()`, or `failed` when the source cannot start
 * (no credentials, the simulator cannot listen). Start and stop are serialized on one chain, so a
 * source switch is "stop everything, await it, start the new one", never two runtimes at once.
 * Nothing starts until the watchlist is non-empty or the user connects. The heavy modules (ws, the
 * simulator, the worker host) load on first start (source.ts); only their types are imported here.
 */
import type { KisSimulator } from '../simulator';
import type { AgentStats, DataGap, WorkerHostStats } from '../shared/stats';
import type { Snapshot } from '../shared/snapshot';
import type { LiveResources, SimulatorRequest } from '../shared/extensionApi';
import { alertQuietOf, type DataSource, type Settings } from '../settings';
import { MarketModel, type MarketView } from './model/readModel';
import { closeRuntime, openRuntime, runtimeResources, wireRuntime, type Runtime } from './source/sourceRuntime';
import { clockFor, codeOf, errorMessage, RESTART_SETTINGS } from './source/source';
import { dayIdentityOf, feedTimeAt } from './feedClock';
import type { ReconcileFailures } from './plan/reconcile';
import { WatchlistState } from './model/watchlistState';
import type { DayPlanner } from './plan/dayPlanner';
import { FeedDay } from './feedDay';
import { noticeRegistrations, wantsOverseasNotices } from './plan/noticePlan';
import type { PlannedSubscription } from './plan/subscriptionPlan';
import type { DayStatus } from './plan/dayPlan';
import { MarketStatusTracker } from './model/marketStatus';
import { FeedEvents } from './feedEvents';
import type { FeedOptions, FeedProblem, FeedState, ProgressCallback } from './types';
import { openRestRuntime } from './rest/restRuntime';
import { RestSide } from './rest/restSide';
import { FeedTasks } from './feedTasks';
import type { RestPriceStats, RowMode } from './rest/restPrices';
import type { ChartOutcome, ChartView } from './rest/chartHistory';
import { joinShared, SharingState, shouldShare, type SharedPort, type SharedSession } from './source/hubSource';
import { FeedRecorder } from './source/sessionRecording';
import type { ReplayStatus } from './source/replaySource';

/** See the file comment. */
export abstract class FeedSession extends FeedEvents {
  protected readonly day: FeedDay = this._register(
    new FeedDay({
      settings: () => this.opts.settings(),
      source: () => this.source,
      watch: () => this.watch,
      rest: () => this.rest,
      // Only the window that runs the session subscribes notices (a follower has no HTS ID of the session).
      notices: (source) => (this.runtime?.source === source ? this.noticeWants() : []),
      onPhaseChange: () => {
        this.reconcile();
        this.phaseEmitter.fire();
      },
    }),
  );
  private readonly marketStatus = new MarketStatusTracker();

  protected onListenerError(error: unknown): void {
    this.opts.log.error('A feed listener failed', error);
  }

  private stateValue: FeedState = 'off';
  private failure: FeedProblem | undefined;
  protected runtime: Runtime | undefined;
  /** The REST client, prices and holiday calendar of the running source. */
  protected readonly rest = new RestSide((promise) => void this.track(promise));
  /** Bumped by every start and stop: a start that finds it changed gives up and cleans up. */
  private generation = 0;
  /** The restart the last settings change asked for (commands wait for it before acting). */
  private restarting: Promise<void> = Promise.resolve();
  protected readonly watch: WatchlistState;
  protected readonly store = new MarketModel();
  private simulatorLog: SimulatorRequest[] | undefined;
  /**
   * The trading day the model's data belongs to (feedClock.ts: source, clock, exchange, recording): a
   * change drops it, so no simulated price shows under Real and no Tuesday's bar under a Saturday clock.
   */
  private modelDay: string | undefined;
  /** The start/stop chain, and fire-and-forget work (connects, reconciles) held until settled and awaited by dispose. */
  private readonly work = new FeedTasks((error) => this.opts.log.error('Session operation failed', error));
  protected disposing: Promise<void> | undefined;
  protected shared: SharedSession | undefined;
  /** Whether and how the session is shared ("shared with N windows" / "via window X"). */
  readonly sharing = this._register(new SharingState());
  /** "KIS: Start/Stop Recording" on this feed's session (source/sessionRecording.ts). */
  readonly recorder = this._register(new FeedRecorder());

  constructor(protected readonly opts: FeedOptions) {
    super();
    this.watch = new WatchlistState(opts.store, opts.log, (symbols) => this.watchlistEmitter.fire(symbols));
    // Before any connection the views already read the configured day's clock (a simulated Saturday's title).
    this.day.planner.setClock(clockFor(opts.settings()), false);
  }

  get state(): FeedState {
    return this.stateValue;
  }

  /** Why the feed is `failed`. */
  get failureReason(): FeedProblem | undefined {
    return this.failure;
  }

  /** The source of the running feed, else the configured one. */
  get source(): DataSource {
    return this.runtime?.source ?? this.opts.settings().dataSource;
  }

  /** The watchlist in display order (a copy). */
  get symbols(): string[] {
    return this.watch.symbols;
  }

  /** The symbols pinned to the live set, in watchlist order. */
  pinned = (): string[] => this.watch.pinned;

  /** How a row is kept up to date: streamed live, or refreshed by REST every N s (the measured cycle). */
  rowMode = (symbol: string): RowMode => this.rest.rowMode(symbol);
  /** The code of a row's last REST failure ("price unavailable"); undefined once REST answered. */
  restProblem = (symbol: string): string | undefined => this.rest.problem(symbol);
  /** When a row's failed REST price is asked again (epoch ms of the machine, the retry's own timer). */
  restRetryAt = (symbol: string): number | undefined => this.rest.retryAt(symbol);

  /** The agent's counters while a source runs. */
  agentStats = (): AgentStats | undefined => this.runtime?.agent.stats();
  /** The worker host's counters while a source runs. */
  workerStats = (): WorkerHostStats | undefined => this.runtime?.worker.stats();
  /** The REST counters while a source runs. */
  restStats = (): RestPriceStats | undefined => this.rest.stats();
  /** The ticker chart's REST history of `symbol` (chartHistory.ts): minute bars into the model, or daily candles. */
  chartHistory = (symbol: string, view: ChartView): Promise<ChartOutcome> => this.rest.chartHistory(symbol, view);
  /** Where the `replay` source is ("replay 10×", the recorded time), while it runs. */
  replayStatus = (): ReplayStatus | undefined => this.runtime?.opened.replay?.progress();

  /** The one read model (quotes, bars, books, gaps): kept across agent/worker restarts, cleared on a source change. */
  get model(): MarketView {
    return this.store;
  }

  /**
   * True while this window runs the session itself (alone, or leading the windows that share it): the one
   * window that tells of a fill and applies it to the holdings, which every window shares.
   */
  get runsSession(): boolean {
    return this.runtime !== undefined;
  }

  /** The symbols of the user's holdings (setHeldSymbols): the notice plan reads them with the watchlist. */
  protected held: readonly string[] = [];

  /** Whether a US symbol is on the watchlist or held (the overseas notices are then wanted). */
  protected get holdsUs(): boolean {
    return wantsOverseasNotices([...this.watch.symbols, ...this.held]);
  }

  /** The execution-notice registrations of this window's own session (none when it follows another). */
  protected noticeWants(): PlannedSubscription[] {
    const rt = this.runtime;
    return rt === undefined
      ? []
      : noticeRegistrations(rt.source, rt.opened.credentials.htsId, [...this.watch.symbols, ...this.held]);
  }

  /** The embedded simulator of the running source (diagnostics and tests). */
  get embeddedSimulator(): KisSimulator | undefined {
    return this.runtime?.simulator;
  }

  /** Requests the embedded simulator received (the last simulator run; empty on KIS sources). */
  simulatorRequests(): SimulatorRequest[] {
    return this.simulatorLog ? this.simulatorLog.map((r) => ({ trType: r.trType, trId: r.trId, trKey: r.trKey })) : [];
  }

  /** Live resources, for leak checks. */
  resources(): LiveResources {
    return runtimeResources(this.runtime, this.work.size);
  }

  /** Starts the configured source if nothing runs (or restarts a stopped agent). Resolves once built. */
  connect(): Promise<void> {
    if (this.disposing) return Promise.resolve();
    if (this.shared && this.stateValue === 'failed') return this.restart(); // a shared session that ended
    const rt = this.runtime;
    if ((rt || this.shared) && this.stateValue === 'running') {
      if (rt && (rt.agent.state === 'stopped' || rt.agent.state === 'idle')) this.startAgent(rt);
      return this.work.lifecycle;
    }
    return this.enqueue(() => this.startRuntime());
  }

  /** Stops everything (socket, worker, simulator) and awaits it. The watchlist is kept. */
  disconnect(): Promise<void> {
    return this.enqueue(() => this.stopRuntime());
  }

  /** Stops and starts again with the current settings (a data-source switch). */
  restart(): Promise<void> {
    if (this.disposing) return Promise.resolve();
    const wasActive = this.stateValue !== 'off' || this.watch.symbols.length > 0;
    return this.enqueue(async () => {
      await this.stopRuntime();
      this.resetModelFor(this.opts.settings());
      if (!wasActive) this.day.planner.setClock(clockFor(this.opts.settings()), false);
      if (wasActive) await this.startRuntime();
    });
  }

  /**
   * Reacts to a settings change: restarts only for the settings a running source depends on. `settled()`
   * resolves once that restart is done.
   */
  applySettings(changed: ReadonlySet<keyof Settings>): void {
    if (RESTART_SETTINGS.some((k) => changed.has(k))) this.restarting = this.restart();
    else if (changed.has('exchange')) {
      // Another exchange is another day's prices and books: drop the old ones, price every row again.
      this.resetModelFor(this.opts.settings());
      this.rest.quotes(this.watch.symbols);
      this.reconcile();
    }
    // The alerts' band and cooldown apply to the running worker: no restart, nothing re-subscribed.
    if (changed.has('alertRearmPercent') || changed.has('alertCooldownSeconds'))
      this.runtime?.worker.setAlertQuiet(alertQuietOf(this.opts.settings()));
  }

  /** Resolves when the restart asked for by the last settings change has finished. */
  settled = (): Promise<void> => this.restarting;

  /** The trading day now: phases, the exchange used and why, and the registration plan (feedDay.ts). */
  dayStatus = (): DayStatus => this.day.status();
  /** Plugs in the holiday calendar (the REST client's); until then the clock says "holiday unknown". */
  setHolidays = (provider: Parameters<DayPlanner['setHolidays']>[0]): void => this.day.planner.setHolidays(provider);

  /** Empties the read model when its data came from another trading day (see `modelDay`). */
  private resetModelFor(settings: Settings): void {
    const day = dayIdentityOf(settings);
    if (this.modelDay === day) return;
    const hadDay = this.modelDay !== undefined;
    this.store.clear();
    this.marketStatus.clear();
    this.modelDay = day;
    if (hadDay) this.resetEmitter.fire();
  }

  /** The feed clock's time of a machine instant (feedClock.ts); now, without one. Every time shown reads it. */
  feedTime = (at: number = Date.now()): number => feedTimeAt(this.day.planner.current, at, Date.now());

  /** Stops everything for good. Idempotent; the promise settles when nothing is left running. */
  override dispose(): Promise<void> {
    this.disposing ??= (async () => {
      await this.enqueue(() => this.stopRuntime());
      super.dispose();
    })();
    return this.disposing;
  }

  private enqueue = (op: () => Promise<void>): Promise<void> => this.work.enqueue(op);

  private setState(state: FeedState): void {
    if (state === this.stateValue) return;
    this.stateValue = state;
    if (state !== 'failed') this.failure = undefined;
    this.stateEmitter.fire(state);
  }

  private fail(problem: FeedProblem): void {
    this.failure = problem;
    this.opts.log.warn(problem.message);
    this.setState('failed');
    this.problemEmitter.fire(problem);
  }

  private async startRuntime(): Promise<void> {
    if (this.runtime || this.shared || this.disposing) return;
    const generation = ++this.generation;
    const stale = (): boolean => generation !== this.generation || this.disposing !== undefined;
    const settings = this.opts.settings();
    const source = settings.dataSource;
    this.resetModelFor(settings);
    this.setState('starting');
    if (source !== 'simulator') this.simulatorLog = undefined;
    if (shouldShare(settings, this.opts.hub) && (await this.startShared(settings, stale))) return;
    const rt = await openRuntime(settings, this.opts, stale);
    if (rt === undefined) return;
    if ('code' in rt) return this.fail(rt);
    if (stale()) return void (await closeRuntime(rt));
    this.adopt(rt);
  }

  /** Makes `rt` the current runtime: wired to the model and the events, connecting, registering. */
  private adopt(rt: Runtime): void {
    wireRuntime(rt, this.opts.log, () => this.runtime === rt, {
      snapshot: this.applySnapshot,
      agentState: (change) => this.agentStateEmitter.fire(change),
      gap: this.applyGap,
      problem: (problem) => this.problemEmitter.fire(problem),
    });
    this.runtime = rt;
    this.recorder.attach({ agent: rt.agent, source: rt.source, credentials: rt.opened.credentials });
    rt.opened.replay?.on('end', (p) => this.runtime === rt && this.replayEndEmitter.fire(p));
    this.simulatorLog = rt.simulator?.requests;
    this.day.planner.setClock(rt.opened.clock);
    // Every row gets its current price by REST at the start of a session (a closed market too).
    this.rest.open(
      openRestRuntime(rt.opened, rt.source, this.store, this.opts, (quotes) => this.restQuotesEmitter.fire(quotes)),
    );
    this.rest.quotes(this.watch.symbols);
    this.day.awaitCalendar();
    this.opts.log.info(`Feed started on ${rt.source} (${rt.opened.wsUrl})`);
    this.setState('running');
    this.startAgent(rt);
    this.reconcile();
  }

  private readonly applySnapshot = (snapshot: Snapshot): void => {
    this.store.applySnapshot(snapshot);
    this.snapshotEmitter.fire(snapshot);
    for (const change of this.marketStatus.update(snapshot)) this.statusEmitter.fire(change);
  };

  private readonly applyGap = (gap: DataGap): void => {
    this.store.recordGap(gap);
    this.gapEmitter.fire(gap);
    this.rest.quotes([gap.trKey]);
  };

  /** Joins the session shared between windows (hubSource.ts); false when the hub is unusable (run alone). */
  private async startShared(settings: Settings, stale: () => boolean): Promise<boolean> {
    const port: SharedPort = {
      open: () => openRuntime(settings, this.opts, stale),
      adopt: (rt) => this.adopt(rt),
      snapshot: this.applySnapshot,
      gap: this.applyGap,
      problem: (problem) => this.fail(problem),
    };
    const wants = this.day.plan(undefined).registrations;
    const joined = await joinShared({
      hub: this.opts.hub!,
      settings,
      feed: this.opts,
      state: this.sharing,
      port,
      wants,
      attach: (session) => (this.shared = session),
    });
    if (joined && !this.runtime && this.stateValue === 'starting') this.setState('running');
    return joined;
  }

  /** Connects the agent; its promise is tracked, and a fatal rejection is reported by its 'error' event. */
  private startAgent(rt: Runtime): void {
    this.track(
      rt.agent.connect().catch((error: unknown) => {
        const code = codeOf(error);
        if (code !== 'DISCONNECTED' && code !== 'DISPOSED') this.opts.log.warn(`Connect ended: ${errorMessage(error)}`);
      }),
    );
  }

  private stopRuntime = async (): Promise<void> => {
    this.generation++;
    const rt = this.runtime;
    const shared = this.shared;
    this.runtime = undefined;
    this.day.planner.disarm();
    await this.recorder.detach(rt?.agent);
    await this.rest.close();
    this.shared = undefined;
    // Shared: the hub closes the runtime (its engine) before it resigns the lead.
    await (shared ? shared.dispose() : rt && closeRuntime(rt));
    if (rt) this.opts.log.info(`Feed on ${rt.source} stopped`);
    await this.work.settled();
    this.setState('off');
  };

  protected track = <T>(promise: Promise<T>): Promise<T> => this.work.track(promise);

  /**
   * Brings the agent's registrations in line with the watchlist; resolves with the reportable failure
   * per symbol (trades only). `progress`/`focus`: see ReconcileInput.
   */
  protected abstract reconcile(progress?: ProgressCallback, focus?: ReadonlySet<string>): Promise<ReconcileFailures>;
}
