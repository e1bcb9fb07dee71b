/**
 * The alert engine. A threshold rule fires when its condition becomes true (a crossing), then stays quiet
 * until the value has gone back past the threshold by the re-arm band (`rearmPercent`: 0.5 % of a price,
 * 0.5 points of a change; src/market/alertRules.ts `rearmLevel`), which re-arms it. A price flickering
 * around the threshold is therefore one crossing, not one per tick. On top of that, one rule fires at most
 * once per cooldown (`cooldownMs`, default 5 minutes): a rule that is armed and true while its cooldown
 * runs stays armed and fires at the first evaluation after the cooldown if its condition still holds (so
 * what the user asked to hear about is late, never lost). A once-only rule fires once and never re-arms;
 * the extension then turns it off (`disabled`), and a disabled rule is not evaluated at all.
 *
 * A rule that is already true when first evaluated fires at once: the user asked to hear about that state.
 * VI rules fire on the transition of the market-status flag (triggered: off → on; released: on → off),
 * within the same cooldown.
 *
 * Never from an auction's expected price (the caller evaluates trades and status records only, never
 * H0STANC0-family records), never on a price of 0 (no trade yet is not a fall to zero, leek-fund PR #137),
 * and, with the session gate on, never outside a phase in which trades stream (src/market/sessionClock.ts):
 * a crossing outside trading phases is not evaluated at all, so it neither fires nor re-arms.
 *
 * What a fired rule remembers (armed, when it fired) is exported as `AlertRuleState` and given back to
 * `setRules`, so a restarted worker continues where the dead one stopped instead of firing again.
 */
import type { AlertEvent, AlertRule, AlertRuleState } from '../shared/snapshot';
import {
  ALERT_KINDS,
  ALERT_QUIET_DEFAULTS,
  checkAlertRule,
  isEventKind,
  isPastRearmLevel,
  rearmLevel,
  type AlertQuietOptions,
} from '../market/alertRules';
import { venuePhaseAt } from '../market/sessionClock';
import { kstInstant } from '../market/time';
import { isAlertRuleState } from '../shared/workerProtocol';

interface RuleState {
  rule: AlertRule;
  armed: boolean;
  /** Epoch ms (the engine's clock) of the last firing; undefined until the rule fired. */
  firedAt: number | undefined;
  /** `rearmLevel` of the rule under the current options. */
  level: number;
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

/** Epoch ms of a KST business date (YYYYMMDD) and time (HHMMSS); NaN (the gate stays shut) when either is malformed. */
export function kstEpoch(date: string, time: string): number {
  return kstInstant(date, time) ?? NaN;
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
    Number.isFinite(r.threshold) &&
    (r.once === undefined || typeof r.once === 'boolean') &&
    (r.disabled === undefined || typeof r.disabled === 'boolean')
  );
}

/** The value a threshold rule compares (and that must go back past the re-arm level). */
function valueOf(rule: AlertRule, input: AlertInput): number {
  switch (rule.kind) {
    case 'rateAbove':
    case 'rateBelow':
      return input.rate;
    case 'volumeRatioAbove':
      return input.volumeRatio;
    default:
      return input.price;
  }
}

