/**
 * The main path against the embedded simulator: subscribe through the command, ticks arrive, the status bar
 * and the ticker webview follow, unsubscribe reaches the server and leaves other symbols streaming.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Command } from '../../../src/constants';
import type { ExtensionApi } from '../../../src/shared/extensionApi';
import { api, waitFor } from './helpers';

const SAMSUNG = '005930';
const HYNIX = '000660';

/** Waits until `symbol` has a quote whose trade count has moved past `after`. */
function tradesPast(ext: ExtensionApi, symbol: string, after: number): Promise<number> {
  return waitFor(`${symbol} trades > ${after}`, () => {
    const trades = ext.quote(symbol)?.trades ?? -1;
    return trades > after ? trades : undefined;
  });
}

describe('streaming from the embedded simulator', () => {
  let ext: ExtensionApi;

  before(async () => {
    ext = await api();
    await vscode.commands.executeCommand(Command.SelectDataSource, 'simulator');
    // A fresh profile may still carry a default watchlist: start from one without the symbols under test.
    for (const symbol of [SAMSUNG, HYNIX]) {
      if (ext.watchlist().includes(symbol)) await vscode.commands.executeCommand(Command.Unsubscribe, symbol);
    }
    await vscode.commands.executeCommand(Command.Connect);
    await waitFor('agent state open', () => ext.agentStats()?.state === 'open');
  });

  it('adds the symbol to the watchlist and streams its ticks', async () => {
    await vscode.commands.executeCommand(Command.Subscribe, [SAMSUNG]);
    assert.ok(ext.watchlist().includes(SAMSUNG), `watchlist ${JSON.stringify(ext.watchlist())} has ${SAMSUNG}`);

    const first = await tradesPast(ext, SAMSUNG, 0);
    const quote = ext.quote(SAMSUNG);
    assert.ok(quote, 'a quote');
    assert.equal(quote.symbol, SAMSUNG);
    assert.ok(quote.last > 0, `last price ${quote.last} is positive`);
    assert.ok(quote.high >= quote.low && quote.low > 0, 'high >= low > 0');
    await tradesPast(ext, SAMSUNG, first);

    const requests = ext.simulatorRequests();
    assert.ok(
      requests.some((r) => r.trType === '1' && r.trId === 'H0UNCNT0' && r.trKey === SAMSUNG),
      `the simulator received an H0UNCNT0 subscribe (kisMarket.exchange: unified) for ${SAMSUNG}: ${JSON.stringify(requests)}`,
    );
    const stats = ext.agentStats();
    assert.ok(stats && stats.records > 0, 'the agent counted records');
  });

  it('shows the live state, the rate and the subscription count in the status bar', async () => {
    // Live: "$(pulse) KIS live <used>/<limit>", and the tooltip says the source, the watchlist, the registrations and the rate.
    const matches = (): { text: string; tooltip: string } | undefined => {
      const stats = ext.agentStats();
      const bar = ext.statusBar();
      if (!stats || stats.state !== 'open') return undefined;
      const subs = `${stats.subscriptionsUsed}/${stats.subscriptionLimit}`;
      const live = bar.text.startsWith('$(pulse) KIS live') && bar.text.endsWith(` ${subs}`);
      const size = ext.watchlist().length;
      const tooltip =
        bar.tooltip.includes('Data source: Simulator') &&
        bar.tooltip.includes(`Watchlist: ${size === 1 ? '1 symbol' : `${size} symbols`}`) &&
        bar.tooltip.includes(`Live: ${stats.subscriptionsUsed} of ${stats.subscriptionLimit} registrations`) &&
        /Messages: \d[\d.]*k?\/s now/.test(bar.tooltip);
      return live && tooltip ? bar : undefined;
    };
    const bar = await waitFor('a live status bar with the subscription counts', matches, 15_000).catch(
      (error: Error) => {
        throw new Error(`${error.message}; status bar: ${JSON.stringify(ext.statusBar())}`);
      },
    );
    assert.ok((ext.agentStats()?.subscriptionsUsed ?? 0) >= 1, 'at least one subscription in use');
    assert.doesNotMatch(bar.text + bar.tooltip, /undefined|NaN/);
  });

  it('delivers snapshots to the ticker webview once it is shown', async () => {
    await vscode.commands.executeCommand(Command.ShowTicker);
    const first = await waitFor(
      'a snapshot delivered to the ticker',
      () => ext.tickerSnapshotsDelivered() || undefined,
    );
    await waitFor(`more than ${first} snapshots delivered`, () => ext.tickerSnapshotsDelivered() > first);
  });

  it('unsubscribes one symbol without disturbing another', async () => {
    await vscode.commands.executeCommand(Command.Subscribe, [HYNIX]);
    assert.deepEqual(
      ext
        .watchlist()
        .filter((s) => s === SAMSUNG || s === HYNIX)
        .sort(),
      [HYNIX, SAMSUNG].sort(),
    );
    await tradesPast(ext, HYNIX, 0);

    await vscode.commands.executeCommand(Command.Unsubscribe, SAMSUNG);
    assert.ok(
      !ext.watchlist().includes(SAMSUNG),
      `watchlist ${JSON.stringify(ext.watchlist())} no longer has ${SAMSUNG}`,
    );
    await waitFor(`the simulator received the unsubscribe of ${SAMSUNG}`, () =>
      ext.simulatorRequests().some((r) => r.trType === '2' && r.trId === 'H0UNCNT0' && r.trKey === SAMSUNG),
    );
    // The other symbol keeps streaming.
    const hynix = ext.quote(HYNIX)?.trades ?? 0;
    await tradesPast(ext, HYNIX, hynix);
    assert.ok(ext.watchlist().includes(HYNIX));
  });
});
