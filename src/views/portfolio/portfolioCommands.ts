/**
 * The commands of holdings, alerts and privacy mode. Every number the user types is checked in the input
 * box (`validateInput`) with the same pure rules the store and the worker apply (market/portfolio.ts,
 * market/alertRules.ts), so a bad value shows its message where it was typed and nothing is stored.
 */
import * as vscode from 'vscode';
import { Command } from '../../constants';
import type { Logger } from '../../common/logger';
import { ALERT_KINDS, checkAlertRule, isEventKind, type AlertKind } from '../../market/alertRules';
import { displayName } from '../../market/symbolInput';
import { currencyOfSymbol, isHoldable, parsePositive } from '../../market/portfolio';
import type { AlertRule } from '../../shared/snapshot';
import type { PortfolioState } from './portfolioState';
import { alertQuietSettings } from './alertTree';
import { repeatWords } from './alertTexts';

/** What the commands need. */
export interface PortfolioCommandDeps {
  state: PortfolioState;
  /** The watchlist, for the symbol pick when a command is run from the palette. */
  symbols: () => readonly string[];
  log: Logger;
}

/** A symbol given by a tree row (its element is the code), else picked from the watchlist. */
async function symbolOf(arg: unknown, symbols: readonly string[]): Promise<string | undefined> {
  if (typeof arg === 'string' && arg !== '') return arg;
  if (symbols.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Add a symbol to the watchlist first.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    symbols.map((s) => ({ label: displayName(s, vscode.env.language), description: s, symbol: s })),
    // The code is the description: typing "005930" must find the row too.
    { title: vscode.l10n.t('Symbol'), matchOnDescription: true },
  );
  return picked?.symbol;
}

/** Asks for a holding's quantity and average cost; undefined when cancelled. */
async function askHolding(state: PortfolioState, symbol: string): Promise<void> {
  const t = vscode.l10n.t;
  const currency = state.holding(symbol)?.currency ?? currencyOfSymbol(symbol);
  const old = state.holding(symbol);
  const quantityText = await vscode.window.showInputBox({
    title: t('Holding of {0}: quantity', symbol),
    prompt: t('Shares held (0 or empty removes nothing; use "Remove Holding").'),
    value: old ? String(old.quantity) : '',
    ignoreFocusOut: true,
    validateInput: (v) => {
      const r = parsePositive(v, 'quantity', currency);
      return r.ok ? undefined : t(r.message);
    },
  });
  if (quantityText === undefined) return;
  const costText = await vscode.window.showInputBox({
    title: t('Holding of {0}: average cost ({1})', symbol, currency),
    prompt: t('Average price paid per share. Several fills: their quantity-weighted average.'),
    value: old ? String(old.averageCost) : '',
    ignoreFocusOut: true,
    validateInput: (v) => {
      const r = parsePositive(v, 'price', currency);
      return r.ok ? undefined : t(r.message);
    },
  });
  if (costText === undefined) return;
  const quantity = parsePositive(quantityText, 'quantity', currency);
  const cost = parsePositive(costText, 'price', currency);
  // The boxes validated already; checked again so nothing unchecked is ever stored.
  if (!quantity.ok || !cost.ok) return;
  await state.setHolding(symbol, { symbol, quantity: quantity.value, averageCost: cost.value, currency });
}

