import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { SecretTokenStore } from '../../../src/views/secretTokenStore';

function fakeSecrets(): vscode.SecretStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    get: async (key: string) => data.get(key),
    store: async (key: string, value: string) => void data.set(key, value),
    delete: async (key: string) => void data.delete(key),
    keys: async () => [...data.keys()],
    onDidChange: () => ({ dispose: () => undefined }),
  } as unknown as vscode.SecretStorage & { data: Map<string, string> };
}

describe('SecretTokenStore', () => {
  it('keeps a token under an opaque id in SecretStorage and reads a damaged entry as absent', async () => {
    const secrets = fakeSecrets();
    const store = new SecretTokenStore(secrets);
    const token = { accessToken: 'tok', expiresAt: 2, issuedAt: 1 };
    await store.set('abc', token);
    assert.deepEqual(await store.get('abc'), token);
    assert.deepEqual([...secrets.data.keys()], ['kisMarket.restToken.abc']);
    await store.delete('abc');
    assert.equal(await store.get('abc'), undefined);
    secrets.data.set('kisMarket.restToken.x', 'not json');
    assert.equal(await store.get('x'), undefined);
    secrets.data.set('kisMarket.restToken.y', '{"accessToken":1}');
    assert.equal(await store.get('y'), undefined);
  });
});
