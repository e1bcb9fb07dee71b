/**
 * The command palette and tree-context commands. Every command takes optional arguments so the
 * integration tests (and keybindings) can run it without UI:
 *   kisMarket.subscribe          ['005930', …] | '005930,000660'  → AddResult
 *   kisMarket.unsubscribe        '005930' | ['005930', …]          → removed codes
 *   kisMarket.setCredentials     { source, appkey, appsecret }      → true when stored
 *   kisMarket.selectDataSource   'simulator' | KisSource     → the source now configured
 *   kisMarket.showConnectionDetails                                  → the details text
 * Errors say what happened and what to do; they never include a secret.
 */
import * as vscode from 'vscode';
import { Command, Setting, SECRET_APPKEY, SECRET_APPSECRET, SECRET_HTS_ID, View } from '../constants';
import type { Config } from '../config';
import type { Logger } from '../common/logger';
import { SESSION_BUDGET, type AddResult, type Credentials, type FeedProblem, type MarketFeed } from '../feed';
import { DATA_SOURCES, type DataSource } from '../settings';
import { dataExpectedNow, phaseWords } from './dayText';
import { isKisSource, type KisSource } from '../market/sources';
import { displayName, isSymbolCode, parseSymbolList } from '../market/symbolInput';
import { findSymbol } from '../market/catalogue';
import type { TickerViewProvider } from './ticker/ticker';
import type { WatchlistTreeProvider } from './watchlist/watchlist';
import type { DetailsPanel } from './status/details';
import { sourceLabel } from './status/statusBarModel';
import type { SymbolPicker } from './symbolPicker';

const t = vscode.l10n.t;

/** What the commands act on. */
export interface CommandDeps {
  session: MarketFeed;
  config: Config;
  ticker: TickerViewProvider;
  watchlist: WatchlistTreeProvider;
  details: DetailsPanel;
  secrets: vscode.SecretStorage;
  log: Logger;
  /** Resolves when the restart triggered by the last settings change has finished. */
  settled: () => Promise<void>;
  /** The full-symbol picker (KRX and US master files, 초성). */
  picker: SymbolPicker;
}

/** The stored credentials of a KIS source. */
export async function readCredentials(
  secrets: vscode.SecretStorage,
  source: KisSource,
): Promise<Credentials | undefined> {
  const [appkey, appsecret, htsId] = await Promise.all([
    secrets.get(SECRET_APPKEY(source)),
    secrets.get(SECRET_APPSECRET(source)),
    secrets.get(SECRET_HTS_ID(source)),
  ]);
  if (!appkey || !appsecret) return undefined;
  return htsId ? { appkey, appsecret, htsId } : { appkey, appsecret };
}

/** The HTS ID stored for `source`, if any (the simulator takes the paper one). */
export async function readHtsId(secrets: vscode.SecretStorage, source: KisSource): Promise<string | undefined> {
  return (await secrets.get(SECRET_HTS_ID(source))) || undefined;
}

/** An HTS ID as KIS issues them: letters and digits (the check never echoes the input). */
const HTS_ID = /^[A-Za-z0-9_]{1,16}$/;

