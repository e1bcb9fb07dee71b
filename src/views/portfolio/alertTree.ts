/**
 * The "Alerts" tree (`kisMarket.alerts`): one row per rule, grouped under nothing (a flat list sorted by
 * symbol), with edit and delete in its context menu, and "turn on" for a once-only rule that fired and
 * turned itself off. Rebuilt whole on every change: a user has a handful of rules, not hundreds. The
 * tooltip says when a rule fires again, from the current band and cooldown settings.
 */
import * as vscode from 'vscode';
import { CONFIG_SECTION, Command, View } from '../../constants';
import { Disposable } from '../../common/lifecycle';
import { readSettings } from '../../config';
import { displayName } from '../../market/symbolInput';
import type { AlertRule } from '../../shared/snapshot';
import type { PortfolioState } from './portfolioState';
import { alertWords } from './portfolioRows';
import { repeatWords, ruleStatusWords, type AlertQuietSettings } from './alertTexts';

/** The band and cooldown settings now. */
export function alertQuietSettings(): AlertQuietSettings {
  const s = readSettings();
  return { rearmPercent: s.alertRearmPercent, cooldownSeconds: s.alertCooldownSeconds };
}

/** Tree elements are the rules' ids. */
export class AlertTreeProvider extends Disposable implements vscode.TreeDataProvider<string> {
  private readonly changeEmitter = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private rules = new Map<string, AlertRule>();

  constructor(private readonly state: PortfolioState) {
    super();
    this._register(vscode.window.createTreeView(View.Alerts, { treeDataProvider: this }));
    this._register(state.onDidChangeAlerts(() => this.changeEmitter.fire()));
    // Privacy hides thresholds too (a price threshold tells what the user paid or wants).
    this._register(state.onDidChangePrivacy(() => this.changeEmitter.fire()));
    // The tooltips state the band and the cooldown.
    this._register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(`${CONFIG_SECTION}.alerts`)) this.changeEmitter.fire();
      }),
    );
  }

  getChildren(element?: string): string[] {
    if (element !== undefined) return [];
    const rules = [...this.state.current()].sort(
      (a, b) => a.symbol.localeCompare(b.symbol) || a.id.localeCompare(b.id),
    );
    this.rules = new Map(rules.map((r) => [r.id, r]));
    return rules.map((r) => r.id);
  }

  getTreeItem(id: string): vscode.TreeItem {
    const rule = this.rules.get(id);
    if (rule === undefined) return new vscode.TreeItem(id);
    return AlertTreeProvider.itemOf(rule, this.state.privacy, alertQuietSettings());
  }

  /** The tree item of a rule (the API reads it for the tests). */
  static itemOf(rule: AlertRule, privacy: boolean, quiet: AlertQuietSettings): vscode.TreeItem {
    const t = vscode.l10n.t;
    const name = displayName(rule.symbol, vscode.env.language);
    const item = new vscode.TreeItem(name === rule.symbol ? rule.symbol : `${name} ${rule.symbol}`);
    item.id = `kisMarket.alert.${rule.id}`;
    const words = alertWords(rule, t);
    const hides = privacy && (rule.kind === 'priceAbove' || rule.kind === 'priceBelow');
    const status = ruleStatusWords(rule, t);
    const off = rule.disabled === true;
    const what = hides ? t('price alert') : words;
    item.description = status === undefined ? what : `${what} · ${status}`;
    // The re-arm level is a price too: hidden with the threshold.
    const how = off
      ? t('Off: it fired once and turned itself off. Turn it on again from this row.')
      : hides
        ? ''
        : repeatWords(rule, quiet, t);
    item.tooltip = [hides ? t('Privacy mode: amounts are hidden.') : `${rule.symbol}: ${words}`, how]
      .filter((line) => line !== '')
      .join('\n');
    item.iconPath = new vscode.ThemeIcon(off ? 'bell-slash' : 'bell');
    item.contextValue = off ? 'alertOff' : 'alert';
    item.command = { command: Command.EditAlert, title: t('Edit Alert'), arguments: [rule.id] };
    return item;
  }

  /** Creates the tree. */
  static register(context: vscode.ExtensionContext, state: PortfolioState): AlertTreeProvider {
    const tree = new AlertTreeProvider(state);
    context.subscriptions.push(tree);
    return tree;
  }
}
