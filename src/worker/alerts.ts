/**
 * Price and percentage alerts. A rule fires once when its condition becomes true (a crossing), then
 * stays quiet until the value crosses back, which re-arms it. A rule that is already true when first
 * evaluated fires at once: the user asked to hear about that state.
 */
import type { AlertEvent, AlertRule } from '../shared/snapshot';

interface RuleState {
  rule: AlertRule;
  armed: boolean;
}

const KINDS: ReadonlySet<string> = new Set(['priceAbove', 'priceBelow', 'rateAbove', 'rateBelow']);

/** True for a well-formed rule (the extension passes user input through, so check it here too). */
export function isAlertRule(value: unknown): value is AlertRule {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    typeof r.id === 'string' &&
    typeof r.symbol === 'string' &&
    typeof r.kind === 'string' &&
    KINDS.has(r.kind) &&
    typeof r.threshold === 'number' &&
    Number.isFinite(r.threshold)
  );
}

function isTrue(rule: AlertRule, price: number, rate: number): boolean {
  switch (rule.kind) {
    case 'priceAbove':
      return price >= rule.threshold;
    case 'priceBelow':
      return price <= rule.threshold;
    case 'rateAbove':
      return rate >= rule.threshold;
    case 'rateBelow':
      return rate <= rule.threshold;
  }
}

/** The alert rules of one worker, indexed by symbol, with each rule's armed state. */
export class AlertEngine {
  private bySymbol = new Map<string, RuleState[]>();
  private armChanged = false;

  /**
   * Replaces the rules. A rule whose id, symbol, kind and threshold are unchanged keeps its armed state;
   * new or changed rules start armed. Malformed rules are skipped and counted in the return value.
   */
  setRules(rules: readonly unknown[], disarmed: readonly string[] = []): number {
    const previous = new Map<string, RuleState>();
    for (const list of this.bySymbol.values()) for (const s of list) previous.set(s.rule.id, s);
    const disarmedSet = new Set(disarmed);
    const next = new Map<string, RuleState[]>();
    let invalid = 0;
    for (const candidate of rules) {
      if (!isAlertRule(candidate)) {
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

  /** Evaluates the symbol's rules against a new price/rate; fired events are appended to `out`. */
  evaluate(symbol: string, price: number, rate: number, time: string, out: AlertEvent[]): void {
    const list = this.bySymbol.get(symbol);
    if (list === undefined) return;
    for (const state of list) {
      const condition = isTrue(state.rule, price, rate);
      if (condition && state.armed) {
        state.armed = false;
        this.armChanged = true;
        const { id, kind, threshold } = state.rule;
        out.push({ ruleId: id, symbol, kind, threshold, price, rate, time });
      } else if (!condition && !state.armed) {
        state.armed = true;
        this.armChanged = true;
      }
    }
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