/** Registers every command; returns the registrations. */
export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const { session, log } = deps;
  const run = <A extends unknown[], R>(id: Command, fn: (...args: A) => Promise<R> | R): vscode.Disposable =>
    vscode.commands.registerCommand(id, async (...args: A): Promise<R | undefined> => {
      try {
        return await fn(...args);
      } catch (error) {
        log.error(`Command ${id} failed`, error);
        void vscode.window.showErrorMessage(t('KIS: {0}', error instanceof Error ? error.message : String(error)));
        return undefined;
      }
    });

  return [
    run(Command.Subscribe, (arg?: unknown) => subscribe(deps, arg)),
    run(Command.Unsubscribe, (arg?: unknown) => unsubscribe(deps, arg)),
    run(Command.UnsubscribeItem, async (symbol?: unknown) =>
      typeof symbol === 'string' ? session.remove(symbol) : false,
    ),
    run(Command.MoveUp, async (symbol?: unknown) => (typeof symbol === 'string' ? session.move(symbol, -1) : false)),
    run(Command.MoveDown, async (symbol?: unknown) => (typeof symbol === 'string' ? session.move(symbol, 1) : false)),
    run(Command.PinLive, async (symbol?: unknown) => (typeof symbol === 'string' ? session.pin(symbol, true) : false)),
    run(Command.UnpinLive, async (symbol?: unknown) =>
      typeof symbol === 'string' ? session.pin(symbol, false) : false,
    ),
    run(Command.OpenInTicker, (symbol?: unknown) => {
      if (typeof symbol !== 'string' || !isSymbolCode(symbol)) return false;
      deps.ticker.select(symbol);
      session.preferBook(symbol);
      return true;
    }),
    run(Command.Connect, async () => {
      await session.connect();
      return session.state;
    }),
    run(Command.Disconnect, async () => {
      await session.disconnect();
      return session.state;
    }),
    // The editor panel is what the command promises; the sidebar view is a click away in the container.
    run(Command.ShowTicker, async (arg?: unknown) => {
      if (arg === 'view') await vscode.commands.executeCommand(`${View.Ticker}.focus`);
      else deps.ticker.openPanel();
    }),
    run(Command.ShowConnectionDetails, () => deps.details.show()),
    run(Command.SetCredentials, (arg?: unknown) => setCredentials(deps, arg)),
    run(Command.SelectDataSource, (arg?: unknown) => selectDataSource(deps, arg)),
  ];
}

// -------------------------------------------------------------------------------------------------
// subscribe

interface SymbolPick extends vscode.QuickPickItem {
  code: string;
}

function catalogueItem(code: string): SymbolPick {
  const entry = findSymbol(code);
  return entry
    ? { code, label: entry.nameKo, description: code, detail: `${entry.nameEn} · ${entry.market}` }
    : { code, label: code, description: code, detail: t('Not in the catalogue: subscribed by code') };
}

async function subscribe(deps: CommandDeps, arg: unknown): Promise<AddResult | undefined> {
  const { session } = deps;
  let codes: string[];
  if (arg === undefined || arg === null) {
    const picked = await deps.picker.pick(session.symbols);
    if (!picked || picked.length === 0) return undefined;
    codes = picked;
  } else {
    const { codes: valid, rejected } = parseSymbolList(arg);
    if (rejected.length > 0) {
      void vscode.window.showErrorMessage(
        t('Not a KRX code: {0}. A code is six digits, for example 005930.', rejected.join(', ')),
      );
    }
    if (valid.length === 0) return undefined;
    codes = valid;
  }

  const title =
    codes.length === 1
      ? t('Subscribing to {0}…', displayName(codes[0], vscode.env.language))
      : t('Subscribing to {0} symbols…', codes.length);
  const result = await vscode.window.withProgress(
    {
      location: codes.length > 1 ? vscode.ProgressLocation.Notification : vscode.ProgressLocation.Window,
      title,
      cancellable: codes.length > 1,
    },
    async (progress, token) => {
      let last = 0;
      const adding = session.add(codes, (done, total) => {
        // One step per ack.
        const percent = (done / total) * 100;
        progress.report({ increment: percent - last, message: t('{0} of {1} acknowledged', done, total) });
        last = percent;
      });
      // Cancelling stops the waiting, not the subscriptions (they complete in the background).
      const cancelled = new Promise<undefined>((resolve) => token.onCancellationRequested(() => resolve(undefined)));
      return Promise.race([adding, cancelled]);
    },
  );
  if (result) reportAdd(deps, result);
  return result;
}

