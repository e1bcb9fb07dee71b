/** The day's JSON summary: the last line on stdout. */
import * as os from 'node:os';
import type { EndFigures } from './endChecks';
import type { LiveInvariants, Violation } from './invariants';
import type { DayRig } from './rig';
import { FAULT_KINDS } from './schedule';

export interface SummaryInput {
  minutes: number;
  seed: number;
  bug: string | undefined;
  realSeconds: number;
  faultKinds: string[];
  violations: Violation[];
  live: LiveInvariants;
  end: EndFigures | undefined;
  rig: DayRig;
  agent: { reconnects: number; parseErrors: number } | undefined;
  worker: { workerRestarts: number; handlerErrors: number } | undefined;
  hubLeaders: number;
  heapGrowthMB: number;
  handleGrowth: Record<string, number>;
}

export function summary(i: SummaryInput): Record<string, unknown> {
  const streams = i.end?.records.streams ?? [];
  const sum = (f: (s: (typeof streams)[number]) => number): number => streams.reduce((n, s) => n + f(s), 0);
  return {
    violations: i.violations.length,
    violated: [...new Set(i.violations.map((v) => v.invariant))],
    faultKinds: i.faultKinds.filter((k) => (FAULT_KINDS as readonly string[]).includes(k)),
    dayEvents: i.faultKinds.filter((k) => !(FAULT_KINDS as readonly string[]).includes(k)),
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
    maxRegistrations: i.live.maxRegistrations,
    maxSessionsPerAppkey: i.live.maxSessionsPerAppkey,
    maxRestPerSecond: i.live.maxRestPerSecond,
    restRequests: i.rig.sim.restApi.uapiRequests,
    alerts: i.end?.alerts ?? [],
    heapGrowthMB: Math.round(i.heapGrowthMB * 10) / 10,
    handleGrowth: i.handleGrowth,
    minutes: i.minutes,
    seed: i.seed,
    bug: i.bug ?? null,
    realSeconds: i.realSeconds,
    loadAverage: os.loadavg().map((x) => Math.round(x * 10) / 10),
  };
}
