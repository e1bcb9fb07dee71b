/**
 * Watchlist groups in a real VS Code against the embedded simulator: watchlist groups (create, move a symbol in,
 * the group's P&L, privacy, delete keeps the symbol), sorting, and the balance import from the simulated
 * account (a wrong account shape stores nothing).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Command } from '../../../src/constants';
import type { ExtensionApi, PortfolioApi, WatchlistTreeApi } from '../../../src/shared/extensionApi';
import { displayName } from '../../../src/market/symbolInput';
import { api, waitFor } from './helpers';

const SAMSUNG = '005930';
const HYNIX = '000660';
const NAVER = '035420';

describe('watchlist groups, sorting and the balance import', () => {
  let ext: ExtensionApi;
  let p: PortfolioApi;
  let tree: WatchlistTreeApi;
  const groups: string[] = [];

  before(async () => {
    ext = await api();
    assert.ok(ext.portfolio && ext.watchlistTree, 'the API exposes the portfolio and the tree');
    p = ext.portfolio;
    tree = ext.watchlistTree;
    await vscode.commands.executeCommand(Command.SelectDataSource, 'simulator');
    const missing = [SAMSUNG, HYNIX, NAVER].filter((s) => !ext.watchlist().includes(s));
    if (missing.length > 0) await vscode.commands.executeCommand(Command.Subscribe, missing);
    await vscode.commands.executeCommand(Command.Connect);
    await waitFor('prices', () =>
      [SAMSUNG, HYNIX, NAVER].every((s) => (ext.quote(s)?.last ?? 0) > 0) ? true : undefined,
    );
  });

  after(async () => {
    await p.setPrivacy(false);
    await vscode.commands.executeCommand(Command.SortWatchlist, 'manual');
    for (const id of groups) await vscode.commands.executeCommand(Command.DeleteGroup, id);
  });

  it('puts a symbol in a new group whose row shows the P&L of its positions', async () => {
    const id = await vscode.commands.executeCommand<string>(Command.CreateGroup, 'Chips');
    assert.match(id, /^g/);
    groups.push(id);
    assert.equal(
      await vscode.commands.executeCommand<string>(Command.CreateGroup, 'chips'),
      'There is already a group named "chips".',
    );
    await vscode.commands.executeCommand(Command.MoveToGroup, HYNIX, id);
    const element = `group:${id}`;
    assert.ok(tree.children().includes(element));
    assert.ok(!tree.children().includes(HYNIX), 'a grouped symbol leaves the root');
    assert.deepEqual(tree.children(element), [HYNIX]);
    assert.equal(tree.item(element)?.description, '1');
    const last = ext.quote(HYNIX)?.last ?? 0;
    await p.setHolding(HYNIX, 3, Math.round(last * 0.8));
    const row = await waitFor('the group row with P&L', () => {
      const r = tree.item(element);
      return r && r.description.includes('KRW') ? r : undefined;
    });
    assert.match(row.description, /^1 · [+-]?[\d,]+ KRW \([+-]?\d+\.\d\d%\)$/);
    assert.match(row.contextValue, /\buserGroup\b/);
  });

  it('hides the group P&L in privacy mode', async () => {
    const element = `group:${groups[0]}`;
    await p.setPrivacy(true);
    const row = await waitFor('the group row without amounts', () => {
      const r = tree.item(element);
      return r && r.description === '1' ? r : undefined;
    });
    assert.doesNotMatch(`${row.description} ${row.tooltip}`, /KRW|P&L|\d{2},\d{3}/);
    for (const s of tree.children()) {
      const r = tree.item(s);
      assert.ok(r);
      if (s.startsWith('group:')) continue;
      assert.doesNotMatch(`${r.description} ${r.tooltip}`, /KRW|P&L|%/, s);
    }
    await p.setPrivacy(false);
  });

  it('sorts by name and back to the arranged order', async () => {
    await vscode.commands.executeCommand(Command.SortWatchlist, 'name');
    const byName = tree.children().filter((e) => !e.startsWith('group:'));
    const names = byName.map((s) => displayName(s, vscode.env.language));
    assert.ok(byName.length >= 2);
    assert.deepEqual(
      names,
      [...names].sort((a, b) => a.localeCompare(b)),
    );
    await vscode.commands.executeCommand(Command.SortWatchlist, 'manual');
    assert.deepEqual(
      tree.children().filter((e) => !e.startsWith('group:')),
      ext.watchlist().filter((s) => s !== HYNIX),
    );
  });

  it('deleting a group keeps its symbols in the watchlist', async () => {
    const id = groups.pop() as string;
    await vscode.commands.executeCommand(Command.DeleteGroup, id);
    assert.ok(!tree.children().includes(`group:${id}`));
    assert.ok(tree.children().includes(HYNIX));
    assert.ok(ext.watchlist().includes(HYNIX));
    await vscode.commands.executeCommand(Command.RemoveHolding, HYNIX);
  });

  it('imports the simulated account, every position marked as imported; a wrong shape stores nothing', async function () {
    this.timeout(120_000); // the import may wait up to a minute for KIS's one-token-a-minute limit
    const refused = await vscode.commands.executeCommand<{ ok: boolean; code?: string }>(
      Command.ImportHoldings,
      '1234-01',
    );
    assert.deepEqual(refused, {
      ok: false,
      code: 'BAD_ACCOUNT',
      message: 'An account number is 8 digits and a 2-digit product code, e.g. 12345678-01.',
    });
    const imported = await vscode.commands.executeCommand<{ ok: boolean; count?: number }>(
      Command.ImportHoldings,
      '50012345-01',
    );
    assert.deepEqual(imported, { ok: true, count: 5, pages: 1 });
    const row = await waitFor('an imported holding in its row', () => {
      const r = p.row(HYNIX);
      return r && /from KIS account/.test(r.tooltip) ? r : undefined;
    });
    assert.match(row.description, /P&L/);
  });
});
