/**
 * What the status bar item says, as a pure function of the session's state and the agent's stats,
 * plus the full statistics table used by its tooltip and by "Show Connection Details".
 * vscode-free; `statusBar.ts` maps a `StatusView` onto the item.
 */
import type { AgentStats, WorkerHostStats } from '../../shared/stats';
import type { DataSource } from '../../settings';
import type { Translate } from '../../common/translate';
import { formatCompact, formatPerSecond, formatSeconds } from '../../market/format';
import { formatKstClock } from '../../market/time';
import type { ReplayStatus, RestPriceStats, ShareStatus } from '../../feed';
import { restRows, type RestSymbolState } from './restText';
import { replayLabel } from '../recording/recordingModel';

/** The session as the views see it (see `FeedState` in src/feed/types.ts). */
export type SessionPhase = 'off' | 'starting' | 'running' | 'failed';

/** Everything the status text depends on. */
export interface StatusInput {
  source: DataSource;
  session: SessionPhase;
  /** Why the session failed to start (missing credentials, simulator could not listen…). */
  sessionError?: string;
  agent?: AgentStats;
  worker?: WorkerHostStats;
  /** The REST client's counters while a source runs. */
  rest?: RestPriceStats;
  /** The rows refreshed by REST (Connection Details lists them). */
  restSymbols?: RestSymbolState[];
  /** Data is expected now (KRX in session, or the simulator). */
  marketOpen: boolean;
  /** The trading phase in words ("NXT after-market", "closed until Mon 08:00"), localised. */
  phase: string;
  /** Whether the data follows the calendar (then the item's text says the phase; the demo says it in the tooltip). */
  calendar?: boolean;
  /** Rows about the trading day (phase, exchange and why, next change): dayText.ts `dayRows`. */
  dayRows?: Array<[string, string]>;
  /** The registration plan, one line per TR (Connection Details). */
  plan?: string[];
  watchlistSize: number;
  /** Epoch ms on the machine's clock (the instants of the statistics are machine instants too). */
  now: number;
  /**
   * The feed clock's time of a machine instant (the simulated clock, the recording's): every time shown
   * reads through it. Absent: the machine's clock.
   */
  shown?: (at: number) => number;
  staleAfterMs: number;
  /** The session shared between windows, when it is. */
  share?: ShareStatus;
  /** Sessions of this window's embedded simulator (live, served), when it runs one. */
  simulatorSessions?: { live: number; served: number };
  /** The `replay` source's progress: the item says "replay 10× · 09:01:23 KST", the recorded time. */
  replay?: ReplayStatus;
  /** The embedded simulator's REST base URL (where a test places a simulated paper order). */
  simulatorRestUrl?: string;
  t: Translate;
}

/** The state the item shows, from most to least alarming. */
export type StatusKind =
  'failed' | 'stopped' | 'reconnecting' | 'stalled' | 'connecting' | 'marketClosed' | 'live' | 'off';

/** Status bar content. */
export interface StatusView {
  kind: StatusKind;
  text: string;
  /** Tooltip as Markdown (a table of the stats) and as plain text (for the API and screen readers). */
  tooltipMarkdown: string;
  tooltipPlain: string;
  /** Only the theme's warning/error backgrounds are used. */
  background: 'none' | 'warning' | 'error';
}

/** Epoch ms of the newest data frame of any symbol, or undefined when none arrived. */
export function lastDataAt(agent: AgentStats): number | undefined {
  let newest: number | undefined;
  for (const key in agent.lastTickAt) {
    const at = agent.lastTickAt[key];
    if (newest === undefined || at > newest) newest = at;
  }
  return newest;
}

/**
 * Open, subscribed, data expected, but nothing arrived for `staleAfterMs` (counted from the newest frame,
 * or from the session start when there was none yet).
 */
export function isStalled(input: Pick<StatusInput, 'agent' | 'marketOpen' | 'now' | 'staleAfterMs'>): boolean {
  const agent = input.agent;
  if (!agent || agent.state !== 'open' || !input.marketOpen || agent.subscriptionsUsed === 0) return false;
  const since = lastDataAt(agent) ?? agent.connectedSince;
  return since !== undefined && input.now - since > input.staleAfterMs;
}

