/**
 * One started source: the agent, the worker host it feeds and the embedded simulator (when the source is
 * the simulator). Built from an opened source, wired to the feed through plain callbacks that fire only
 * while the runtime is the feed's current one, and closed in dependency order.
 */
import type { AgentErrorEvent, KisAgent, StateChange } from '../../agent';
import type { KisSimulator } from '../../simulator';
import type { WorkerHost } from '../../worker/host';
import type { Logger } from '../../common/logger';
import type { Snapshot } from '../../shared/snapshot';
import type { DataGap } from '../../shared/stats';
import type { LiveResources } from '../../shared/extensionApi';
import { alertQuietOf, type DataSource, type Settings } from '../../settings';
import { errorMessage, loadRuntimeModules, openSource, type OpenedSource } from './source';
import type { FeedOptions, FeedProblem } from '../types';

/** Everything one started source owns. */
export interface Runtime {
  readonly source: DataSource;
  readonly agent: KisAgent;
  readonly worker: WorkerHost;
  readonly simulator: KisSimulator | undefined;
  /** The opened source it was built from (its clock, endpoints and credentials: the REST client needs them). */
  readonly opened: OpenedSource;
  /** Forwards alert-rule changes to this runtime's worker until closed. */
  readonly alertSubscription?: { dispose(): void };
}

/**
 * Opens the configured source and builds its runtime: the problem when it cannot, undefined when `stale()`
 * says a newer start or stop overtook this one. The credentials are masked in the log from here on.
 */
export async function openRuntime(
  settings: Settings,
  opts: FeedOptions,
  stale: () => boolean,
): Promise<Runtime | FeedProblem | undefined> {
  const opened = await openSource(settings, opts, stale);
  if (opened === undefined || 'code' in opened) return opened;
  opts.log.addSecret(opened.credentials.appkey);
  opts.log.addSecret(opened.credentials.appsecret);
  if (opened.credentials.htsId !== undefined) opts.log.addSecret(opened.credentials.htsId);
  return buildRuntime(opened, settings, opts);
}

/** Builds the worker host and the agent for an opened source; a problem when the agent cannot be built. */
export async function buildRuntime(
  opened: OpenedSource,
  settings: Settings,
  opts: Pick<FeedOptions, 'agent' | 'workerScript' | 'handlers' | 'alertRules'>,
): Promise<Runtime | FeedProblem> {
  const [{ KisAgent }, , { WorkerHost }] = await loadRuntimeModules();
  const { wsUrl, restUrl, credentials, simulator } = opened;
  const source = settings.dataSource;
  const worker = new WorkerHost({
    snapshotIntervalMs: settings.snapshotIntervalMs,
    alerts: opts.alertRules?.current() ?? [],
    alertQuiet: alertQuietOf(settings),
    alertStates: opts.alertRules?.states?.() ?? [],
    // The embedded simulator streams at any hour (its market never closes), a replay whenever it is played:
    // gating them by the wall clock's session would silence every alert.
    alertSessionGate: source !== 'simulator' && source !== 'replay',
    ...(opts.workerScript ? { workerScript: opts.workerScript } : {}),
    userHandlers: opts.handlers?.modulePaths ?? [],
    // Records without a date of their own (index ticks) are dated by the source's day, not the machine's.
    feedClock: () => ({ realAt: Date.now(), feedAt: opened.clock.now(), speed: opened.clock.speed }),
  });
  opts.handlers?.attach(worker);
  try {
    const agent = new KisAgent({
      maxInFlight: settings.maxInFlight,
      ...opts.agent,
      wsUrl,
      restUrl,
      appkey: credentials.appkey,
      appsecret: credentials.appsecret,
      sink: worker,
    });
    const rules = opts.alertRules;
    const alertSubscription = rules?.onDidChange(() => worker.setAlerts(rules.current()));
    if (rules?.rememberStates !== undefined) worker.on('alertStates', (states) => rules.rememberStates?.(states));
    return { source, agent, worker, simulator, opened, ...(alertSubscription ? { alertSubscription } : {}) };
  } catch (error) {
    await worker.dispose();
    await simulator?.close();
    return { code: 'START_FAILED', source, message: `Could not start the agent: ${errorMessage(error)}` };
  }
}

/** What the feed hears from its current runtime. */
export interface RuntimeListener {
  snapshot(snapshot: Snapshot): void;
  agentState(change: StateChange): void;
  gap(gap: DataGap): void;
  problem(problem: FeedProblem): void;
}

/** Connects a runtime's events to the log and (while `current()`) to the feed. */
export function wireRuntime(rt: Runtime, log: Logger, current: () => boolean, listener: RuntimeListener): void {
  const agentLog = log.child('agent');
  const workerLog = log.child('worker');
  rt.worker.on('snapshot', (snapshot) => {
    if (current()) listener.snapshot(snapshot);
  });
  rt.worker.on('error', (error) => workerLog.error('Worker failed', error));
  rt.worker.on('restart', (event) =>
    workerLog.warn(`Worker restarted (${event.reason}); restart #${event.restarts} in ${event.delayMs} ms`),
  );
  rt.worker.on('handlerError', (event) => workerLog.warn(`Handler ${event.handler} threw: ${event.message}`));
  rt.agent.on('log', (event) => agentLog.log(event.level, event.message));
  rt.agent.on('state', (change) => {
    if (!current()) return;
    agentLog.info(`${change.from} → ${change.to}${change.reason ? `: ${change.reason}` : ''}`);
    listener.agentState(change);
  });
  rt.agent.on('error', (event) => {
    const problem = current() ? problemOf(rt.source, event) : undefined;
    if (problem) listener.problem(problem);
  });
  rt.agent.on('gap', (gap) => {
    if (current()) listener.gap(gap);
  });
}

/** Connection-level agent errors become problems; per-request ones are answered by `add()`. */
function problemOf(source: DataSource, event: AgentErrorEvent): FeedProblem | undefined {
  switch (event.code) {
    case 'BAD_CREDENTIALS':
    case 'APPKEY_IN_USE':
    case 'STALLED':
    case 'CONNECTION_LOST':
      return { code: event.code, message: event.message, source };
    default:
      // Per-request failures (refusals, timeouts) are answered where they were asked for.
      return undefined;
  }
}

/**
 * Closes a runtime: the agent first (it feeds the worker), then the worker, then the replay playing through
 * the server, then the server it talked to.
 */
export async function closeRuntime(rt: Runtime): Promise<void> {
  rt.alertSubscription?.dispose();
  await rt.agent.dispose();
  await rt.worker.dispose();
  await rt.opened.replay?.close();
  await rt.simulator?.close();
}

/** The live resources of a runtime (none when stopped), for leak checks. */
export function runtimeResources(rt: Runtime | undefined, feedTasks: number): LiveResources {
  return {
    socketOpen: rt?.agent.hasSocket() ?? false,
    workerRunning: rt?.worker.stats().running ?? false,
    simulatorRunning: rt?.simulator !== undefined,
    trackedTasks: (rt?.agent.trackedTasks() ?? 0) + feedTasks,
  };
}
