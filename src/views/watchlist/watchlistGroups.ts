/**
 * Watchlist groups (folders) as data: which user group holds which symbols, in which order, and the sort
 * the user picked. vscode-free, so every rule is unit-tested; the tree (`watchlist.ts`) only lays out what
 * `layout()` returns, and the drag-and-drop controller (`watchlistDnd.ts`) calls `moveSymbol`/`moveGroup`.
 *
 * Why the groups do not own membership: the feed's flat watchlist decides what is subscribed (and its
 * order decides which symbols get an order book), so a group only *places* symbols that are listed. A
 * symbol in no group sits at the root in the watchlist's order; deleting a group puts its symbols back
 * there. Entries of symbols no longer listed are kept (a synced group may arrive before the synced
 * watchlist does) and simply not shown.
 *
 * Built-in groups (e.g. "Indices") come from a rule elsewhere through `setBuiltIns`: shown first, never
 * stored, and the user cannot rename, delete or drop into them.
 */

/** How the rows of each group (and of the root) are ordered. `manual`: as placed by the user. */
export type SortKey = 'manual' | 'name' | 'change' | 'volume' | 'pnl';

/** Every sort key, in menu order. */
export const SORT_KEYS: readonly SortKey[] = ['manual', 'name', 'change', 'volume', 'pnl'];

/** One group as stored (globalState, Settings Sync). */
export interface StoredGroup {
  id: string;
  name: string;
  symbols: string[];
}

/** The persisted shape (versioned: a future layout can read an older one). */
export interface StoredGroups {
  version: 1;
  groups: StoredGroup[];
  sort: SortKey;
}

/** A group as the tree shows it: only listed symbols, in display order before sorting. */
export interface GroupLayout {
  id: string;
  name: string;
  builtIn: boolean;
  symbols: string[];
}

/** The whole tree: groups first (built-in ones on top), then the symbols in no group. */
export interface WatchlistLayout {
  groups: GroupLayout[];
  root: string[];
}

/** Why a group command was refused (stable codes; the message is for the user). */
export type GroupProblem =
  'EMPTY_NAME' | 'NAME_TOO_LONG' | 'DUPLICATE_NAME' | 'NO_SUCH_GROUP' | 'BUILT_IN' | 'TOO_MANY_GROUPS';

/** The result of a group command. */
export type GroupResult = { ok: true; id: string } | { ok: false; code: GroupProblem; message: string };

/** Longest group name (it shares a ~300 px row with the group's P&L). */
export const MAX_GROUP_NAME = 40;
/** More groups than this is a mistake (a loop, a bad sync), not an organisation. */
export const MAX_GROUPS = 50;

const SYMBOL = /^[0-9A-Z.]{1,12}$/;
const GROUP_ID = /^g[0-9a-z]{1,24}$/;

/** True for a sort key this version knows. */
export function isSortKey(value: unknown): value is SortKey {
  return typeof value === 'string' && (SORT_KEYS as readonly string[]).includes(value);
}

/**
 * Reads stored groups. The value is untrusted (an older version or a sync may have written it): bad
 * groups, bad symbols, duplicate ids and symbols placed twice are dropped, never thrown about.
 */
export function parseStoredGroups(value: unknown): StoredGroups {
  const out: StoredGroups = { version: 1, groups: [], sort: 'manual' };
  if (typeof value !== 'object' || value === null) return out;
  const v = value as Record<string, unknown>;
  if (isSortKey(v.sort)) out.sort = v.sort;
  if (!Array.isArray(v.groups)) return out;
  const placed = new Set<string>();
  for (const g of v.groups.slice(0, MAX_GROUPS)) {
    if (typeof g !== 'object' || g === null) continue;
    const r = g as Record<string, unknown>;
    if (typeof r.id !== 'string' || !GROUP_ID.test(r.id) || out.groups.some((x) => x.id === r.id)) continue;
    if (typeof r.name !== 'string' || checkName(r.name, out.groups, undefined) !== undefined) continue;
    const symbols: string[] = [];
    if (Array.isArray(r.symbols)) {
      for (const s of r.symbols) {
        if (typeof s === 'string' && SYMBOL.test(s) && !placed.has(s)) {
          placed.add(s);
          symbols.push(s);
        }
      }
    }
    out.groups.push({ id: r.id, name: r.name.trim(), symbols });
  }
  return out;
}

