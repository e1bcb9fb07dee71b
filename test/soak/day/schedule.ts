/**
 * The seeded fault schedule: every fault kind the issue lists, each at a seeded simulated time spread
 * over the day (so the same seed gives the same day), printed before the day starts.
 */
import { kstAt } from './options';

export const FAULT_KINDS = [
  'server-close',
  'silent-stall',
  'opsp8996-on-reconnect',
  'rest-5xx',
  'rest-timeout',
  'egw00201',
  'token-expiry',
  'leader-kill-9',
  'worker-crash',
  'throwing-handler',
  'slow-handler',
  'malformed-frame',
  'unknown-width-frame',
  'follower-stops-reading',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Day events that are not faults: the market doing what a market does. */
export const DAY_EVENTS = ['vi', 'halt', 'halt-end'] as const;
export type DayEventKind = (typeof DAY_EVENTS)[number];

export interface ScheduledItem {
  /** Simulated epoch ms. */
  at: number;
  kind: FaultKind | DayEventKind;
}

/** mulberry32: a small seeded generator (the schedule only needs to be reproducible). */
function random(seed: number): () => number {
  let a = seed >>> 0 || 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One slot per fault between 08:10 and 19:30, in a seeded order, each jittered inside its slot (slots
 * keep two faults from landing on top of each other, so each one's effect is seen on its own). The VI
 * and the halt fall in the regular session, when both venues trade.
 */
export function buildSchedule(seed: number): ScheduledItem[] {
  const rnd = random(seed);
  const kinds: FaultKind[] = [...FAULT_KINDS];
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j], kinds[i]];
  }
  const from = kstAt('08:10');
  const slot = (kstAt('19:30') - from) / kinds.length;
  const items: ScheduledItem[] = kinds.map((kind, i) => ({
    at: Math.round(from + slot * (i + 0.15 + rnd() * 0.5)),
    kind,
  }));
  const vi = kstAt('10:00') + Math.round(rnd() * 60) * 60_000;
  const halt = kstAt('13:00') + Math.round(rnd() * 60) * 60_000;
  items.push({ at: vi, kind: 'vi' }, { at: halt, kind: 'halt' }, { at: halt + 20 * 60_000, kind: 'halt-end' });
  return items.sort((a, b) => a.at - b.at);
}