function reportAdd(deps: CommandDeps, result: AddResult): void {
  const name = (s: string): string => `${displayName(s, vscode.env.language)} (${s})`;
  const over = result.failed.filter((f) => f.code === 'MAX_SUBSCRIPTIONS').map((f) => f.symbol);
  if (over.length > 0) {
    // The plan stays within the budget; this is the server counting another session's registrations.
    void vscode.window.showWarningMessage(
      t(
        'KIS allows {0} real-time registrations per session, so {1} is refreshed by REST instead of streaming.',
        SESSION_BUDGET,
        over.map(name).join(', '),
      ),
    );
  }
  for (const f of result.failed) {
    if (f.code === 'MAX_SUBSCRIPTIONS') continue;
    if (f.code === 'ACK_TIMEOUT') {
      void vscode.window.showWarningMessage(
        t(
          'KIS did not confirm {0} in time. It stays on the watchlist and is retried on the next connection.',
          name(f.symbol),
        ),
      );
    } else {
      void vscode.window.showErrorMessage(
        t('KIS refused {0}: {1}. Check that the code is a listed KRX stock.', name(f.symbol), f.message),
      );
    }
  }
  if (
    result.added.length === 0 &&
    result.failed.length === 0 &&
    result.pending.length === 0 &&
    result.already.length > 0
  ) {
    void vscode.window.showInformationMessage(
      t('{0} is already on the watchlist.', result.already.map(name).join(', ')),
    );
  }
  const day = deps.session.dayStatus();
  if (result.added.length > 0 && !dataExpectedNow(day)) {
    void vscode.window.showInformationMessage(
      t('The market is {0} (KST). The subscription is registered; data flows when trading starts.', phaseWords(day, t)),
    );
  }
}

async function unsubscribe(deps: CommandDeps, arg: unknown): Promise<string[]> {
  const { session } = deps;
  let codes: string[];
  if (arg === undefined || arg === null) {
    if (session.symbols.length === 0) {
      void vscode.window.showInformationMessage(t('The watchlist is empty.'));
      return [];
    }
    const picked = await vscode.window.showQuickPick(
      session.symbols.map((code) => catalogueItem(code)),
      {
        title: t('KIS: Unsubscribe'),
        placeHolder: t('Symbols to remove from the watchlist'),
        canPickMany: true,
        matchOnDescription: true,
        matchOnDetail: true,
      },
    );
    if (!picked || picked.length === 0) return [];
    codes = picked.map((p) => p.code);
  } else {
    const parsed = parseSymbolList(arg);
    codes = parsed.codes;
    if (parsed.rejected.length > 0) {
      void vscode.window.showErrorMessage(
        t('Not a KRX code: {0}. A code is six digits, for example 005930.', parsed.rejected.join(', ')),
      );
    }
  }
  const removed: string[] = [];
  for (const code of codes) if (await session.remove(code)) removed.push(code);
  const missing = codes.filter((c) => !removed.includes(c));
  if (missing.length > 0) void vscode.window.showWarningMessage(t('{0} is not on the watchlist.', missing.join(', ')));
  return removed;
}

// -------------------------------------------------------------------------------------------------
// credentials and data source

