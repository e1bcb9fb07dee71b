#!/usr/bin/env node
// Installs the offline VS Code harness (scripts/vscode-harness/install.sh) unless a complete install is
// already there. `npm run test:integration` and `npm run test:e2e` run it first, so `npm ci && npm test`
// on a fresh clone needs no other step. Skipped when KIS_VSCODE_RUNNER=desktop (test-electron's VS Code).
import { ensureHarness } from './lib/codeServer.mjs';

const who = process.argv[2] ?? 'harness';
if (process.env.KIS_VSCODE_RUNNER !== 'desktop' || who === 'e2e') {
  try {
    ensureHarness(who);
  } catch (error) {
    console.error(`[${who}] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