/** Classifies the input into one status. */
export function statusKind(input: StatusInput): StatusKind {
  if (input.session === 'failed') return 'failed';
  if (input.session === 'off') return 'off';
  // A follower window runs no agent: the shared session's state is the leader's.
  const state = input.agent?.state ?? (input.share?.role === 'follower' ? input.share.state : undefined);
  if (state === undefined || input.session === 'starting') return 'connecting';
  switch (state) {
    case 'stopped':
      return 'stopped';
    case 'reconnecting':
      return 'reconnecting';
    case 'idle':
    case 'connecting':
      return 'connecting';
    case 'open':
      if (!input.marketOpen) return 'marketClosed';
      // A replay goes quiet where the recording did (and at its end): that is not a stall.
      return isStalled(input) && input.replay === undefined ? 'stalled' : 'live';
    default: {
      const unknownState: never = state;
      return unknownState;
    }
  }
}

/** Human name of a data source. */
export function sourceLabel(source: DataSource, t: Translate): string {
  switch (source) {
    case 'simulator':
      return t('Simulator');
    case 'paper':
      return t('Paper trading');
    case 'real':
      return t('Real account');
    case 'replay':
      return t('Replay');
  }
}

/** "shared with N windows" (this window leads) / "via window <name>" (it follows); undefined when alone. */
export function shareText(share: ShareStatus | undefined, t: Translate): string | undefined {
  if (share === undefined) return undefined;
  if (share.role === 'follower') return t('via window {0}', share.leaderName);
  const others = share.windows - 1;
  if (others <= 0) return undefined;
  return others === 1 ? t('shared with 1 window') : t('shared with {0} windows', others);
}

/**
 * Longest tooltip, in lines. VS Code cuts a hover taller than the room above the status bar, and a
 * newcomer reads a few lines, not a table of counters: the rest is in Connection Details.
 */
export const MAX_TOOLTIP_LINES = 15;

/** Builds the item's text, tooltip and background. */
export function statusView(input: StatusInput): StatusView {
  const { t, agent } = input;
  const kind = statusKind(input);
  // "12/41": registrations used of the session's limit; the tooltip says it in words.
  const subs = agent ? ` ${agent.subscriptionsUsed}/${agent.subscriptionLimit}` : '';
  let text: string;
  let background: StatusView['background'] = 'none';
  let headline: string;
  switch (kind) {
    case 'off':
      // In words: an icon alone does not say that the prices on screen are no longer live.
      text =
        input.watchlistSize === 0
          ? `$(debug-disconnect) ${t('KIS not connected')}`
          : `$(debug-disconnect) ${t('KIS disconnected')}`;
      headline =
        input.watchlistSize === 0
          ? t('Not connected. Add a symbol to start streaming.')
          : t('Disconnected. Run "KIS: Connect" to stream again.');
      break;
    case 'failed':
      text = `$(error) ${t('KIS error')}`;
      background = 'error';
      headline = input.sessionError ?? t('The session could not start.');
      break;
    case 'connecting':
      text = `$(sync~spin) ${t('KIS connecting')}`;
      headline = t('Connecting to {0}…', sourceLabel(input.source, t));
      break;
    case 'reconnecting': {
      const wait = agent?.nextRetryAt !== undefined ? formatSeconds(agent.nextRetryAt - input.now) : '';
      text = wait ? `$(sync~spin) ${t('KIS reconnecting in {0}', wait)}` : `$(sync~spin) ${t('KIS reconnecting')}`;
      background = 'warning';
      headline = agent?.lastError ? t('Connection lost: {0}', agent.lastError) : t('Connection lost; reconnecting.');
      break;
    }
    case 'stalled':
      text = `$(warning) ${t('KIS stalled')}${subs}`;
      background = 'warning';
      headline = t('No data for more than {0} during market hours.', formatSeconds(input.staleAfterMs));
      break;
    case 'stopped':
      text = agent?.lastError ? `$(error) ${t('KIS stopped')}` : `$(debug-disconnect) ${t('KIS stopped')}`;
      background = agent?.lastError ? 'error' : 'none';
      headline = agent?.lastError ?? t('Stopped.');
      break;
    case 'marketClosed':
      // The phase lives here (the watchlist's title has room for one word): "KIS closed until Tue 08:00".
      text = `$(clock) KIS ${input.phase}`;
      headline = t('No data is expected now: {0} (KST).', input.phase);
      break;
    case 'live':
      text = `$(pulse) ${t('KIS live')}${input.calendar === true ? ` · ${input.phase}` : ''}${subs}`;
      headline = t('Streaming from {0}: {1}.', sourceLabel(input.source, t), input.phase);
      if (input.replay !== undefined) {
        text = `$(history) ${replayLabel(input.replay, t)}${subs}`;
        headline = t('Replaying a recording: {0}.', replayLabel(input.replay, t));
      }
      break;
  }
  const shared = shareText(input.share, t);
  if (shared !== undefined) text += ` $(link) ${shared}`;
  const rows = tooltipRows(input);
  const footer = t('Click for connection details.');
  // Hard line breaks (two spaces), not a table: a table's header row would be an empty line of its own.
  const tooltipMarkdown = [
    `**${escapeMd(headline)}**`,
    ...rows.map(([k, v]) => `${escapeMd(k)}: ${escapeMd(v)}`),
    `*${escapeMd(footer)}*`,
  ].join('  \n');
  const tooltipPlain = [headline, ...rows.map(([k, v]) => `${k}: ${v}`)].join('\n');
  return { kind, text, tooltipMarkdown, tooltipPlain, background };
}

