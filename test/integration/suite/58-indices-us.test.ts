/**
 * Indices and US stocks in a real VS Code against the embedded simulator: the Indices group at the top of the
 * watchlist shows KOSPI and KOSDAQ moving (two reads, waited on), and AAPL, found by typing "apple" in the
 * picker's search (the function the QuickPick runs per keystroke), streams in dollars.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Command } from '../../../src/constants';
import type { ExtensionApi } from '../../../src/shared/extensionApi';
import { api, waitFor } from './helpers';

const KOSPI = '0001';
const KOSDAQ = '1001';
/** The built-in Indices group's tree element (watchlistGroups.ts `groupElement`, intlRows.ts). */
const INDICES_GROUP = 'group:indices';

describe('indices and US stocks', () => {
  let ext: ExtensionApi;

  before(async () => {
    ext = await api();
    await vscode.commands.executeCommand(Command.SelectDataSource, 'simulator');
    await vscode.commands.executeCommand(Command.Connect);
    await waitFor('agent state open', () => ext.agentStats()?.state === 'open');
  });

  after(async () => {
    for (const s of [KOSPI, KOSDAQ, 'DNASAAPL'])
      if (ext.watchlist().includes(s)) await vscode.commands.executeCommand(Command.Unsubscribe, s);
  });

  it('shows KOSPI and KOSDAQ in an Indices group at the top, their values moving, in points', async () => {
    await vscode.commands.executeCommand(Command.Subscribe, [KOSPI, KOSDAQ]);
    assert.ok(ext.watchlistTree, 'the API exposes the tree');
    const root = ext.watchlistTree.children();
    assert.equal(root[0], INDICES_GROUP, `root ${JSON.stringify(root)}`);
    assert.deepEqual(ext.watchlistTree.children(INDICES_GROUP), [KOSPI, KOSDAQ]);
    for (const code of [KOSPI, KOSDAQ]) {
      const first = await waitFor(`${code} has a value`, () => ext.quote(code)?.last || undefined);
      await waitFor(`${code} moves`, () => (ext.quote(code)?.last !== first ? true : undefined));
    }
    const row = await waitFor('the KOSPI row with a value', () => {
      const r = ext.watchlistRow(KOSPI);
      return r && /\d\.\d\d/.test(r.label) ? r : undefined;
    });
    assert.match(row.label, /^KOSPI {2}[\d,]+\.\d\d {2}[+-]?\d+\.\d\d%$/);
    assert.doesNotMatch(row.label, /[$₩]/);
    assert.match(row.description, /^[+-]?[\d,]*\.\d\d( · |$)/, 'the change in points leads the description');
  });

  it('finds AAPL by typing "apple" and streams it in dollars', async () => {
    assert.ok(ext.pickSymbols, 'the API exposes the picker search');
    const offered = await ext.pickSymbols('apple');
    assert.equal(offered[0], 'DNASAAPL', `offered ${JSON.stringify(offered)}`);
    await vscode.commands.executeCommand(Command.Subscribe, [offered[0]]);
    const first = await waitFor('AAPL trades', () =>
      (ext.quote('DNASAAPL')?.trades ?? 0) > 0 ? ext.quote('DNASAAPL')?.last : undefined,
    );
    assert.ok(first > 1 && first < 10_000, `a dollar price: ${first}`);
    await waitFor('AAPL moves', () => (ext.quote('DNASAAPL')?.last !== first ? true : undefined));
    const row = await waitFor('the AAPL row', () => {
      const r = ext.watchlistRow('DNASAAPL');
      return r && r.label.includes('$') ? r : undefined;
    });
    assert.match(row.label, /^AAPL {2}\$[\d,]+\.\d{2} {2}[+-]?\d+\.\d\d%$/);
    assert.match(row.description, /^[+-]?\$[\d,.]+ · live · US /); // the change, the row state (rowState.ts), then the US session
  });
});
