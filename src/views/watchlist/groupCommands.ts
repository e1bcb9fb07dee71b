/**
 * The commands of watchlist groups and sorting: create, rename and delete a group, move a symbol to a
 * group (the keyboard's way to do what drag and drop does), and pick the sort. Names are checked in the
 * input box with the model's own rules, so a bad name shows its message where it was typed.
 */
import * as vscode from 'vscode';
import { Command } from '../../constants';
import type { Logger } from '../../common/logger';
import { groupIdOf, SORT_KEYS, type GroupResult, type SortKey } from './watchlistGroups';
import type { WatchlistOrganiser } from './watchlistOrganiser';
import { displayName } from '../../market/symbolInput';

/** The group id a command was given: a group row's element, or a plain id (tests, the API). */
function groupArg(arg: unknown): string | undefined {
  if (typeof arg !== 'string') return undefined;
  return groupIdOf(arg) ?? arg;
}

/** The user's groups as quick pick items. */
function userGroups(organiser: WatchlistOrganiser): { label: string; id: string }[] {
  return organiser
    .layout()
    .groups.filter((g) => !g.builtIn)
    .map((g) => ({ label: g.name, id: g.id }));
}

/** From the palette (no row): asks which listed symbol to move, in the order the tree shows them. */
async function pickListed(organiser: WatchlistOrganiser): Promise<string | undefined> {
  const layout = organiser.layout();
  const items = [...layout.groups.flatMap((g) => g.symbols), ...layout.root].map((code) => ({
    label: code,
    description: displayName(code, vscode.env.language),
  }));
  return (
    await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('Move which symbol to a group?'),
      matchOnDescription: true,
    })
  )?.label;
}

/** Shows a refused result; true when it went through. */
function shown(result: GroupResult): boolean {
  if (!result.ok) void vscode.window.showWarningMessage(vscode.l10n.t(result.message));
  return result.ok;
}

/** Asks for a group name (checked as it is typed); undefined when cancelled. */
function askName(
  organiser: WatchlistOrganiser,
  title: string,
  value: string,
  except: string | undefined,
): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title,
    value,
    ignoreFocusOut: true,
    validateInput: (v) => {
      // The model's rules on a throwaway copy: the real one changes only when the box is accepted.
      const probe = organiser.groups.probeName(v, except);
      return probe === undefined ? undefined : vscode.l10n.t(probe);
    },
  });
}

/** Creates a group by name; returns its id. */
async function createGroup(organiser: WatchlistOrganiser): Promise<string | undefined> {
  const name = await askName(organiser, vscode.l10n.t('New watchlist group'), '', undefined);
  if (name === undefined) return undefined;
  const r = await organiser.createGroup(name);
  return shown(r) && r.ok ? r.id : undefined;
}

/** Labels of the sort keys. */
function sortLabel(key: SortKey): string {
  const t = vscode.l10n.t;
  switch (key) {
    case 'manual':
      return t('As arranged');
    case 'name':
      return t('Name');
    case 'change':
      return t('% change today');
    case 'volume':
      return t('Volume');
    case 'pnl':
      return t('P&L (%)');
  }
}

/** Registers the group commands; the disposables go to the context. */
export function registerGroupCommands(organiser: WatchlistOrganiser, log: Logger): vscode.Disposable[] {
  const t = vscode.l10n.t;
  return [
    // With a name (tests, keybindings): no prompt; the result says why a name was refused.
    vscode.commands.registerCommand(Command.CreateGroup, async (name?: unknown) => {
      if (typeof name !== 'string') return createGroup(organiser);
      const r = await organiser.createGroup(name);
      return r.ok ? r.id : r.message;
    }),
    vscode.commands.registerCommand(Command.RenameGroup, async (arg?: unknown, name?: unknown) => {
      const id = groupArg(arg);
      const old = id === undefined ? undefined : organiser.groups.nameOf(id);
      if (id === undefined || old === undefined)
        return void vscode.window.showWarningMessage(t('That group no longer exists.'));
      const next = typeof name === 'string' ? name : await askName(organiser, t('Rename group "{0}"', old), old, id);
      if (next !== undefined) shown(await organiser.renameGroup(id, next));
    }),
    vscode.commands.registerCommand(Command.DeleteGroup, async (arg?: unknown) => {
      const id = groupArg(arg);
      if (id === undefined) return;
      // No confirmation: deleting a group loses no symbol (they go back to the root).
      if (shown(await organiser.deleteGroup(id))) log.info(`Group deleted: ${id}`);
    }),
    vscode.commands.registerCommand(Command.MoveToGroup, async (row?: unknown, target?: unknown) => {
      const arg = typeof row === 'string' ? row : await pickListed(organiser);
      if (arg === undefined) return;
      let group: string | undefined = groupArg(target);
      if (target === undefined) {
        const none = { label: t('(no group)'), id: '' };
        const fresh = { label: `$(add) ${t('New group…')}`, id: '\0new' };
        const picked = await vscode.window.showQuickPick([...userGroups(organiser), none, fresh], {
          title: t('Move {0} to group', arg),
        });
        if (picked === undefined) return;
        group = picked.id === '\0new' ? await createGroup(organiser) : picked.id === '' ? undefined : picked.id;
        if (picked.id === '\0new' && group === undefined) return;
      } else if (target === null || target === '') {
        group = undefined;
      }
      shown(await organiser.moveToGroup(arg, group));
    }),
    vscode.commands.registerCommand(Command.SortWatchlist, async (arg?: unknown) => {
      let key: SortKey | undefined = SORT_KEYS.find((k) => k === arg);
      if (key === undefined) {
        const items = SORT_KEYS.map((k) => ({
          label: sortLabel(k),
          description: k === organiser.groups.sort ? t('current') : undefined,
          key: k,
        }));
        key = (await vscode.window.showQuickPick(items, { title: t('Sort the watchlist by') }))?.key;
      }
      if (key !== undefined) await organiser.setSort(key);
    }),
  ];
}
