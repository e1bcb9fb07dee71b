/** The day's JSON summary (the last line on stdout), built from plain figures so nothing of the day stays reachable. */
import * as os from 'node:os';
import type { EndFigures } from './endChecks';
import type { LiveInvariants, Violation } from './invariants';
import type { DayRig } from './rig';
import { FAULT_KINDS } from './schedule';

/** What the day measured, as plain data (taken before the teardown). */
export type DayFigures = Record<string, unknown>;

export interface FigureInput {
  injected: readonly string[];
  live: LiveInvariants | undefined;
  end: EndFigures | undefined;
  rig: DayRig;
  agent: { reconnects: number; parseErrors: number } | undefined;
  worker: { workerRestarts: number; handlerErrors: number } | undefined;
  hubLeaders: number;
}

export function dayFigures(i: FigureInput): DayFigures {
  const streams = i.end?.records.streams ?? [];
  const sum = (f: (s: (typeof streams)[number]) => number): number => streams.reduce((n, s) => n + f(s), 0);
  const isFault = (k: string): boolean => (FAULT_KINDS as readonly string[]).includes(k);
  return {
    faultKinds: [...i.injected].filter(isFault).sort(),
    dayEvents: [...i.injected].filter((k) => !isFault(k)).sort(),
    records: sum((s) => s.received),
    sent: sum((s) => s.sent),
    missing: sum((s) => s.missing),
    gaps: i.rig.gaps.length,
    streams: streams.length,
    unreadableFrames: i.end?.records.unreadable ?? 0,
    reconnects: i.agent?.reconnects ?? 0,
    parseErrors: i.agent?.parseErrors ?? 0,
    workerRestarts: i.worker?.workerRestarts ?? 0,
    handlerErrors: i.worker?.handlerErrors ?? 0,
    hubLeaders: i.hubLeaders,
    maxRegistrations: i.live?.maxRegistrations ?? 0,
    maxSessionsPerAppkey: i.live?.maxSessionsPerAppkey ?? 0,
    maxRestPerSecond: i.live?.maxRestPerSecond ?? 0,
    restRequests: i.rig.sim?.restApi.uapiRequests ?? 0,
    alerts: i.end?.alerts ?? [],
  };
}

export function summary(
  violations: readonly Violation[],
  figures: DayFigures,
  extra: Record<string, unknown>,
): Record<string, unknown> {
  return {
    violations: violations.length,
    violated: [...new Set(violations.map((v) => v.invariant))],
    ...figures,
    ...extra,
    loadAverage: os.loadavg().map((x) => Math.round(x * 10) / 10),
  };
}
