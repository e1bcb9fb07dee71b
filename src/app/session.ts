/**
 * The session controller: owns the data source (the embedded simulator, or the KIS paper/real
 * endpoints), the `KisAgent` and the `WorkerHost`, keeps the watchlist and its registrations in step,
 * and publishes state, snapshots and problems to whoever listens (the views). vscode-free: settings,
 * credentials, persistence and translation are passed in.
 *
 * Life cycle. `off` → `starting` → `running` (the agent then has its own state: connecting, open,
 * reconnecting, stopped) → `off` again on `disconnect()`, or `failed` when the source cannot start
 * (no credentials, the simulator cannot listen). Start and stop are serialized on one chain, so a
 * source switch is "stop everything, await it, start the new one", never two runtimes at once.
 * Nothing starts until the watchlist is non-empty or the user connects.
 */
// Types only at the top: the agent (ws), the simulator (http + ws server) and the worker host are loaded
// when a session first starts, so activating the extension does not pay for them (see loadRuntimeModules).
import type { AgentErrorEvent, AgentOptions, KisAgent, StateChange } from '../agent';
import type { KisSimulator, SimulatorOptions } from '../simulator';
import type { WorkerHost } from '../worker/host';
import { CATALOGUE } from '../market/catalogue';
import type { QuoteState, Snapshot } from '../shared/snapshot';
import type { AgentStats, DataGap, WorkerHostStats } from '../shared/stats';
import type { LiveResources, SimulatorRequest } from '../shared/extensionApi';
import { Emitter, type Event } from '../common/lifecycle';
import type { Logger } from '../common/logger';
import { endpointsFor, type DataSource, type KisSource, type Settings } from '../settings';
import { isSymbolCode } from '../market/symbolInput';
import { BOOK_TR, diffSubscriptions, planSubscriptions, SESSION_BUDGET, TRADE_TR, type PlannedSubscription } from './subscriptionPlan';

/** The session's own state (the agent's connection state is reported separately). */
export type SessionState = 'off' | 'starting' | 'running' | 'failed';

/** App key and secret of one KIS account. */
export interface Credentials {
  appkey: string;
  appsecret: string;
}

/** Stable codes of the problems the session reports to the user. */
export type ProblemCode =
  | 'NO_CREDENTIALS'
  | 'START_FAILED'
  | 'BAD_CREDENTIALS'
  | 'APPKEY_IN_USE'
  | 'MAX_SUBSCRIPTIONS'
  | 'REFUSED'
  | 'ACK_TIMEOUT'
  | 'CONNECTION_LOST'
  | 'STALLED'
  | 'STOPPED';

/** A problem worth telling the user about (the message is English, no secrets; the UI localises by code). */
export interface SessionProblem {
  code: ProblemCode;
  message: string;
  source: DataSource;
  symbol?: string;
}

/** Where the watchlist is persisted (globalState in the extension, memory in tests). */
export interface WatchlistStore {
  load(): readonly unknown[];
  save(symbols: readonly string[]): Promise<void>;
}

/** What the session needs from its host. */
export interface SessionOptions {
  /** The current settings snapshot (read at each start). */
  settings: () => Settings;
  /** The stored credentials of a KIS source, or undefined when none are stored. */
  credentials: (source: KisSource) => Promise<Credentials | undefined>;
  store: WatchlistStore;
  log: Logger;
  /** The bundled worker script (dist/worker.js); default: the WorkerHost's own lookup. */
  workerScript?: string;
  /** Extra simulator options (tests: tick interval, seed, ping interval). */
  simulator?: Partial<SimulatorOptions>;
  /** Extra agent options (tests: ack timeout, backoff). */
  agent?: Partial<Omit<AgentOptions, 'wsUrl' | 'restUrl' | 'appkey' | 'appsecret' | 'sink'>>;
}

/** Progress of a subscribe: called once per settled request. */
export type ProgressCallback = (done: number, total: number) => void;