/** Two rules that fire alike (a change of any of these starts the rule afresh, armed). */
function sameDefinition(a: AlertRule, b: AlertRule): boolean {
  return (
    a.symbol === b.symbol && a.kind === b.kind && a.threshold === b.threshold && (a.once === true) === (b.once === true)
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

/** The alert rules of one worker, indexed by symbol, with each rule's armed state and last firing. */
export class AlertEngine {
  private bySymbol = new Map<string, RuleState[]>();
  private readonly lastVi = new Map<string, boolean>();
  private statesChanged = false;
  private gate = false;
  private gateCache = { minute: NaN, open: false };
  private options: AlertQuietOptions = { ...ALERT_QUIET_DEFAULTS };

  /** @param now the clock of the cooldown (epoch ms; the worker's timers, a fake one in tests) */
  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Turns the session gate on or off. Off for the demo simulator, which streams at any hour (its market
   * is always open); on for KIS, where nothing outside a trading phase may fire.
   */
  setGate(on: boolean): void {
    this.gate = on;
  }

  /** Sets the re-arm band and the cooldown (applies at once to every rule; what rules remember is kept). */
  setOptions(options: AlertQuietOptions): void {
    this.options = { rearmPercent: Math.max(0, options.rearmPercent), cooldownMs: Math.max(0, options.cooldownMs) };
    for (const list of this.bySymbol.values())
      for (const s of list) s.level = rearmLevel(s.rule.kind, s.rule.threshold, this.options.rearmPercent);
  }

  /**
   * Replaces the rules. A rule whose id and definition are unchanged keeps what it remembers; a new rule
   * takes its state from `restored` (a restarted worker), else starts armed; a changed rule starts armed.
   * Disabled rules are left out. Malformed rules and rules that can never fire are skipped and counted in
   * the return value.
   */
  setRules(rules: readonly unknown[], restored: readonly unknown[] = []): number {
    const previous = new Map<string, RuleState>();
    for (const list of this.bySymbol.values()) for (const s of list) previous.set(s.rule.id, s);
    const restoredById = new Map<string, AlertRuleState>();
    for (const r of restored) if (isAlertRuleState(r)) restoredById.set(r.id, r);
    const next = new Map<string, RuleState[]>();
    let invalid = 0;
    for (const candidate of rules) {
      if (!isAlertRule(candidate) || !checkAlertRule(candidate.symbol, candidate.kind, candidate.threshold).ok) {
        invalid++;
        continue;
      }
      if (candidate.disabled === true) continue;
      const { id, symbol, kind, threshold } = candidate;
      const rule: AlertRule = { id, symbol, kind, threshold, ...(candidate.once === true ? { once: true } : {}) };
      const old = previous.get(id);
      const kept =
        old !== undefined && sameDefinition(old.rule, rule)
          ? old
          : old === undefined
            ? restoredById.get(id)
            : undefined;
      let list = next.get(symbol);
      if (list === undefined) next.set(symbol, (list = []));
      list.push({
        rule,
        armed: kept?.armed ?? true,
        firedAt: kept?.firedAt,
        level: rearmLevel(kind, threshold, this.options.rearmPercent),
      });
    }
    this.bySymbol = next;
    this.statesChanged = true;
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
      const { id, kind, threshold, once } = state.rule;
      if (!state.armed) {
        // A once-only rule never re-arms; an event rule re-arms with its next transition, not a level.
        if (once !== true && !isEventKind(kind) && isPastRearmLevel(kind, valueOf(state.rule, input), state.level)) {
          state.armed = true;
          this.statesChanged = true;
        }
        continue;
      }
      if (!condition) continue;
      const now = this.now();
      if (state.firedAt !== undefined && now - state.firedAt < this.options.cooldownMs) continue;
      state.firedAt = now;
      state.armed = isEventKind(kind) && once !== true;
      this.statesChanged = true;
      const fired: AlertEvent = {
        ruleId: id,
        symbol,
        kind,
        threshold,
        price: input.price,
        rate: input.rate,
        time: input.time,
      };
      if (kind === 'volumeRatioAbove') fired.volumeRatio = input.volumeRatio;
      if (once === true) fired.once = true;
      out.push(fired);
    }
  }

  /** The gate's answer for `at`, cached per minute (phases change on whole minutes). */
  private open(at: number): boolean {
    if (!Number.isFinite(at)) return false;
    const minute = Math.floor(at / 60_000);
    if (minute !== this.gateCache.minute) this.gateCache = { minute, open: tradingPhaseAt(at) };
    return this.gateCache.open;
  }

  /** What every rule that has fired remembers (rules that never fired have nothing to remember). */
  states(): AlertRuleState[] {
    const out: AlertRuleState[] = [];
    for (const list of this.bySymbol.values())
      for (const s of list)
        if (s.firedAt !== undefined) out.push({ id: s.rule.id, armed: s.armed, firedAt: s.firedAt });
    return out;
  }

  /** True once since the states last changed (the snapshot then carries `states()`). */
  takeStatesChanged(): boolean {
    const changed = this.statesChanged;
    this.statesChanged = false;
    return changed;
  }
}
