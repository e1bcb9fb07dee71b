/**
 * Record and replay in a real VS Code: "KIS: Start Recording" on the running simulator session,
 * the REC indicator, "KIS: Stop Recording"; then "KIS: Replay Recording…" at 10×: the rows move and the
 * status bar says "replay 10×" with the recorded time, and the end of the recording is reached.
 * The 30 s recording is shortened to about 40 trades of one symbol (a few seconds at the
 * simulator's default rate): enough frames to see a replay move, without slowing the suite.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Command } from '../../../src/constants';
import type { ExtensionApi } from '../../../src/shared/extensionApi';
import { api, waitFor } from './helpers';

const SYMBOL = '005930';

describe('record and replay in VS Code', () => {
  let ext: ExtensionApi;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-it-rec-'));
  const file = path.join(dir, 'session.kisrec');

  before(async () => {
    ext = await api();
    await vscode.commands.executeCommand(Command.SelectDataSource, 'simulator');
    await vscode.commands.executeCommand(Command.Subscribe, [SYMBOL]);
    await waitFor('agent state open', () => ext.agentStats()?.state === 'open');
  });

  after(async () => {
    await vscode.commands.executeCommand(Command.StopRecording);
    await vscode.commands.executeCommand(Command.SelectDataSource, 'simulator');
    const config = vscode.workspace.getConfiguration('kisMarket');
    for (const key of ['replay.file', 'replay.speed'])
      await config.update(key, undefined, vscode.ConfigurationTarget.Global);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('Start Recording records the running session with a REC indicator; Stop Recording finishes the file', async () => {
    const started = await vscode.commands.executeCommand<string | undefined>(Command.StartRecording, { file });
    assert.equal(started, file);
    await waitFor('the REC indicator', () => /^\$\(record\) REC \d+:\d\d · /.test(ext.recordingIndicator?.() ?? ''));
    const from = ext.quote(SYMBOL)?.trades ?? 0;
    await waitFor('40 trades recorded', () => (ext.quote(SYMBOL)?.trades ?? 0) >= from + 40);
    const end = await vscode.commands.executeCommand<
      { file: string; reason: string; frames: number; bytes: number } | undefined
    >(Command.StopRecording);
    assert.ok(end, 'Stop Recording returns how the recording ended');
    assert.equal(end.file, file);
    assert.equal(end.reason, 'stopped');
    assert.ok(end.frames >= 40, `${end.frames} frames recorded`);
    assert.equal(ext.recordingIndicator?.(), undefined, 'the indicator is gone');
    assert.equal(fs.readFileSync(file).subarray(0, 6).toString('latin1'), 'KISREC');
  });

  it('Replay Recording… at 10×: the rows move, the status bar says "replay 10×" and the recorded time, the end is reached', async () => {
    const replayed = await vscode.commands.executeCommand<string | undefined>(Command.ReplayRecording, {
      file,
      speed: 10,
    });
    assert.equal(replayed, file);
    const status = await waitFor('the replay playing', () => ext.replayStatus?.());
    assert.equal(status.speed, 10);
    const recordedAt = await waitFor('a recorded time', () => ext.replayStatus?.()?.recordedAt);
    const text = await waitFor('"replay 10×" in the status bar', () => {
      const bar = ext.statusBar().text;
      return /replay (10×|ended) · \d\d:\d\d:\d\d KST/.test(bar) ? bar : undefined;
    });
    assert.ok(text.includes('KST'), text);
    await waitFor('the ticker to say "replay 10×" too', () =>
      /^replay (10×|ended) · \d\d:\d\d:\d\d KST$/.test(ext.tickerDescription?.() ?? ''),
    );
    const first = await waitFor('replayed trades in the row', () => ext.quote(SYMBOL)?.trades);
    await waitFor(
      'the row to move',
      () => (ext.quote(SYMBOL)?.trades ?? 0) > first || ext.replayStatus?.()?.state === 'ended',
    );
    const ended = await waitFor('the end of the recording', () =>
      ext.replayStatus?.()?.state === 'ended' ? ext.replayStatus?.() : undefined,
    );
    assert.ok(ended.frames >= 40, `${ended.frames} frames replayed`);
    assert.ok((ended.recordedAt ?? 0) >= recordedAt, 'the recorded clock moved forward');
    assert.ok(
      (ext.quote(SYMBOL)?.trades ?? 0) > 0,
      `the row shows the replayed trades (${JSON.stringify({ quote: ext.quote(SYMBOL), ended, watchlist: ext.watchlist() })})`,
    );
    await waitFor('"replay ended" in the status bar', () => ext.statusBar().text.includes('replay ended'));
  });
});
