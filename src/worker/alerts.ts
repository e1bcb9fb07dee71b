/**
 * The alert engine. A threshold rule fires once when its condition becomes true (a crossing), then stays
 * quiet until the value crosses back, which re-arms it. A rule that is already true when first evaluated
 * fires at once: the user asked to hear about that state. VI rules fire on the transition of the
 * market-status flag (triggered: off → on; released: on → off).
 *
 * Never from an auction's expected price (the caller evaluates trades and status records only, never
 * H0STANC0-family records), never on a price of 0 (no trade yet is not a fall to zero, leek-fund PR #137),
 * and, with the session gate on, never outside a phase in which trades stream (src/market/sessionClock.ts):
 * a crossing outside trading phases is not evaluated at all, so it neither fires nor re-arms.
 */
import type { AlertEvent, AlertRule } from '../shared/snapshot';
import { ALERT_KINDS, checkAlertRule, isEventKind } from '../market/alertRules';
import { venuePhaseAt } from '../market/sessionClock';

interface RuleState {
  rule: AlertRule;
  armed: boolean;
}

/** What one evaluation looks at. `vi` is absent until a market-status record was seen. */
export interface AlertInput {
  price: number;
  rate: number;
  /** PRDY_VOL_VRSS_ACML_VOL_RATE: today's cumulative volume as % of yesterday's at the same time (0 = unknown). */
  volumeRatio: number;
  vi: boolean | undefined;
  /** Exchange time HHMMSS (KST) of the record. */
  time: string;
  /** Epoch ms of the record (from its business date and time, or the receipt clock): what the gate reads. */
  at: number;
}

/** True when some venue is in a phase in which trades stream at `at` (KST). */
export function tradingPhaseAt(at: number): boolean {
  return venuePhaseAt('KRX', at).streams.includes('trade') || venuePhaseAt('NXT', at).streams.includes('trade');
}

/** Epoch ms of a KST business date (YYYYMMDD) and time (HHMMSS); NaN when either is malformed. */
export function kstEpoch(date: string, time: string): number {
  if (!/^\d{8}$/.test(date) || !/^\d{6}$/.test(time)) return NaN;
  const n = (s: string, a: number, b: number): number => Number(s.slice(a, b));
  return Date.UTC(n(date, 0, 4), n(date, 4, 6) - 1, n(date, 6, 8), n(time, 0, 2) - 9, n(time, 2, 4), n(time, 4, 6));
}

/** True for a well-formed rule (the extension passes user input through, so check it here too). */
export function isAlertRule(value: unknown): value is AlertRule {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    typeof r.id === 'string' &&
    typeof r.symbol === 'string' &&
    typeof r.kind === 'string' &&
    (ALERT_KINDS as readonly string[]).includes(r.kind) &&
    typeof r.threshold === 'number' &&
    Number.isFinite(r.threshold)
  );
}

/** The condition of a threshold rule; undefined when the input cannot say (no price, no ratio, no VI yet). */
function isTrue(rule: AlertRule, input: AlertInput, viBefore: boolean | undefined): boolean | undefined {
  switch (rule.kind) {
    case 'priceAbove':
      return input.price > 0 ? input.price >= rule.threshold : undefined;
    case 'priceBelow':
      return input.price > 0 ? input.price <= rule.threshold : undefined;
    case 'rateAbove':
      return input.price > 0 ? input.rate >= rule.threshold : undefined;
    case 'rateBelow':
      return input.price > 0 ? input.rate <= rule.threshold : undefined;
    case 'volumeRatioAbove':
      return input.volumeRatio > 0 ? input.volumeRatio >= rule.threshold : undefined;
    case 'viTriggered':
      return input.vi === undefined ? undefined : input.vi && viBefore !== true;
    case 'viReleased':
      return input.vi === undefined ? undefined : !input.vi && viBefore === true;
  }
}

/** The alert rules of one worker, indexed by symbol, with each rule's armed state. */
export class AlertEngine {
  private bySymbol = new Map<string, RuleState[]>();
  private readonly lastVi = new Map<string, boolean>();
  private armChanged = false;
  private gate = false;
  private gateCache = { minute: NaN, open: false };