/** The outcome of `add()`. */
export interface AddResult {
  /** Newly listed and registered. */
  added: string[];
  /** Already on the watchlist. */
  already: string[];
  /** Not listed: the watchlist would exceed the 41-registration budget. */
  overLimit: string[];
  /** Listed, but the server refused (they were removed again) or did not answer. */
  failed: Array<{ symbol: string; code: string; message: string }>;
  /** Malformed input. */
  invalid: string[];
  /**
   * Listed, but not registered: the session could not start (no or bad credentials, server unreachable).
   * They register when it connects; the session's problem event has already said why.
   */
  pending: string[];
}

/** Simulator credentials: the embedded simulator accepts any non-empty pair. */
const SIMULATOR_CREDENTIALS: Credentials = { appkey: 'simulator-appkey', appsecret: 'simulator-appsecret' };

/** Agent error codes that end a trade registration for good (the symbol leaves the watchlist). */
const PERMANENT_FAILURES = new Set(['MAX_SUBSCRIPTIONS', 'REFUSED', 'INVALID_REQUEST']);
/** Agent error codes that only mean "the session ended meanwhile". */
const SILENT_FAILURES = new Set(['DISCONNECTED', 'DISPOSED', 'STOPPED', 'CANCELLED']);

/** Everything one started source owns. */
interface Runtime {
  readonly source: DataSource;
  readonly agent: KisAgent;
  readonly worker: WorkerHost;
  readonly simulator: KisSimulator | undefined;
}

export class Session {
  private readonly stateEmitter: Emitter<SessionState>;
  private readonly watchlistEmitter: Emitter<readonly string[]>;
  private readonly snapshotEmitter: Emitter<Snapshot>;
  private readonly agentStateEmitter: Emitter<StateChange>;
  private readonly problemEmitter: Emitter<SessionProblem>;
  private readonly gapEmitter: Emitter<DataGap>;

  /** Fires on every session state change. */
  readonly onDidChangeState: Event<SessionState>;
  /** Fires with the whole list after any add, remove or move. */
  readonly onDidChangeWatchlist: Event<readonly string[]>;
  /** Fires for every worker snapshot of the current source. */
  readonly onSnapshot: Event<Snapshot>;
  /** Fires on every agent state change. */
  readonly onAgentState: Event<StateChange>;
  /** Fires with problems the user should see. */
  readonly onProblem: Event<SessionProblem>;
  /** Fires when a subscription is back after a lost connection, with the interval it missed. */
  readonly onGap: Event<DataGap>;

  private stateValue: SessionState = 'off';
  private failure: SessionProblem | undefined;
  private runtime: Runtime | undefined;
  /** Bumped by every start and stop: a start that finds it changed gives up and cleans up. */
  private generation = 0;
  private lifecycle: Promise<void> = Promise.resolve();
  private list: string[];
  private readonly quotes = new Map<string, QuoteState>();
  /** The newest data gap per symbol of the current source (cleared with the quotes on a source switch). */
  private readonly gaps = new Map<string, DataGap>();
  private simulatorLog: SimulatorRequest[] | undefined;
  /** The source the held quotes came from: a switch drops them, so no simulated price shows under Real. */
  private quotesSource: DataSource | undefined;
  /** Fire-and-forget work (connect attempts, reconciles), held until settled and awaited by dispose. */
  private readonly tasks = new Set<Promise<unknown>>();
  private preferredBook: string | undefined;
  private disposing: Promise<void> | undefined;

  constructor(private readonly opts: SessionOptions) {
    const onListenerError = (error: unknown): void => opts.log.error('A session listener failed', error);
    this.stateEmitter = new Emitter(onListenerError);
    this.watchlistEmitter = new Emitter(onListenerError);
    this.snapshotEmitter = new Emitter(onListenerError);
    this.agentStateEmitter = new Emitter(onListenerError);
    this.problemEmitter = new Emitter(onListenerError);
    this.gapEmitter = new Emitter(onListenerError);
    this.onDidChangeState = this.stateEmitter.event;
    this.onDidChangeWatchlist = this.watchlistEmitter.event;
    this.onSnapshot = this.snapshotEmitter.event;
    this.onAgentState = this.agentStateEmitter.event;
    this.onProblem = this.problemEmitter.event;
    this.onGap = this.gapEmitter.event;
    this.list = sanitize(opts.store.load()).slice(0, SESSION_BUDGET);
  }