/** "Simulator sessions: 1 live, 1 served", in the tooltip (windows sharing) and Connection Details. */
function simulatorSessionsRow(sims: { live: number; served: number }, t: Translate): [string, string] {
  return [t('Simulator sessions'), t('{0} live, {1} served', sims.live, sims.served)];
}

/**
 * What a user needs in the tooltip, at most MAX_TOOLTIP_LINES - 2 rows (the headline and the footer take
 * two): where the data comes from, the market phase, what streams, how fast, and what went wrong.
 */
export function tooltipRows(input: StatusInput): Array<[string, string]> {
  const { t, agent } = input;
  const rows: Array<[string, string]> = [];
  rows.push([t('Data source'), sourceLabel(input.source, t)]);
  if (input.replay)
    rows.push([
      t('Replay'),
      `${replayLabel(input.replay, t)} · ${t('{0} frames played, {1} skipped', input.replay.frames, input.replay.skipped)}`,
    ]);
  rows.push([t('Market'), input.phase]);
  const next = input.dayRows?.find(([k]) => k === t('Next phase change'));
  if (next !== undefined) rows.push(next);
  rows.push([t('Watchlist'), input.watchlistSize === 1 ? t('1 symbol') : t('{0} symbols', input.watchlistSize)]);
  if (agent) {
    rows.push([
      t('Live'),
      t('{0} of {1} registrations (the limit of one KIS session)', agent.subscriptionsUsed, agent.subscriptionLimit),
    ]);
    rows.push([
      t('Messages'),
      t('{0} now, {1} over 10 s', formatPerSecond(agent.messagesPerSec1s), formatPerSecond(agent.messagesPerSec10s)),
    ]);
    if (agent.connectedSince !== undefined) rows.push([t('Connected since'), at(agent.connectedSince, input.shown)]);
    if (agent.reconnects > 0) rows.push([t('Reconnects'), String(agent.reconnects)]);
    if ((agent.gaps ?? 0) > 0) rows.push([t('Data gaps'), String(agent.gaps)]);
    if (agent.lastError)
      rows.push([
        t('Last error'),
        agent.lastErrorCode ? `${agent.lastError} (${agent.lastErrorCode})` : agent.lastError,
      ]);
  }
  if (input.rest !== undefined && input.rest.refreshed > 0)
    rows.push([t('By REST'), t('{0} symbols every {1} s', input.rest.refreshed, input.rest.everySeconds)]);
  if (input.share) rows.push([t('Shared session'), shareText(input.share, t) ?? t('not shared (no other window)')]);
  // Windows sharing one session: that the simulator serves exactly one session is the point of sharing.
  if (input.share && input.simulatorSessions) rows.push(simulatorSessionsRow(input.simulatorSessions, t));
  if (input.share && input.share.overBudget.length > 0)
    rows.push([t('Over the 41-registration budget'), input.share.overBudget.join(', ')]);
  if (input.rest !== undefined && input.rest.unavailable > 0)
    rows.push([t('Rows without a price'), String(input.rest.unavailable)]);
  return rows.slice(0, MAX_TOOLTIP_LINES - 2);
}

