/**
 * Every `kisMarket.*` setting, once: its key, the manifest's JSON type, default, limits or choices, scope,
 * whether a change restarts the feed, and whether it is read from the user's settings only. The snapshot
 * type (`Settings`), the raw keys, the defaults, the parsing (src/settings.ts), the keys `Config` reads
 * (src/config.ts) and the restart set are all derived from this table; test/unit/settings-manifest.test.ts
 * holds it against package.json's `contributes.configuration`, key by key.
 */
import type { ColorConvention } from './market/direction';
import type { DataSource } from './market/sources';
import type { ExchangeChoice } from './market/sessionClock';
import { ALERT_QUIET_DEFAULTS, ALERT_QUIET_LIMITS } from './market/alertRules';

/** The configuration section every setting lives under. */
export const CONFIG_SECTION = 'kisMarket';

export const DATA_SOURCES: readonly DataSource[] = ['simulator', 'paper', 'real', 'replay'];
export const COLOR_CONVENTIONS: readonly ColorConvention[] = ['korean', 'western'];
export const EXCHANGES: readonly ExchangeChoice[] = ['unified', 'krx', 'nxt'];
/** The choices of `statusBarIndex`: off, or an index code (0001 KOSPI, 1001 KOSDAQ, 2001 KOSPI 200). */
export const STATUS_BAR_INDICES = ['off', '0001', '1001', '2001'] as const;
/** The index shown in the status bar, or 'off'. */
export type StatusBarIndex = (typeof STATUS_BAR_INDICES)[number];

/** Replay speeds offered (`kisMarket.replay.speed`): as recorded, ten times faster, as fast as the sockets drain. */
export type ReplaySpeed = 1 | 10 | 'max';
/** The manifest spells the replay speeds as strings (an enum of one type); the snapshot holds them as `ReplaySpeed`. */
const REPLAY_SPEED_CHOICES = ['1', '10', 'max'] as const;
function replaySpeedOf(choice: (typeof REPLAY_SPEED_CHOICES)[number]): ReplaySpeed {
  return choice === 'max' ? 'max' : choice === '10' ? 10 : 1;
}

/** How a free-text string setting is validated: an endpoint URL (ws or http), an ISO instant with offset, or a path. */
export type TextRule = 'wsUrl' | 'httpUrl' | 'isoInstant' | 'path';

interface RowBase {
  /** The key under `kisMarket.` (the manifest's property is `kisMarket.<key>`). */
  readonly key: string;
  /** A change restarts the data source (a new socket or simulator); other changes apply in place. */
  readonly restart?: boolean;
  /** The manifest's `scope` when not the default ('window'). */
  readonly scope?: 'resource';
  /**
   * Read from the user's own settings only, never a workspace or folder: the value decides where the app key
   * and secret are sent, and a cloned repository's `.vscode/settings.json` must not point them at another
   * server. (A manifest `"scope": "machine"` would say the same, but VS Code then reads it from the remote
   * machine's settings in remote windows, which the user rarely edits.)
   */
  readonly userOnly?: boolean;
  /** Not part of the `Settings` snapshot: the view that uses it reads it where it is used (per folder, or live). */
  readonly readInPlace?: boolean;
}

/** One row of the table: what the manifest declares, and what the reader enforces. */
export type SettingRow = RowBase &
  (
    | {
        readonly type: 'string';
        readonly enum: readonly string[];
        readonly default: string;
        readonly decode?: (choice: never) => unknown;
      }
    | { readonly type: 'string'; readonly text: TextRule; readonly default: string }
    | { readonly type: 'integer' | 'number'; readonly default: number; readonly min: number; readonly max: number }
    | { readonly type: 'boolean'; readonly default: boolean }
    | { readonly type: 'array'; readonly default: readonly string[] }
  );