  /**
   * Turns the session gate on or off. Off for the demo simulator, which streams at any hour (its market
   * is always open); on for KIS, where nothing outside a trading phase may fire.
   */
  setGate(on: boolean): void {
    this.gate = on;
  }

  /**
   * Replaces the rules. A rule whose id, symbol, kind and threshold are unchanged keeps its armed state;
   * new or changed rules start armed. Malformed rules and rules that can never fire are skipped and
   * counted in the return value.
   */
  setRules(rules: readonly unknown[], disarmed: readonly string[] = []): number {
    const previous = new Map<string, RuleState>();
    for (const list of this.bySymbol.values()) for (const s of list) previous.set(s.rule.id, s);
    const disarmedSet = new Set(disarmed);
    const next = new Map<string, RuleState[]>();
    let invalid = 0;
    for (const candidate of rules) {
      if (!isAlertRule(candidate) || !checkAlertRule(candidate.symbol, candidate.kind, candidate.threshold).ok) {
        invalid++;
        continue;
      }
      const rule: AlertRule = { id: candidate.id, symbol: candidate.symbol, kind: candidate.kind, threshold: candidate.threshold };
      const old = previous.get(rule.id);
      const same = old !== undefined && old.rule.symbol === rule.symbol && old.rule.kind === rule.kind && old.rule.threshold === rule.threshold;
      const armed = same ? old.armed : !disarmedSet.has(rule.id);
      let list = next.get(rule.symbol);
      if (list === undefined) next.set(rule.symbol, (list = []));
      list.push({ rule, armed });
    }
    this.bySymbol = next;
    this.armChanged = true;
    return invalid;
  }

  /** True when `symbol` has any rule (lets the caller skip the evaluation on the hot path). */
  watches(symbol: string): boolean {
    return this.bySymbol.has(symbol);
  }

  /** Evaluates price and rate rules without a gate or a volume ratio (kept for callers with only a price). */
  evaluate(symbol: string, price: number, rate: number, time: string, out: AlertEvent[]): void {
    const gate = this.gate;
    this.gate = false;
    this.evaluateInput(symbol, { price, rate, volumeRatio: 0, vi: undefined, time, at: 0 }, out);
    this.gate = gate;
  }

  /** Evaluates the symbol's rules against a trade or status record; fired events are appended to `out`. */
  evaluateInput(symbol: string, input: AlertInput, out: AlertEvent[]): void {
    const list = this.bySymbol.get(symbol);
    const viBefore = this.lastVi.get(symbol);
    if (input.vi !== undefined) this.lastVi.set(symbol, input.vi);
    if (list === undefined || (this.gate && !this.open(input.at))) return;
    for (const state of list) {
      const condition = isTrue(state.rule, input, viBefore);
      if (condition === undefined) continue;
      if (condition && (state.armed || isEventKind(state.rule.kind))) {
        state.armed = isEventKind(state.rule.kind);
        this.armChanged ||= !state.armed;
        const { id, kind, threshold } = state.rule;
        const fired: AlertEvent = { ruleId: id, symbol, kind, threshold, price: input.price, rate: input.rate, time: input.time };
        if (kind === 'volumeRatioAbove') fired.volumeRatio = input.volumeRatio;
        out.push(fired);
      } else if (!condition && !state.armed) {
        state.armed = true;
        this.armChanged = true;
      }
    }
  }

  /** The gate's answer for `at`, cached per minute (phases change on whole minutes). */
  private open(at: number): boolean {
    if (!Number.isFinite(at)) return false;
    const minute = Math.floor(at / 60_000);
    if (minute !== this.gateCache.minute) this.gateCache = { minute, open: tradingPhaseAt(at) };
    return this.gateCache.open;
  }

  /** Ids of the rules that fired and have not re-armed. */
  disarmed(): string[] {
    const ids: string[] = [];
    for (const list of this.bySymbol.values()) for (const s of list) if (!s.armed) ids.push(s.rule.id);
    return ids;
  }

  /** True once since the armed set last changed (the snapshot then carries `disarmed()`). */
  takeArmChanged(): boolean {
    const changed = this.armChanged;
    this.armChanged = false;
    return changed;
  }
}
