/** Every id the extension contributes, in one place. Keep in sync with package.json `contributes`. */
import type { DataSource, KisSource } from './market/sources';

/** Extension id as VS Code sees it (`publisher.name`). */
export const EXTENSION_ID = 'kis-market-monitor.kis-market-monitor';

/** Commands. Those marked internal are hidden from the palette (menus `when: false`). */
export const enum Command {
  // The session: connect, the data source and its credentials, what the connection is doing.
  Connect = 'kisMarket.connect',
  Disconnect = 'kisMarket.disconnect',
  SelectDataSource = 'kisMarket.selectDataSource',
  SetCredentials = 'kisMarket.setCredentials',
  ShowConnectionDetails = 'kisMarket.showConnectionDetails',
  // The watchlist (src/views/commands.ts).
  Subscribe = 'kisMarket.subscribe',
  Unsubscribe = 'kisMarket.unsubscribe',
  /** Internal (tree context menu). */
  UnsubscribeItem = 'kisMarket.unsubscribeItem',
  MoveUp = 'kisMarket.moveUp',
  MoveDown = 'kisMarket.moveDown',
  /** A row's context menu puts it in the live set ahead of the watchlist order (or takes it out). */
  PinLive = 'kisMarket.pinLive',
  UnpinLive = 'kisMarket.unpinLive',
  // Watchlist groups and sorting (src/views/watchlist/groupCommands.ts).
  CreateGroup = 'kisMarket.createGroup',
  /** Internal (group row context menu). */
  RenameGroup = 'kisMarket.renameGroup',
  DeleteGroup = 'kisMarket.deleteGroup',
  MoveToGroup = 'kisMarket.moveToGroup',
  SortWatchlist = 'kisMarket.sortWatchlist',
  // The ticker.
  ShowTicker = 'kisMarket.showTicker',
  OpenInTicker = 'kisMarket.openInTicker',
  // Holdings, alerts, privacy (src/views/portfolio/portfolioCommands.ts) and the balance import.
  SetHolding = 'kisMarket.setHolding',
  RemoveHolding = 'kisMarket.removeHolding',
  ImportHoldings = 'kisMarket.importHoldings',
  AddAlert = 'kisMarket.addAlert',
  /** Internal (alert tree context menu). */
  EditAlert = 'kisMarket.editAlert',
  DeleteAlert = 'kisMarket.deleteAlert',
  /** Internal (alert tree context menu): turns on a once-only rule that fired and turned itself off. */
  EnableAlert = 'kisMarket.enableAlert',
  TogglePrivacy = 'kisMarket.togglePrivacy',
  // User handlers (src/views/handlerSetup.ts).
  NewHandler = 'kisMarket.newHandler',
  // Record and replay (src/views/recording/recordingCommands.ts).
  StartRecording = 'kisMarket.startRecording',
  StopRecording = 'kisMarket.stopRecording',
  ReplayRecording = 'kisMarket.replayRecording',
}

/** The activity-bar container and its views. */
export const VIEW_CONTAINER = 'kisMarket';
export const enum View {
  Watchlist = 'kisMarket.watchlist',
  Ticker = 'kisMarket.ticker',
  Alerts = 'kisMarket.alerts',
  Fills = 'kisMarket.fills',
}

/** Status bar item id (the DOM id is `${EXTENSION_ID}.${STATUS_BAR_ID}`). */
export const STATUS_BAR_ID = 'kisMarket.status';

/** Setting keys under the `kisMarket` section: derived from the one table of settings. */
export { CONFIG_SECTION, Setting } from './settingsTable';

/** SecretStorage keys, one pair per data source that needs credentials. */
export const SECRET_APPKEY = (source: KisSource): string => `kisMarket.${source}.appkey`;
export const SECRET_APPSECRET = (source: KisSource): string => `kisMarket.${source}.appsecret`;
/** The HTS ID the execution notices are keyed by (optional; the simulator uses the paper one). */
export const SECRET_HTS_ID = (source: KisSource): string => `kisMarket.${source}.htsId`;

/** globalState key of the watchlist (registered for Settings Sync). */
export const WATCHLIST_STATE_KEY = 'kisMarket.watchlist';
/** The symbols pinned to the live set (globalState, synced like the watchlist). */
export const PINNED_STATE_KEY = 'kisMarket.pinnedLive';
/** The REST holiday calendar and the KST day it was asked on (globalState, this machine only). */
export const HOLIDAY_STATE_KEY = 'kisMarket.holidays';

/** globalState keys of the hand-entered holdings and the alert rules (synced) and of privacy mode (this machine). */
export const HOLDINGS_STATE_KEY = 'kisMarket.holdings';
export const ALERTS_STATE_KEY = 'kisMarket.alerts';
export const PRIVACY_STATE_KEY = 'kisMarket.privacy';
/** globalState key of what fired alert rules remember (armed, when they fired): this machine's stream, not synced. */
export const ALERT_STATES_STATE_KEY = 'kisMarket.alertStates';

/** globalState key of the watchlist's groups and sort (synced, like the watchlist). */
export const WATCHLIST_GROUPS_STATE_KEY = 'kisMarket.watchlistGroups';
/** globalState key of the holdings imported from the KIS account (this machine: KIS is their source). */
export const IMPORTED_HOLDINGS_STATE_KEY = 'kisMarket.importedHoldings';
/** SecretStorage key of the KIS account number (8+2 digits), per data source (the simulator's too). */
export const SECRET_ACCOUNT = (source: DataSource): string => `kisMarket.${source}.account`;

/** Context keys set by the extension (used in `when` clauses of menus and views). */
export const enum ContextKey {
  /** A session is starting or running (the agent may still be connecting). */
  Connected = 'kisMarket.connected',
  /** Privacy mode is on (amounts hidden). */
  Privacy = 'kisMarket.privacy',
  /** The watchlist has at least one symbol. */
  HasSymbols = 'kisMarket.hasSymbols',
  /** The configured data source: 'simulator' | 'paper' | 'real' | 'replay'. */
  DataSource = 'kisMarket.dataSource',
  /** "KIS: Start Recording" is writing a file. */
  Recording = 'kisMarket.recording',
}

/** URI scheme of the read-only "connection details" document. */
export const DETAILS_SCHEME = 'kis-market';