async function setCredentials(deps: CommandDeps, arg: unknown): Promise<boolean> {
  let source: KisSource | undefined;
  let appkey: string | undefined;
  let appsecret: string | undefined;
  let htsId: string | undefined;
  if (arg !== undefined && arg !== null) {
    const given = arg as { source?: unknown; appkey?: unknown; appsecret?: unknown; htsId?: unknown };
    if (
      typeof arg !== 'object' ||
      !isKisSource(given.source) ||
      typeof given.appkey !== 'string' ||
      typeof given.appsecret !== 'string' ||
      (given.htsId !== undefined && typeof given.htsId !== 'string')
    ) {
      throw new Error(
        t('setCredentials expects { source: "paper" | "real", appkey: string, appsecret: string, htsId?: string }.'),
      );
    }
    source = given.source;
    appkey = given.appkey.trim();
    appsecret = given.appsecret.trim();
    htsId = given.htsId?.trim();
    if (!appkey || !appsecret) throw new Error(t('The app key and the app secret must not be empty.'));
    if (htsId && !HTS_ID.test(htsId)) throw new Error(t('An HTS ID is letters and digits only.'));
  } else {
    const current = deps.config.current.dataSource;
    const items: Array<vscode.QuickPickItem & { source: KisSource }> = [
      {
        source: 'paper',
        label: sourceLabel('paper', t),
        description: 'openapivts.koreainvestment.com · ops.koreainvestment.com:31000',
      },
      {
        source: 'real',
        label: sourceLabel('real', t),
        description: 'openapi.koreainvestment.com · ops.koreainvestment.com:21000',
      },
    ];
    if (current === 'real') items.reverse();
    const picked = await vscode.window.showQuickPick(items, {
      title: t('KIS: Set Credentials'),
      placeHolder: t('Which account are these credentials for?'),
    });
    if (!picked) return false;
    source = picked.source;
    const notEmpty = (v: string): string | undefined =>
      v.trim() === '' ? t('Required.') : /\s/.test(v.trim()) ? t('Must not contain spaces.') : undefined;
    appkey = (
      await vscode.window.showInputBox({
        title: t('KIS app key ({0})', picked.label),
        prompt: t('The app key from KIS Developers. Stored in the OS keychain, never in settings or logs.'),
        password: true,
        ignoreFocusOut: true,
        validateInput: notEmpty,
      })
    )?.trim();
    if (!appkey) return false;
    appsecret = (
      await vscode.window.showInputBox({
        title: t('KIS app secret ({0})', picked.label),
        prompt: t('The app secret from KIS Developers. Stored in the OS keychain, never in settings or logs.'),
        password: true,
        ignoreFocusOut: true,
        validateInput: notEmpty,
      })
    )?.trim();
    if (!appsecret) return false;
    // Optional: without it nothing changes; with it the session subscribes the execution notices.
    htsId = (
      await vscode.window.showInputBox({
        title: t('KIS HTS ID ({0}), optional', picked.label),
        prompt: t(
          'Your HTS ID, for notices of your own fills (leave empty to skip). Stored in the OS keychain, never in settings or logs.',
        ),
        password: true,
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() === '' || HTS_ID.test(v.trim()) ? undefined : t('Letters and digits only.')),
      })
    )?.trim();
  }
  deps.log.addSecret(appkey);
  deps.log.addSecret(appsecret);
  deps.log.addSecret(htsId);
  await deps.secrets.store(SECRET_APPKEY(source), appkey);
  await deps.secrets.store(SECRET_APPSECRET(source), appsecret);
  // An empty answer keeps what was stored: the HTS ID is asked again with every new key, not forgotten by it.
  if (htsId) await deps.secrets.store(SECRET_HTS_ID(source), htsId);
  deps.log.info(`Credentials for ${source} stored in SecretStorage`);
  // A session on that source (running or failed for lack of credentials) starts again with them.
  // The simulator plays the paper server and takes the paper HTS ID: a new one restarts it too.
  const running = deps.config.current.dataSource;
  const affected = running === source || (running === 'simulator' && source === 'paper' && Boolean(htsId));
  if (affected && (deps.session.state !== 'off' || deps.session.symbols.length > 0)) {
    await deps.session.restart();
  }
  if (arg === undefined || arg === null)
    void vscode.window.showInformationMessage(t('Credentials for {0} saved.', sourceLabel(source, t)));
  return true;
}

