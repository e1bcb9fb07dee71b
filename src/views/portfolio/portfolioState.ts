/**
 * The user's holdings, alert rules and privacy mode, kept in `globalState`. Holdings and alert rules are
 * registered for Settings Sync (they were typed by hand: another machine of the user should have them);
 * privacy mode is not (hiding amounts is about who sits in front of this screen), nor what fired alert
 * rules remember (armed, when they fired: a fact of this machine's stream). Stored values are
 * untrusted (another version or a sync may have written them), so each entry is checked on load.
 */
import * as vscode from 'vscode';
import {
  ALERT_STATES_STATE_KEY,
  ALERTS_STATE_KEY,
  ContextKey,
  HOLDINGS_STATE_KEY,
  IMPORTED_HOLDINGS_STATE_KEY,
  PRIVACY_STATE_KEY,
} from '../../constants';
import { Disposable } from '../../common/lifecycle';
import { isHoldable, isHolding, type Holding } from '../../market/portfolio';
import { checkAlertRule } from '../../market/alertRules';
import type { AlertRule, AlertRuleState } from '../../shared/snapshot';
import { isAlertRuleState } from '../../shared/workerProtocol';
import type { AlertRuleSource } from '../../feed';

/** True for a stored rule the engine would accept. */
function isStoredRule(value: unknown): value is AlertRule {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    typeof r.id === 'string' &&
    typeof r.symbol === 'string' &&
    typeof r.kind === 'string' &&
    typeof r.threshold === 'number' &&
    checkAlertRule(r.symbol, r.kind, r.threshold).ok &&
    (r.once === undefined || typeof r.once === 'boolean') &&
    (r.disabled === undefined || typeof r.disabled === 'boolean')
  );
}

/** Holdings, alert rules and privacy mode, persisted; see the file comment. */
export class PortfolioState extends Disposable implements AlertRuleSource {
  private readonly holdingsEmitter = this._register(new vscode.EventEmitter<void>());
  private readonly alertsEmitter = this._register(new vscode.EventEmitter<void>());
  private readonly privacyEmitter = this._register(new vscode.EventEmitter<boolean>());
  /** Fires after the holdings changed. */
  readonly onDidChangeHoldings = this.holdingsEmitter.event;
  /** Fires after the alert rules changed. */
  readonly onDidChangeAlerts = this.alertsEmitter.event;
  /** Fires with the new privacy mode. */
  readonly onDidChangePrivacy = this.privacyEmitter.event;

  constructor(private readonly memento: vscode.Memento) {
    super();
    void vscode.commands.executeCommand('setContext', ContextKey.Privacy, this.privacy);
  }

  /** The keys to register with `setKeysForSync` (with the watchlist's). */
  static readonly SYNCED_KEYS: readonly string[] = [HOLDINGS_STATE_KEY, ALERTS_STATE_KEY];

  /**
   * The holdings: those entered by hand, in the order entered, then those imported from the KIS account
   * (marked `imported`). A symbol entered by hand shows the hand-entered figures: the user chose them.
   */
  get holdings(): Holding[] {
    const hand = this.handEntered;
    return [...hand, ...this.imported.filter((h) => !hand.some((x) => x.symbol === h.symbol))];
  }

  /** The holdings entered by hand (synced). */
  get handEntered(): Holding[] {
    return this.memento
      .get<unknown[]>(HOLDINGS_STATE_KEY, [])
      .filter(isHolding)
      .map((h) => ({ symbol: h.symbol, quantity: h.quantity, averageCost: h.averageCost, currency: h.currency }));
  }

  /** The holdings last imported from the KIS account (this machine only). */
  get imported(): Holding[] {
    return this.memento
      .get<unknown[]>(IMPORTED_HOLDINGS_STATE_KEY, [])
      .filter(isHolding)
      .map((h) => ({ ...h, imported: true as const }));
  }

  /** Replaces the imported holdings with what KIS just answered. */
  async setImported(holdings: readonly Holding[]): Promise<void> {
    await this.memento.update(
      IMPORTED_HOLDINGS_STATE_KEY,
      holdings.map((h) => ({
        symbol: h.symbol,
        quantity: h.quantity,
        averageCost: h.averageCost,
        currency: h.currency,
      })),
    );
    this.holdingsEmitter.fire();
  }

