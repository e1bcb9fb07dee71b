/**
 * Credentials go to SecretStorage only: never to settings, never to the log. The round trip is proved
 * against a KIS simulator that accepts nothing but the test pair: the paper source can only connect to it
 * when the extension reads back exactly what Set Credentials stored.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Command, CONFIG_SECTION, Setting } from '../../../src/constants';
import { KisSimulator } from '../../../src/simulator';
import type { ExtensionApi } from '../../../src/shared/extensionApi';
import { api, contributedSettingKeys, filesUnder, userDataDir, waitFor } from './helpers';
import { TEST_APPKEY, TEST_APPSECRET } from './secrets';

/** The places a setting can live, as inspect() reports them. */
const SCOPES = ['defaultValue', 'globalValue', 'workspaceValue', 'workspaceFolderValue'] as const;

/** Files that would hold a leaked secret: settings on disk and every log VS Code and the extension wrote. */
function filesToSearch(): string[] {
  const files: string[] = [];
  const userData = userDataDir();
  if (userData) {
    files.push(path.join(userData, 'User', 'settings.json'));
    const logs = path.join(userData, 'logs');
    if (fs.existsSync(logs)) files.push(...filesUnder(logs));
  }
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    files.push(path.join(folder.uri.fsPath, '.vscode', 'settings.json'));
  }
  return files.filter((file) => fs.existsSync(file));
}

/** Names of the files that contain `needle`. */
function filesContaining(needle: string): string[] {
  return filesToSearch().filter((file) => fs.readFileSync(file, 'utf8').includes(needle));
}

describe('credentials', () => {
  let ext: ExtensionApi;
  let paperServer: KisSimulator | undefined;

  before(async () => {
    ext = await api();
  });

  after(async () => {
    // Back to the embedded simulator and the default endpoints, whatever happened above.
    const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
    await config.update(Setting.wsUrl, undefined, vscode.ConfigurationTarget.Global);
    await config.update(Setting.restUrl, undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand(Command.SelectDataSource, 'simulator');
    await waitFor(
      'the embedded simulator session open again',
      () => ext.resources().simulatorRunning && ext.agentStats()?.state === 'open',
    );
    await paperServer?.close();
  });

  it('stores credentials given to Set Credentials without writing them to any setting', async () => {
    await vscode.commands.executeCommand(Command.SetCredentials, {
      source: 'paper',
      appkey: TEST_APPKEY,
      appsecret: TEST_APPSECRET,
    });

    const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
    const keys = contributedSettingKeys();
    assert.ok(keys.length > 0, 'the manifest contributes settings');
    for (const fullKey of keys) {
      const inspected = config.inspect(fullKey.slice(CONFIG_SECTION.length + 1));
      for (const scope of SCOPES) {
        const text = JSON.stringify(inspected?.[scope] ?? null);
        assert.ok(
          !text.includes(TEST_APPKEY) && !text.includes(TEST_APPSECRET),
          `${fullKey} (${scope}) holds a credential`,
        );
      }
    }
    const everything = JSON.stringify(vscode.workspace.getConfiguration());
    assert.ok(
      !everything.includes(TEST_APPKEY) && !everything.includes(TEST_APPSECRET),
      'no setting anywhere holds a credential',
    );
    // Setting credentials does not switch the data source away from the simulator.
    assert.equal(config.get('dataSource'), 'simulator');
    await waitFor('agent state open', () => ext.agentStats()?.state === 'open');
  });

  it('connects the paper source with exactly the stored pair', async () => {
    // A stand-in for the KIS paper server that approves only the test credentials (403 otherwise).
    paperServer = await KisSimulator.start({
      port: 0,
      credentials: { appkey: TEST_APPKEY, secretkey: TEST_APPSECRET },
    });
    const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
    await config.update(Setting.wsUrl, paperServer.wsUrl, vscode.ConfigurationTarget.Global);
    await config.update(Setting.restUrl, paperServer.restUrl, vscode.ConfigurationTarget.Global);

    await vscode.commands.executeCommand(Command.SelectDataSource, 'paper');
    await waitFor('the paper session open on the stand-in server', () => {
      const stats = ext.agentStats();
      return stats?.state === 'open' && paperServer !== undefined && paperServer.connectionCount > 0;
    }).catch((error: Error) => {
      throw new Error(
        `${error.message}; agent ${JSON.stringify(ext.agentStats() ?? null)}; status ${JSON.stringify(ext.statusBar())}`,
      );
    });
    assert.equal(ext.resources().simulatorRunning, false, 'no embedded simulator on the paper source');
    assert.equal(ext.agentStats()?.lastErrorCode, undefined);
  });

  it('keeps the credentials out of the settings files and the logs', () => {
    const searched = filesToSearch();
    if (userDataDir())
      assert.ok(
        searched.some((f) => f.includes(`${path.sep}logs${path.sep}`)),
        'found log files to search',
      );
    assert.deepEqual(filesContaining(TEST_APPKEY), [], 'files holding the app key');
    assert.deepEqual(filesContaining(TEST_APPSECRET), [], 'files holding the app secret');
  });
});
