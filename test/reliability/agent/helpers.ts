/**
 * Shared helpers of the agent reliability tests: a collecting sink, condition waits with a timeout
 * (never a sleep used as synchronisation), and an agent factory wired to a simulator.
 */
import type { EventEmitter } from 'node:events';
import { AppkeyHolds, KisAgent, type AgentOptions, type RecordSink } from '../../../src/agent';
import type { DataFrame } from '../../../src/kis';
import type { KisSimulator } from '../../../src/simulator';
import { emitted, nextEvent as nextEventOf, poll, until } from '../../support/wait';

/** A sink that keeps every batch. */
export class CollectingSink implements RecordSink {
  readonly batches: DataFrame[][] = [];
  push(frames: readonly DataFrame[]): void {
    this.batches.push([...frames]);
  }
  get frames(): number {
    return this.batches.reduce((n, b) => n + b.length, 0);
  }
  get records(): number {
    return this.batches.reduce((n, b) => n + b.reduce((m, f) => m + f.count, 0), 0);
  }
}

/**
 * Resolves once `predicate()` is true, checking every 2 ms (`until`, test/support/wait.ts); rejects after
 * `timeoutMs` with `what` in the message. This waits on a condition; it does not measure time.
 */
export function waitFor(predicate: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
  return until(predicate, poll(2), what, timeoutMs).then(() => undefined);
}

/** The next `event` from `emitter` whose payload satisfies `filter`, or a rejection after `timeoutMs`. */
export function nextEvent<T>(
  emitter: EventEmitter,
  event: string,
  filter: (payload: T) => boolean = () => true,
  timeoutMs = 8000,
): Promise<T> {
  return nextEventOf(emitted<T>(emitter, event), `event ${event}`, filter, timeoutMs);
}

export const TEST_APPKEY = 'PSg5dctL9dKPo727J13Ur405OSXXXXXXXXXX';
export const TEST_APPSECRET =
  'yo2t8zS68zpdjGuWvFyM9VikjXE0i0CbgPEamnqPA00G0bIfrdfQb2RUD1xP7SqatQXr1cD1fGUNsb78MMXoq6o4lAYt9';

/** An agent on `sim` (in this process or another) with test-friendly defaults (fast backoff); `overrides` win. */
export function makeAgent(
  sim: Pick<KisSimulator, 'wsUrl' | 'restUrl'>,
  sink: RecordSink,
  overrides: Partial<AgentOptions> = {},
): KisAgent {
  return new KisAgent({
    wsUrl: sim.wsUrl,
    restUrl: sim.restUrl,
    appkey: TEST_APPKEY,
    appsecret: TEST_APPSECRET,
    sink,
    backoff: { baseMs: 10, capMs: 50 },
    // Its own OPSP8996 hold table: a hold set by one test must not delay the next one's agents.
    appkeyHolds: new AppkeyHolds(),
    ...overrides,
  });
}

/** Six-digit codes 000010, 000020, ... (well-formed KRX codes the simulator ticks for). */
export function codes(n: number, start = 1): string[] {
  return Array.from({ length: n }, (_, i) => String((start + i) * 10).padStart(6, '0'));
}