/** Asks for an alert's kind and threshold (starting from `old` when editing). */
async function askAlert(state: PortfolioState, symbol: string, old: AlertRule | undefined, log: Logger): Promise<void> {
  const t = vscode.l10n.t;
  const labels: Record<AlertKind, string> = {
    priceAbove: t('Price rises to or above…'),
    priceBelow: t('Price falls to or below…'),
    rateAbove: t('Change today at or above… %'),
    rateBelow: t('Change today at or below… %'),
    volumeRatioAbove: t('Volume vs the same time yesterday at or above… %'),
    viTriggered: t('VI triggered'),
    viReleased: t('VI released'),
  };
  const kinds = ALERT_KINDS.map((alertKind) => ({
    label: labels[alertKind],
    alertKind,
    picked: alertKind === old?.kind,
  }));
  const picked = await vscode.window.showQuickPick(kinds, { title: t('Alert on {0}', symbol) });
  if (picked === undefined) return;
  const kind: AlertKind = picked.alertKind;
  let threshold = 0;
  if (!isEventKind(kind)) {
    const text = await vscode.window.showInputBox({
      title: t('Alert on {0}: {1}', symbol, picked.label),
      prompt:
        kind === 'volumeRatioAbove'
          ? t("Percent of yesterday's volume at the same time (150 = 1.5×).")
          : kind.startsWith('rate')
            ? t('Change today in percent (e.g. 3 or -3).')
            : t('Price.'),
      value: old && old.kind === kind ? String(old.threshold) : '',
      ignoreFocusOut: true,
      validateInput: (v) => {
        const r = checkAlertRule(symbol, kind, v);
        return r.ok ? undefined : t(r.message);
      },
    });
    if (text === undefined) return;
    const r = checkAlertRule(symbol, kind, text);
    if (!r.ok) return void vscode.window.showErrorMessage(t(r.message));
    threshold = r.threshold;
  }
  const once = await askRepeat(symbol, kind, threshold, old);
  if (once === undefined) return;
  const id = old?.id ?? `${symbol}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
  // Saved without `disabled`: editing a rule that turned itself off turns it on again.
  const rule: AlertRule = { id, symbol, kind, threshold, ...(once ? { once: true } : {}) };
  await state.putAlert(rule);
  log.info(`Alert ${old ? 'changed' : 'added'}: ${symbol} ${kind} ${threshold}${once ? ' once only' : ''}`);
}

/**
 * Asks whether the rule fires at every crossing (with the band and cooldown of the settings, spelled out)
 * or once only; true for once only, undefined when dismissed.
 */
async function askRepeat(
  symbol: string,
  kind: AlertKind,
  threshold: number,
  old: AlertRule | undefined,
): Promise<boolean | undefined> {
  const t = vscode.l10n.t;
  const quiet = alertQuietSettings();
  const items = [
    { label: t('Every crossing'), detail: repeatWords({ kind, threshold }, quiet, t), once: false },
    {
      label: t('Once only'),
      detail: t('Fires once, then turns itself off; turn it on again in the Alerts view.'),
      once: true,
    },
  ].map((item) => ({ ...item, picked: item.once === (old?.once === true) }));
  const picked = await vscode.window.showQuickPick(items, { title: t('Alert on {0}: how often', symbol) });
  return picked?.once;
}

/** Registers the commands; the disposables go to the context. */
export function registerPortfolioCommands(deps: PortfolioCommandDeps): vscode.Disposable[] {
  const { state, log } = deps;
  const t = vscode.l10n.t;
  return [
    vscode.commands.registerCommand(Command.SetHolding, async (arg?: unknown) => {
      if (typeof arg === 'string' && arg !== '' && !isHoldable(arg)) {
        // A row's menu offers it only on holdable rows; a keybinding or another extension may pass anything.
        void vscode.window.showWarningMessage(
          t(
            '{0} cannot be held: a holding is a stock, an ETF or a US stock, not an index.',
            displayName(arg, vscode.env.language),
          ),
        );
        return;
      }
      // The pick offers only what can be held (no index).
      const symbol = await symbolOf(arg, deps.symbols().filter(isHoldable));
      if (symbol !== undefined) await askHolding(state, symbol);
    }),
    vscode.commands.registerCommand(Command.RemoveHolding, async (arg?: unknown) => {
      const held = state.holdings.map((h) => h.symbol);
      const symbol = await symbolOf(arg, held);
      if (symbol !== undefined) await state.setHolding(symbol, undefined);
    }),
    vscode.commands.registerCommand(Command.AddAlert, async (arg?: unknown) => {
      const symbol = await symbolOf(arg, deps.symbols());
      if (symbol !== undefined) await askAlert(state, symbol, undefined, log);
    }),
    vscode.commands.registerCommand(Command.EditAlert, async (arg?: unknown) => {
      const rule = state.current().find((r) => r.id === arg);
      if (rule === undefined) return void vscode.window.showWarningMessage(t('That alert no longer exists.'));
      await askAlert(state, rule.symbol, rule, log);
    }),
    vscode.commands.registerCommand(Command.DeleteAlert, async (arg?: unknown) => {
      if (typeof arg === 'string') await state.deleteAlert(arg);
    }),
    vscode.commands.registerCommand(Command.EnableAlert, async (arg?: unknown) => {
      if (typeof arg === 'string' && (await state.setAlertDisabled(arg, false)))
        log.info(`Alert turned on again: ${arg}`);
    }),
    vscode.commands.registerCommand(Command.TogglePrivacy, () => state.setPrivacy(!state.privacy)),
  ];
}
