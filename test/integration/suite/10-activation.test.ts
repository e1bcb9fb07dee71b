/** Activation and the manifest's commands. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Command } from '../../../src/constants';
import { api, extension, manifest } from './helpers';

/** The commands the extension documents (src/constants.ts); each must be in the manifest. */
const DOCUMENTED_COMMANDS: readonly string[] = [
  Command.Subscribe,
  Command.Unsubscribe,
  Command.Connect,
  Command.Disconnect,
  Command.ShowTicker,
  Command.ShowConnectionDetails,
  Command.SetCredentials,
  Command.SelectDataSource,
  Command.UnsubscribeItem,
  Command.MoveUp,
  Command.MoveDown,
  Command.OpenInTicker,
];

describe('activation', () => {
  it('activates and returns the test API', async () => {
    const exported = await api();
    assert.equal(extension().isActive, true);
    for (const method of [
      'watchlist',
      'agentStats',
      'workerStats',
      'quote',
      'statusBar',
      'tickerSnapshotsDelivered',
      'simulatorRequests',
      'resources',
      'shutdown',
    ] as const) {
      assert.equal(typeof exported[method], 'function', `ExtensionApi.${method}`);
    }
  });

  it('declares every documented command in the manifest, each with a title and the KIS category', () => {
    const declared = new Map((manifest().contributes?.commands ?? []).map((c) => [c.command, c]));
    for (const id of DOCUMENTED_COMMANDS) {
      const entry = declared.get(id);
      assert.ok(entry, `package.json contributes.commands lacks ${id}`);
      assert.ok(entry.title, `${id} has a title`);
      assert.ok(entry.category, `${id} has a category`);
    }
  });

  it('registers every command the manifest declares', async () => {
    await api();
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = (manifest().contributes?.commands ?? []).map((c) => c.command).filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], 'declared in package.json but not registered');
  });
});
