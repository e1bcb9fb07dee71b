// "KIS: Start Recording", "KIS: Stop Recording" and "KIS: Replay Recording…" (src/views/recording/recordingCommands.ts) as a
// user runs them: the activated extension on the built-in simulator under the vscode stand-in, the pickers and
// dialogs answered by scripted replies, the REC indicator, the messages, the settings the replay writes, and
// the file on disk.
import { vscodeFake, nextEvent } from '../support/vscode';
import { Uri } from '../support/vscodeTypes';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activated, until, type Activated, runCommand } from '../support/extensionHost';

describe('views: recording and replay commands (vscode stand-in, built-in simulator)', function () {
  this.timeout(30_000);
  let ext: Activated;
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-rec-'));
    ext = activated();
  });

  afterEach(async () => {
    await ext.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const run = runCommand;
  const indicator = () => vscodeFake.statusItems.get('kisMarket.recording');
  /** The message of `kind` matching `pattern`, once it is shown. */
  const shown = (kind: 'info' | 'warning' | 'error', pattern: RegExp, what: string): Promise<string> =>
    until(() => vscodeFake.messages(kind).find((m) => pattern.test(m)), vscodeFake.messageShown.event, what);
  /** Resolves with the uri the extension asks VS Code to reveal (a command of VS Code's own, stood in for here). */
  const revealed = (): Promise<Uri> =>
    new Promise((resolve) => {
      const d = vscode.commands.registerCommand('revealFileInOS', (uri: Uri) => {
        d.dispose();
        resolve(uri);
      });
    });

  it('records into the extension storage, shows REC while it runs, and stops with a message that reveals the file', async () => {
    await run('subscribe', ['005930']);
    vscodeFake.answer('quickPick', (s: { items: string[] }) => s.items[0]);
    const file = (await run('startRecording')) as string;
    assert.equal(path.dirname(file), path.join(ext.context.globalStorageUri.fsPath, 'recordings'));
    assert.match(path.basename(file), /^kis-\d{8}-\d{6}\.kisrec$/);
    assert.equal(vscodeFake.contexts.get('kisMarket.recording'), true);
    assert.equal(indicator()?.shown, true);
    assert.match(indicator()?.text ?? '', /^\$\(record\) REC 0:0\d · /);
    assert.equal(indicator()?.command, 'kisMarket.stopRecording', 'a click on the indicator stops');
    assert.match(
      String(indicator()?.tooltip),
      new RegExp(`Recording to ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
    assert.match(ext.api.recordingIndicator?.() ?? '', /REC/);

    assert.equal(await run('startRecording', { file: path.join(dir, 'second.kisrec') }), undefined);
    assert.match(vscodeFake.messages('warning').at(-1) ?? '', /Already recording to .*Stop that recording first/);

    const reveal = revealed();
    vscodeFake.answer('info', (s: { message: string }) =>
      s.message.startsWith('Recording saved') ? 'Reveal' : undefined,
    );
    const end = (await run('stopRecording')) as { file: string; reason: string; frames: number; bytes: number };
    assert.equal(end.file, file);
    assert.equal(end.reason, 'stopped');
    assert.ok(end.bytes > 0 && fs.statSync(file).size === end.bytes, 'what it reports is what is on disk');
    assert.equal((await reveal).fsPath, file);
    assert.match(
      await shown('info', /^Recording saved to /, 'the saved message'),
      new RegExp(`\\(${end.frames} frames, `),
    );
    assert.equal(indicator()?.shown, false);
    assert.equal(vscodeFake.contexts.get('kisMarket.recording'), false);
    assert.equal(ext.api.recordingIndicator?.(), undefined);

    assert.equal(await run('stopRecording'), undefined);
    assert.equal(vscodeFake.messages('info').at(-1), 'No recording is running.');
  });

  it('records where the save dialog says, connecting first, and starts nothing when the pick or the dialog is dismissed', async () => {
    assert.equal(await run('disconnect'), 'off');
    assert.equal(vscodeFake.contexts.get('kisMarket.connected'), false);
    vscodeFake.answer('quickPick', undefined);
    assert.equal(await run('startRecording'), undefined);
    vscodeFake.answer('quickPick', (s: { items: string[] }) => s.items[1]);
    vscodeFake.answer('saveDialog', undefined);
    assert.equal(await run('startRecording'), undefined);
    assert.equal(indicator()?.shown, false);

    const target = path.join(dir, 'deep', 'er', 'mine.kisrec');
    vscodeFake.answer('quickPick', (s: { items: string[] }) => s.items[1]);
    vscodeFake.answer('saveDialog', (s: { options: { defaultUri: Uri; filters: Record<string, string[]> } }) => {
      assert.match(s.options.defaultUri.fsPath, /recordings[/\\]kis-\d{8}-\d{6}\.kisrec$/);
      assert.deepEqual(Object.values(s.options.filters)[0], ['kisrec']);
      return Uri.file(target);
    });
    assert.equal(await run('startRecording'), target);
    assert.equal(
      vscodeFake.contexts.get('kisMarket.connected'),
      true,
      'a recording needs a session: the command connected',
    );
    assert.ok(fs.existsSync(target), 'the folders were made');
    assert.equal(((await run('stopRecording')) as { file: string }).file, target);
  });

  it('says why a recording cannot start where no file can be made', async () => {
    const blocked = path.join(dir, 'a-file');
    fs.writeFileSync(blocked, '');
    assert.equal(await run('startRecording', { file: path.join(blocked, 'x.kisrec') }), undefined);
    assert.match(vscodeFake.messages('error').at(-1) ?? '', /^KIS: /);
    assert.equal(indicator()?.shown, false);
    assert.ok(ext.context.subscriptions.length > 0);
  });

  it('replays a recording from the "Replay…" button at the chosen speed, says when it ended, and plays it again from the start', async () => {
    await run('subscribe', ['005930']);
    const file = path.join(dir, 'short.kisrec');
    assert.equal(await run('startRecording', { file }), file);
    vscodeFake.answer('info', (s: { message: string }) =>
      s.message.startsWith('Recording saved') ? 'Replay…' : undefined,
    );
    vscodeFake.answer('quickPick', (s: { message: string; items: Array<{ label: string }> }) => {
      assert.equal(s.message, 'Replay speed');
      assert.deepEqual(
        s.items.map((i) => i.label),
        ['1×', '10×', 'max'],
      );
      return s.items[2];
    });
    await run('stopRecording');
    await shown('info', /^The replay reached the end of the recording/, 'the end of the replay');
    assert.equal(vscodeFake.setting('kisMarket.dataSource'), 'replay');
    assert.equal(vscodeFake.setting('kisMarket.replay.file'), file);
    assert.equal(vscodeFake.setting('kisMarket.replay.speed'), 'max');
    assert.match(ext.api.tickerDescription?.() ?? '', /^replay ended · \d\d:\d\d:\d\d KST$/);
    assert.equal(ext.api.replayStatus?.()?.state, 'ended');

    // The same file at the same speed changes no setting: the command restarts the replay itself.
    const before = vscodeFake.messages('info').length;
    assert.equal(await run('replayRecording', { file, speed: 'max' }), file);
    await until(
      () =>
        vscodeFake
          .messages('info')
          .slice(before)
          .find((m) => m.startsWith('The replay reached the end')),
      vscodeFake.messageShown.event,
      'the second end',
    );

    // Disconnected, a replay at another speed connects to play it.
    assert.equal(await run('disconnect'), 'off');
    const again = vscodeFake.messages('info').length;
    assert.equal(await run('replayRecording', { file, speed: 10 }), file);
    assert.equal(vscodeFake.contexts.get('kisMarket.connected'), true);
    await until(
      () =>
        vscodeFake
          .messages('info')
          .slice(again)
          .find((m) => m.startsWith('The replay reached the end')),
      vscodeFake.messageShown.event,
      'the third end',
    );
  });

  it('asks for the file and the speed, and does nothing when either is dismissed', async () => {
    vscodeFake.answer('openDialog', undefined);
    assert.equal(await run('replayRecording'), undefined);
    vscodeFake.answer('openDialog', []);
    assert.equal(await run('replayRecording'), undefined);
    vscodeFake.answer('openDialog', (s: { options: { canSelectMany: boolean } }) => {
      assert.equal(s.options.canSelectMany, false);
      return [Uri.file(path.join(dir, 'picked.kisrec'))];
    });
    vscodeFake.answer('quickPick', undefined);
    assert.equal(await run('replayRecording'), undefined);
    assert.equal(vscodeFake.setting('kisMarket.dataSource'), 'simulator', 'nothing switched');
    const shownPick = nextEvent(vscodeFake.messageShown.event, 'the speed picker');
    vscodeFake.answer('quickPick', (s: { items: Array<{ speed: unknown }> }) => s.items[1]);
    assert.equal(
      await run('replayRecording', { file: path.join(dir, 'picked.kisrec'), speed: 3 }),
      path.join(dir, 'picked.kisrec'),
      'an unknown speed is asked for',
    );
    assert.equal((await shownPick).kind, 'quickPick');
    assert.equal(vscodeFake.setting('kisMarket.replay.speed'), '10');
  });
});
