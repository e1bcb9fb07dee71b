/**
 * More symbols than KIS streams, in a real VS Code against the embedded simulator: 60 symbols on
 * the watchlist, all with prices; 41 registrations live, the rest refreshed by REST and saying so; pinning a
 * REST row moves it into the live set without a reconnect.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Command } from '../../../src/constants';
import { CATALOGUE } from '../../../src/market/catalogue';
import type { ExtensionApi } from '../../../src/shared/extensionApi';
import { api, waitFor } from './helpers';

/** The simulator's catalogue (49 stocks), topped up with codes it also serves, to 60. */
const SYMBOLS: string[] = [
  ...CATALOGUE.map((e) => e.code),
  ...Array.from({ length: 60 }, (_, i) => String(710000 + i * 10)),
]
  .filter((c, i, all) => all.indexOf(c) === i)
  .slice(0, 60);

describe('many symbols: 60 on the watchlist, all with prices', () => {
  let ext: ExtensionApi;
  let initial: string[];

  before(async () => {
    ext = await api();
    await vscode.commands.executeCommand(Command.SelectDataSource, 'simulator');
    initial = ext.watchlist();
  });

  after(async () => {
    // Leave the watchlist as this suite found it (later suites count on it).
    const added = ext.watchlist().filter((s) => !initial.includes(s));
    if (added.length > 0) await vscode.commands.executeCommand(Command.Unsubscribe, added);
  });

  it('lists 60 symbols, streams 41 registrations and gives every row a price', async () => {
    await vscode.commands.executeCommand(Command.Subscribe, SYMBOLS);
    const listed = ext.watchlist();
    assert.ok(
      SYMBOLS.every((s) => listed.includes(s)),
      `all 60 listed (${listed.length} on the watchlist)`,
    );
    await waitFor('a price in all 60 rows', () => SYMBOLS.every((s) => (ext.quote(s)?.last ?? 0) > 0), 60_000);
    await waitFor('41 registrations', () => ext.agentStats()?.subscriptionsUsed === 41);
    const restRows = SYMBOLS.filter((s) => /every \d+ s/.test(ext.watchlistRow(s)?.description ?? ''));
    assert.ok(restRows.length >= listed.length - 41, `${restRows.length} rows say "every N s"`);
    // The rows draw the views' next frame (kisMarket.views.refreshMs) after the model has the prices.
    const priced = (s: string): boolean => /^\S.* {2}[\d,]+ {2}[+-]?\d+\.\d\d%$/.test(ext.watchlistRow(s)?.label ?? '');
    await waitFor('name  price  rate in all 60 rows', () => SYMBOLS.every(priced));
  });

  it('pins a REST row into the live set on the same connection', async () => {
    const target = SYMBOLS.find((s) => /every \d+ s/.test(ext.watchlistRow(s)?.description ?? ''));
    assert.ok(target, 'a REST row');
    const since = ext.agentStats()?.connectedSince;
    assert.equal(await vscode.commands.executeCommand(Command.PinLive, target), true);
    await waitFor(
      `${target} live`,
      () =>
        /\blive\b/.test(ext.watchlistRow(target)?.description ?? '') &&
        !/every/.test(ext.watchlistRow(target)?.description ?? ''),
      30_000,
    );
    assert.equal(ext.agentStats()?.connectedSince, since, 'not a reconnect');
    assert.ok(ext.simulatorRequests().some((r) => r.trType === '1' && r.trKey === target));
    assert.equal(await vscode.commands.executeCommand(Command.UnpinLive, target), true);
  });
});
