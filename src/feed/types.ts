/** The types of the feed's public surface: its state, problems, options and the outcome of an add. */
import type { FeedHandlers } from './source/handlerModules';
import type { AgentOptions } from '../agent';
import type { SimulatorOptions } from '../simulator';
import type { Logger } from '../common/logger';
import type { AlertRule, AlertRuleState } from '../shared/snapshot';
import type { DataSource, KisSource, Settings } from '../settings';
import type { TokenStore } from '../rest';
import type { HolidayCache } from './rest/holidayCalendar';

/** The feed's own state (the agent's connection state is reported separately). */
export type FeedState = 'off' | 'starting' | 'running' | 'failed';

/** App key and secret of one KIS account. */
export interface Credentials {
  appkey: string;
  appsecret: string;
  /** The HTS ID the execution notices are keyed by (optional: without it no notice is subscribed). */
  htsId?: string;
}

/** Stable codes of the problems the feed reports to the user. */
export type ProblemCode =
  | 'NO_CREDENTIALS'
  | 'START_FAILED'
  | 'BAD_CREDENTIALS'
  | 'APPKEY_IN_USE'
  | 'MAX_SUBSCRIPTIONS'
  | 'REFUSED'
  | 'ACK_TIMEOUT'
  | 'CONNECTION_LOST'
  | 'STALLED'
  | 'STOPPED';

/** A problem worth telling the user about (the message is English, no secrets; the UI localises by code). */
export interface FeedProblem {
  code: ProblemCode;
  message: string;
  source: DataSource;
  symbol?: string;
}

/** Where the watchlist is persisted (globalState in the extension, memory in tests). */
export interface WatchlistStore {
  load(): readonly unknown[];
  save(symbols: readonly string[]): Promise<void>;
  /** The symbols pinned to the live set ("KIS: Pin to Live"), persisted like the list; none when absent. */
  loadPinned?(): readonly unknown[];
  savePinned?(symbols: readonly string[]): Promise<void>;
}

/**
 * Where the feed reads the user's alert rules (the views keep them, persisted and synced): every started
 * worker gets the current rules, and a change reaches the running worker at once. What fired rules
 * remember (armed, when they fired) is handed back to `rememberStates` and given to every new worker, so a
 * reconnect or a reload does not fire a rule again while the price is still past its threshold.
 */
export interface AlertRuleSource {
  current(): readonly AlertRule[];
  onDidChange(listener: () => void): { dispose(): void };
  /** What the fired rules remembered when last reported (none when absent). */
  states?(): readonly AlertRuleState[];
  rememberStates?(states: readonly AlertRuleState[]): void;
}

/** What the feed needs from its host. */
export interface FeedOptions {
  /** The current settings snapshot (read at each start). */
  settings: () => Settings;
  /** The stored credentials of a KIS source, or undefined when none are stored. */
  credentials: (source: KisSource) => Promise<Credentials | undefined>;
  /**
   * The HTS ID stored for a KIS source, for the embedded simulator (which plays the paper server and takes
   * the paper HTS ID); the KIS sources read it with their credentials. None when absent.
   */
  htsId?: (source: KisSource) => Promise<string | undefined>;
  store: WatchlistStore;
  log: Logger;
  /** The bundled worker script (dist/worker.js); default: the WorkerHost's own lookup. */
  workerScript?: string;
  /** The alert rules evaluated by the worker (none when absent). */
  alertRules?: AlertRuleSource;
  /** Extra simulator options (tests: tick interval, seed, ping interval). */
  simulator?: Partial<SimulatorOptions>;
  /** Where the REST holiday calendar is cached between runs (the memento in the extension; default memory). */
  holidayCache?: HolidayCache;
  /** Where REST access tokens are kept (SecretStorage in the extension; default memory). Never settings or logs. */
  tokenStore?: TokenStore;
  /** The user handlers of the editor; the worker of every runtime runs them. */
  handlers?: FeedHandlers;
  /**
   * Share the session with the other windows of this user through the hub (hubSource.ts): paper and real
   * always, the simulator when `shareSimulator` is on. Unset: every feed runs its own session.
   */
  hub?: HubJoinOptions;
  /** Extra agent options (tests: ack timeout, backoff). */
  agent?: Partial<Omit<AgentOptions, 'wsUrl' | 'restUrl' | 'appkey' | 'appsecret' | 'sink'>>;
}

/** Progress of a subscribe: called once per settled request. */
export type ProgressCallback = (done: number, total: number) => void;

/** The outcome of `add()`. */
export interface AddResult {
  /** Newly listed and registered. */
  added: string[];
  /** Already on the watchlist. */
  already: string[];
  /** Listed, but the server refused (they were removed again) or did not answer. */
  failed: Array<{ symbol: string; code: string; message: string }>;
  /** Malformed input. */
  invalid: string[];
  /**
   * Listed, but not registered: the feed could not start its source (no or bad credentials, server unreachable).
   * They register when it connects; the feed's problem event has already said why.
   */
  pending: string[];
}

/** Where and as whom this window joins the hub (`FeedOptions.hub`). */
export interface HubJoinOptions {
  /** This window's name, shown by the others as "via window <name>". */
  name: string;
  /** The per-user hub directory. Default: $KIS_MONITOR_HUB_DIR, else the hub's default (src/hub/paths.ts). */
  dir?: string;
  /** The hub's poll period while a hand-over waits (ms). */
  pollMs?: number;
}
