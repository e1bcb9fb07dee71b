/**
 * Opening a data source: the embedded simulator, or a KIS endpoint with its stored credentials. The heavy
 * run-time modules (the agent's `ws`, the simulator's servers, the worker host) load here on first use,
 * so activating the extension does not pay for them.
 */
import type { KisSimulator, ReplayFeed } from '../../simulator';
import { CATALOGUE } from '../../market/catalogue';
import { endpointsFor, type Settings } from '../../settings';
import type { Credentials, FeedOptions, FeedProblem } from '../types';
import { REAL_CLOCK, type DayClock } from '../plan/dayPlanner';
import { parseClockInstant, simulatedClock } from '../../simulator/market/simClock';
import { openReplay } from './replaySource';

/** Minutes of trading the demo has behind it when it starts (the ticker's 1m chart history). */
const DEMO_HISTORY_MINUTES = 120;

/** Simulator credentials: the embedded simulator accepts any non-empty pair. */
const SIMULATOR_CREDENTIALS: Credentials = { appkey: 'simulator-appkey', appsecret: 'simulator-appsecret' };

/** An opened source: where to connect, with which credentials, and the simulator when it is embedded. */
export interface OpenedSource {
  wsUrl: string;
  restUrl: string;
  credentials: Credentials;
  simulator: KisSimulator | undefined;
  /** The clock of the source's trading day (simulated when `simulatorClock` is set; the recording's in a replay). */
  clock: DayClock;
  /** The replay playing through `simulator` (the `replay` source). */
  replay?: ReplayFeed;
}

/**
 * The clock a source runs on: the machine's for KIS; for the embedded simulator, the demo (streams at any
 * hour) or, with `simulatorClock`, a simulated clock that both the simulator and the feed read.
 */
export function clockFor(settings: Settings): DayClock {
  if (settings.dataSource !== 'simulator') return REAL_CLOCK;
  const start = parseClockInstant(settings.simulatorClock);
  if (start === undefined) return { now: () => Date.now(), speed: 1, calendar: false };
  // The same clock setting keeps its one running clock, so a Disconnect/Connect continues the simulated
  // day (and the process market, keyed by the clock, with it); another setting starts a clean day.
  if (simulatedDay?.start !== start || simulatedDay.speed !== settings.simulatorSpeed) {
    simulatedDay = {
      start,
      speed: settings.simulatorSpeed,
      clock: { now: simulatedClock(start, settings.simulatorSpeed), speed: settings.simulatorSpeed, calendar: true },
    };
  }
  return simulatedDay.clock;
}
/** The simulated clock of the last clock setting. */
let simulatedDay: { start: number; speed: number; clock: DayClock } | undefined;

/**
 * The embedded simulator's seed, drawn once per extension host: the process market is keyed by it, so
 * every Connect continues the same market (a seed per start would make each one a new day).
 */
const PROCESS_SEED = Math.floor(Math.random() * 1_000_000);

/**
 * Opens the configured source. Returns the problem to report instead when it cannot (no credentials,
 * the simulator cannot listen), or undefined when `stale()` says a newer start or stop overtook this one.
 */
export async function openSource(
  settings: Settings,
  opts: Pick<FeedOptions, 'credentials' | 'simulator' | 'log' | 'htsId'>,
  stale: () => boolean,
): Promise<OpenedSource | FeedProblem | undefined> {
  const source = settings.dataSource;
  const [, simulatorModule] = await loadRuntimeModules();
  const { KisSimulator } = simulatorModule;
  let simulator: KisSimulator | undefined;
  try {
    if (source === 'replay') return await openReplay(settings, simulatorModule, stale);
    if (source === 'simulator') {
      const clock = clockFor(settings);
      // The simulator plays the user's paper account: its fill notices go to the paper HTS ID they stored.
      const htsId = await opts.htsId?.('paper');
      if (htsId !== undefined) opts.log.addSecret(htsId);
      simulator = await KisSimulator.start({
        port: 0,
        symbols: CATALOGUE.map((entry) => ({ code: entry.code, basePrice: entry.basePrice })),
        ratePerSymbol: settings.simulatorRatePerSymbol,
        seed: PROCESS_SEED,
        marketHours: false,
        // One market per extension host and clock: a Disconnect/Connect continues the same simulated day,
        // with the demo's morning behind it (its minute history).
        market: 'process',
        historyMinutes: DEMO_HISTORY_MINUTES,
        ...(clock.calendar ? { now: clock.now, calendar: true } : {}),
        ...(htsId !== undefined ? { htsId } : {}),
        ...opts.simulator,
      });
      opts.log.info(`Embedded simulator listening on ${simulator.wsUrl}`);
      if (stale()) {
        await simulator.close();
        return undefined;
      }
      return {
        wsUrl: simulator.wsUrl,
        restUrl: simulator.restUrl,
        credentials: htsId === undefined ? SIMULATOR_CREDENTIALS : { ...SIMULATOR_CREDENTIALS, htsId },
        simulator,
        clock,
      };
    }
    const stored = await opts.credentials(source);
    if (stale()) return undefined;
    if (!stored)
      return { code: 'NO_CREDENTIALS', source, message: `No app key and app secret are stored for ${source}.` };
    return { ...endpointsFor(source, settings), credentials: stored, simulator: undefined, clock: REAL_CLOCK };
  } catch (error) {
    await simulator?.close();
    return {
      code: 'START_FAILED',
      source,
      message: `Could not start the ${source} data source: ${errorMessage(error)}`,
    };
  }
}

/** The run-time modules a feed needs, loaded once on first use. */
export function loadRuntimeModules(): Promise<
  [typeof import('../../agent'), typeof import('../../simulator'), typeof import('../../worker/host')]
> {
  runtimeModules ??= Promise.all([import('../../agent'), import('../../simulator'), import('../../worker/host')]);
  return runtimeModules;
}
let runtimeModules: ReturnType<typeof loadRuntimeModules> | undefined;

/** The message of any thrown value. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The code of an AgentError (or any error with a string `code`), else 'UNKNOWN'. */
export function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'UNKNOWN';
}

/** The settings a running source is built from: changing one restarts it (the table's `restart` column). */
export { RESTART_SETTINGS } from '../../settings';
