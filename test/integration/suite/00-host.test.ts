/** The suite runs where it should: a real VS Code with the test workspace and this extension loaded. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../../../src/constants';
import { extension } from './helpers';

describe('the test host', () => {
  it('is a VS Code with the test workspace open', () => {
    assert.match(vscode.version, /^1\.\d+\.\d+/);
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1, 'one workspace folder');
    if (process.env.KIS_TEST_WORKSPACE) assert.equal(folders[0].uri.fsPath, process.env.KIS_TEST_WORKSPACE);
  });

  it('has the extension under development loaded', () => {
    assert.equal(extension().id.toLowerCase(), EXTENSION_ID);
  });
});
