/**
 * `kis-monitor sim`: runs the simulator in the foreground until Ctrl+C (or `io.signal`).
 *
 *   kis-monitor sim --port 21000 --symbols 005930,000660 --rate 50 [--appkey K --secret S] [--seed N]
 *                   [--ping-interval S] [--max-per-frame N] [--strict-pingpong] [--market-hours]
 */
import { isKrxCode } from '../market';
import {
  KisSimulator,
  parseClockInstant,
  SIM_ACCOUNT,
  SIM_HTS_ID,
  simulatedClock,
  type SimRate,
  type SimulatorOptions,
} from '../simulator';
import { command, EXIT, integerIn, parseCommandArgs, UsageError, type ParsedArgs } from './args';
import type { CliIo } from './io';
import { waitForStop } from './stop';

/** The usage text. */
export const SIM_USAGE = `Usage: kis-monitor sim [options]

Runs a local KIS-compatible server (REST approval + real-time WebSocket) on 127.0.0.1.

Options:
  --port N             TCP port (default 21000; 0 picks a free one)
  --symbols A,B,...    6-character KRX codes known in advance (others can still be subscribed)
  --rate R             records per second per subscribed stream, or "max" (default 5)
  --appkey K           accept only this appkey (requires --secret)
  --secret S           the secretkey that goes with --appkey
  --seed N             random-walk seed (default 1)
  --ping-interval S    seconds between PINGPONGs (default 110)
  --max-per-frame N    most records packed into one frame (default 10)
  --strict-pingpong    close connections that do not echo PINGPONG within 10 s
  --market-hours       send data only during KRX hours (09:00-15:30 KST, weekdays)
  --clock ISO          start the simulated day at this instant (e.g. 2026-12-07T17:30:00+09:00); each
                       feed then streams only in its phases (KRX/NXT session clock)
  --speed N            with --clock: simulated seconds per real second (default 1)
  --hts-id ID          the paper account's HTS ID: its fills go to H0STCNI9 registrations with this tr_key
                       (default simuser1; place orders with kis-monitor sim-order)
  -h, --help           this text
  --version            the version

Exit: 0 after Ctrl+C, 1 when the server cannot start (e.g. the port is in use), 2 for bad input.
`;

const OPTIONS = {
  port: { type: 'string' },
  symbols: { type: 'string' },
  rate: { type: 'string' },
  appkey: { type: 'string' },
  secret: { type: 'string' },
  seed: { type: 'string' },
  'ping-interval': { type: 'string' },
  'max-per-frame': { type: 'string' },
  'strict-pingpong': { type: 'boolean' },
  'market-hours': { type: 'boolean' },
  clock: { type: 'string' },
  speed: { type: 'string' },
  'hts-id': { type: 'string' },
} as const;

