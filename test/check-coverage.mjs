#!/usr/bin/env node
// Coverage floors, lines AND branches, for every folder under src/ (found on disk, so a new folder is held to
// the floor the day it appears) and for src/extension.ts. Reads c8's json-summary
// (coverage/coverage-summary.json, written by `c8 mocha` through .c8rc.json).
//
//   node test/check-coverage.mjs [summary.json] [--report-only] [--title TEXT]
//
// `--report-only` prints the same table and never fails (the integration run's coverage uses it).
// Every group is held to the floors, the VS Code side included: src/views, src/extension.ts and src/config.ts
// run in unit tests under the vscode stand-in (test/unit/support/vscode.ts), src/webview's page script under
// a small DOM (test/unit/support/dom.ts).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';

const FLOOR = { lines: 90, branches: 90 };
/**
 * Measured, printed, not enforced; each with the reason. Empty: a group goes here only with a reason a
 * reviewer accepts (and an issue that removes it again).
 */
const NOT_ENFORCED = {};

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const reportOnly = args.includes('--report-only');
const titleAt = args.indexOf('--title');
const title = titleAt >= 0 ? args[titleAt + 1] : 'unit + reliability';
const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--title') ?? 'coverage/coverage-summary.json';
const summary = JSON.parse(readFileSync(resolve(root, file), 'utf8'));

/** Top-level files of src/ measured on their own (the VS Code wiring); the others form `src/*.ts`. */
const OWN_GROUP = ['src/extension.ts', 'src/config.ts'];
/** The groups: each folder under src/, OWN_GROUP, and the other top-level files of src/ together. */
const srcDir = resolve(root, 'src');
const groups = readdirSync(srcDir)
  .filter((name) => statSync(resolve(srcDir, name)).isDirectory())
  .map((name) => `src/${name}`)
  .sort();
groups.push(...OWN_GROUP, 'src/*.ts');

/** Which group a summary entry belongs to (undefined for files outside src/). */
function groupOf(rel) {
  if (!rel.startsWith('src/')) return undefined;
  const rest = rel.slice(4);
  if (rest.includes('/')) return `src/${rest.split('/')[0]}`;
  return OWN_GROUP.includes(rel) ? rel : 'src/*.ts';
}

/**
 * True for a module of types only (its compiled JavaScript is the CommonJS header and nothing else). c8's
 * `all` counts such a file, never loaded at run time, as wholly uncovered; it has no code to cover.
 */
function typesOnly(rel) {
  const js = resolve(root, 'out', rel.replace(/\.ts$/, '.js'));
  if (!existsSync(js)) return false;
  const code = readFileSync(js, 'utf8')
    .replace(/\/\/# sourceMappingURL=.*$/m, '')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '')
    .replace(/"use strict";/, '')
    .replace(/Object\.defineProperty\(exports, "__esModule", \{ value: true \}\);/, '');
  return code.trim() === '';
}

const totals = new Map(groups.map((g) => [g, { lines: [0, 0], branches: [0, 0] }]));
for (const [path, data] of Object.entries(summary)) {
  if (path === 'total') continue;
  const rel = relative(root, path).split('\\').join('/');
  const group = groupOf(rel);
  const t = group && totals.get(group);
  if (!t || (data.lines.covered === 0 && typesOnly(rel))) continue;
  for (const metric of ['lines', 'branches']) {
    t[metric][0] += data[metric].covered;
    t[metric][1] += data[metric].total;
  }
}

const pct = ([covered, total]) => (total === 0 ? 100 : (100 * covered) / total);
const cell = (pair) => `${pct(pair).toFixed(1).padStart(5)} % (${pair[0]}/${pair[1]})`.padEnd(22);
// The integration run is reported against the same floors for comparison only: the floors hold on the unit run.
console.log(
  reportOnly
    ? `coverage (${title}), a report only (the floors hold on the unit run); marked where under ${FLOOR.lines} % lines or ${FLOOR.branches} % branches:`
    : `coverage (${title}), floors ${FLOOR.lines} % lines and ${FLOOR.branches} % branches:`,
);
let failed = false;
for (const group of groups) {
  const t = totals.get(group);
  if (group === 'src/*.ts' && t.lines[1] === 0) continue;
  if (OWN_GROUP.includes(group) && !existsSync(resolve(root, group))) continue;
  const below = pct(t.lines) < FLOOR.lines || pct(t.branches) < FLOOR.branches;
  const exempt = NOT_ENFORCED[group];
  let verdict = below ? 'FAIL' : 'ok';
  if (exempt) verdict = `measured, not enforced: ${exempt}`;
  else if (reportOnly) verdict = below ? 'under (report only)' : 'ok';
  if (below && !exempt && !reportOnly) failed = true;
  console.log(`  ${group.padEnd(18)} lines ${cell(t.lines)} branches ${cell(t.branches)} ${verdict}`);
}
process.exit(failed ? 1 : 0);
