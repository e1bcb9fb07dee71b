/**
 * The `replay` data source: a recording played by `ReplayFeed` through the built-in simulator's
 * server, started with `synthetic: false` so it generates nothing itself. The agent, worker and views then
 * take exactly the live path; only the clock differs: the feed's clock is the recording's (the last entry
 * played), so the views show the recorded time, not the wall clock.
 */
import type { KisSimulator, ReplayFeed, ReplayProgress } from '../../simulator';
import type { Settings } from '../../settings';
import type { DayClock } from '../plan/dayPlanner';
import type { Credentials, FeedProblem } from '../types';

/** The replay server accepts any non-empty pair, like the embedded simulator. */
const REPLAY_CREDENTIALS: Credentials = { appkey: 'replay-appkey', appsecret: 'replay-appsecret' };

/** What the feed shows of a running replay ("replay 10×", the recorded time, the end). */
export type ReplayStatus = ReplayProgress;

/** The replay feed's constructors (loaded lazily with the simulator module). */
export interface ReplayModules {
  KisSimulator: typeof KisSimulator;
  ReplayFeed: typeof ReplayFeed;
}

/** An opened replay: the server it plays through and the feed that plays. */
export interface OpenedReplay {
  wsUrl: string;
  restUrl: string;
  credentials: Credentials;
  simulator: KisSimulator;
  replay: ReplayFeed;
  clock: DayClock;
}

/**
 * The recording's clock: the recorded time of the last entry played (its start before the first).
 * Not a calendar clock: a replay streams whatever it recorded, at any hour, so no phase is "closed".
 */
export function replayClock(feed: Pick<ReplayFeed, 'progress'>): DayClock {
  const speed = feed.progress().speed;
  return {
    now: () => {
      const p = feed.progress();
      return p.recordedAt ?? p.recordingStartedAt;
    },
    speed: speed === 'max' ? 1 : speed,
    calendar: false,
  };
}

/**
 * Starts the server and the replay of `settings.replayFile`. A problem (START_FAILED with a clear sentence)
 * when no file is chosen or it is no readable recording (bad magic, unknown version, missing); undefined
 * when `stale()` says a newer start or stop overtook this one.
 */
export async function openReplay(
  settings: Settings,
  modules: ReplayModules,
  stale: () => boolean,
): Promise<OpenedReplay | FeedProblem | undefined> {
  const file = settings.replayFile;
  if (file === '') {
    return {
      code: 'START_FAILED',
      source: 'replay',
      message: 'No recording is chosen to replay. Run "KIS: Replay Recording…" to pick one.',
    };
  }
  const simulator = await modules.KisSimulator.start({ port: 0, synthetic: false });
  let replay: ReplayFeed;
  try {
    replay = await modules.ReplayFeed.start(simulator, { file, speed: settings.replaySpeed });
  } catch (error) {
    await simulator.close();
    const message = error instanceof Error ? error.message : String(error);
    return { code: 'START_FAILED', source: 'replay', message: `Cannot replay ${file}: ${message}` };
  }
  if (stale()) {
    await replay.close();
    await simulator.close();
    return undefined;
  }
  return {
    wsUrl: simulator.wsUrl,
    restUrl: simulator.restUrl,
    credentials: REPLAY_CREDENTIALS,
    simulator,
    replay,
    clock: replayClock(replay),
  };
}
