/** Where market data comes from: the one definition of the data-source names. */

/**
 * The configured data source: the built-in simulator, KIS's paper (mock) or real servers, or a recording
 * played through the built-in simulator's server.
 */
export type DataSource = 'simulator' | 'paper' | 'real' | 'replay';

/** A data source served by KIS itself (needs an app key and secret). */
export type KisSource = Exclude<DataSource, 'simulator' | 'replay'>;

/** True for a KIS-served source name. */
export function isKisSource(value: unknown): value is KisSource {
  return value === 'paper' || value === 'real';
}

/** True for any data-source name. */
export function isDataSource(value: unknown): value is DataSource {
  return value === 'simulator' || value === 'replay' || isKisSource(value);
}
