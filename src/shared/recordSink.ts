/**
 * The hand-off between the agent and whatever handles records: the worker host in the extension, a
 * printer in the CLI, a collector in tests. The agent does not know which.
 */
import type { DataFrame } from '../kis/types';

/**
 * Where the agent hands data frames: once per event-loop turn, one batch of every frame received in that
 * turn. Never awaited; an exception is counted (`handlerErrors`) and the next batch is handed over as usual.
 */
export interface RecordSink {
  push(frames: readonly DataFrame[]): void;
}
