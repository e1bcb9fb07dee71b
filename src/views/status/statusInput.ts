/**
 * What the status bar and the connection details show, read from the feed and the settings at the moment
 * of drawing. The feed's state, problems and statistics are its public surface; nothing here reaches the
 * agent or the worker host.
 */
import * as vscode from 'vscode';
import type { Config } from '../../config';
import { simulatorSessions, type MarketFeed } from '../../feed';
import { dataExpectedNow, dayRows, phaseWords } from '../dayText';
import { describePlan } from '../../feed';
import type { DataSource } from '../../market/sources';
import { sourceLabel, type StatusInput } from './statusBarModel';
import type { RestSymbolState } from './restText';

/**
 * Data is expected now: the demo simulator always streams; KIS (and the simulator following a clock) only
 * in the chosen exchange's phases (silence in a closed phase is not staleness).
 */
export function dataExpected(feed: MarketFeed): boolean {
  return dataExpectedNow(feed.dayStatus());
}

/** A reader of the status as it is now. */
export function statusInputOf(feed: MarketFeed, config: Config): () => StatusInput {
  return () => {
    const now = new Date();
    const day = feed.dayStatus();
    const failure = feed.failureReason;
    return {
      source: feed.source,
      session: feed.state,
      sessionError: failure ? problemSentence(failure.code, failure.source) : undefined,
      agent: feed.agentStats(),
      worker: feed.workerStats(),
      rest: feed.restStats(),
      restSymbols: restSymbolsOf(feed),
      marketOpen: dataExpectedNow(day),
      phase: phaseWords(day, vscode.l10n.t),
      calendar: day.calendar,
      dayRows: dayRows(day, vscode.l10n.t),
      plan: describePlan(day.plan),
      watchlistSize: feed.symbols.length,
      now: now.getTime(),
      // Times shown follow the feed's clock (simulated, replayed); `now` stays the machine's for durations.
      shown: (at) => feed.feedTime(at),
      staleAfterMs: config.current.staleAfterSeconds * 1000,
      share: feed.sharing.current,
      simulatorSessions: simulatorSessions(feed.embeddedSimulator),
      simulatorRestUrl: feed.embeddedSimulator?.restUrl,
      replay: feed.replayStatus(),
      t: vscode.l10n.t,
    };
  };
}

/** The status bar's one-line reason for a feed that could not start. */
function problemSentence(code: string, source: DataSource): string {
  const t = vscode.l10n.t;
  switch (code) {
    case 'NO_CREDENTIALS':
      return t('No app key and app secret are stored for {0}. Run "KIS: Set Credentials".', sourceLabel(source, t));
    default:
      return t('The {0} data source could not start. See the KIS Market Monitor log.', sourceLabel(source, t));
  }
}

/** The rows the live plan left to REST, with their cycle, the time of their price and their last failure. */
function restSymbolsOf(feed: MarketFeed): RestSymbolState[] {
  const out: RestSymbolState[] = [];
  for (const symbol of feed.symbols) {
    const mode = feed.rowMode(symbol);
    if (mode.kind !== 'rest') continue;
    const origin = feed.model.origin(symbol);
    const problem = feed.restProblem(symbol);
    const retryAt = feed.restRetryAt(symbol);
    out.push({
      symbol,
      everySeconds: mode.everySeconds,
      ...(origin?.kind === 'rest' ? { asOf: origin.asOf } : {}),
      ...(problem === undefined ? {} : { problem }),
      ...(retryAt === undefined ? {} : { retryAt }),
    });
  }
  return out;
}
