/**
 * The whole trading day in a real VS Code: the embedded simulator follows a simulated clock (`kisMarket.simulator.clock`)
 * set to Monday 08:40 KST, the KRX opening auction and the NXT pre-market. In unified mode the row shows the
 * exchange its last trade came from (NXT: KRX does not trade at 08:40), the auction's expected price marked
 * as expected, and a simulated VI shows a badge with its tooltip. The status bar says the phase in words.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Command } from '../../../src/constants';
import type { ExtensionApi } from '../../../src/shared/extensionApi';
import { api, waitFor } from './helpers';

const SAMSUNG = '005930';
const MONDAY_0840 = '2026-12-07T08:40:00+09:00';
const section = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('kisMarket');

describe('the trading day (simulated 08:40, unified)', () => {
  let ext: ExtensionApi;

  /** The row of SAMSUNG once `ok` holds for it (the last row seen goes into the failure message). */
  function rowWhere(
    what: string,
    ok: (row: { label: string; description: string; tooltip: string }) => boolean,
  ): Promise<{ label: string; description: string; tooltip: string }> {
    return waitFor(what, () => {
      const row = ext.watchlistRow(SAMSUNG);
      return row && ok(row) ? row : undefined;
    }).catch((error: Error) => {
      throw new Error(`${error.message}; row: ${JSON.stringify(ext.watchlistRow(SAMSUNG) ?? null)}`);
    });
  }

  before(async () => {
    ext = await api();
    await vscode.commands.executeCommand(Command.SelectDataSource, 'simulator');
    await section().update('exchange', 'unified', vscode.ConfigurationTarget.Global);
    await section().update('simulator.clock', MONDAY_0840, vscode.ConfigurationTarget.Global);
    if (!ext.watchlist().includes(SAMSUNG)) await vscode.commands.executeCommand(Command.Subscribe, [SAMSUNG]);
    await vscode.commands.executeCommand(Command.Connect);
    await waitFor('the simulator following the clock', () => ext.statusBar().text.includes('KRX opening auction'));
  });

  after(async () => {
    await section().update('simulator.clock', undefined, vscode.ConfigurationTarget.Global);
    await section().update('exchange', undefined, vscode.ConfigurationTarget.Global);
    await waitFor(
      'the demo again',
      () => !ext.statusBar().text.includes('opening auction') && ext.agentStats()?.state === 'open',
    );
  });

  it('says the phase of both exchanges in the status bar and registers the unified auction feed', async () => {
    const bar = ext.statusBar();
    assert.match(bar.text, /KRX opening auction, NXT pre-market/);
    assert.match(bar.tooltip, /Market: KRX opening auction, NXT pre-market/);
    await waitFor('an H0UNANC0 registration', () =>
      ext.simulatorRequests().some((r) => r.trType === '1' && r.trId === 'H0UNANC0' && r.trKey === SAMSUNG),
    );
  });

  it('shows the expected (auction) price on the row, marked as expected', async () => {
    // The row's label holds the name and the price: here the expected one (≈), which its description marks as expected.
    const row = await rowWhere(
      'an expected price on the row',
      (r) => r.label.includes('  ≈') && r.description.includes('expected'),
    );
    assert.ok(ext.quote(SAMSUNG)?.expected, 'the quote carries the expected execution');
    assert.match(row.tooltip, /Expected \\\(auction\\\) price/);
  });

  it('shows which exchange the last unified trade came from (NXT at 08:40)', async () => {
    await rowWhere('the NXT tag on the row', (r) => /\bNXT\b/.test(r.description));
    assert.equal(ext.quote(SAMSUNG)?.exchange, 'unified');
  });

  it('shows a VI badge with the reference price when the simulator starts a VI', async () => {
    assert.equal(ext.simulateVi(SAMSUNG), true);
    const row = await rowWhere('a VI badge', (r) => /\bVI\b/.test(r.description));
    assert.match(row.tooltip, /Volatility interruption \\\(VI\\\) in force/);
    assert.equal(ext.quote(SAMSUNG)?.vi, true);
  });
});
