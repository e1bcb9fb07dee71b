/**
 * Shutting down (what deactivate() does) leaves nothing running. Runs last: the extension is stopped
 * afterwards.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Command } from '../../../src/constants';
import type { ExtensionApi } from '../../../src/shared/extensionApi';
import { activeResourceCounts, api, resourceBaseline, waitFor } from './helpers';

/**
 * Handle types the extension creates: sockets, the simulator's server, worker ports. Strict: no growth.
 * (Pipes are left out: VS Code's built-in extensions start language servers as the tests open documents.)
 */
const STRICT_TYPES = ['TCPSocketWrap', 'TCPServerWrap', 'TCPWRAP', 'MessagePort', 'Worker'];

describe('shutdown', () => {
  let ext: ExtensionApi;

  before(async () => {
    ext = await api();
    // Standalone too (KIS_TEST_GREP=shutdown): make sure something streams before it is shut down.
    if (ext.watchlist().length === 0) await vscode.commands.executeCommand(Command.Subscribe, ['035420']);
    await vscode.commands.executeCommand(Command.Connect);
  });

  it('was holding resources before shutting down', async () => {
    // The worker starts lazily with the first data after the last restart; wait for all three.
    await waitFor('the simulator, the socket and the worker running', () => {
      const live = ext.resources();
      return live.simulatorRunning && live.socketOpen && live.workerRunning;
    });
    console.log(`      handles while running ${JSON.stringify(Object.fromEntries(activeResourceCounts()))}`);
    assert.ok(activeResourceCounts().get('TCPServerWrap'), 'the simulator listens in this process');
  });

  it('leaves no socket, worker, timer or simulator behind', async () => {
    await ext.shutdown();
    assert.deepEqual(ext.resources(), {
      socketOpen: false,
      workerRunning: false,
      simulatorRunning: false,
      trackedTasks: 0,
    });
    assert.equal(ext.agentStats()?.state ?? 'stopped', 'stopped');
  });

  it('returns the extension host to its handle count from before activation', async () => {
    const { counts: baseline, extensionWasActive } = resourceBaseline();
    assert.equal(extensionWasActive, false, 'the extension was not active before the tests activated it');
    const excess = (types: readonly string[]): string[] => {
      const now = activeResourceCounts();
      return types
        .filter((type) => (now.get(type) ?? 0) > (baseline.get(type) ?? 0))
        .map((type) => `${type} ${baseline.get(type) ?? 0} → ${now.get(type)}`);
    };
    // Closed sockets release their handles on the next loop turns; wait for that, then require no excess.
    await waitFor('no extra socket/server/worker handles', () => excess(STRICT_TYPES).length === 0, 10_000).catch(
      () => undefined,
    );
    const all = (): string =>
      JSON.stringify({ baseline: Object.fromEntries(baseline), now: Object.fromEntries(activeResourceCounts()) });
    console.log(`      handles ${all()}`);
    assert.deepEqual(excess(STRICT_TYPES), [], `handles above the pre-activation baseline: ${all()}`);
    // Timers: VS Code's own come and go, so wait until the count is back at or below the baseline.
    await waitFor('timers back to the baseline', () => excess(['Timeout']).length === 0, 15_000).catch(() => undefined);
    assert.deepEqual(excess(['Timeout']), [], `timers above the pre-activation baseline: ${all()}`);
  });
});
