// Small pieces the feed tests share (unit and reliability): a silent log channel and a wait on events.
import type { LogChannel } from '../../../src/common/logger';

/** A log channel that drops every line (the tests read state, not logs). */
export const quiet: LogChannel = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** Resolves when `check` holds, now or after one of `subscribe`'s events; rejects after `ms` naming `what`. */
export function until(subscribe: (listener: () => void) => { dispose(): void }, check: () => boolean, what: string, ms = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (check()) return resolve();
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out waiting for ${what}`));
    }, ms);
    const sub = subscribe(() => {
      if (!check()) return;
      clearTimeout(timer);
      sub.dispose();
      resolve();
    });
  });
}
