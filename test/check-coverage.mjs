#!/usr/bin/env node
// Fails when line coverage of a core folder drops below its floor. Reads c8's json-summary
// (coverage/coverage-summary.json, written by `c8 mocha` through .c8rc.json) and sums lines per folder.
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';

const FLOORS = { 'src/kis': 90, 'src/agent': 90, 'src/worker': 90, 'src/simulator': 90, 'src/hub': 90, 'src/recorder': 90 };
const root = resolve(import.meta.dirname, '..');
const summary = JSON.parse(readFileSync(resolve(root, 'coverage/coverage-summary.json'), 'utf8'));

let failed = false;
for (const [folder, floor] of Object.entries(FLOORS)) {
  let covered = 0;
  let total = 0;
  for (const [file, data] of Object.entries(summary)) {
    if (file === 'total') continue;
    const rel = relative(root, file).split('\\').join('/');
    if (!rel.startsWith(`${folder}/`)) continue;
    covered += data.lines.covered;
    total += data.lines.total;
  }
  const pct = total === 0 ? 0 : (100 * covered) / total;
  const ok = total > 0 && pct >= floor;
  if (!ok) failed = true;
  console.log(`coverage ${folder.padEnd(14)} ${pct.toFixed(1).padStart(5)} % lines (${covered}/${total}), floor ${floor} % ${ok ? 'ok' : 'FAIL'}`);
}
process.exit(failed ? 1 : 0);
