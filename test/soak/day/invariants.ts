/**
 * The invariants checked while the day runs (on every simulator event and every tick), each violation
 * printed at once with its simulated and real time:
 * - `registrations<=41`: no session ever asks for a 42nd registration;
 * - `rest-rate`: no app key sends more than 20 REST requests within any second (KIS real's limit);
 * - `one-session-per-appkey`: a session that starts asking for data while another of its app key is open;
 * - `no-unhandled-rejection`: none in this process.
 * The checks that need the whole day (no loss, views, alerts, heap and handles, secrets) are in endChecks.ts.
 */
import type { KisSimulator } from '../../../src/simulator';
import { FEED_APPKEY, FEED_SYMBOLS, HUB_APPKEY, HUB_SYMBOLS } from './rig';
import { kstClock } from './options';

/** KIS's limits, stated here as the issue states them. */
export const MAX_REGISTRATIONS = 41;
export const REST_PER_SECOND = 20;

export interface Violation {
  invariant: string;
  /** KST time on the simulated day. */
  simTime: string;
  /** Real seconds since the day started. */
  realSeconds: number;
  detail: string;
}

export class Violations {
  readonly list: Violation[] = [];
  constructor(
    private readonly simNow: () => number,
    private readonly startedAt: number,
  ) {}

  add(invariant: string, detail: string): void {
    const v: Violation = {
      invariant,
      simTime: kstClock(this.simNow()),
      realSeconds: Math.round((performance.now() - this.startedAt) / 100) / 10,
      detail,
    };
    this.list.push(v);
    console.log(`VIOLATION ${v.invariant} at ${v.simTime} KST (+${v.realSeconds} s): ${v.detail}`);
  }
}

const SUBSCRIBED = new Set(['OPSP0000', 'OPSP0002']);

function ownerOf(trKey: string, sessionId: number): string {
  if (FEED_SYMBOLS.includes(trKey)) return FEED_APPKEY;
  if (HUB_SYMBOLS.includes(trKey)) return HUB_APPKEY;
  return `other-client-${sessionId}`;
}

/** Watches the simulator's sessions, registrations and REST counters. */
export class LiveInvariants {
  /** Live sessions → the app key they ask data for (known at their first request). */
  private readonly sessions = new Map<number, string | undefined>();
  private readonly registrations = new Map<number, Set<string>>();
  maxRegistrations = 0;
  maxSessionsPerAppkey = 0;
  maxRestPerSecond = 0;
  private restReported = 0;

  constructor(
    private readonly sim: KisSimulator,
    private readonly violations: Violations,
  ) {
    sim.on('connection', (e) => this.sessions.set(e.sessionId, undefined));
    sim.on('close', (e) => {
      this.sessions.delete(e.sessionId);
      this.registrations.delete(e.sessionId);
    });
    sim.on('request', (r) => {
      if (this.sessions.get(r.sessionId) === undefined) this.claim(r.sessionId, ownerOf(r.trKey, r.sessionId));
      let set = this.registrations.get(r.sessionId);
      if (set === undefined) this.registrations.set(r.sessionId, (set = new Set()));
      const key = `${r.trId}|${r.trKey}`;
      if (r.trType === '1') {
        set.add(key);
        this.maxRegistrations = Math.max(this.maxRegistrations, set.size);
        if (set.size > MAX_REGISTRATIONS)
          this.violations.add(
            'registrations<=41',
            `session ${r.sessionId} asked for registration ${set.size} (${key})`,
          );
      } else if (r.trType === '2') {
        set.delete(key);
      }
    });
    sim.on('ack', (e) => {
      if (e.request.trType === '1' && !SUBSCRIBED.has(e.msgCd))
        this.registrations.get(e.sessionId)?.delete(`${e.request.trId}|${e.request.trKey}`);
    });
  }

  private claim(sessionId: number, appkey: string): void {
    this.sessions.set(sessionId, appkey);
    const same = [...this.sessions].filter(([, key]) => key === appkey).map(([id]) => id);
    this.maxSessionsPerAppkey = Math.max(this.maxSessionsPerAppkey, same.length);
    if (same.length > 1)
      this.violations.add(
        'one-session-per-appkey',
        `sessions ${same.join(' and ')} of app key ${appkey.slice(0, 4)}… are open at once`,
      );
  }

  /** The checks that are not event-driven: the REST rate per app key over any one second. */
  tick(): void {
    const max = this.sim.restApi.maxPerSecond();
    this.maxRestPerSecond = Math.max(this.maxRestPerSecond, max);
    if (max > REST_PER_SECOND && max > this.restReported) {
      this.restReported = max;
      this.violations.add(
        'rest-rate',
        `${max} REST requests of one app key within one second (limit ${REST_PER_SECOND})`,
      );
    }
  }
}