/** The problem with a group name, or undefined when it is fine. `except`: the group being renamed. */
function checkName(
  name: string,
  groups: readonly { id: string; name: string }[],
  except: string | undefined,
): GroupResult | undefined {
  const clean = name.trim();
  if (clean === '') return { ok: false, code: 'EMPTY_NAME', message: 'A group needs a name.' };
  if (clean.length > MAX_GROUP_NAME)
    return { ok: false, code: 'NAME_TOO_LONG', message: `A group name has at most ${MAX_GROUP_NAME} characters.` };
  const lower = clean.toLocaleLowerCase();
  if (groups.some((g) => g.id !== except && g.name.toLocaleLowerCase() === lower)) {
    return { ok: false, code: 'DUPLICATE_NAME', message: `There is already a group named "${clean}".` };
  }
  return undefined;
}

/** Where a dragged symbol goes: into a group (or the root, `group` undefined), before a row or at the end. */
export interface DropTarget {
  group: string | undefined;
  before?: string;
}

/** The groups of the watchlist; see the file comment. */
export class WatchlistGroups {
  private state: StoredGroups;
  private builtIns: GroupLayout[] = [];
  private nextId: () => string;

  /**
   * @param stored what `toJSON()` returned earlier (untrusted)
   * @param newId makes a group id; tests pass a counter
   */
  constructor(stored: unknown, newId?: () => string) {
    this.state = parseStoredGroups(stored);
    this.nextId = newId ?? (() => `g${Date.now().toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36)}`);
  }

  /** The persisted form (a copy). */
  toJSON(): StoredGroups {
    return {
      version: 1,
      groups: this.state.groups.map((g) => ({ ...g, symbols: g.symbols.slice() })),
      sort: this.state.sort,
    };
  }

  /** Replaces everything with a stored value (another window or a sync changed it). */
  load(stored: unknown): void {
    this.state = parseStoredGroups(stored);
  }

  /** The sort of every group's rows. */
  get sort(): SortKey {
    return this.state.sort;
  }

  set sort(key: SortKey) {
    this.state.sort = key;
  }

  /** Groups given by a rule (not stored, not editable), shown above the user's. */
  setBuiltIns(groups: readonly { id: string; name: string; symbols: readonly string[] }[]): void {
    this.builtIns = groups.map((g) => ({ id: g.id, name: g.name, builtIn: true, symbols: g.symbols.slice() }));
  }

  /** The user group holding `symbol`, if any. */
  groupOf(symbol: string): string | undefined {
    return this.state.groups.find((g) => g.symbols.includes(symbol))?.id;
  }

  /** True when `id` names a group (built-in or the user's). */
  has(id: string): boolean {
    return this.builtIns.some((g) => g.id === id) || this.state.groups.some((g) => g.id === id);
  }

  /** True when `id` is a built-in group. */
  isBuiltIn(id: string): boolean {
    return this.builtIns.some((g) => g.id === id);
  }

  /** The name of a group, if it exists. */
  nameOf(id: string): string | undefined {
    return (this.builtIns.find((g) => g.id === id) ?? this.state.groups.find((g) => g.id === id))?.name;
  }

