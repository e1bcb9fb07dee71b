/**
 * The API VS Code injects into a webview (`acquireVsCodeApi`, callable once per page), typed for the ticker:
 * posts only {@link WebviewToExtension} messages and persists only {@link StoredState}.
 */
import type { WebviewToExtension } from '../shared/webviewProtocol';
import type { StoredState } from './model';

/** The typed handle on the host. */
export interface TickerVsCodeApi {
  postMessage(message: WebviewToExtension): void;
  getState(): unknown;
  setState(state: StoredState): void;
}

declare global {
  /** Provided by VS Code in every webview with scripts enabled. */
  function acquireVsCodeApi(): TickerVsCodeApi;
}

/** Acquires the API once (a second call throws in VS Code). */
export function vscodeApi(): TickerVsCodeApi {
  return acquireVsCodeApi();
}
