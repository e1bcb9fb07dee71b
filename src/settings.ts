/**
 * The typed shape of the `kisMarket.*` settings, their defaults and their validation. Pure, so the
 * rules are unit-tested without VS Code; `src/config.ts` feeds it from `workspace.getConfiguration`.
 * Mirrors `contributes.configuration` in package.json: change both together.
 */

import type { ColorConvention } from './market/direction';
import type { DataSource, KisSource } from './market/sources';
import type { ExchangeChoice } from './market/sessionClock';
import { parseClockInstant } from './simulator/market/simClock';
import { ALERT_QUIET_DEFAULTS, ALERT_QUIET_LIMITS, type AlertQuietOptions } from './market/alertRules';
import { KIS_ENDPOINTS } from './kis/hosts';

export type { ColorConvention, DataSource, KisSource };

export const DATA_SOURCES: readonly DataSource[] = ['simulator', 'paper', 'real', 'replay'];
/** Replay speeds offered (`kisMarket.replay.speed`): as recorded, ten times faster, as fast as the sockets drain. */
export type ReplaySpeed = 1 | 10 | 'max';
const REPLAY_SPEEDS: Readonly<Record<string, ReplaySpeed>> = { '1': 1, '10': 10, max: 'max' };
export const COLOR_CONVENTIONS: readonly ColorConvention[] = ['korean', 'western'];
export const EXCHANGES: readonly ExchangeChoice[] = ['unified', 'krx', 'nxt'];

/** A validated settings snapshot (immutable). */
export interface Settings {
  readonly dataSource: DataSource;
  readonly colorConvention: ColorConvention;
  /** How often the worker posts a snapshot (ms, ≥ 50). */
  readonly snapshotIntervalMs: number;
  /** Subscribe requests awaiting their ack at once (1–8). */
  readonly maxInFlight: number;
  /** Trades per second per symbol in the embedded simulator (> 0). */
  readonly simulatorRatePerSymbol: number;
  /** A symbol with no tick for this long during market hours is shown as stale (s, ≥ 1). */
  readonly staleAfterSeconds: number;
  /** Overrides of the KIS endpoints (empty: the source's default). */
  readonly wsUrl: string;
  readonly restUrl: string;
  /** Whose trades and books to stream (paper always uses KRX). */
  readonly exchange: ExchangeChoice;
  /** The embedded simulator's simulated start instant (ISO with offset); '' = the demo that streams at any hour. */
  readonly simulatorClock: string;
  /** Simulated time per real time when `simulatorClock` is set (≥ 1). */
  readonly simulatorSpeed: number;
  /** Windows share one embedded simulator through the hub, as they always share a KIS session. */
  readonly shareSimulator: boolean;
  /** Where KIS's symbol master files are downloaded from for real/paper ('' = KIS's own folder). */
  readonly masterFilesUrl: string;
  /** The index shown in the status bar ('off', or an index code: 0001 KOSPI, 1001 KOSDAQ, 2001 KOSPI 200). */
  readonly statusBarIndex: StatusBarIndex;
  /** The recording the `replay` source plays (an absolute path; '' = none chosen yet). */
  readonly replayFile: string;
  readonly replaySpeed: ReplaySpeed;
  /** "KIS: Start Recording" stops by itself at about this size on disk (MB) or after this long (minutes). */
  readonly recordingMaxMegabytes: number;
  readonly recordingMaxMinutes: number;
  /** A fired alert re-arms once the value went back past its threshold by this much (%, 0–10). */
  readonly alertRearmPercent: number;
  /** At least this long between two firings of one alert rule (s, 0–86,400). */
  readonly alertCooldownSeconds: number;
  /** How often every view draws a new frame of the read model (ms, 100–5,000). */
  readonly viewsRefreshMs: number;
}

/** The choices of `statusBarIndex`. */
export const STATUS_BAR_INDICES = ['off', '0001', '1001', '2001'] as const;
/** The index shown in the status bar, or 'off'. */
export type StatusBarIndex = (typeof STATUS_BAR_INDICES)[number];