  /**
   * What to show for `watchlist` (the feed's symbols, in its order). Each listed symbol appears exactly
   * once: in its user group, else in the built-in group claiming it, else at the root.
   */
  layout(watchlist: readonly string[]): WatchlistLayout {
    const listed = new Set(watchlist);
    const shown = new Set<string>();
    const user = this.state.groups.map((g) => {
      const symbols = g.symbols.filter((s) => listed.has(s));
      for (const s of symbols) shown.add(s);
      return { id: g.id, name: g.name, builtIn: false, symbols };
    });
    const builtIn = this.builtIns.map((g) => {
      const symbols = g.symbols.filter((s) => listed.has(s) && !shown.has(s));
      return { ...g, symbols };
    });
    for (const g of builtIn) for (const s of g.symbols) shown.add(s);
    return { groups: [...builtIn, ...user], root: watchlist.filter((s) => !shown.has(s)) };
  }

  /** The message refusing `name` for a new group (or for renaming `except`); undefined when it is fine. */
  probeName(name: string, except: string | undefined): string | undefined {
    const problem = checkName(name, [...this.builtIns, ...this.state.groups], except);
    return problem !== undefined && !problem.ok ? problem.message : undefined;
  }

  /** Creates an empty group at the end. */
  createGroup(name: string): GroupResult {
    if (this.state.groups.length >= MAX_GROUPS)
      return { ok: false, code: 'TOO_MANY_GROUPS', message: `At most ${MAX_GROUPS} groups.` };
    const problem = checkName(name, [...this.builtIns, ...this.state.groups], undefined);
    if (problem) return problem;
    let id = this.nextId();
    while (this.has(id)) id = this.nextId();
    this.state.groups.push({ id, name: name.trim(), symbols: [] });
    return { ok: true, id };
  }

  /** Renames a user group. */
  renameGroup(id: string, name: string): GroupResult {
    const group = this.userGroup(id);
    if (!group.ok) return group;
    const problem = checkName(name, [...this.builtIns, ...this.state.groups], id);
    if (problem) return problem;
    this.state.groups.find((g) => g.id === id)!.name = name.trim();
    return group;
  }

  /** Deletes a user group; its symbols stay in the watchlist, at the root. */
  deleteGroup(id: string): GroupResult {
    const group = this.userGroup(id);
    if (!group.ok) return group;
    this.state.groups = this.state.groups.filter((g) => g.id !== id);
    return group;
  }

  /**
   * Puts `symbol` into `target.group` before `target.before` (or at its end). A symbol dropped on itself
   * stays. The root has no order of its own (it follows the watchlist): a move to the root only takes the
   * symbol out of its group, and the caller reorders the watchlist if it needs to.
   */
  moveSymbol(symbol: string, target: DropTarget): GroupResult {
    if (!SYMBOL.test(symbol)) return { ok: false, code: 'NO_SUCH_GROUP', message: `"${symbol}" is not a symbol.` };
    if (target.group !== undefined) {
      const group = this.userGroup(target.group);
      if (!group.ok) return group;
    }
    if (target.before === symbol) return { ok: true, id: target.group ?? '' };
    for (const g of this.state.groups) g.symbols = g.symbols.filter((s) => s !== symbol);
    if (target.group === undefined) return { ok: true, id: '' };
    const group = this.state.groups.find((g) => g.id === target.group)!;
    const at = target.before === undefined ? -1 : group.symbols.indexOf(target.before);
    if (at < 0) group.symbols.push(symbol);
    else group.symbols.splice(at, 0, symbol);
    return { ok: true, id: group.id };
  }

  /** Moves a user group before another one (or to the end). */
  moveGroup(id: string, before: string | undefined): GroupResult {
    const group = this.userGroup(id);
    if (!group.ok || id === before) return group;
    const moving = this.state.groups.find((g) => g.id === id)!;
    const rest = this.state.groups.filter((g) => g.id !== id);
    const at = before === undefined ? -1 : rest.findIndex((g) => g.id === before);
    if (at < 0) rest.push(moving);
    else rest.splice(at, 0, moving);
    this.state.groups = rest;
    return group;
  }

