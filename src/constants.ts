/** Every id the extension contributes, in one place. Keep in sync with package.json `contributes`. */
import type { KisSource } from './market/sources';

/** Extension id as VS Code sees it (`publisher.name`). */
export const EXTENSION_ID = 'kis-market-monitor.kis-market-monitor';

/** Commands. Those marked internal are hidden from the palette (menus `when: false`). */
export const enum Command {
  Subscribe = 'kisMarket.subscribe',
  Unsubscribe = 'kisMarket.unsubscribe',
  Connect = 'kisMarket.connect',
  Disconnect = 'kisMarket.disconnect',
  ShowTicker = 'kisMarket.showTicker',
  ShowConnectionDetails = 'kisMarket.showConnectionDetails',
  SetCredentials = 'kisMarket.setCredentials',
  SelectDataSource = 'kisMarket.selectDataSource',
  /** Internal (tree context menu). */
  UnsubscribeItem = 'kisMarket.unsubscribeItem',
  MoveUp = 'kisMarket.moveUp',
  MoveDown = 'kisMarket.moveDown',
  OpenInTicker = 'kisMarket.openInTicker',
}

/** The activity-bar container and its views. */
export const VIEW_CONTAINER = 'kisMarket';
export const enum View {
  Watchlist = 'kisMarket.watchlist',
  Ticker = 'kisMarket.ticker',
}

/** Status bar item id (the DOM id is `${EXTENSION_ID}.${STATUS_BAR_ID}`). */
export const STATUS_BAR_ID = 'kisMarket.status';

/** Setting keys under the `kisMarket` section. */
export const CONFIG_SECTION = 'kisMarket';
export const enum Setting {
  DataSource = 'dataSource',
  ColorConvention = 'colorConvention',
  SnapshotIntervalMs = 'snapshotIntervalMs',
  MaxInFlight = 'maxInFlight',
  SimulatorRate = 'simulator.ratePerSymbol',
  StaleAfterSeconds = 'staleAfterSeconds',
  WsUrl = 'advanced.wsUrl',
  RestUrl = 'advanced.restUrl',
  ShareSimulator = 'shareSimulator',
}

/** SecretStorage keys, one pair per data source that needs credentials. */
export const SECRET_APPKEY = (source: KisSource): string => `kisMarket.${source}.appkey`;
export const SECRET_APPSECRET = (source: KisSource): string => `kisMarket.${source}.appsecret`;

/** globalState key of the watchlist (registered for Settings Sync). */
export const WATCHLIST_STATE_KEY = 'kisMarket.watchlist';

/** Context keys set by the extension (used in `when` clauses of menus and views). */
export const enum ContextKey {
  /** A session is starting or running (the agent may still be connecting). */
  Connected = 'kisMarket.connected',
  /** The watchlist has at least one symbol. */
  HasSymbols = 'kisMarket.hasSymbols',
  /** The configured data source: 'simulator' | 'paper' | 'real'. */
  DataSource = 'kisMarket.dataSource',
}

/** URI scheme of the read-only "connection details" document. */
export const DETAILS_SCHEME = 'kis-market';
