/**
 * The session shared between windows in a real VS Code: with `kisMarket.shareSimulator` on, this window leads the shared session and
 * another member of the hub (a follower, as another window's extension host or `kis-monitor watch --join`
 * would be) gets its own symbol's snapshots through it; the status bar says so, and the embedded simulator
 * serves one WebSocket session for both.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Command, CONFIG_SECTION } from '../../../src/constants';
import type { ExtensionApi } from '../../../src/shared/extensionApi';
import { HubFollower } from '../../../src/hub/follower';
import { defaultHubDir, readOrCreateToken, socketPath } from '../../../src/hub/paths';
import { api, waitFor } from './helpers';

const SAMSUNG = '005930';
/** The other window's symbol: not on this window's watchlist. */
const KAKAO = '035720';

describe('one session shared between windows (shareSimulator)', () => {
  let ext: ExtensionApi;
  let follower: HubFollower | undefined;
  const section = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration(CONFIG_SECTION);

  before(async () => {
    ext = await api();
    if (ext.watchlist().includes(KAKAO)) await vscode.commands.executeCommand(Command.Unsubscribe, KAKAO);
    await section().update('shareSimulator', true, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand(Command.Subscribe, [SAMSUNG]);
    await waitFor('this window leads the shared session', () => ext.sharing()?.role === 'leader');
  });

  after(async () => {
    follower?.close();
    await section().update('shareSimulator', undefined, vscode.ConfigurationTarget.Global);
    await waitFor(
      'the window runs alone again',
      () => ext.sharing() === undefined && ext.agentStats()?.state === 'open',
    );
  });

  it('serves another window its own symbol through the one simulator session, and says so', async () => {
    const dir = defaultHubDir();
    follower = await HubFollower.connect({
      socketPath: socketPath(dir, 'simulator'),
      token: readOrCreateToken(dir),
      name: 'integration follower',
      wants: [{ trId: 'H0STCNT0', trKey: KAKAO }],
    });
    let got = false;
    follower.on('snapshot', (s) => (got ||= s.quotes.some((q) => q.symbol === KAKAO)));
    await waitFor("a snapshot of the follower's symbol", () => got);
    await waitFor('two windows share the session', () => ext.sharing()?.windows === 2);
    await waitFor('the status bar says "shared with 1 window"', () =>
      ext.statusBar().text.includes('shared with 1 window'),
    );
    assert.deepEqual(ext.simulatorSessions(), { live: 1, served: 1 });
    assert.ok(!ext.watchlist().includes(KAKAO), "the follower's symbol is not on this window's watchlist");
    assert.ok(
      ext.simulatorRequests().some((r) => r.trType === '1' && r.trKey === KAKAO),
      'the leader registered it',
    );
    follower.close();
    follower = undefined;
    await waitFor('the follower left', () => ext.sharing()?.windows === 1);
  });
});
