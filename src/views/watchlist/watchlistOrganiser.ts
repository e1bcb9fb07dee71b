/**
 * The watchlist tree's structure: groups (folders), their order, the sort, and drag and drop. The rules
 * live in the pure `watchlistGroups.ts` / `watchlistSort.ts`; this class keeps them in `globalState`
 * (registered for Settings Sync, like the watchlist) and answers the tree's structural questions
 * (children, parent, a group's row). The row text of a symbol is not made here (watchlistModel.ts).
 */
import * as vscode from 'vscode';
import { WATCHLIST_GROUPS_STATE_KEY } from '../../constants';
import { Disposable } from '../../common/lifecycle';
import type { Logger } from '../../common/logger';
import type { MarketFeed } from '../../feed';
import { displayName } from '../../market/symbolInput';
import type { PortfolioState } from '../portfolio/portfolioState';
import {
  applyDrop,
  groupElement,
  groupIdOf,
  stepsToPlace,
  WatchlistGroups,
  type GroupLayout,
  type GroupResult,
  type SortKey,
  type WatchlistLayout,
} from './watchlistGroups';
import { groupRowText, sortFacts, sortSymbols, type GroupRowText, type SortFacts } from './watchlistSort';
import { builtInGroups } from './intlRows';
import type { QuoteFrames } from '../quoteFrame';

/** The drag-and-drop MIME type of the watchlist (VS Code's form: `application/vnd.code.tree.<view id lowercased>`). */
export const WATCHLIST_MIME = 'application/vnd.code.tree.kismarket.watchlist';

/** What the organiser needs from the rest of the extension. */
export interface OrganiserDeps {
  memento: vscode.Memento;
  /** The feed's watchlist, in its order. */
  watchlist(): readonly string[];
  /** What a sort needs to know about a symbol. */
  facts(symbol: string): SortFacts;
  /** The description and tooltip of a group's row (its P&L; privacy applies). */
  groupText(group: GroupLayout): GroupRowText;
  /** True when the user holds `symbol` (its group row shows its P&L). */
  held(symbol: string): boolean;
  /** Moves `symbol` in the feed's watchlist to just before `before` (or last). */
  placeInWatchlist(symbol: string, before: string | undefined): Promise<void>;
  log: Logger;
}

/** See the file comment. */
export class WatchlistOrganiser extends Disposable implements vscode.TreeDragAndDropController<string> {
  readonly dropMimeTypes = [WATCHLIST_MIME];
  readonly dragMimeTypes = [WATCHLIST_MIME];
  readonly groups: WatchlistGroups;
  private readonly changeEmitter = this._register(new vscode.EventEmitter<void>());
  /** Fires when the structure changed (the tree redraws everything). */
  readonly onDidChange = this.changeEmitter.event;

  constructor(private readonly deps: OrganiserDeps) {
    super();
    this.groups = new WatchlistGroups(deps.memento.get<unknown>(WATCHLIST_GROUPS_STATE_KEY));
  }

  /** The current layout of the watchlist. */
  layout(): WatchlistLayout {
    return this.groups.layout(this.deps.watchlist());
  }

  /** The children of a tree element (undefined: the root), sorted by the chosen key. */
  children(element: string | undefined): string[] {
    const layout = this.layout();
    const sort = (symbols: readonly string[]): string[] =>
      sortSymbols(symbols, this.groups.sort, (s) => this.deps.facts(s));
    if (element === undefined) return [...layout.groups.map((g) => groupElement(g.id)), ...sort(layout.root)];
    const id = groupIdOf(element);
    const group = id === undefined ? undefined : layout.groups.find((g) => g.id === id);
    return group === undefined ? [] : sort(group.symbols);
  }

  /** The group element holding `element`, undefined at the root. */
  parent(element: string): string | undefined {
    if (groupIdOf(element) !== undefined) return undefined;
    const owner = this.layout().groups.find((g) => g.symbols.includes(element));
    return owner === undefined ? undefined : groupElement(owner.id);
  }

  /** True when the sort follows a live number (change, volume, P&L): the tree re-sorts on a slow timer. */
  get liveSort(): boolean {
    const key = this.groups.sort;
    return key === 'change' || key === 'volume' || key === 'pnl';
  }

  /** The group row to redraw when `symbol`'s quote changed: its group's, if `symbol` is a position in one. */
  groupToRedraw(symbol: string): string | undefined {
    return this.deps.held(symbol) ? this.parent(symbol) : undefined;
  }

  /** False when Move Up/Down would not show: the symbol is in a group, or the rows are sorted. */
  keepsMoveFlags(symbol: string): boolean {
    return this.groups.sort === 'manual' && this.parent(symbol) === undefined;
  }

