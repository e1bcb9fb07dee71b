/**
 * An instant written as ISO 8601 with an explicit offset or Z (e.g. 2026-12-07T17:30:00+09:00): the form
 * the simulator's `--clock` and `kisMarket.simulator.clock` take. The offset is required so the day it
 * names does not depend on the machine's zone.
 */

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Epoch ms of an ISO instant with an offset; undefined when `text` is not one. */
export function parseIsoInstant(text: string): number | undefined {
  if (!ISO_INSTANT.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}