  // ---------------------------------------------------------------------------------------------
  // state

  get state(): SessionState {
    return this.stateValue;
  }

  /** Why the session is `failed`. */
  get failureReason(): SessionProblem | undefined {
    return this.failure;
  }

  /** The source of the running session, else the configured one. */
  get source(): DataSource {
    return this.runtime?.source ?? this.opts.settings().dataSource;
  }

  /** The watchlist in display order (a copy). */
  get symbols(): string[] {
    return this.list.slice();
  }

  agentStats(): AgentStats | undefined {
    return this.runtime?.agent.stats();
  }

  workerStats(): WorkerHostStats | undefined {
    return this.runtime?.worker.stats();
  }

  /** The newest interval in which `symbol` missed data because the connection was lost, if any. */
  lastGap(symbol: string): DataGap | undefined {
    return this.gaps.get(symbol);
  }

  /** The latest quote of a symbol (kept across reconnects; cleared when the source changes). */
  quote(symbol: string): QuoteState | undefined {
    return this.quotes.get(symbol);
  }

  /** Latest quotes of the watchlist, in order. */
  watchlistQuotes(): QuoteState[] {
    const out: QuoteState[] = [];
    for (const s of this.list) {
      const q = this.quotes.get(s);
      if (q) out.push(q);
    }
    return out;
  }

  /** The worker host of the running session (bars and books for the ticker). */
  get workerHost(): WorkerHost | undefined {
    return this.runtime?.worker;
  }

  /** The embedded simulator of the running session (diagnostics and tests). */
  get embeddedSimulator(): KisSimulator | undefined {
    return this.runtime?.simulator;
  }

  /** Requests the embedded simulator received (the last simulator run; empty on KIS sources). */
  simulatorRequests(): SimulatorRequest[] {
    return this.simulatorLog ? this.simulatorLog.map((r) => ({ trType: r.trType, trId: r.trId, trKey: r.trKey })) : [];
  }

  /** Live resources, for leak checks. */
  resources(): LiveResources {
    const rt = this.runtime;
    return {
      socketOpen: rt?.agent.hasSocket() ?? false,
      workerRunning: rt?.worker.stats().running ?? false,
      simulatorRunning: rt?.simulator !== undefined,
      trackedTasks: (rt?.agent.trackedTasks() ?? 0) + this.tasks.size,
    };
  }

  // ---------------------------------------------------------------------------------------------
  // life cycle

