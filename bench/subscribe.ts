/**
 * How long the agent takes to register 41 symbols (the KIS session budget) when every ack takes 20 ms,
 * with one request on the wire at a time (maxInFlight 1, the default) and with a window of 8.
 *
 * Ideal figures: strictly serial, 41 × 20 ms = 820 ms; with a window of 8, ceil(41 / 8) × 20 ms = 120 ms.
 * The gap between measured and ideal is the agent + socket + simulator overhead per request (the agent
 * adds no sleep: the next request goes out from the ack handler).
 *
 * The simulator runs in a child process (bench/simProcess.ts), so its timers do not share our event loop.
 * Run: npm run bench -- subscribe   (or with --quick for one trial per mode)
 */
import { KisAgent } from '../src/agent';
import { machineInfo, quantile, round, type BenchOptions, type BenchResult } from './support/common';
import { startSim } from './support/simProcess';

const ACK_DELAY_MS = 20;
const SYMBOLS = 41;

/** Six-digit codes the simulator accepts. */
const CODES = Array.from({ length: SYMBOLS }, (_, i) => String((i + 1) * 10).padStart(6, '0'));

let trial = 0;

/** One trial: a fresh session (its own appkey, so no slot is shared), 41 subscribes, elapsed ms. */
async function subscribeAll(
  wsUrl: string,
  restUrl: string,
  maxInFlight: number,
): Promise<{ elapsedMs: number; rttP50Ms: number }> {
  trial += 1;
  const agent = new KisAgent({
    wsUrl,
    restUrl,
    appkey: `BENCH-APPKEY-${process.pid}-${trial}`,
    appsecret: 'BENCH-APPSECRET',
    sink: { push: () => undefined },
    maxInFlight,
  });
  try {
    await agent.connect();
    const started = performance.now();
    await Promise.all(CODES.map((code) => agent.subscribe('H0STCNT0', code)));
    const elapsed = performance.now() - started;
    const stats = agent.stats();
    if (stats.subscriptionsUsed !== SYMBOLS)
      throw new Error(`only ${stats.subscriptionsUsed} subscriptions registered`);
    return { elapsedMs: elapsed, rttP50Ms: stats.ackRttP50 ?? Number.NaN };
  } finally {
    await agent.dispose();
  }
}

/** Runs the benchmark (see the module comment). */
export async function run(options: BenchOptions): Promise<BenchResult> {
  const trials = options.quick ? 1 : 5;
  const sim = await startSim({ port: 0, ackDelayMs: ACK_DELAY_MS, ratePerSymbol: 1 });
  try {
    const serial: number[] = [];
    const windowed: number[] = [];
    const rtts: number[] = [];
    for (let i = 0; i < trials; i++) {
      const one = await subscribeAll(sim.wsUrl, sim.restUrl, 1);
      serial.push(one.elapsedMs);
      rtts.push(one.rttP50Ms);
      windowed.push((await subscribeAll(sim.wsUrl, sim.restUrl, 8)).elapsedMs);
    }
    const serialMs = quantile(serial, 0.5);
    const windowedMs = quantile(windowed, 0.5);
    const idealSerialMs = SYMBOLS * ACK_DELAY_MS;
    const idealWindowedMs = Math.ceil(SYMBOLS / 8) * ACK_DELAY_MS;
    return {
      name: 'subscribe',
      figures: {
        subscribe41InFlight1Ms: serialMs,
        subscribe41InFlight8Ms: windowedMs,
        overheadPerRequestInFlight1Ms: (serialMs - idealSerialMs) / SYMBOLS,
        // Request sent → ack received as the agent measured it; elapsed/41 minus this is the agent's own gap.
        ackRttP50InFlight1Ms: quantile(rtts, 0.5),
        worstInFlight1Ms: Math.max(...serial),
        worstInFlight8Ms: Math.max(...windowed),
      },
      baseline: { ideal41x20Ms: idealSerialMs, idealWindow8Ms: idealWindowedMs },
      ratio: {
        inFlight1VsIdeal: serialMs / idealSerialMs,
        inFlight8VsIdealWindow: windowedMs / idealWindowedMs,
        inFlight8VsInFlight1: windowedMs / serialMs,
      },
      notes: [
        `median of ${trials} trial(s) per mode; simulated ack delay ${ACK_DELAY_MS} ms; simulator ${sim.mode}`,
        `maxInFlight 1: ${round(serialMs)} ms vs ideal ${idealSerialMs} ms (${round((serialMs - idealSerialMs) / SYMBOLS)} ms overhead per request)`,
      ],
      machine: machineInfo(),
    };
  } finally {
    await sim.close();
  }
}
