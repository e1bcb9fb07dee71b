/**
 * `kis-monitor replay FILE [options]`: serves a recording through a simulator (REST approval + WebSocket
 * on 127.0.0.1) until Ctrl+C or a closed stdout, printing one `{"type":"replay",…}` line per second;
 * point `kis-monitor watch --url` or the extension's `advanced.wsUrl` at it.
 */
import * as path from 'node:path';
import { RecordingError } from '../recorder';
import { checkSpeed, fromInstant, KisSimulator, ReplayFeed, type ReplayProgress } from '../simulator';
import { command, EXIT, integerIn, UsageError } from './args';
import type { CliIo } from './io';
import { recordingErrorExit } from './record';
import { waitForStop } from './stop';

export const REPLAY_USAGE = `Usage: kis-monitor replay FILE [options]
Serves a recording through the simulator on 127.0.0.1 (connect with kis-monitor watch --url).

  --speed 1|10|max                replay speed (default 1: as recorded)
  --from HH:MM                    start at this KST time of the recording's day
  --port N                        port on 127.0.0.1 (default 21000; 0 picks one)
  -h, --help                      this text
  --version                       the version

  Output: {"type":"replay",...} per second on stdout; logs on stderr.
  Exit: 0 after Ctrl+C or a closed stdout, 1 when the file cannot be read, 2 for bad input (a file that is no recording).
`;

/** The line printed when a replay ends: finished, finished at a cut, or stopped at damage. */
export function describeReplayEnd(p: ReplayProgress): string {
  if (p.state === 'failed') return `stopped: ${p.error?.message ?? 'the recording could not be read'}`;
  return p.truncated ? 'finished (the recording was cut short; played up to the cut)' : 'finished';
}

interface ReplayPlan {
  file: string;
  speed: number | 'max';
  from?: string;
  port: number;
}

async function runReplay(plan: ReplayPlan, io: CliIo): Promise<number> {
  const sim = await KisSimulator.start({ port: plan.port, synthetic: false });
  const stop = waitForStop(io.signal);
  let feed: ReplayFeed | undefined;
  let ticker: NodeJS.Timeout | undefined;
  try {
    feed = await ReplayFeed.start(sim, { file: plan.file, speed: plan.speed, from: plan.from });
    const current = feed;
    io.stderr.write(
      `kis-monitor replay: ${plan.file} at ${plan.speed === 'max' ? 'max speed' : `${plan.speed}×`} on ${sim.wsUrl} (REST ${sim.restUrl}); ` +
        `connect with: kis-monitor watch --url ${sim.wsUrl} CODE…\n`,
    );
    const status = (): void => void io.stdout.write(`${JSON.stringify({ type: 'replay', ...current.progress() })}\n`);
    ticker = setInterval(status, io.statsIntervalMs ?? 1000);
    current.on('end', (p) =>
      io.stderr.write(`kis-monitor replay: ${describeReplayEnd(p)}; still serving until Ctrl+C\n`),
    );
    io.onReplayListening?.(sim, current);
    await stop.done;
    status();
    return EXIT.ok;
  } finally {
    if (ticker) clearInterval(ticker);
    stop.dispose();
    await feed?.close();
    await sim.close();
  }
}

export const replayCommand = command({
  name: 'replay',
  usage: REPLAY_USAGE,
  options: { speed: { type: 'string' }, from: { type: 'string' }, port: { type: 'string' } },
  positionals: true,
  async run({ values: v, positionals }, io) {
    try {
      if (positionals.length !== 1) throw new UsageError('give exactly one recording FILE');
      const file = path.resolve(io.cwd ?? process.cwd(), positionals[0]);
      const speed = checkSpeed(v.speed === undefined ? 1 : v.speed === 'max' ? 'max' : Number(v.speed));
      if (v.from !== undefined) fromInstant(0, v.from);
      const port = v.port === undefined ? 21000 : integerIn('--port', v.port, 0, 65535);
      return await runReplay({ file, speed, from: v.from, port }, io);
    } catch (error) {
      if (error instanceof RecordingError) return recordingErrorExit(io, 'replay', error);
      throw error;
    }
  },
});
