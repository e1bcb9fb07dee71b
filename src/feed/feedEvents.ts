/**
 * The feed's events, in a base class of their own so `MarketFeed` holds only behaviour. Each listener runs
 * isolated: a throwing listener is reported through `onListenerError` and never stops the others.
 */
import type { StateChange } from '../agent';
import type { QuoteState, Snapshot } from '../shared/snapshot';
import type { DataGap } from '../shared/stats';
import { Disposable, Emitter, type Event } from '../common/lifecycle';
import type { MarketStatusChange } from './model/marketStatus';
import type { FeedProblem, FeedState } from './types';
import type { ReplayStatus } from './source/replaySource';

/** The events `MarketFeed` fires; the subclass fires them through the protected emitters. */
export abstract class FeedEvents extends Disposable {
  /** Where a listener's exception goes (the feed's log). */
  protected abstract onListenerError(error: unknown): void;
  private readonly reportListenerError = (error: unknown): void => this.onListenerError(error);
  protected readonly stateEmitter = this._register(new Emitter<FeedState>(this.reportListenerError));
  protected readonly watchlistEmitter = this._register(new Emitter<readonly string[]>(this.reportListenerError));
  protected readonly snapshotEmitter = this._register(new Emitter<Snapshot>(this.reportListenerError));
  protected readonly agentStateEmitter = this._register(new Emitter<StateChange>(this.reportListenerError));
  protected readonly problemEmitter = this._register(new Emitter<FeedProblem>(this.reportListenerError));
  protected readonly gapEmitter = this._register(new Emitter<DataGap>(this.reportListenerError));
  protected readonly resetEmitter = this._register(new Emitter<void>(this.reportListenerError));
  protected readonly phaseEmitter = this._register(new Emitter<void>(this.reportListenerError));
  protected readonly statusEmitter = this._register(new Emitter<MarketStatusChange>(this.reportListenerError));
  protected readonly restQuotesEmitter = this._register(new Emitter<QuoteState[]>(this.reportListenerError));
  protected readonly replayEndEmitter = this._register(new Emitter<ReplayStatus>(this.reportListenerError));

  /** Fires on every feed state change. */
  readonly onDidChangeState: Event<FeedState> = this.stateEmitter.event;
  /** Fires with the whole list after any add, remove or move. */
  readonly onDidChangeWatchlist: Event<readonly string[]> = this.watchlistEmitter.event;
  /** Fires for every worker snapshot of the current source (already folded into `model`). */
  readonly onSnapshot: Event<Snapshot> = this.snapshotEmitter.event;
  /** Fires on every agent state change. */
  readonly onAgentState: Event<StateChange> = this.agentStateEmitter.event;
  /** Fires with problems the user should see. */
  readonly onProblem: Event<FeedProblem> = this.problemEmitter.event;
  /** Fires when a subscription is back after a lost connection, with the interval it missed. */
  readonly onGap: Event<DataGap> = this.gapEmitter.event;
  /** Fires when the read model was emptied because the data source changed (views redraw from scratch). */
  readonly onDidResetModel: Event<void> = this.resetEmitter.event;
  /** Fires when a trading phase begins or ends (the planner re-planned the registrations). */
  readonly onDidChangePhase: Event<void> = this.phaseEmitter.event;
  /** Fires when a symbol's VI or halt state changes (market-status feed). */
  readonly onMarketStatus: Event<MarketStatusChange> = this.statusEmitter.event;
  /** Fires with quotes the REST client put into `model` (already folded in). */
  readonly onRestQuotes: Event<QuoteState[]> = this.restQuotesEmitter.event;
  /** Fires when the `replay` source played its recording to the end (or to a cut, or stopped at damage). */
  readonly onReplayEnd: Event<ReplayStatus> = this.replayEndEmitter.event;
}