export const SETTINGS = {
  dataSource: { key: 'dataSource', type: 'string', enum: DATA_SOURCES, default: 'simulator', restart: true },
  colorConvention: { key: 'colorConvention', type: 'string', enum: COLOR_CONVENTIONS, default: 'korean' },
  /** How often the worker posts a snapshot (ms). */
  snapshotIntervalMs: { key: 'snapshotIntervalMs', type: 'integer', default: 100, min: 50, max: 60_000, restart: true },
  /** Subscribe requests awaiting their ack at once. */
  maxInFlight: { key: 'maxInFlight', type: 'integer', default: 1, min: 1, max: 8, restart: true },
  /** Trades per second per symbol in the embedded simulator. */
  simulatorRatePerSymbol: {
    key: 'simulator.ratePerSymbol',
    type: 'number',
    default: 5,
    min: 0.1,
    max: 10_000,
    restart: true,
  },
  /** A symbol with no tick for this long during market hours is shown as stale (s). */
  staleAfterSeconds: { key: 'staleAfterSeconds', type: 'number', default: 30, min: 1, max: 86_400 },
  /** Overrides of the KIS endpoints ('' = the source's default). */
  wsUrl: { key: 'advanced.wsUrl', type: 'string', text: 'wsUrl', default: '', restart: true, userOnly: true },
  restUrl: { key: 'advanced.restUrl', type: 'string', text: 'httpUrl', default: '', restart: true, userOnly: true },
  /** Whose trades and books to stream (paper always uses KRX). */
  exchange: { key: 'exchange', type: 'string', enum: EXCHANGES, default: 'unified' },
  /** The embedded simulator's simulated start instant (ISO with offset); '' = the demo that streams at any hour. */
  simulatorClock: { key: 'simulator.clock', type: 'string', text: 'isoInstant', default: '', restart: true },
  /** Simulated time per real time when `simulatorClock` is set. */
  simulatorSpeed: { key: 'simulator.speed', type: 'number', default: 1, min: 1, max: 10_000, restart: true },
  /** Windows share one embedded simulator through the hub, as they always share a KIS session. */
  shareSimulator: { key: 'shareSimulator', type: 'boolean', default: false, restart: true },
  /** Where KIS's symbol master files are downloaded from for real/paper ('' = KIS's own folder). */
  masterFilesUrl: { key: 'masterFilesUrl', type: 'string', text: 'httpUrl', default: '', userOnly: true },
  /** Off by default: an index in the status bar takes a slot the user did not ask for; the Indices group shows them anyway. */
  statusBarIndex: { key: 'statusBarIndex', type: 'string', enum: STATUS_BAR_INDICES, default: 'off' },
  /** The recording the `replay` source plays (an absolute path; '' = none chosen yet). */
  replayFile: { key: 'replay.file', type: 'string', text: 'path', default: '', restart: true },
  replaySpeed: {
    key: 'replay.speed',
    type: 'string',
    enum: REPLAY_SPEED_CHOICES,
    default: '1',
    decode: replaySpeedOf,
    restart: true,
  },
  /**
   * "KIS: Start Recording" stops by itself at about this size on disk (MB) or after this long (minutes). 500 MB
   * holds a few million records (bench/recording.ts: about 50 bytes per record compressed); an hour is a
   * morning's opening auction and first trades, and stops a forgotten recording before the disk fills.
   */
  recordingMaxMegabytes: { key: 'recording.maxMegabytes', type: 'number', default: 500, min: 1, max: 100_000 },
  recordingMaxMinutes: { key: 'recording.maxMinutes', type: 'number', default: 60, min: 1, max: 24 * 60 },
  /** A fired alert re-arms once the value went back past its threshold by this much (%); the alert engine's band. */
  alertRearmPercent: {
    key: 'alerts.rearmPercent',
    type: 'number',
    default: ALERT_QUIET_DEFAULTS.rearmPercent,
    ...ALERT_QUIET_LIMITS.rearmPercent,
  },
  /** At least this long between two firings of one alert rule (s). */
  alertCooldownSeconds: {
    key: 'alerts.cooldownSeconds',
    type: 'integer',
    default: ALERT_QUIET_DEFAULTS.cooldownMs / 1000,
    ...ALERT_QUIET_LIMITS.cooldownSeconds,
  },
  /**
   * How often every view draws a new frame of the read model (ms). One a second: VS Code opens a row's tooltip
   * only after the pointer rested 500 ms with no redraw of that row, so faster frames make tooltips of busy
   * rows hit-or-miss; a person reads a price no faster.
   */
  viewsRefreshMs: { key: 'views.refreshMs', type: 'integer', default: 1000, min: 100, max: 5000 },
  /** The ticker rows' optional line: 체결강도, volume ratio, VWAP (the ticker reads it live). */
  tickerExtraColumns: { key: 'ticker.extraColumns', type: 'boolean', default: false, readInPlace: true },
  /** Workspace-relative handler modules (read per folder by the handler loader). */
  handlers: { key: 'handlers', type: 'array', default: [], scope: 'resource', readInPlace: true },
} as const satisfies Record<string, SettingRow>;

type Rows = typeof SETTINGS;
/** A setting's name in the table (and in the snapshot). */
export type SettingName = keyof Rows;

/** The value a row holds in the snapshot. */
type ValueOf<R> = R extends { readonly decode: (choice: never) => infer V }
  ? V
  : R extends { readonly enum: readonly (infer E)[] }
    ? E
    : R extends { readonly type: 'boolean' }
      ? boolean
      : R extends { readonly type: 'integer' | 'number' }
        ? number
        : R extends { readonly type: 'array' }
          ? readonly string[]
          : string;

/** The names of the rows in the snapshot. */
export type SnapshotName = {
  [N in SettingName]: Rows[N] extends { readonly readInPlace: true } ? never : N;
}[SettingName];

/** A validated settings snapshot (immutable): one property per row that is not read in place. */
export type Settings = {
  readonly [N in SettingName as Rows[N] extends { readonly readInPlace: true } ? never : N]: ValueOf<Rows[N]>;
};

/** Every key under the section (what `Config.update` and the views' `getConfiguration` take). */
export type Setting = Rows[SettingName]['key'];
/** The key of each setting by name: `Setting.simulatorRatePerSymbol` is `'simulator.ratePerSymbol'`. */
export const Setting = Object.freeze(
  Object.fromEntries(Object.entries(SETTINGS).map(([name, row]) => [name, row.key])),
) as {
  readonly [N in SettingName]: Rows[N]['key'];
};

/** Raw values as read from the configuration, keyed by setting key (without the `kisMarket.` prefix). */
export type RawSettings = Partial<Record<Rows[SnapshotName]['key'], unknown>>;

/** The rows of the snapshot, by name, in table order. */
export const SNAPSHOT_ROWS: ReadonlyArray<readonly [SnapshotName, SettingRow]> = (
  Object.entries(SETTINGS) as Array<[SettingName, SettingRow]>
).filter((entry): entry is [SnapshotName, SettingRow] => entry[1].readInPlace !== true);

/** The snapshot's settings whose change restarts the data source (a new socket, simulator or replay). */
export const RESTART_SETTINGS: ReadonlyArray<SnapshotName> = SNAPSHOT_ROWS.filter(
  ([, row]) => row.restart === true,
).map(([name]) => name);
