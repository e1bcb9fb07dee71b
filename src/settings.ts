/**
 * The validation of the `kisMarket.*` settings, driven by the one table of them (src/settingsTable.ts).
 * Pure, so the rules are unit-tested without VS Code; `src/config.ts` feeds it from `workspace.getConfiguration`.
 */

import type { KisSource } from './market/sources';
import { parseIsoInstant } from './market/isoInstant';
import type { AlertQuietOptions } from './market/alertRules';
import { KIS_ENDPOINTS } from './kis/hosts';
import { SNAPSHOT_ROWS, type RawSettings, type SettingRow, type Settings, type TextRule } from './settingsTable';

export type { ColorConvention } from './market/direction';
export type { DataSource, KisSource } from './market/sources';
export {
  COLOR_CONVENTIONS,
  DATA_SOURCES,
  EXCHANGES,
  STATUS_BAR_INDICES,
  RESTART_SETTINGS,
  type RawSettings,
  type ReplaySpeed,
  type Settings,
  type StatusBarIndex,
} from './settingsTable';

/** One setting that was out of range or of the wrong type, and what was used instead. */
export interface SettingProblem {
  key: string;
  value: unknown;
  used: unknown;
}

function pickEnum<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

function clampNumber(value: unknown, limits: { min: number; max: number }, fallback: number, integer: boolean): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  const n = integer ? Math.round(value) : value;
  return Math.min(limits.max, Math.max(limits.min, n));
}

/**
 * Accepts `ws://`/`wss://` (for `wsUrl`) or `http://`/`https://` (for `restUrl`) URLs, else `''`
 * (meaning "use the default"), so a typo falls back to a working endpoint instead of a crash.
 */
function pickUrl(value: unknown, protocols: readonly string[]): string {
  if (typeof value !== 'string') return '';
  const trimmed = value.trim();
  if (trimmed === '') return '';
  try {
    const url = new URL(trimmed);
    return protocols.includes(url.protocol) ? trimmed.replace(/\/+$/, '') : '';
  } catch {
    return '';
  }
}

/** An ISO instant with an offset (e.g. 2026-12-07T08:40:00+09:00), else '' (the demo). */
function pickInstant(value: unknown): string {
  if (typeof value !== 'string') return '';
  const trimmed = value.trim();
  return parseIsoInstant(trimmed) === undefined ? '' : trimmed;
}

function pickText(rule: TextRule, value: unknown, fallback: string): string {
  switch (rule) {
    case 'wsUrl':
      return pickUrl(value, ['ws:', 'wss:']);
    case 'httpUrl':
      return pickUrl(value, ['http:', 'https:']);
    case 'isoInstant':
      return pickInstant(value);
    case 'path':
      return typeof value === 'string' ? value.trim() : fallback;
  }
}

/**
 * What one row of the table takes from a raw value (`value`), and that value as the manifest spells it
 * (`written`: what the user would have typed to get it, to tell whether the raw value was changed).
 */
export function readSetting(row: SettingRow, raw: unknown): { value: unknown; written: unknown } {
  switch (row.type) {
    case 'string': {
      if ('text' in row) return same(pickText(row.text, raw, row.default));
      if (row.decode === undefined) return same(pickEnum(raw, row.enum, row.default));
      // A decoded choice (the replay speed) is also taken from a number the user typed without quotes.
      const choice = pickEnum(String(raw), row.enum, row.default);
      return { value: (row.decode as (choice: string) => unknown)(choice), written: choice };
    }
    case 'integer':
    case 'number':
      return same(clampNumber(raw, row, row.default, row.type === 'integer'));
    case 'boolean':
      return same(typeof raw === 'boolean' ? raw : row.default);
    case 'array':
      return same(Array.isArray(raw) && raw.every((item) => typeof item === 'string') ? raw : row.default);
  }
}

function same(value: unknown): { value: unknown; written: unknown } {
  return { value, written: value };
}

/**
 * Builds a validated snapshot from raw values. Missing values take the defaults; invalid ones take the
 * default (or the nearest limit for numbers) and are reported in `problems`.
 */
export function parseSettings(raw: RawSettings): { settings: Settings; problems: SettingProblem[] } {
  const values: Record<string, unknown> = {};
  const written = new Map<string, unknown>();
  for (const [name, row] of SNAPSHOT_ROWS) {
    const read = readSetting(row, (raw as Record<string, unknown>)[row.key]);
    values[name] = read.value;
    written.set(row.key, read.written);
  }
  const settings = Object.freeze(values) as Settings;
  const problems: SettingProblem[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined || !written.has(key)) continue;
    const normalised = typeof value === 'string' ? value.trim().replace(/\/+$/, '') : value;
    if (normalised !== written.get(key)) problems.push({ key, value, used: written.get(key) });
  }
  return { settings, problems };
}

/** The snapshot every reader starts from: each setting's default. */
export const DEFAULT_SETTINGS: Settings = parseSettings({}).settings;

/** The alert engine's re-arm band and cooldown of a settings snapshot. */
export function alertQuietOf(settings: Settings): AlertQuietOptions {
  return { rearmPercent: settings.alertRearmPercent, cooldownMs: settings.alertCooldownSeconds * 1000 };
}

/** KIS endpoints per data source (src/kis/hosts.ts). The simulator's are known only once it listens. */
export { KIS_ENDPOINTS };

/** The endpoints to use for a KIS source, honouring the advanced overrides. */
export function endpointsFor(source: KisSource, settings: Settings): { wsUrl: string; restUrl: string } {
  const defaults = KIS_ENDPOINTS[source];
  return { wsUrl: settings.wsUrl || defaults.wsUrl, restUrl: settings.restUrl || defaults.restUrl };
}