/** The simulator options the flags ask for. @throws UsageError with a user-facing message. */
function simOptionsOf({ values: v }: ParsedArgs<typeof OPTIONS>): SimulatorOptions {
  const options: SimulatorOptions = { port: v.port === undefined ? 21000 : integerIn('--port', v.port, 0, 65535) };
  if (v.symbols !== undefined) {
    const symbols = v.symbols
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    const bad = symbols.filter((s) => !isKrxCode(s));
    if (symbols.length === 0 || bad.length > 0) {
      throw new UsageError(
        `--symbols takes comma-separated 6-character KRX codes such as 005930,000660; bad: "${bad.join(',') || v.symbols}"`,
      );
    }
    options.symbols = symbols;
  }
  if (v.rate !== undefined) {
    let rate: SimRate;
    if (v.rate === 'max') rate = 'max';
    else {
      rate = Number(v.rate);
      if (!Number.isFinite(rate) || rate <= 0)
        throw new UsageError(`--rate must be a positive number of records per second or "max", got "${v.rate}"`);
    }
    options.ratePerSymbol = rate;
  }
  if ((v.appkey === undefined) !== (v.secret === undefined)) throw new UsageError('--appkey and --secret go together');
  if (v.appkey !== undefined && v.secret !== undefined) {
    if (v.appkey === '' || v.secret === '') throw new UsageError('--appkey and --secret must not be empty');
    options.credentials = { appkey: v.appkey, secretkey: v.secret };
  }
  if (v.seed !== undefined) options.seed = integerIn('--seed', v.seed, 0, 2 ** 32 - 1);
  if (v['ping-interval'] !== undefined) {
    const seconds = Number(v['ping-interval']);
    if (!Number.isFinite(seconds) || seconds <= 0)
      throw new UsageError(`--ping-interval must be a positive number of seconds, got "${v['ping-interval']}"`);
    options.pingIntervalMs = Math.round(seconds * 1000);
  }
  if (v['max-per-frame'] !== undefined)
    options.maxRecordsPerFrame = integerIn('--max-per-frame', v['max-per-frame'], 1, 999);
  if (v['strict-pingpong'] === true) options.strictPingPong = true;
  if (v['market-hours'] === true) options.marketHours = true;
  if (v['hts-id'] !== undefined) {
    if (!/^[A-Za-z0-9._-]{1,32}$/.test(v['hts-id']))
      throw new UsageError('--hts-id takes 1 to 32 letters, digits, ".", "_" or "-"');
    options.htsId = v['hts-id'];
  }
  if (v.speed !== undefined && v.clock === undefined) throw new UsageError('--speed goes with --clock');
  if (v.clock !== undefined) {
    const start = parseClockInstant(v.clock);
    if (start === undefined)
      throw new UsageError(
        `--clock must be an ISO instant with an offset, e.g. 2026-12-07T17:30:00+09:00, got "${v.clock}"`,
      );
    const speed = v.speed === undefined ? 1 : Number(v.speed);
    if (!Number.isFinite(speed) || speed <= 0 || speed > 10_000)
      throw new UsageError(`--speed must be a number above 0 and at most 10000, got "${v.speed}"`);
    options.now = simulatedClock(start, speed);
    options.calendar = true;
  }
  return options;
}

/** Parses `sim`'s flags into simulator options (tests). @throws UsageError */
export function parseSimArgs(argv: readonly string[]): SimulatorOptions {
  return simOptionsOf(parseCommandArgs(argv, OPTIONS, false));
}

/** Runs the server until a stop; 1 when it cannot start. */
async function runSim(options: SimulatorOptions, io: CliIo): Promise<number> {
  let sim: KisSimulator;
  try {
    sim = await KisSimulator.start(options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'EADDRINUSE'
        ? `port ${options.port} is already in use (try --port 0)`
        : error instanceof Error
          ? error.message
          : String(error);
    io.stderr.write(`kis-monitor sim: cannot start the simulator: ${why}\n`);
    return EXIT.failure;
  }
  const stop = waitForStop(io.signal);
  try {
    const rate = options.ratePerSymbol ?? 5;
    io.stdout.write(
      [
        'KIS simulator listening on 127.0.0.1',
        `  REST  ${sim.restUrl}  (POST /oauth2/Approval)`,
        `  WS    ${sim.wsUrl}  (also /tryitout and /tryitout/<TR_ID>)`,
        `  symbols ${options.symbols?.join(', ') ?? 'any'}; ${rate === 'max' ? 'max rate' : `${rate} records/s per stream`}; seed ${options.seed ?? 1}; ` +
          `PINGPONG every ${(options.pingIntervalMs ?? 110_000) / 1000} s; credentials ${options.credentials === undefined ? 'any non-empty pair' : 'the given pair only'}`,
        `  paper account ${SIM_ACCOUNT}, HTS ID ${options.htsId ?? SIM_HTS_ID}: kis-monitor sim-order places orders, ` +
          `kis-monitor watch --tr H0STCNI9 ${options.htsId ?? SIM_HTS_ID} --url ${sim.wsUrl} prints its fills`,
        'Press Ctrl+C to stop.',
        '',
      ].join('\n'),
    );
    io.onListening?.(sim);
    const why = await stop.done;
    io.stdout.write(`kis-monitor sim: stopping (${why})\n`);
  } finally {
    stop.dispose();
    await sim.close();
  }
  io.stdout.write('kis-monitor sim: stopped\n');
  return EXIT.ok;
}

export const simCommand = command({
  name: 'sim',
  usage: SIM_USAGE,
  options: OPTIONS,
  positionals: false,
  run: (args, io) => runSim(simOptionsOf(args), io),
});
