/**
 * The symbol picker of "KIS: Subscribe…": a QuickPick over every KRX listing and US ticker,
 * searched as the user types by code, Korean name, English name and 초성 (src/market/pickerSearch.ts
 * `pickRows`, the function the tests call too). It opens at once on the built-in catalogue and swaps in
 * the master files when they are loaded (downloaded at most once a day, with progress; src/feed
 * symbolDirectory.ts). Offline it says how old the cached list is; a file that failed is reported once
 * and the previous cache stays in use.
 */
import * as vscode from 'vscode';
import type { Config } from '../config';
import type { Logger } from '../common/logger';
import { SymbolDirectory, type MarketFeed, type SymbolDirectoryLoad } from '../feed';
import {
  catalogueListings,
  describeAge,
  listingSearch,
  noMatchMessage,
  pickRows,
  type Listing,
  type PickRow,
} from '../market/pickerSearch';
import type { SymbolSearch } from '../market/search';
import { isSymbolCode } from '../market/symbols';

const t = vscode.l10n.t;

interface Item extends vscode.QuickPickItem {
  /** '' for the row that explains an empty result. */
  code: string;
}

const toItem = (r: PickRow): Item => ({ code: r.code, label: r.label, description: r.description, detail: r.detail });

/** The picker and its directory (one per extension: the search index is kept between openings). */
export class SymbolPicker {
  private readonly directory: SymbolDirectory;

  constructor(
    private readonly feed: MarketFeed,
    private readonly config: Config,
    private readonly log: Logger,
    storageDir: string,
  ) {
    this.directory = new SymbolDirectory({ storageDir });
  }

  /** Loads the listings of the current source with progress in the status bar; never rejects. */
  async load(): Promise<SymbolDirectoryLoad | undefined> {
    const source =
      this.feed.source === 'simulator'
        ? { kind: 'simulator' as const, restUrl: this.feed.embeddedSimulator?.restUrl }
        : { kind: 'kis' as const, url: this.config.current.masterFilesUrl };
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: t('KIS: symbol lists') },
        (progress) =>
          this.directory.load(source, (done, total) => progress.report({ message: t('{0} of {1}', done, total) })),
      );
    } catch (error) {
      // A cache folder that cannot be written: the built-in catalogue still works.
      this.log.error('Symbol lists could not be loaded', error);
      return undefined;
    }
  }

  /** The rows the picker shows for `query` once the lists are loaded (the integration tests' way in). */
  async search(query: string, listed: readonly string[]): Promise<PickRow[]> {
    const load = await this.load();
    return pickRows(load?.search ?? listingSearch(catalogueListings()), query, new Set(listed));
  }

  /** Shows the picker; resolves with the chosen codes, or undefined when dismissed. */
  async pick(listed: readonly string[]): Promise<string[] | undefined> {
    const already = new Set(listed);
    const qp = vscode.window.createQuickPick<Item>();
    qp.title = t('KIS: Subscribe');
    qp.placeholder = t(
      'Name (삼성전자, Apple), initials (ㅅㅅㅈㅈ), KRX code (005930) or US ticker (AAPL); check one or more',
    );
    qp.canSelectMany = true;
    // The search ranks and filters; VS Code's own fuzzy filter would hide 초성 matches.
    qp.matchOnDescription = false;
    qp.matchOnDetail = false;
    let search: SymbolSearch<Listing> = listingSearch(catalogueListings());
    const refresh = (): void => {
      const typed = qp.value.trim();
      const rows = pickRows(search, typed, already).map(toItem);
      // A well-formed code no list knows is still offered (a new listing, a US ticker outside the files).
      const extra =
        isSymbolCode(typed) && !already.has(typed) && !rows.some((r) => r.code === typed)
          ? [{ code: typed, label: typed, description: t('subscribe by code'), alwaysShow: true }]
          : [];
      const items = [...extra, ...rows];
      const empty =
        items.length === 0 && typed !== ''
          ? [{ code: '', label: `$(info) ${noMatchMessage(typed, search.size)}`, alwaysShow: true }]
          : [];
      const keep = qp.selectedItems.map((i) => i.code);
      // A row checked under an earlier query stays on top: QuickPick drops a selection its items no longer hold,
      // and "check one or more" means one search per symbol.
      const checked = qp.selectedItems.filter((i) => !items.some((r) => r.code === i.code));
      qp.items = [...checked, ...items, ...empty].map((i) => ({ ...i, alwaysShow: true }));
      qp.selectedItems = qp.items.filter((i) => keep.includes(i.code));
    };
    qp.busy = true;
    refresh();
    void this.load().then((load) => {
      qp.busy = false;
      if (load === undefined) return;
      search = load.search;
      qp.title = titleOf(load);
      for (const problem of load.problems)
        void vscode.window.showWarningMessage(t('KIS: {0}. The previous list stays in use.', problem));
      refresh();
    });
    const disposables: vscode.Disposable[] = [qp];
    try {
      return await new Promise<string[] | undefined>((resolve) => {
        disposables.push(
          qp.onDidChangeValue(refresh),
          qp.onDidAccept(() => {
            let chosen = qp.selectedItems.map((i) => i.code);
            if (chosen.length === 0) chosen = qp.activeItems.map((i) => i.code);
            // A typed code is an answer on its own: a tick or a highlight the list reloaded away is not lost.
            if (chosen.length === 0)
              chosen = qp.items.filter((i) => i.code !== '' && i.code === qp.value.trim()).map((i) => i.code);
            chosen = chosen.filter((c) => c !== '');
            if (chosen.length === 0) {
              if (qp.value.trim() !== '') void vscode.window.showWarningMessage(noMatchMessage(qp.value, search.size));
              return;
            }
            resolve(chosen);
            qp.hide();
          }),
          qp.onDidHide(() => resolve(undefined)),
        );
        qp.show();
      });
    } finally {
      for (const d of disposables) d.dispose();
    }
  }

  /** Creates the picker with its cache under the extension's global storage. */
  static register(context: vscode.ExtensionContext, feed: MarketFeed, config: Config, log: Logger): SymbolPicker {
    return new SymbolPicker(feed, config, log.child('symbols'), context.globalStorageUri.fsPath);
  }
}

/** The picker's title: how many listings, and how old they are when they come from the cache. */
function titleOf(load: SymbolDirectoryLoad): string {
  const count = load.search.size.toLocaleString('en-US');
  switch (load.origin) {
    case 'downloaded':
      return t('KIS: Subscribe — {0} listings', count);
    case 'cache':
      return load.problems.length > 0
        ? t('KIS: Subscribe — {0} listings (offline: list from {1})', count, describeAge(load.ageMs ?? 0))
        : t('KIS: Subscribe — {0} listings (updated {1})', count, describeAge(load.ageMs ?? 0));
    case 'catalogue':
      return t('KIS: Subscribe — built-in list of {0} (no master file yet)', count);
  }
}
