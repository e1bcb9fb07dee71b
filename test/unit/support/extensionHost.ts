/**
 * An extension's install folder for unit tests: `dist/worker.js` loads the tsc-compiled worker entry (the
 * esbuild bundle is not built for unit runs), `media/` is the repository's. Plus a hub directory of its own,
 * so a test never meets a VS Code window of this machine.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
// The stand-in first: src/extension imports 'vscode'.
import { vscodeFake, type FakeContext } from './vscode';
import { activate, deactivate } from '../../../src/extension';
import type { ExtensionApi } from '../../../src/shared/extensionApi';

/** The repository root (tests run from out/test/unit/support). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/** A temporary extension folder; `remove()` deletes it. */
export function extensionFolder(): { root: string; remove(): void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-ext-'));
  fs.mkdirSync(path.join(root, 'dist'));
  const entry = path.join(REPO_ROOT, 'out', 'src', 'worker', 'entry.js');
  fs.writeFileSync(path.join(root, 'dist', 'worker.js'), `require(${JSON.stringify(entry)});\n`);
  fs.symlinkSync(path.join(REPO_ROOT, 'media'), path.join(root, 'media'));
  fs.mkdirSync(path.join(root, 'hub'), { mode: 0o700 });
  return { root, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}

export { until } from '../../support/wait';

/** The extension activated in a fresh folder under the stand-in; `close()` deactivates and cleans up. */
export interface Activated {
  api: ExtensionApi;
  context: FakeContext;
  close(): Promise<void>;
}

/** Resets the stand-in, runs `prepare` (plant settings, mementos, secrets), then activates the extension. */
export function activated(prepare: (context: FakeContext) => void = () => undefined): Activated {
  vscodeFake.reset();
  const folder = extensionFolder();
  const hubDir = process.env.KIS_MONITOR_HUB_DIR;
  process.env.KIS_MONITOR_HUB_DIR = path.join(folder.root, 'hub');
  const context = vscodeFake.context(folder.root);
  prepare(context);
  const api = activate(context as never);
  return {
    api,
    context,
    close: async () => {
      await deactivate();
      context.disposeAll();
      folder.remove();
      if (hubDir === undefined) delete process.env.KIS_MONITOR_HUB_DIR;
      else process.env.KIS_MONITOR_HUB_DIR = hubDir;
    },
  };
}

/** Runs a `kisMarket.*` command as VS Code runs it from the palette or a menu, with its arguments. */
export function runCommand(id: string, ...args: unknown[]): Promise<unknown> {
  return vscodeFake.execute(`kisMarket.${id}`, ...args);
}

/**
 * Activates the extension before each test of the calling suite and closes it after; `use` receives the
 * fresh one (the suite keeps it in its own variable).
 */
export function activatedEachTest(use: (ext: Activated) => void): void {
  let current: Activated | undefined;
  beforeEach(() => use((current = activated())));
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
}
