/**
 * The "Alerts" tree (`kisMarket.alerts`): one row per rule, grouped under nothing (a flat list sorted by
 * symbol), with edit and delete in its context menu. Rebuilt whole on every change: a user has a handful
 * of rules, not hundreds.
 */
import * as vscode from 'vscode';
import { Command, View } from '../constants';
import { Disposable } from '../common/lifecycle';
import { displayName } from '../market/symbolInput';
import type { AlertRule } from '../shared/snapshot';
import type { PortfolioState } from './portfolioState';
import { alertWords } from './portfolioRows';

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
  }

  getChildren(element?: string): string[] {
    if (element !== undefined) return [];
    const rules = [...this.state.current()].sort((a, b) => a.symbol.localeCompare(b.symbol) || a.id.localeCompare(b.id));
    this.rules = new Map(rules.map((r) => [r.id, r]));
    return rules.map((r) => r.id);
  }

  getTreeItem(id: string): vscode.TreeItem {
    const rule = this.rules.get(id);
    if (rule === undefined) return new vscode.TreeItem(id);
    return AlertTreeProvider.itemOf(rule, this.state.privacy);
  }

  /** The tree item of a rule (the API reads it for the tests). */
  static itemOf(rule: AlertRule, privacy: boolean): vscode.TreeItem {
    const name = displayName(rule.symbol, vscode.env.language);
    const item = new vscode.TreeItem(name === rule.symbol ? rule.symbol : `${name} ${rule.symbol}`);
    item.id = `kisMarket.alert.${rule.id}`;
    const words = alertWords(rule, vscode.l10n.t);
    const hides = privacy && (rule.kind === 'priceAbove' || rule.kind === 'priceBelow');
    item.description = hides ? vscode.l10n.t('price alert') : words;
    item.tooltip = hides ? vscode.l10n.t('Privacy mode: amounts are hidden.') : `${rule.symbol}: ${words}`;
    item.iconPath = new vscode.ThemeIcon('bell');
    item.contextValue = 'alert';
    item.command = { command: Command.EditAlert, title: vscode.l10n.t('Edit Alert'), arguments: [rule.id] };
    return item;
  }

  /** Creates the tree. */
  static register(context: vscode.ExtensionContext, state: PortfolioState): AlertTreeProvider {
    const tree = new AlertTreeProvider(state);
    context.subscriptions.push(tree);
    return tree;
  }
}
