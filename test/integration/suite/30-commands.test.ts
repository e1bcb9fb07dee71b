/** The palette commands run without UI when given their optional arguments. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Command } from '../../../src/constants';
import type { ExtensionApi } from '../../../src/shared/extensionApi';
import { api, waitFor } from './helpers';

describe('commands', () => {
  let ext: ExtensionApi;

  before(async () => {
    ext = await api();
  });

  it('Disconnect closes the socket and Connect opens it again', async () => {
    await vscode.commands.executeCommand(Command.Connect);
    await waitFor('agent state open', () => ext.agentStats()?.state === 'open');
    assert.equal(ext.resources().socketOpen, true);

    await vscode.commands.executeCommand(Command.Disconnect);
    await waitFor('the socket closed', () => !ext.resources().socketOpen);
    assert.notEqual(ext.agentStats()?.state ?? 'stopped', 'open');

    await vscode.commands.executeCommand(Command.Connect);
    await waitFor('agent state open again', () => ext.agentStats()?.state === 'open');
    assert.equal(ext.resources().socketOpen, true);
  });

  it('Select Data Source accepts the simulator as an argument', async () => {
    await vscode.commands.executeCommand(Command.SelectDataSource, 'simulator');
    assert.equal(vscode.workspace.getConfiguration('kisMarket').get('dataSource'), 'simulator');
    await waitFor('agent state open on the simulator', () => ext.agentStats()?.state === 'open');
    assert.equal(ext.resources().simulatorRunning, true);
  });

  it('Select Data Source writes where it takes effect: a workspace value is updated, not shadowed', async () => {
    const section = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('kisMarket');
    await section().update('dataSource', 'simulator', vscode.ConfigurationTarget.Workspace);
    try {
      await vscode.commands.executeCommand(Command.SelectDataSource, 'paper');
      assert.equal(section().get('dataSource'), 'paper', 'the effective value is the one picked');
      assert.equal(section().inspect('dataSource')?.workspaceValue, 'paper');
      await vscode.commands.executeCommand(Command.SelectDataSource, 'simulator');
      assert.equal(section().get('dataSource'), 'simulator');
    } finally {
      await section().update('dataSource', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitFor('agent state open on the simulator', () => ext.agentStats()?.state === 'open');
  });

  it('Show Ticker and Show Connection Details run', async () => {
    await vscode.commands.executeCommand(Command.ShowTicker);
    await vscode.commands.executeCommand(Command.ShowConnectionDetails);
  });

  it('Subscribe ignores an invalid symbol and keeps the watchlist', async () => {
    const before = ext.watchlist();
    await vscode.commands.executeCommand(Command.Subscribe, ['not-a-code']);
    assert.deepEqual(ext.watchlist(), before);
  });
});