async function selectDataSource(deps: CommandDeps, arg: unknown): Promise<DataSource | undefined> {
  let source: DataSource | undefined;
  if (arg !== undefined && arg !== null) {
    if (!(DATA_SOURCES as readonly unknown[]).includes(arg)) {
      throw new Error(t('Unknown data source "{0}". Use simulator, paper, real or replay.', String(arg)));
    }
    source = arg as DataSource;
  } else {
    const current = deps.config.current.dataSource;
    const items = DATA_SOURCES.map((s) => ({
      source: s,
      label: sourceLabel(s, t),
      description: s === current ? t('current') : undefined,
      detail:
        s === 'simulator'
          ? t('A local KIS-compatible server with simulated trades; no account needed.')
          : s === 'paper'
            ? t('KIS paper-trading (모의투자) endpoints; needs the paper app key and secret.')
            : s === 'replay'
              ? t('Plays a recording made with "KIS: Start Recording" or kis-monitor record.')
              : t('KIS real-account (실전투자) endpoints; needs the real app key and secret.'),
    }));
    const picked = await vscode.window.showQuickPick(items, { title: t('KIS: Select Data Source') });
    if (!picked) return undefined;
    // A replay needs a file and a speed: the replay command asks for both and switches the source.
    if (picked.source === 'replay')
      return (await vscode.commands.executeCommand<string | undefined>(Command.ReplayRecording)) === undefined
        ? undefined
        : 'replay';
    source = picked.source;
  }
  if (source !== deps.config.current.dataSource) {
    await deps.config.update(Setting.dataSource, source);
    await deps.settled();
  }
  // When a running session just failed for the same reason, its problem notification already asks.
  const alreadyAsked = deps.session.failureReason?.code === 'NO_CREDENTIALS';
  if (
    isKisSource(source) &&
    !alreadyAsked &&
    !(await readCredentials(deps.secrets, source)) &&
    (arg === undefined || arg === null)
  ) {
    const set = t('Set Credentials');
    const choice = await vscode.window.showWarningMessage(
      t('No app key and app secret are stored for {0} yet.', sourceLabel(source, t)),
      set,
    );
    if (choice === set) await vscode.commands.executeCommand(Command.SetCredentials);
  }
  return source;
}

// -------------------------------------------------------------------------------------------------
// problems

/** The same problem is shown at most once per this interval, so a flapping connection does not flood. */
const REPEAT_AFTER_MS = 60_000;

/** Builds the function that shows session problems (with its own memory of what it showed when). */
export function createProblemReporter(): (problem: FeedProblem) => void {
  const lastShown = new Map<string, number>();
  return (problem) => showProblem(problem, lastShown);
}

/** Shows a session problem to the user with what to do next. */
function showProblem(problem: FeedProblem, lastShown: Map<string, number>): void {
  const now = Date.now();
  const key = `${problem.code}:${problem.source}`;
  if ((lastShown.get(key) ?? 0) + REPEAT_AFTER_MS > now) return;
  const source = sourceLabel(problem.source, t);
  const setCredentials = t('Set Credentials');
  const useSimulator = t('Use Simulator');
  const details = t('Show Connection Details');
  const act = (choice: string | undefined): void => {
    if (choice === setCredentials) void vscode.commands.executeCommand(Command.SetCredentials);
    else if (choice === useSimulator) void vscode.commands.executeCommand(Command.SelectDataSource, 'simulator');
    else if (choice === details) void vscode.commands.executeCommand(Command.ShowConnectionDetails);
  };
  switch (problem.code) {
    case 'NO_CREDENTIALS':
      lastShown.set(key, now);
      void vscode.window
        .showWarningMessage(
          t('No app key and app secret are stored for {0}. Set them, or switch to the simulator.', source),
          setCredentials,
          useSimulator,
        )
        .then(act);
      break;
    case 'BAD_CREDENTIALS':
      lastShown.set(key, now);
      void vscode.window
        .showErrorMessage(
          t(
            'KIS rejected the app key or app secret for {0}. Check them on the KIS Developers portal and enter them again.',
            source,
          ),
          setCredentials,
        )
        .then(act);
      break;
    case 'APPKEY_IN_USE':
      lastShown.set(key, now);
      void vscode.window
        .showErrorMessage(
          t(
            'This app key is already in use by another KIS session (another program, window or machine). Close that session; the monitor retries in about 20 seconds.',
          ),
          details,
        )
        .then(act);
      break;
    case 'START_FAILED':
      lastShown.set(key, now);
      void vscode.window
        .showErrorMessage(t('Could not start the {0} data source: {1}', source, problem.message), details)
        .then(act);
      break;
    default:
      // Connection loss and stalls show in the status bar; refusals are reported by the command that asked.
      break;
  }
}
