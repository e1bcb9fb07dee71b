/**
 * The typed settings snapshot. Rebuilt only when a `kisMarket.*` setting changes (not on every
 * configuration event in the window), validated by `src/settings.ts`, and announced with the
 * keys that changed so listeners restart only what depends on them.
 */
import * as vscode from 'vscode';
import { parseSettings } from './settings';
import { CONFIG_SECTION, SNAPSHOT_ROWS, type RawSettings, type Setting, type Settings } from './settingsTable';
import type { Logger } from './common/logger';
import { Disposable } from './common/lifecycle';

/**
 * The keys the snapshot reads, each with where it is read from: the user's settings only for the rows the
 * table marks `userOnly` (endpoints: see src/settingsTable.ts), else the effective value.
 */
const SNAPSHOT_KEYS: ReadonlyArray<{ key: keyof RawSettings; userOnly: boolean }> = SNAPSHOT_ROWS.map(([, row]) => ({
  key: row.key as keyof RawSettings,
  userOnly: row.userOnly === true,
}));

/** The user-level value of a setting (global, else the default), ignoring workspace and folder values. */
function userValue(section: vscode.WorkspaceConfiguration, key: string): unknown {
  const inspected = section.inspect(key);
  return inspected?.globalValue ?? inspected?.defaultValue;
}

/** A settings change: the snapshots before and after, and the keys whose effective value changed. */
export interface ConfigChange {
  previous: Settings;
  current: Settings;
  changed: ReadonlySet<keyof Settings>;
}

/** Reads the section into a validated snapshot. */
export function readSettings(log?: Logger): Settings {
  const section = vscode.workspace.getConfiguration(CONFIG_SECTION);
  const raw: RawSettings = {};
  for (const { key, userOnly } of SNAPSHOT_KEYS) raw[key] = userOnly ? userValue(section, key) : section.get(key);
  const { settings, problems } = parseSettings(raw);
  for (const p of problems) {
    log?.warn(
      `Setting ${CONFIG_SECTION}.${p.key} = ${JSON.stringify(p.value)} is not valid; using ${JSON.stringify(p.used)}`,
    );
  }
  return settings;
}

/** Holds the current snapshot and announces changes. */
export class Config extends Disposable {
  private settings: Settings;
  private readonly emitter = this._register(new vscode.EventEmitter<ConfigChange>());
  /** Fires after a `kisMarket.*` setting changed (only when some effective value differs). */
  readonly onDidChange = this.emitter.event;

  constructor(private readonly log?: Logger) {
    super();
    this.settings = readSettings(log);
    this._register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(CONFIG_SECTION)) this.reload();
      }),
    );
  }

  /** The current validated snapshot (immutable). */
  get current(): Settings {
    return this.settings;
  }

  /**
   * Writes a setting where it takes effect: in the workspace when the workspace already sets it (a user
   * value would be silently shadowed there), else in the user scope.
   */
  async update(key: Setting, value: unknown): Promise<void> {
    const section = vscode.workspace.getConfiguration(CONFIG_SECTION);
    const inspected = section.inspect(key);
    const inWorkspace = inspected?.workspaceValue !== undefined || inspected?.workspaceFolderValue !== undefined;
    await section.update(
      key,
      value,
      inWorkspace ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global,
    );
    if (inWorkspace) this.log?.info(`kisMarket.${key} is set by this workspace; updated it there`);
    // The change event may arrive after the update promise; reload now so callers see the new value.
    this.reload();
  }

  private reload(): void {
    const previous = this.settings;
    const current = readSettings(this.log);
    const changed = new Set<keyof Settings>();
    for (const key of Object.keys(current) as Array<keyof Settings>)
      if (current[key] !== previous[key]) changed.add(key);
    if (changed.size === 0) return;
    this.settings = current;
    this.emitter.fire({ previous, current, changed });
  }
}
