/**
 * The IPC messages between the soak test and its simulator process (test/soak/sim-child.ts), and the
 * checks applied where they arrive. The bench's child (bench/sim-child.ts) has no fault controls; the soak
 * needs `dropAll()` and `closeAll()`, so it has its own small child with its own typed protocol.
 */

/** The simulator options the soak passes to the child (a subset of `SimulatorOptions`, all numbers). */
export interface SoakSimOptions {
  /** Records per second of each (tr_id, symbol) stream. */
  ratePerSymbol: number;
  /** PINGPONG period of each session (ms). */
  pingIntervalMs: number;
  /** Records kept per stream for `sentRecords()`; 0 so the child's memory stays flat (counts stay exact). */
  sendLogLimit: number;
}

/** A command from the soak test to the simulator process. Each gets exactly one reply with its `id`. */
export type SoakSimCommand =
  | { type: 'dropAll'; id: number }
  | { type: 'closeAll'; id: number }
  | { type: 'stats'; id: number }
  | { type: 'close'; id: number };

/** What the simulator process reports about itself. */
export interface SoakSimStats {
  connections: number;
  /** Registrations acknowledged on the live sessions. */
  registrations: number;
  totalRecordsSent: number;
  /** The simulator process's RSS (bytes); reported, not asserted: it is not the code under test. */
  rssBytes: number;
}

/** A reply of the simulator process. */
export type SoakSimReply =
  | { type: 'started'; id: 0; wsUrl: string; restUrl: string }
  | { type: 'done'; id: number }
  | ({ type: 'stats'; id: number } & SoakSimStats)
  | { type: 'error'; id: number; message: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** The command in `raw`, or undefined when it is not one (the IPC channel is a trust boundary too). */
export function parseSoakSimCommand(raw: unknown): SoakSimCommand | undefined {
  if (!isRecord(raw) || !isCount(raw.id)) return undefined;
  switch (raw.type) {
    case 'dropAll':
    case 'closeAll':
    case 'stats':
    case 'close':
      return { type: raw.type, id: raw.id };
    default:
      return undefined;
  }
}

/** The reply in `raw`, or undefined when it is not one. */
export function parseSoakSimReply(raw: unknown): SoakSimReply | undefined {
  if (!isRecord(raw) || !isCount(raw.id)) return undefined;
  switch (raw.type) {
    case 'started':
      return raw.id === 0 && typeof raw.wsUrl === 'string' && typeof raw.restUrl === 'string'
        ? { type: 'started', id: 0, wsUrl: raw.wsUrl, restUrl: raw.restUrl }
        : undefined;
    case 'done':
      return { type: 'done', id: raw.id };
    case 'stats':
      return isCount(raw.connections) && isCount(raw.registrations) && isCount(raw.totalRecordsSent) && isCount(raw.rssBytes)
        ? { type: 'stats', id: raw.id, connections: raw.connections, registrations: raw.registrations, totalRecordsSent: raw.totalRecordsSent, rssBytes: raw.rssBytes }
        : undefined;
    case 'error':
      return typeof raw.message === 'string' ? { type: 'error', id: raw.id, message: raw.message } : undefined;
    default:
      return undefined;
  }
}

/** The options in the child's argv[2] (JSON), or an Error saying what is wrong. */
export function parseSoakSimOptions(json: string | undefined): SoakSimOptions | Error {
  let raw: unknown;
  try {
    raw = JSON.parse(json ?? '');
  } catch {
    return new Error('the simulator options (argv[2]) are not JSON');
  }
  if (!isRecord(raw)) return new Error('the simulator options must be an object');
  const { ratePerSymbol, pingIntervalMs, sendLogLimit } = raw;
  if (typeof ratePerSymbol !== 'number' || !(ratePerSymbol > 0)) return new Error('ratePerSymbol must be a positive number');
  if (typeof pingIntervalMs !== 'number' || !(pingIntervalMs > 0)) return new Error('pingIntervalMs must be a positive number');
  if (!isCount(sendLogLimit)) return new Error('sendLogLimit must be a non-negative integer');
  return { ratePerSymbol, pingIntervalMs, sendLogLimit };
}
