/**
 * Shared pieces of the integration suite: the extension's test API, condition waits and the
 * extension host's handle baseline for leak checks.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../../../src/constants';
import type { ExtensionApi } from '../../../src/shared/extensionApi';
import { poll, until } from '../../support/wait';

/** The extension under test as VS Code sees it (fails the test when it is not installed). */
export function extension(): vscode.Extension<ExtensionApi> {
  const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded in this VS Code`);
  return ext;
}

/** Activates the extension (a no-op when it already is) and returns what activate() returned. */
export async function api(): Promise<ExtensionApi> {
  const exported = await extension().activate();
  if (!exported || typeof exported.watchlist !== 'function')
    throw new Error('activate() did not return the ExtensionApi');
  return exported;
}

/** The extension's package.json as VS Code read it. */
export interface Manifest {
  contributes?: {
    commands?: { command: string; title: string; category?: string }[];
    configuration?: { properties?: Record<string, unknown> } | { properties?: Record<string, unknown> }[];
  };
}

/** The manifest of the extension under test. */
export function manifest(): Manifest {
  return extension().packageJSON as Manifest;
}

/** Every setting key (`kisMarket.*`) the manifest contributes. */
export function contributedSettingKeys(): string[] {
  const configuration = manifest().contributes?.configuration;
  const blocks = Array.isArray(configuration) ? configuration : configuration ? [configuration] : [];
  return blocks.flatMap((block) => Object.keys(block.properties ?? {}));
}

/**
 * Resolves with the first truthy value `probe` returns, checking every `intervalMs` (`until`,
 * test/support/wait.ts); a probe that throws is asked again, and its last error is named if the wait
 * times out after `timeoutMs`. A condition wait, not a sleep: it returns as soon as the condition holds.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 30_000,
  intervalMs = 50,
): Promise<T> {
  let lastError: unknown;
  const tolerant = async (): Promise<T | undefined | null | false> => {
    try {
      const value = await probe();
      lastError = undefined;
      return value;
    } catch (error) {
      lastError = error;
      return undefined;
    }
  };
  try {
    return await until(tolerant, poll(intervalMs), what, timeoutMs);
  } catch (timeout) {
    const detail = lastError instanceof Error ? `: ${lastError.message}` : '';
    throw new Error(`${(timeout as Error).message}${detail}`, { cause: timeout });
  }
}

/** Counts of the extension host's active libuv resources, by type (`TCPSocketWrap`, `Timeout`, ...). */
export function activeResourceCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}

let baseline: { counts: Map<string, number>; extensionWasActive: boolean } | undefined;

/** Records the handles open before the tests touch the extension (called once by index.ts). */
export function recordBaseline(): void {
  baseline = { counts: activeResourceCounts(), extensionWasActive: extension().isActive };
}

/** What recordBaseline() saw. */
export function resourceBaseline(): { counts: Map<string, number>; extensionWasActive: boolean } {
  if (!baseline) throw new Error('recordBaseline() was not called');
  return baseline;
}

/** The fresh user-data folder runTest.ts created for this run (undefined when started some other way). */
export function userDataDir(): string | undefined {
  const dir = process.env.KIS_TEST_USER_DATA_DIR;
  return dir && fs.existsSync(dir) ? dir : undefined;
}

/** Every regular file under `dir` (recursively), for content checks. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}
