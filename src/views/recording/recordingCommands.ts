/**
 * Record and replay in VS Code: "KIS: Start Recording", "KIS: Stop Recording", "KIS: Replay
 * Recording…", the recording indicator in the status bar, and the messages when a recording or a replay
 * ends. The work is the feed's (src/feed/source/sessionRecording.ts, the `replay` source); the texts are recordingModel.ts.
 * Every command takes optional arguments so the integration tests run it without dialogs:
 *   kisMarket.startRecording   { file?: string }                      → the file being written, or undefined
 *   kisMarket.stopRecording                                            → { file, reason, frames, bytes } or undefined
 *   kisMarket.replayRecording  { file: string, speed?: 1 | 10 | 'max' } → the file now replayed, or undefined
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Command, ContextKey, Setting } from '../../constants';
import type { Config } from '../../config';
import type { Logger } from '../../common/logger';
import type { MarketFeed, RecordingEnd } from '../../feed';
import type { ReplaySpeed } from '../../settings';
import {
  defaultRecordingName,
  recordingEndMessage,
  recordingIndicator,
  replayEndMessage,
  replayLabel,
} from './recordingModel';

/** Where the replay label goes besides the status bar: the sidebar ticker's title (TickerViewProvider). */
interface Describable {
  setDescription(text: string | undefined): void;
}

const t = vscode.l10n.t;
const TICK_MS = 1000;
const FILTERS = { [t('KIS recordings')]: ['kisrec'], [t('All files')]: ['*'] };

