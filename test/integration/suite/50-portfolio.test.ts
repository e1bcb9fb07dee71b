/**
 * Holdings, alerts and privacy mode in a real VS Code against the embedded simulator: a holding shows its P&L, an alert fires once
 * as a notification, a rule that can never fire is refused, and privacy mode hides every amount (rows,
 * status bar) and holds alert notifications until it is turned off.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Command } from '../../../src/constants';
import type { ExtensionApi, PortfolioApi } from '../../../src/shared/extensionApi';
import { api, waitFor } from './helpers';

const SAMSUNG = '005930';

describe('holdings, alerts and privacy mode', () => {
  let ext: ExtensionApi;
  let p: PortfolioApi;

  before(async () => {
    ext = await api();
    assert.ok(ext.portfolio, 'the API exposes the portfolio');
    p = ext.portfolio;
    await vscode.commands.executeCommand(Command.SelectDataSource, 'simulator');
    if (!ext.watchlist().includes(SAMSUNG)) await vscode.commands.executeCommand(Command.Subscribe, [SAMSUNG]);
    await vscode.commands.executeCommand(Command.Connect);
    await waitFor(`${SAMSUNG} has a price`, () => ((ext.quote(SAMSUNG)?.last ?? 0) > 0 ? true : undefined));
  });

  after(async () => {
    await p.setPrivacy(false);
    for (const id of p.alertIds()) await vscode.commands.executeCommand(Command.DeleteAlert, id);
  });

  it('shows the P&L of a holding in its row and the portfolio total in the status bar', async () => {
    const last = ext.quote(SAMSUNG)?.last ?? 0;
    await p.setHolding(SAMSUNG, 10, Math.round(last * 0.9));
    const row = await waitFor('a row with P&L', () => {
      const r = p.row(SAMSUNG);
      return r && r.description.includes('P&L') ? r : undefined;
    });
    assert.match(row.tooltip, /P&L today/);
    assert.match(row.tooltip, /P&L total/);
    assert.match(row.tooltip, /KRW/);
    const status = await waitFor('the portfolio item', () =>
      p.statusText().includes('KRW') ? p.statusText() : undefined,
    );
    assert.match(status, /^\$\(briefcase\) [+-]?[\d,]+ KRW \([+-]?\d+\.\d\d%\)$/);
  });

  it('refuses an alert that can never fire and stores nothing', async () => {
    const before = p.alertIds().length;
    const refusal = await p.addAlert(SAMSUNG, 'priceAbove', 0);
    assert.ok(refusal && /price above 0/.test(refusal), String(refusal));
    assert.equal(p.alertIds().length, before);
  });

  it('fires an alert once as a notification', async () => {
    const before = p.notified().length;
    assert.equal(await p.addAlert(SAMSUNG, 'priceAbove', 1), undefined);
    await waitFor('one notification', () => (p.notified().length > before ? true : undefined));
    // More trades above the threshold: no second notification (once per crossing).
    const trades = ext.quote(SAMSUNG)?.trades ?? 0;
    await waitFor('more trades', () => ((ext.quote(SAMSUNG)?.trades ?? 0) > trades + 5 ? true : undefined));
    const mine = p.notified().slice(before);
    assert.equal(mine.length, 1, JSON.stringify(mine));
    assert.match(mine[0], /005930/);
  });

  it('hides every amount in privacy mode and holds alerts until it ends', async () => {
    await vscode.commands.executeCommand(Command.TogglePrivacy);
    const row = await waitFor('a row without amounts', () => {
      const r = p.row(SAMSUNG);
      return r && r.description === '' ? r : undefined;
    });
    assert.doesNotMatch(row.tooltip, /P&L|KRW|\d{2},\d{3}/, row.tooltip);
    assert.doesNotMatch(row.label, /\d{1,3},\d{3}|%/, row.label);
    assert.equal(p.statusText(), '');
    await vscode.commands.executeCommand(Command.ShowTicker);
    await waitFor('the ticker webview covered', () => (p.tickerCovered() ? true : undefined));
    const last = String(ext.quote(SAMSUNG)?.last ?? 'none');
    assert.ok(!ext.statusBar().text.includes(last), ext.statusBar().text);

    const before = p.notified().length;
    assert.equal(await p.addAlert(SAMSUNG, 'priceBelow', 100_000_000), undefined);
    await waitFor('an alert held', () => (p.held() > 0 ? true : undefined));
    assert.equal(p.notified().length, before, 'nothing shown while private');

    await vscode.commands.executeCommand(Command.TogglePrivacy);
    await waitFor('the held alert shown', () => (p.notified().length > before ? true : undefined));
    assert.equal(p.held(), 0);
    await waitFor('the row shows amounts again', () =>
      p.row(SAMSUNG)?.description.includes('P&L') ? true : undefined,
    );
  });
});