  private userGroup(id: string): GroupResult {
    if (this.isBuiltIn(id)) return { ok: false, code: 'BUILT_IN', message: 'A built-in group cannot be changed.' };
    if (!this.state.groups.some((g) => g.id === id))
      return { ok: false, code: 'NO_SUCH_GROUP', message: 'That group no longer exists.' };
    return { ok: true, id };
  }
}

/** Tree elements are strings: a symbol code, or this prefix and a group id (a code never holds a colon). */
export const GROUP_ELEMENT_PREFIX = 'group:';

/** The tree element of a group. */
export function groupElement(id: string): string {
  return `${GROUP_ELEMENT_PREFIX}${id}`;
}

/** The group id of a tree element, or undefined for a symbol. */
export function groupIdOf(element: string): string | undefined {
  return element.startsWith(GROUP_ELEMENT_PREFIX) ? element.slice(GROUP_ELEMENT_PREFIX.length) : undefined;
}

/** A move the caller makes in the feed's watchlist (the root's order): `symbol` before `before`, or last. */
export interface RootMove {
  symbol: string;
  before: string | undefined;
}

/** What a drop did. */
export interface DropOutcome {
  /** Elements moved (symbols and groups). */
  moved: number;
  /** Why some were not (e.g. dropped into a built-in group). */
  refused: GroupProblem[];
  rootMoves: RootMove[];
}

/**
 * Applies a drag of tree elements onto `target` (undefined: the empty space below the rows, i.e. the
 * root's end). A symbol dropped on a group goes to that group's end; on a symbol, before it, in that
 * symbol's group or at the root. A group dropped on a group goes before it; elsewhere, to the end.
 */
export function applyDrop(
  model: WatchlistGroups,
  watchlist: readonly string[],
  dragged: readonly string[],
  target: string | undefined,
): DropOutcome {
  const out: DropOutcome = { moved: 0, refused: [], rootMoves: [] };
  const targetGroup = target === undefined ? undefined : groupIdOf(target);
  const note = (r: GroupResult): void => {
    if (r.ok) out.moved += 1;
    else out.refused.push(r.code);
  };
  for (const element of dragged) {
    const draggedGroup = groupIdOf(element);
    if (draggedGroup !== undefined) {
      if (target !== undefined && targetGroup === undefined) {
        // A group dropped on a symbol: before that symbol's group, or last when it is at the root.
        const owner = model.layout(watchlist).groups.find((g) => g.symbols.includes(target));
        note(model.moveGroup(draggedGroup, owner !== undefined && !owner.builtIn ? owner.id : undefined));
      } else {
        note(
          model.moveGroup(
            draggedGroup,
            targetGroup !== undefined && !model.isBuiltIn(targetGroup) ? targetGroup : undefined,
          ),
        );
      }
      continue;
    }
    if (!watchlist.includes(element)) continue;
    if (targetGroup !== undefined) {
      note(model.moveSymbol(element, { group: targetGroup }));
      continue;
    }
    const owner =
      target === undefined ? undefined : model.layout(watchlist).groups.find((g) => g.symbols.includes(target));
    if (owner !== undefined) {
      note(model.moveSymbol(element, { group: owner.id, before: target }));
      continue;
    }
    const r = model.moveSymbol(element, { group: undefined });
    note(r);
    if (r.ok && element !== target) out.rootMoves.push({ symbol: element, before: target });
  }
  return out;
}

/**
 * The steps (−1 up, +1 down) that bring `symbol` just before `before` (or last) in `list`, one adjacent
 * swap each: the feed moves one place at a time.
 */
export function stepsToPlace(list: readonly string[], symbol: string, before: string | undefined): number {
  const from = list.indexOf(symbol);
  if (from < 0) return 0;
  const rest = list.filter((s) => s !== symbol);
  const at = before === undefined ? rest.length : rest.indexOf(before);
  return at < 0 ? 0 : at - from;
}
