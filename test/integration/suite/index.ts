/**
 * The module VS Code loads as `--extensionTestsPath`: runs every `*.test.js` next to it with mocha (bdd),
 * in file-name order (the files are numbered: the last one shuts the extension down).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import Mocha from 'mocha';
import { recordBaseline } from './helpers';

/** Runs the suite; rejects when any test fails (VS Code then exits with a non-zero code). */
export function run(): Promise<void> {
  // Before any test file loads (and so before the tests activate the extension): the handles the
  // extension host holds on its own, to compare against after shutdown.
  recordBaseline();
  // KIS_TEST_GREP narrows a run while working on one part (e.g. KIS_TEST_GREP=credentials).
  const grep = process.env.KIS_TEST_GREP;
  const mocha = new Mocha({
    ui: 'bdd',
    color: true,
    timeout: 60_000,
    slow: 5_000,
    forbidOnly: true,
    forbidPending: true,
    ...(grep ? { grep } : {}),
  });
  const files = fs
    .readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js'))
    .sort();
  for (const file of files) mocha.addFile(path.join(__dirname, file));
  const started = Date.now();
  console.log(`[integration] mocha starting (extension host up for ${process.uptime().toFixed(1)} s)`);
  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      console.log(`[integration] mocha finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      // With NODE_V8_COVERAGE set (runTest.ts does), write this extension host's coverage now: the runner
      // ends the host with a signal, and V8 writes it on a normal exit only.
      if (process.env.NODE_V8_COVERAGE) v8.takeCoverage();
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
  });
}
