// The typed settings snapshot (src/config.ts) under the stand-in: what it reads (the server URLs from the
// user's own settings only), what it warns about, when it announces a change, and where it writes.
import { vscodeFake, FakeLogChannel } from '../support/vscode';
import * as assert from 'node:assert/strict';
import { Logger } from '../../../src/common/logger';
import { Config, readSettings, type ConfigChange } from '../../../src/config';

describe('config: the settings snapshot (vscode stand-in)', () => {
  let channel: FakeLogChannel;
  let config: Config;
  let changes: ConfigChange[];

  beforeEach(() => {
    vscodeFake.reset();
    channel = new FakeLogChannel('test');
    config = new Config(new Logger(channel));
    changes = [];
    config.onDidChange((c) => changes.push(c));
  });

  afterEach(() => {
    config.dispose();
  });

  it('reads the manifest defaults when nothing is set', () => {
    assert.equal(config.current.dataSource, 'simulator');
    assert.equal(config.current.colorConvention, 'korean');
    assert.equal(config.current.staleAfterSeconds, 30);
    assert.deepEqual(channel.lines, []);
  });

  it('announces the keys whose effective value changed, and nothing for other sections or equal values', () => {
    vscodeFake.setSetting('kisMarket.colorConvention', 'western');
    assert.equal(changes.length, 1);
    assert.deepEqual([...changes[0]!.changed], ['colorConvention']);
    assert.equal(changes[0]!.previous.colorConvention, 'korean');
    assert.equal(config.current.colorConvention, 'western');
    vscodeFake.setSetting('editor.fontSize', 20);
    vscodeFake.setSetting('kisMarket.colorConvention', 'western', 'workspace');
    assert.equal(changes.length, 1, 'no event without an effective change');
  });

  it('warns about an invalid value (and uses the default), and reads server URLs from the user scope only', () => {
    vscodeFake.setSetting('kisMarket.staleAfterSeconds', 'soon');
    assert.match(channel.lines.join('\n'), /kisMarket\.staleAfterSeconds = "soon" is not valid; using 30/);
    vscodeFake.setSetting('kisMarket.advanced.wsUrl', 'ws://attacker.example:1', 'workspace');
    assert.equal(config.current.wsUrl, '', 'a workspace cannot redirect the credentials');
    vscodeFake.setSetting('kisMarket.advanced.wsUrl', 'ws://127.0.0.1:9', 'global');
    assert.equal(readSettings().wsUrl, 'ws://127.0.0.1:9');
    assert.equal(config.current.wsUrl, 'ws://127.0.0.1:9');
  });

  it('writes a setting where it takes effect: the workspace when the workspace sets it, else the user settings', async () => {
    await config.update('dataSource' as never, 'paper');
    assert.equal(vscodeFake.globalValues.get('kisMarket.dataSource'), 'paper');
    assert.equal(config.current.dataSource, 'paper', 'visible as soon as the update resolves');
    vscodeFake.setSetting('kisMarket.exchange', 'krx', 'workspace');
    await config.update('exchange' as never, 'nxt');
    assert.equal(vscodeFake.workspaceValues.get('kisMarket.exchange'), 'nxt');
    assert.equal(vscodeFake.globalValues.has('kisMarket.exchange'), false);
    assert.match(channel.lines.join('\n'), /kisMarket\.exchange is set by this workspace; updated it there/);
  });

  it('stops following the settings once disposed', () => {
    config.dispose();
    vscodeFake.setSetting('kisMarket.colorConvention', 'western');
    assert.equal(changes.length, 0);
    assert.equal(vscodeFake.workspaceListeners(), 0);
  });
});