  /** Starts the configured source if nothing runs (or restarts a stopped agent). Resolves once built. */
  connect(): Promise<void> {
    if (this.disposing) return Promise.resolve();
    const rt = this.runtime;
    if (rt && this.stateValue === 'running') {
      if (rt.agent.state === 'stopped' || rt.agent.state === 'idle') this.startAgent(rt);
      return this.lifecycle;
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
    const wasActive = this.stateValue !== 'off' || this.list.length > 0;
    return this.enqueue(async () => {
      await this.stopRuntime();
      if (wasActive) await this.startRuntime();
    });
  }

  /** Stops everything for good. Idempotent; the promise settles when nothing is left running. */
  dispose(): Promise<void> {
    this.disposing ??= (async () => {
      await this.enqueue(() => this.stopRuntime());
      this.stateEmitter.dispose();
      this.watchlistEmitter.dispose();
      this.snapshotEmitter.dispose();
      this.agentStateEmitter.dispose();
      this.problemEmitter.dispose();
      this.gapEmitter.dispose();
    })();
    return this.disposing;
  }

  private enqueue(op: () => Promise<void>): Promise<void> {
    const next = this.lifecycle.then(op, op);
    // The chain itself must never reject (a failed start must not block the next stop).
    this.lifecycle = next.catch((error: unknown) => this.opts.log.error('Session operation failed', error));
    return this.lifecycle;
  }

  private setState(state: SessionState): void {
    if (state === this.stateValue) return;
    this.stateValue = state;
    if (state !== 'failed') this.failure = undefined;
    this.stateEmitter.fire(state);
  }

  private fail(problem: SessionProblem): void {
    this.failure = problem;
    this.opts.log.warn(problem.message);
    this.setState('failed');
    this.problemEmitter.fire(problem);
  }

  private async startRuntime(): Promise<void> {
    if (this.runtime || this.disposing) return;
    const generation = ++this.generation;
    const settings = this.opts.settings();
    const source = settings.dataSource;
    const log = this.opts.log;
    if (this.quotesSource !== source) {
      this.quotes.clear();
      this.gaps.clear();
      this.quotesSource = source;
    }
    this.setState('starting');

    const [{ KisAgent }, { KisSimulator }, { WorkerHost }] = await loadRuntimeModules();
    let simulator: KisSimulator | undefined;
    let credentials: Credentials;
    let wsUrl: string;
    let restUrl: string;
    try {
      if (source === 'simulator') {
        simulator = await KisSimulator.start({
          port: 0,
          symbols: CATALOGUE.map((entry) => ({ code: entry.code, basePrice: entry.basePrice })),
          ratePerSymbol: settings.simulatorRatePerSymbol,
          seed: Math.floor(Math.random() * 1_000_000),
          marketHours: false,
          ...this.opts.simulator,
        });
        credentials = SIMULATOR_CREDENTIALS;
        ({ wsUrl, restUrl } = simulator);
        this.simulatorLog = simulator.requests;
        log.info(`Embedded simulator listening on ${simulator.wsUrl}`);
      } else {
        this.simulatorLog = undefined;
        const stored = await this.opts.credentials(source);
        if (generation !== this.generation) return;
        if (!stored) {
          this.fail({ code: 'NO_CREDENTIALS', source, message: `No app key and app secret are stored for ${source}.` });
          return;
        }
        credentials = stored;
        ({ wsUrl, restUrl } = endpointsFor(source, settings));
      }
    } catch (error) {
      await simulator?.close();
      this.fail({ code: 'START_FAILED', source, message: `Could not start the ${source} data source: ${errorMessage(error)}` });
      return;
    }
    if (generation !== this.generation || this.disposing) {
      await simulator?.close();
      return;
    }
    log.addSecret(credentials.appkey);
    log.addSecret(credentials.appsecret);

    const worker = new WorkerHost({
      snapshotIntervalMs: settings.snapshotIntervalMs,
      ...(this.opts.workerScript ? { workerScript: this.opts.workerScript } : {}),
    });
    let agent: KisAgent;
    try {
      agent = new KisAgent({
        maxInFlight: settings.maxInFlight,
        ...this.opts.agent,
        wsUrl,
        restUrl,
        appkey: credentials.appkey,
        appsecret: credentials.appsecret,
        sink: worker,
      });
    } catch (error) {
      await worker.dispose();
      await simulator?.close();
      this.fail({ code: 'START_FAILED', source, message: `Could not start the agent: ${errorMessage(error)}` });
      return;
    }
    const rt: Runtime = { source, agent, worker, simulator };
    this.wire(rt);
    this.runtime = rt;
    log.info(`Session started on ${source} (${wsUrl})`);
    this.setState('running');
    this.startAgent(rt);
    this.reconcile();
  }

  private wire(rt: Runtime): void {
    const log = this.opts.log;
    const agentLog = log.child('agent');
    const workerLog = log.child('worker');
    rt.worker.on('snapshot', (snapshot) => {
      if (this.runtime !== rt) return;
      for (const q of snapshot.quotes) this.quotes.set(q.symbol, q);
      this.snapshotEmitter.fire(snapshot);
    });
    rt.worker.on('error', (error) => workerLog.error('Worker failed', error));
    rt.worker.on('restart', (event) => workerLog.warn(`Worker restarted (${event.reason}); restart #${event.restarts} in ${event.delayMs} ms`));
    rt.worker.on('handlerError', (event) => workerLog.warn(`Handler ${event.handler} threw: ${event.message}`));
    rt.agent.on('log', (event) => agentLog.log(event.level, event.message));
    rt.agent.on('state', (change) => {
      if (this.runtime !== rt) return;
      agentLog.info(`${change.from} → ${change.to}${change.reason ? `: ${change.reason}` : ''}`);
      this.agentStateEmitter.fire(change);
    });
    rt.agent.on('error', (event) => this.onAgentError(rt, event));
    rt.agent.on('gap', (gap) => {
      if (this.runtime !== rt) return;
      this.gaps.set(gap.trKey, gap);
      this.gapEmitter.fire(gap);
    });
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

  /** Connection-level agent errors become problems; per-request ones are reported by `add()`. */
  private onAgentError(rt: Runtime, event: AgentErrorEvent): void {
    if (this.runtime !== rt) return;
    switch (event.code) {
      case 'BAD_CREDENTIALS':
      case 'APPKEY_IN_USE':
      case 'STALLED':
      case 'CONNECTION_LOST':
        this.problemEmitter.fire({ code: event.code, message: event.message, source: rt.source });
        break;
      default:
        // Per-request failures (refusals, timeouts) are answered where they were asked for.
        break;
    }
  }

  private stopRuntime = async (): Promise<void> => {
    this.generation++;
    const rt = this.runtime;
    this.runtime = undefined;
    if (rt) {
      // Order: the agent first (it feeds the worker), then the worker, then the server it talked to.
      await rt.agent.dispose();
      await rt.worker.dispose();
      await rt.simulator?.close();
      this.opts.log.info(`Session on ${rt.source} stopped`);
    }
    await Promise.allSettled([...this.tasks]);
    this.setState('off');
  };

  private track<T>(promise: Promise<T>): Promise<T> {
    this.tasks.add(promise);
    const release = (): void => void this.tasks.delete(promise);
    promise.then(release, release);
    return promise;
  }

  // ---------------------------------------------------------------------------------------------
  // watchlist

  /**
   * Lists and registers symbols. Starts the session if it is off. Resolves when every new registration
   * settled; `progress` is called once per settled request.
   */
  async add(symbols: readonly string[], progress?: ProgressCallback): Promise<AddResult> {
    const result: AddResult = { added: [], already: [], overLimit: [], failed: [], invalid: [], pending: [] };
    const fresh: string[] = [];
    for (const s of symbols) {
      if (!isSymbolCode(s)) result.invalid.push(s);
      else if (this.list.includes(s) || fresh.includes(s)) result.already.push(s);
      else if (this.list.length + fresh.length >= SESSION_BUDGET) result.overLimit.push(s);
      else fresh.push(s);
    }
    if (fresh.length === 0) return result;
    this.list.push(...fresh);
    await this.persist();
    if (this.disposing) return result;
    if (!this.runtime) await this.connect();
    if (!this.runtime) {
      result.pending.push(...fresh);
      return result;
    }
    const outcomes = await this.reconcile(progress, new Set(fresh));
    for (const s of fresh) {
      const failure = outcomes.get(s);
      if (failure) result.failed.push({ symbol: s, ...failure });
      else result.added.push(s);
    }
    if (result.failed.some((f) => f.code === 'MAX_SUBSCRIPTIONS')) {
      this.problemEmitter.fire({ code: 'MAX_SUBSCRIPTIONS', source: this.source, message: 'KIS allows 41 real-time registrations per session.' });
    }
    return result;
  }

  /** Unlists and releases a symbol; false when it was not listed. */
  async remove(symbol: string): Promise<boolean> {
    const index = this.list.indexOf(symbol);
    if (index < 0) return false;
    this.list.splice(index, 1);
    this.quotes.delete(symbol);
    this.gaps.delete(symbol);
    if (this.preferredBook === symbol) this.preferredBook = undefined;
    await this.persist();
    await this.reconcile();
    return true;
  }

  /** Moves a symbol one place; registrations follow the order (books go to the first symbols). */
  async move(symbol: string, delta: -1 | 1): Promise<boolean> {
    const index = this.list.indexOf(symbol);
    const target = index + delta;
    if (index < 0 || target < 0 || target >= this.list.length) return false;
    [this.list[index], this.list[target]] = [this.list[target], this.list[index]];
    await this.persist();
    this.reconcile();
    return true;
  }

  /** Gives `symbol` the first claim on an order-book registration (the ticker's symbol). */
  preferBook(symbol: string | undefined): void {
    if (this.preferredBook === symbol) return;
    this.preferredBook = symbol;
    this.reconcile();
  }

  private async persist(): Promise<void> {
    this.watchlistEmitter.fire(this.list.slice());
    try {
      await this.opts.store.save(this.list.slice());
    } catch (error) {
      this.opts.log.error('Could not save the watchlist', error);
    }
  }

  /**
   * Brings the agent's registrations in line with the watchlist: releases first (to free budget, awaiting
   * the acks), then asks for every planned registration. `subscribe` is idempotent in the agent (a
   * pending request returns the same promise, a registered one resolves 'already' without traffic), so
   * concurrent reconciles, and an `add()` racing the start's own reconcile, all see the real acks.
   * Returns the reportable failure per symbol (trades only). Tracked, so dispose() waits for it.
   *
   * @param progress called once per settled request among those counted
   * @param focus count only the requests of these symbols (an `add()`); default: the new ones
   */
  private reconcile(progress?: ProgressCallback, focus?: ReadonlySet<string>): Promise<Map<string, { code: string; message: string }>> {
    return this.track(this.reconcileNow(progress, focus));
  }

  private async reconcileNow(progress?: ProgressCallback, focus?: ReadonlySet<string>): Promise<Map<string, { code: string; message: string }>> {
    const failures = new Map<string, { code: string; message: string }>();
    const rt = this.runtime;
    if (!rt) return failures;
    const log = this.opts.log;
    const target = planSubscriptions(this.list, SESSION_BUDGET, this.preferredBook);
    const { release, register } = diffSubscriptions(rt.agent.wanted(), target);
    await Promise.allSettled(
      release.map((s) =>
        rt.agent.unsubscribe(s.trId, s.trKey).catch((error: unknown) => log.debug(`Unsubscribe ${s.trId} ${s.trKey}: ${errorMessage(error)}`)),
      ),
    );
    if (this.runtime !== rt) return failures;
    const fresh = new Set(register.map((s) => `${s.trId}:${s.trKey}`));
    const counted = (s: PlannedSubscription): boolean => (focus ? focus.has(s.trKey) : fresh.has(`${s.trId}:${s.trKey}`));
    const total = target.filter(counted).length;
    let done = 0;
    // Asked in plan order (trades first); the agent pipelines them within its in-flight window.
    await Promise.allSettled(
      target.map((s) =>
        rt.agent
          .subscribe(s.trId, s.trKey)
          .catch((error: unknown) => this.onSubscribeFailed(rt, s, error, failures))
          .finally(() => {
            if (counted(s)) progress?.(++done, total);
          }),
      ),
    );
    return failures;
  }

  private onSubscribeFailed(rt: Runtime, s: PlannedSubscription, error: unknown, failures: Map<string, { code: string; message: string }>): void {
    const code = codeOf(error);
    const message = errorMessage(error);
    if (SILENT_FAILURES.has(code)) return;
    this.opts.log.warn(`Subscribe ${s.trId} ${s.trKey} failed: ${message}`);
    if (s.trId !== TRADE_TR || this.runtime !== rt) return; // a missing book is not worth a message
    failures.set(s.trKey, { code, message });
    if (PERMANENT_FAILURES.has(code) && this.list.includes(s.trKey)) {
      // A refused symbol leaves the watchlist, so the list never shows a row that cannot get data.
      this.list.splice(this.list.indexOf(s.trKey), 1);
      this.track(this.persist());
      // Its order-book registration (if any) is released by the next reconcile.
      if (rt.agent.wanted().some((w) => w.trId === BOOK_TR && w.trKey === s.trKey)) this.reconcile();
    }
  }
}

/** The code of an AgentError (or any error with a string `code`), else 'UNKNOWN'. */
function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'UNKNOWN';
}

/** The run-time modules a session needs, loaded once on first use. */
function loadRuntimeModules(): Promise<[typeof import('../agent'), typeof import('../simulator'), typeof import('../worker/host')]> {
  runtimeModules ??= Promise.all([import('../agent'), import('../simulator'), import('../worker/host')]);
  return runtimeModules;
}
let runtimeModules: ReturnType<typeof loadRuntimeModules> | undefined;

function sanitize(raw: readonly unknown[]): string[] {
  const out: string[] = [];
  for (const s of raw) if (typeof s === 'string' && isSymbolCode(s) && !out.includes(s)) out.push(s);
  return out;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
