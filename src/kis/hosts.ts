/**
 * KIS's own servers for each environment (kis-protocol.md §1): the WebSocket for real-time data and the
 * REST host for the approval key, tokens and quotes. The one place these URLs are written; the settings,
 * the CLI and the REST client read them from here.
 */

/** Which KIS environment: the real or the paper (모의투자) servers. */
export type KisEnv = 'real' | 'paper';

/** The WebSocket and REST base URLs of one environment. */
export interface KisHost {
  readonly wsUrl: string;
  readonly restUrl: string;
}

export const KIS_ENDPOINTS: Readonly<Record<KisEnv, KisHost>> = Object.freeze({
  real: Object.freeze({
    wsUrl: 'ws://ops.koreainvestment.com:21000',
    restUrl: 'https://openapi.koreainvestment.com:9443',
  }),
  paper: Object.freeze({
    wsUrl: 'ws://ops.koreainvestment.com:31000',
    restUrl: 'https://openapivts.koreainvestment.com:29443',
  }),
});
