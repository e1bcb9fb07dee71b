/**
 * The small pieces of posting to a webview without `vscode`: the injectable clock of the ticker channel,
 * and one post with its outcome (accepted, refused, thrown or rejected), for tickerFeed.ts.
 */
import type { ExtensionToWebview } from '../../shared/webviewProtocol';

/** Timers and time, injectable so that tests step the clock instead of sleeping. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** What to do when a post was taken, not taken, or failed. */
export interface PostOutcome {
  onDelivered?: () => void;
  onLost?: () => void;
  onError: (error: unknown) => void;
}

/**
 * Posts `message` with `post` (a thenable resolving `false`, or a throw, means the webview did not take
 * it) and reports the outcome. Returns false only when `post` threw (the webview is gone).
 */
export function postMessageTo(
  post: (message: ExtensionToWebview) => PromiseLike<boolean> | boolean,
  message: ExtensionToWebview,
  outcome: PostOutcome,
): boolean {
  let result: PromiseLike<boolean> | boolean;
  try {
    result = post(message);
  } catch (error) {
    outcome.onLost?.();
    outcome.onError(error);
    return false;
  }
  if (typeof result === 'boolean') {
    (result ? outcome.onDelivered : outcome.onLost)?.();
    return true;
  }
  result.then(
    (accepted) => (accepted ? outcome.onDelivered : outcome.onLost)?.(),
    (error: unknown) => {
      outcome.onLost?.();
      outcome.onError(error);
    },
  );
  return true;
}
