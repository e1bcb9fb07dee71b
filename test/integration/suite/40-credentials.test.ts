/** Credentials go to SecretStorage only: never to settings, never to the log. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Command, CONFIG_SECTION } from '../../../src/constants';
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

  before(async () => {
    ext = await api();
  });

  it('stores credentials given to Set Credentials without writing them to any setting', async () => {
    await vscode.commands.executeCommand(Command.SetCredentials, { source: 'paper', appkey: TEST_APPKEY, appsecret: TEST_APPSECRET });

    const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
    const keys = contributedSettingKeys();
    assert.ok(keys.length > 0, 'the manifest contributes settings');
    for (const fullKey of keys) {
      const inspected = config.inspect(fullKey.slice(CONFIG_SECTION.length + 1));
      for (const scope of SCOPES) {
        const text = JSON.stringify(inspected?.[scope] ?? null);
        assert.ok(!text.includes(TEST_APPKEY) && !text.includes(TEST_APPSECRET), `${fullKey} (${scope}) holds a credential`);
      }
    }
    const everything = JSON.stringify(vscode.workspace.getConfiguration());
    assert.ok(!everything.includes(TEST_APPKEY) && !everything.includes(TEST_APPSECRET), 'no setting anywhere holds a credential');
    // Setting credentials does not switch the data source away from the simulator.
    assert.equal(config.get('dataSource'), 'simulator');
    await waitFor('agent state open', () => ext.agentStats()?.state === 'open');
  });

  it('keeps the credentials out of the settings files and the logs', () => {
    const searched = filesToSearch();
    if (userDataDir()) assert.ok(searched.some((f) => f.includes(`${path.sep}logs${path.sep}`)), 'found log files to search');
    assert.deepEqual(filesContaining(TEST_APPKEY), [], 'files holding the app key');
    assert.deepEqual(filesContaining(TEST_APPSECRET), [], 'files holding the app secret');
  });
});