/** The recording commands, indicator and announcements of one window. */
export class RecordingController implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly feed: MarketFeed,
    private readonly config: Config,
    private readonly storage: vscode.Uri,
    private readonly log: Logger,
    ticker: Describable,
  ) {
    // The ticker shows the replay's speed and recorded time beside its title, as the status bar does.
    const describeReplay = (): void => {
      const replay = feed.replayStatus();
      ticker.setDescription(replay === undefined ? undefined : replayLabel(replay, t));
    };
    this.item = vscode.window.createStatusBarItem('kisMarket.recording', vscode.StatusBarAlignment.Left, 99);
    this.item.name = t('KIS Recording');
    this.item.command = Command.StopRecording;
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    this.disposables.push(
      this.item,
      feed.recorder.onDidStart(() => this.showIndicator(true)),
      feed.recorder.onDidStop((end) => this.onStopped(end)),
      feed.onReplayEnd((status) => {
        describeReplay();
        void vscode.window.showInformationMessage(replayEndMessage(status, t));
      }),
      feed.onSnapshot(describeReplay),
      feed.onDidChangeState(describeReplay),
    );
  }

  /** Registers the commands and the indicator. */
  static register(
    context: vscode.ExtensionContext,
    feed: MarketFeed,
    config: Config,
    log: Logger,
    ticker: Describable,
  ): RecordingController {
    const controller = new RecordingController(feed, config, context.globalStorageUri, log.child('recording'), ticker);
    const run = <R>(id: Command, fn: (arg: unknown) => Promise<R>): vscode.Disposable =>
      vscode.commands.registerCommand(id, async (arg?: unknown): Promise<R | undefined> => {
        try {
          return await fn(arg);
        } catch (error) {
          controller.log.error(`Command ${id} failed`, error);
          void vscode.window.showErrorMessage(t('KIS: {0}', error instanceof Error ? error.message : String(error)));
          return undefined;
        }
      });
    context.subscriptions.push(
      controller,
      run(Command.StartRecording, (arg) => controller.start(arg)),
      run(Command.StopRecording, () => controller.stop()),
      run(Command.ReplayRecording, (arg) => controller.replay(arg)),
    );
    return controller;
  }

  /** The indicator's text while recording (for the extension API), else undefined. */
  indicator(): string | undefined {
    const current = this.feed.recorder.current();
    return current === undefined ? undefined : recordingIndicator(current, Date.now(), t).text;
  }

  private async start(arg: unknown): Promise<string | undefined> {
    const given = (arg as { file?: unknown } | undefined)?.file;
    if (this.feed.state !== 'running') await this.feed.connect();
    let file = typeof given === 'string' && given !== '' ? given : undefined;
    if (file === undefined) {
      const name = defaultRecordingName(Date.now());
      const inStorage = vscode.Uri.joinPath(this.storage, 'recordings', name);
      const choose = t('Choose a file…');
      const picked = await vscode.window.showQuickPick([t('Save in the extension storage ({0})', name), choose], {
        title: t('KIS: Start Recording'),
      });
      if (picked === undefined) return undefined;
      if (picked === choose) {
        const target = await vscode.window.showSaveDialog({
          defaultUri: inStorage,
          filters: FILTERS,
          title: t('Record to'),
        });
        if (target === undefined) return undefined;
        file = target.fsPath;
      } else {
        file = inStorage.fsPath;
      }
    }
    await vscode.workspace.fs.createDirectory(vscode.Uri.file(path.dirname(file)));
    const { recordingMaxMegabytes: maxMegabytes, recordingMaxMinutes: maxMinutes } = this.config.current;
    const result = await this.feed.recorder.start(
      file,
      { maxMegabytes, maxMinutes },
      { app: 'kis-market-monitor', window: vscode.env.appName },
    );
    if (!result.ok) {
      void vscode.window.showWarningMessage(result.message);
      return undefined;
    }
    this.log.info(`Recording to ${file} (limits ${maxMegabytes} MB, ${maxMinutes} min)`);
    return file;
  }

  private async stop(): Promise<{ file: string; reason: string; frames: number; bytes: number } | undefined> {
    const end = await this.feed.recorder.stop();
    if (end === undefined) {
      void vscode.window.showInformationMessage(t('No recording is running.'));
      return undefined;
    }
    return { file: end.file, reason: end.reason, frames: end.stats.frames, bytes: end.stats.bytes };
  }

  private async replay(arg: unknown): Promise<string | undefined> {
    const given = arg as { file?: unknown; speed?: unknown } | undefined;
    let file = typeof given?.file === 'string' && given.file !== '' ? given.file : undefined;
    if (file === undefined) {
      const picked = await vscode.window.showOpenDialog({
        defaultUri: vscode.Uri.joinPath(this.storage, 'recordings'),
        filters: FILTERS,
        canSelectMany: false,
        title: t('KIS: Replay Recording'),
      });
      if (picked === undefined || picked.length === 0) return undefined;
      file = picked[0].fsPath;
    }
    let speed =
      given?.speed === 1 || given?.speed === 10 || given?.speed === 'max' ? (given.speed as ReplaySpeed) : undefined;
    if (speed === undefined) {
      const speeds: Array<{ label: string; speed: ReplaySpeed; detail: string }> = [
        { label: '1×', speed: 1, detail: t('As recorded') },
        { label: '10×', speed: 10, detail: t('Ten times faster') },
        { label: 'max', speed: 'max', detail: t('As fast as the pipeline takes it') },
      ];
      const picked = await vscode.window.showQuickPick(speeds, { title: t('Replay speed') });
      if (picked === undefined) return undefined;
      speed = picked.speed;
    }
    const before = this.config.current;
    await this.config.update(Setting.replayFile, file);
    await this.config.update(Setting.replaySpeed, String(speed));
    await this.config.update(Setting.dataSource, 'replay');
    await this.feed.settled();
    // Same file, speed and source: no setting changed, so nothing restarted; play it again from the start.
    if (before.dataSource === 'replay' && before.replayFile === file && before.replaySpeed === speed)
      await this.feed.restart();
    else if (this.feed.state === 'off') await this.feed.connect();
    return file;
  }

  private onStopped(end: RecordingEnd): void {
    this.showIndicator(false);
    const { recordingMaxMegabytes: maxMegabytes, recordingMaxMinutes: maxMinutes } = this.config.current;
    const message = recordingEndMessage(end, { maxMegabytes, maxMinutes }, t);
    this.log.info(message);
    const reveal = t('Reveal');
    const replay = t('Replay…');
    const show =
      end.reason === 'write-failed' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void show(message, reveal, replay).then((choice) => {
      if (choice === reveal) void vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(end.file));
      else if (choice === replay) void vscode.commands.executeCommand(Command.ReplayRecording, { file: end.file });
    });
  }

  private showIndicator(on: boolean): void {
    void vscode.commands.executeCommand('setContext', ContextKey.Recording, on);
    if (on) {
      this.render();
      this.item.show();
      this.timer ??= setInterval(() => this.render(), TICK_MS);
    } else {
      if (this.timer !== undefined) clearInterval(this.timer);
      this.timer = undefined;
      this.item.hide();
    }
  }

  private render(): void {
    const current = this.feed.recorder.current();
    if (current === undefined) return;
    const view = recordingIndicator(current, Date.now(), t);
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
  }

  dispose(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