  /** The holding of `symbol`, if any. */
  holding(symbol: string): Holding | undefined {
    return this.holdings.find((h) => h.symbol === symbol);
  }

  /** Sets (or, with undefined, removes) the holding of `symbol`. */
  async setHolding(symbol: string, holding: Holding | undefined): Promise<boolean> {
    // Only what can be held is stored (no index); removing is always allowed.
    if (holding !== undefined && !isHoldable(symbol)) return false;
    const next = this.handEntered.filter((h) => h.symbol !== symbol);
    if (holding !== undefined) next.push(holding);
    await this.memento.update(HOLDINGS_STATE_KEY, next);
    this.holdingsEmitter.fire();
    return true;
  }

  /** The alert rules (AlertRuleSource). */
  current(): readonly AlertRule[] {
    return this.memento.get<unknown[]>(ALERTS_STATE_KEY, []).filter(isStoredRule);
  }

  /** The rules of `symbol`. */
  rulesOf(symbol: string): AlertRule[] {
    return this.current().filter((r) => r.symbol === symbol);
  }

  /** Adds a rule, or replaces the one with its id (which then starts afresh, armed). */
  async putAlert(rule: AlertRule): Promise<void> {
    const rules = this.current().filter((r) => r.id !== rule.id);
    rules.push(rule);
    await this.forgetState(rule.id);
    await this.memento.update(ALERTS_STATE_KEY, rules);
    this.alertsEmitter.fire();
  }

  /** Deletes the rule with `id` (nothing when there is none). */
  async deleteAlert(id: string): Promise<void> {
    await this.forgetState(id);
    await this.memento.update(
      ALERTS_STATE_KEY,
      this.current().filter((r) => r.id !== id),
    );
    this.alertsEmitter.fire();
  }

  /**
   * Drops what a rule remembered: a rule edited (or turned on again) while no worker runs must not start
   * the next one disarmed by what its old definition did. A running worker reports afresh anyway.
   */
  private async forgetState(id: string): Promise<void> {
    const states = this.states();
    if (states.some((s) => s.id === id))
      await this.memento.update(
        ALERT_STATES_STATE_KEY,
        states.filter((s) => s.id !== id),
      );
  }

  /**
   * Turns a rule off or on again (a once-only rule turns itself off when it fired), keeping its place in
   * the list. False when there is no such rule or it already was so.
   */
  async setAlertDisabled(id: string, disabled: boolean): Promise<boolean> {
    const rules = this.current();
    const rule = rules.find((r) => r.id === id);
    if (rule === undefined || (rule.disabled === true) === disabled) return false;
    const { disabled: _was, ...rest } = rule;
    const next: AlertRule = disabled ? { ...rest, disabled: true } : rest;
    if (!disabled) await this.forgetState(id);
    await this.memento.update(
      ALERTS_STATE_KEY,
      rules.map((r) => (r.id === id ? next : r)),
    );
    this.alertsEmitter.fire();
    return true;
  }

  /** AlertRuleSource: the feed forwards every change to its worker. */
  onDidChange(listener: () => void): vscode.Disposable {
    return this.onDidChangeAlerts(listener);
  }

  /** AlertRuleSource: what fired rules remembered when the worker last reported it. */
  states(): readonly AlertRuleState[] {
    return this.memento.get<unknown[]>(ALERT_STATES_STATE_KEY, []).filter(isAlertRuleState);
  }

  /** AlertRuleSource: keeps what fired rules remember, for the next worker (a reconnect, a reload). */
  rememberStates(states: readonly AlertRuleState[]): void {
    void this.memento.update(
      ALERT_STATES_STATE_KEY,
      states.map((s) => ({ id: s.id, armed: s.armed, firedAt: s.firedAt })),
    );
  }

  /** Privacy mode (amounts hidden). */
  get privacy(): boolean {
    return this.memento.get<boolean>(PRIVACY_STATE_KEY, false) === true;
  }

  /** Turns privacy mode on or off; remembered across restarts. */
  async setPrivacy(on: boolean): Promise<void> {
    if (on === this.privacy) return;
    await this.memento.update(PRIVACY_STATE_KEY, on);
    await vscode.commands.executeCommand('setContext', ContextKey.Privacy, on);
    this.privacyEmitter.fire(on);
  }
}