/** `text` with Markdown's active characters escaped. */
export function escapeMd(text: string): string {
  return text.replace(/[\\`*_[\]|<>]/g, (c) => `\\${c}`);
}

/** A duration in ms, or – when unknown. */
export const ms = (v: number | undefined): string => (v === undefined ? '–' : `${Math.round(v)} ms`);
/** An instant as `HH:MM:SS KST`, or – when unknown. */
export const at = (v: number | undefined, shown: (at: number) => number = (a) => a): string =>
  v === undefined ? '–' : `${formatKstClock(shown(v))} KST`;

/** The full statistics as (label, value) rows, every section in one list. */
export function statsRows(input: StatusInput): Array<[string, string]> {
  return statsSections(input).flatMap((section) => section.rows);
}

/** One titled group of statistics (Connection Details shows one table per section). */
export interface StatsSection {
  title: string;
  rows: Array<[string, string]>;
}

/** The full statistics by section: the session, the connection, the worker, REST. */
export function statsSections(input: StatusInput): StatsSection[] {
  const { t, agent, worker } = input;
  const session: Array<[string, string]> = [];
  session.push([t('Data source'), sourceLabel(input.source, t)]);
  if (input.replay)
    session.push([
      t('Replay'),
      `${replayLabel(input.replay, t)} · ${t('{0} frames played, {1} skipped', input.replay.frames, input.replay.skipped)}`,
    ]);
  if (input.simulatorRestUrl !== undefined) session.push([t('Simulator REST'), input.simulatorRestUrl]);
  session.push([t('Market'), input.phase]);
  if (input.dayRows) session.push(...input.dayRows);
  session.push([t('Watchlist'), String(input.watchlistSize)]);
  if (input.share) session.push([t('Shared session'), shareText(input.share, t) ?? t('not shared (no other window)')]);
  const sims = input.simulatorSessions;
  if (sims) session.push(simulatorSessionsRow(sims, t));
  if (input.share && input.share.overBudget.length > 0)
    session.push([t('Over the 41-registration budget'), input.share.overBudget.join(', ')]);
  const sections: StatsSection[] = [{ title: t('Session'), rows: session }];
  if (agent) {
    const rows: Array<[string, string]> = [];
    rows.push([t('State'), agent.state]);
    if (agent.connectedSince !== undefined) rows.push([t('Connected since'), at(agent.connectedSince, input.shown)]);
    if (agent.lastError)
      rows.push([
        t('Last error'),
        agent.lastErrorCode ? `${agent.lastError} (${agent.lastErrorCode})` : agent.lastError,
      ]);
    rows.push([t('Subscriptions'), `${agent.subscriptionsUsed}/${agent.subscriptionLimit}`]);
    rows.push([t('Refused'), String(agent.refused)]);
    rows.push([t('Invalid requests'), String(agent.invalidRequests ?? 0)]);
    rows.push([
      t('Messages/s (1 s, 10 s)'),
      `${formatPerSecond(agent.messagesPerSec1s)}, ${formatPerSecond(agent.messagesPerSec10s)}`,
    ]);
    rows.push([t('Messages'), formatCompact(agent.messages)]);
    rows.push([t('Records'), formatCompact(agent.records)]);
    rows.push([t('Bytes'), formatCompact(agent.bytes)]);
    rows.push([t('Reconnects'), String(agent.reconnects)]);
    rows.push([t('Stalls'), String(agent.stalls ?? 0)]);
    rows.push([t('Data gaps'), String(agent.gaps ?? 0)]);
    rows.push([t('Parse errors'), String(agent.parseErrors)]);
    rows.push([t('Sink errors'), String(agent.handlerErrors)]);
    rows.push([t('PINGPONGs'), String(agent.pingpongs)]);
    rows.push([t('PINGPONG echo'), ms(agent.lastPingEchoMs)]);
    rows.push([t('Ack RTT p50 / p99'), `${ms(agent.ackRttP50)} / ${ms(agent.ackRttP99)}`]);
    rows.push([t('Last message'), at(agent.lastMessageAt, input.shown)]);
    sections.push({ title: t('Connection'), rows });
  }
  if (worker) {
    const rows: Array<[string, string]> = [];
    rows.push([t('Worker'), worker.running ? t('running') : t('not running')]);
    rows.push([t('Worker restarts'), String(worker.workerRestarts)]);
    rows.push([t('Records handled'), formatCompact(worker.records)]);
    rows.push([t('Handler errors'), String(worker.handlerErrors)]);
    rows.push([t('Unreadable day records'), String(worker.dayRecordErrors ?? 0)]);
    rows.push([t('Dropped trades'), String(worker.dropped)]);
    rows.push([t('Coalesced books'), String(worker.coalesced)]);
    rows.push([t('Queued frames'), String(worker.queued)]);
    rows.push([t('Snapshots'), formatCompact(worker.snapshots)]);
    for (const h of worker.handlers ?? []) {
      const name = h.path.split(/[\\/]/).pop() ?? h.path;
      rows.push([
        t('Handler {0}', name),
        t(
          '{0} calls, {1} errors, p50 {2} / p99 {3}, v{4}',
          formatCompact(h.calls),
          h.errors,
          `${h.p50Ms.toFixed(3)} ms`,
          `${h.p99Ms.toFixed(3)} ms`,
          h.version,
        ),
      ]);
    }
    sections.push({ title: t('Worker'), rows });
  }
  if (input.rest) sections.push({ title: 'REST', rows: restRows(input.rest, t, input.shown) });
  return sections;
}
