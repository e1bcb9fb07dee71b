#!/usr/bin/env node
// `npm test`: every part of the test suite in order, stopping at the first failure, with the time of each
// part printed at the end (CI reads them there). The parts are npm scripts, so each also runs alone.
import { spawnSync } from 'node:child_process';

const PARTS = [
  ['typecheck', 'tsc --noEmit'],
  ['lint', 'ESLint'],
  ['build', 'esbuild bundles'],
  ['test:unit', 'unit + reliability tests under c8, coverage floors'],
  ['test:soak-day', 'a 2-minute trading day under faults, invariants checked'],
  ['test:integration', 'integration tests in a real VS Code'],
  ['test:e2e', 'UI tests: the .vsix in code-server, driven by Chromium'],
];

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const timings = [];
let status = 0;
for (const [script, what] of PARTS) {
  console.log(`\n::: npm run ${script} (${what})`);
  const started = Date.now();
  const result = spawnSync(npm, ['run', '--silent', script], { stdio: 'inherit' });
  const seconds = (Date.now() - started) / 1000;
  timings.push([script, seconds, result.status === 0 ? 'ok' : 'FAILED']);
  if (result.status !== 0) {
    status = result.status ?? 1;
    break;
  }
}
console.log('\n::: test timings');
for (const [script, seconds, outcome] of timings)
  console.log(`  ${script.padEnd(18)} ${seconds.toFixed(1).padStart(6)} s  ${outcome}`);
const total = timings.reduce((sum, [, seconds]) => sum + seconds, 0);
console.log(`  ${'total'.padEnd(18)} ${total.toFixed(1).padStart(6)} s`);
process.exit(status);