export const DEFAULT_SETTINGS: Settings = Object.freeze({
  dataSource: 'simulator',
  colorConvention: 'korean',
  snapshotIntervalMs: 100,
  maxInFlight: 1,
  simulatorRatePerSymbol: 5,
  staleAfterSeconds: 30,
  wsUrl: '',
  restUrl: '',
  exchange: 'unified',
  simulatorClock: '',
  simulatorSpeed: 1,
  shareSimulator: false,
  masterFilesUrl: '',
  // Off: an index in the status bar takes a slot the user did not ask for; the Indices group shows them anyway.
  statusBarIndex: 'off',
  replayFile: '',
  replaySpeed: 1,
  // 500 MB holds a few million records (bench/recording.ts: about 50 bytes per record compressed); an hour
  // is a morning's opening auction and first trades, and stops a forgotten recording before the disk fills.
  recordingMaxMegabytes: 500,
  recordingMaxMinutes: 60,
  // 0.5 %: a few ticks past a typical threshold, more than the two-venue flicker, less than a day's move.
  // 5 minutes: a person reads a toast and decides; more than one toast per rule in that time is noise.
  alertRearmPercent: ALERT_QUIET_DEFAULTS.rearmPercent,
  alertCooldownSeconds: ALERT_QUIET_DEFAULTS.cooldownMs / 1000,
  // One frame a second: VS Code opens a row's tooltip only after the pointer rested 500 ms with no redraw of
  // that row, so faster frames make tooltips of busy rows hit-or-miss; a person reads a price no faster.
  viewsRefreshMs: 1000,
});

/** Limits enforced on numeric settings (kept in sync with the manifest's minimum/maximum). */
export const LIMITS = Object.freeze({
  snapshotIntervalMs: { min: 50, max: 60_000 },
  maxInFlight: { min: 1, max: 8 },
  simulatorRatePerSymbol: { min: 0.1, max: 10_000 },
  staleAfterSeconds: { min: 1, max: 86_400 },
  simulatorSpeed: { min: 1, max: 10_000 },
  recordingMaxMegabytes: { min: 1, max: 100_000 },
  recordingMaxMinutes: { min: 1, max: 24 * 60 },
  alertRearmPercent: ALERT_QUIET_LIMITS.rearmPercent,
  alertCooldownSeconds: ALERT_QUIET_LIMITS.cooldownSeconds,
  viewsRefreshMs: { min: 100, max: 5000 },
});

/** Raw values as read from the configuration, keyed by setting name (without the `kisMarket.` prefix). */
export type RawSettings = Partial<Record<
  'dataSource' | 'colorConvention' | 'snapshotIntervalMs' | 'maxInFlight' | 'simulator.ratePerSymbol'
  | 'staleAfterSeconds' | 'advanced.wsUrl' | 'advanced.restUrl' | 'exchange' | 'simulator.clock' | 'simulator.speed' | 'shareSimulator'
  | 'masterFilesUrl' | 'statusBarIndex'
  | 'replay.file' | 'replay.speed' | 'recording.maxMegabytes' | 'recording.maxMinutes'
  | 'alerts.rearmPercent' | 'alerts.cooldownSeconds' | 'views.refreshMs', unknown>>;

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
function pickClock(value: unknown): string {
  if (typeof value !== 'string') return '';
  const trimmed = value.trim();
  return parseClockInstant(trimmed) === undefined ? '' : trimmed;
}

/**
 * Builds a validated snapshot from raw values. Missing values take the defaults; invalid ones take the
 * default (or the nearest limit for numbers) and are reported in `problems`.
 */