  /** The row of a group element, or undefined for a symbol or a group that is gone. */
  groupItem(element: string): vscode.TreeItem | undefined {
    const id = groupIdOf(element);
    if (id === undefined) return undefined;
    const group = this.layout().groups.find((g) => g.id === id);
    if (group === undefined) return undefined;
    const text = this.deps.groupText(group);
    const item = new vscode.TreeItem(group.name, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `kisMarket.group.${group.id}`;
    item.description = text.description;
    item.tooltip = text.tooltip;
    item.iconPath = new vscode.ThemeIcon(group.builtIn ? 'library' : 'folder');
    // Menus match `viewItem =~ /\buserGroup\b/`: a built-in group has no rename or delete.
    item.contextValue = group.builtIn ? 'group builtInGroup' : 'group userGroup';
    item.accessibilityInformation = { label: `${group.name}, ${text.description}` };
    return item;
  }

  /** Sets the built-in groups (e.g. indices, from a rule elsewhere) and redraws. */
  setBuiltIns(groups: readonly { id: string; name: string; symbols: readonly string[] }[]): void {
    this.groups.setBuiltIns(groups);
    this.changeEmitter.fire();
  }

  /** Creates a group; the result says why not. */
  createGroup(name: string): Promise<GroupResult> {
    return this.change(() => this.groups.createGroup(name));
  }

  /** Renames a group. */
  renameGroup(id: string, name: string): Promise<GroupResult> {
    return this.change(() => this.groups.renameGroup(id, name));
  }

  /** Deletes a group (its symbols stay listed, at the root). */
  deleteGroup(id: string): Promise<GroupResult> {
    return this.change(() => this.groups.deleteGroup(id));
  }

  /** Moves a symbol into a group (undefined: out of every group). */
  moveToGroup(symbol: string, group: string | undefined): Promise<GroupResult> {
    return this.change(() => this.groups.moveSymbol(symbol, { group }));
  }

  /** Sets the sort of every group. */
  async setSort(key: SortKey): Promise<void> {
    this.groups.sort = key;
    await this.save();
  }

  /** Drag: the dragged elements travel as a list of strings. */
  handleDrag(source: readonly string[], dataTransfer: vscode.DataTransfer): void {
    dataTransfer.set(WATCHLIST_MIME, new vscode.DataTransferItem(source.slice()));
  }

  /** Drop: the pure rules decide (applyDrop); moves at the root reorder the feed's watchlist. */
  async handleDrop(target: string | undefined, dataTransfer: vscode.DataTransfer): Promise<void> {
    const value: unknown = dataTransfer.get(WATCHLIST_MIME)?.value;
    // Only our own drags carry this type, but a drop is input: check it is a list of strings.
    if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) return;
    const outcome = applyDrop(this.groups, this.deps.watchlist(), value, target);
    for (const move of outcome.rootMoves) await this.deps.placeInWatchlist(move.symbol, move.before);
    if (outcome.refused.length > 0) {
      this.deps.log.info(`Drop refused: ${outcome.refused.join(', ')}`);
      if (outcome.refused.includes('BUILT_IN'))
        void vscode.window.setStatusBarMessage(vscode.l10n.t('A built-in group cannot be changed.'), 4000);
    }
    if (outcome.moved > 0) await this.save();
  }

  /** The organiser of `feed`'s watchlist, reading holdings and privacy mode from `portfolio`. */
  static create(
    context: vscode.ExtensionContext,
    feed: MarketFeed,
    frames: Pick<QuoteFrames, 'current'>,
    portfolio: PortfolioState,
    log: Logger,
  ): WatchlistOrganiser {
    const organiser = new WatchlistOrganiser({
      memento: context.globalState,
      watchlist: () => feed.symbols,
      // Sorts and group rows read the frame the rows are drawn from (one price per instant in the tree).
      facts: (s) => sortFacts(displayName(s, vscode.env.language), frames.current.quote(s), portfolio.holding(s)),
      groupText: (g) =>
        groupRowText(
          g.name,
          g.symbols,
          portfolio.holdings,
          (s) => frames.current.quote(s),
          portfolio.privacy,
          vscode.l10n.t,
        ),
      held: (s) => portfolio.holding(s) !== undefined,
      placeInWatchlist: async (symbol, before) => {
        // The feed moves one place at a time (each move persists and re-plans the registrations).
        const steps = stepsToPlace(feed.symbols, symbol, before);
        for (let i = 0; i < Math.abs(steps); i++) if (!(await feed.move(symbol, steps < 0 ? -1 : 1))) break;
      },
      log,
    });
    // The Indices group (intlRows.ts) is built in: it follows the listed index symbols.
    const indices = (): void => organiser.setBuiltIns(builtInGroups(feed.symbols, vscode.l10n.t));
    indices();
    context.subscriptions.push(organiser, feed.onDidChangeWatchlist(indices));
    return organiser;
  }

  private async change(op: () => GroupResult): Promise<GroupResult> {
    const result = op();
    if (result.ok) await this.save();
    return result;
  }

  private async save(): Promise<void> {
    this.changeEmitter.fire();
    try {
      await this.deps.memento.update(WATCHLIST_GROUPS_STATE_KEY, this.groups.toJSON());
    } catch (error) {
      this.deps.log.error('Could not save the watchlist groups', error);
    }
  }
}