export function parseSettings(raw: RawSettings): { settings: Settings; problems: SettingProblem[] } {
  const d = DEFAULT_SETTINGS;
  const settings: Settings = Object.freeze({
    dataSource: pickEnum(raw.dataSource, DATA_SOURCES, d.dataSource),
    colorConvention: pickEnum(raw.colorConvention, COLOR_CONVENTIONS, d.colorConvention),
    snapshotIntervalMs: clampNumber(raw.snapshotIntervalMs, LIMITS.snapshotIntervalMs, d.snapshotIntervalMs, true),
    maxInFlight: clampNumber(raw.maxInFlight, LIMITS.maxInFlight, d.maxInFlight, true),
    simulatorRatePerSymbol: clampNumber(raw['simulator.ratePerSymbol'], LIMITS.simulatorRatePerSymbol, d.simulatorRatePerSymbol, false),
    staleAfterSeconds: clampNumber(raw.staleAfterSeconds, LIMITS.staleAfterSeconds, d.staleAfterSeconds, false),
    wsUrl: pickUrl(raw['advanced.wsUrl'], ['ws:', 'wss:']),
    restUrl: pickUrl(raw['advanced.restUrl'], ['http:', 'https:']),
    exchange: pickEnum(raw.exchange, EXCHANGES, d.exchange),
    simulatorClock: pickClock(raw['simulator.clock']),
    simulatorSpeed: clampNumber(raw['simulator.speed'], LIMITS.simulatorSpeed, d.simulatorSpeed, false),
    shareSimulator: typeof raw.shareSimulator === 'boolean' ? raw.shareSimulator : d.shareSimulator,
    masterFilesUrl: pickUrl(raw.masterFilesUrl, ['http:', 'https:']),
    statusBarIndex: pickEnum(raw.statusBarIndex, STATUS_BAR_INDICES, d.statusBarIndex),
    replayFile: typeof raw['replay.file'] === 'string' ? raw['replay.file'].trim() : d.replayFile,
    replaySpeed: REPLAY_SPEEDS[String(raw['replay.speed'])] ?? d.replaySpeed,
    recordingMaxMegabytes: clampNumber(raw['recording.maxMegabytes'], LIMITS.recordingMaxMegabytes, d.recordingMaxMegabytes, false),
    recordingMaxMinutes: clampNumber(raw['recording.maxMinutes'], LIMITS.recordingMaxMinutes, d.recordingMaxMinutes, false),
    alertRearmPercent: clampNumber(raw['alerts.rearmPercent'], LIMITS.alertRearmPercent, d.alertRearmPercent, false),
    alertCooldownSeconds: clampNumber(raw['alerts.cooldownSeconds'], LIMITS.alertCooldownSeconds, d.alertCooldownSeconds, true),
    viewsRefreshMs: clampNumber(raw['views.refreshMs'], LIMITS.viewsRefreshMs, d.viewsRefreshMs, true),
  });
  const used: Record<string, unknown> = {
    dataSource: settings.dataSource,
    colorConvention: settings.colorConvention,
    snapshotIntervalMs: settings.snapshotIntervalMs,
    maxInFlight: settings.maxInFlight,
    'simulator.ratePerSymbol': settings.simulatorRatePerSymbol,
    staleAfterSeconds: settings.staleAfterSeconds,
    'advanced.wsUrl': settings.wsUrl,
    'advanced.restUrl': settings.restUrl,
    exchange: settings.exchange,
    'simulator.clock': settings.simulatorClock,
    'simulator.speed': settings.simulatorSpeed,
    shareSimulator: settings.shareSimulator,
    masterFilesUrl: settings.masterFilesUrl,
    statusBarIndex: settings.statusBarIndex,
    'replay.file': settings.replayFile,
    'replay.speed': String(settings.replaySpeed),
    'recording.maxMegabytes': settings.recordingMaxMegabytes,
    'recording.maxMinutes': settings.recordingMaxMinutes,
    'alerts.rearmPercent': settings.alertRearmPercent,
    'alerts.cooldownSeconds': settings.alertCooldownSeconds,
    'views.refreshMs': settings.viewsRefreshMs,
  };
  const problems: SettingProblem[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined || !(key in used)) continue;
    const normalised = typeof value === 'string' ? value.trim().replace(/\/+$/, '') : value;
    if (normalised !== used[key]) problems.push({ key, value, used: used[key] });
  }
  return { settings, problems };
}

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
