/**
 * Launches the integration suite in a real VS Code (the `@vscode/test-electron` contract).
 *
 * Two ways to get a VS Code, chosen by `KIS_VSCODE_RUNNER` (`desktop` | `code-server`) or automatically:
 * - `desktop`: test-electron downloads desktop VS Code (`KIS_VSCODE_VERSION`, default `stable`) into
 *   .vscode-test/ and runs it. Needs the network once and a display (Electron).
 * - `code-server`: scripts/vscode-harness/code-server-test.mjs, which takes desktop VS Code's flags and
 *   runs the same suite in code-server's extension host driven by headless Chromium. Works offline and
 *   headless; the harness is installed on first use (scripts/ensure-harness.mjs, about 2.5 min once).
 * Automatic choice: code-server on Linux without a display or when the VS Code update server cannot be
 * reached, desktop otherwise.
 *
 * Each run gets a fresh user-data folder, so SecretStorage, globalState (the watchlist) and settings start
 * empty and the tests can inspect the files VS Code wrote (settings, logs) afterwards.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import { runTests, TestRunFailedError } from '@vscode/test-electron';
import { TEST_APPKEY, TEST_APPSECRET } from './suite/secrets';

/** Which VS Code runs the suite. */
type Runner = 'desktop' | 'code-server';

/** out/test/integration → the folder that holds package.json. */
const projectRoot = path.resolve(__dirname, '../../..');

/** True when a HEAD request to the VS Code update server answers within a few seconds. */
function canReachUpdateServer(): Promise<boolean> {
  return new Promise((resolve) => {
    const request = https.request(
      { host: 'update.code.visualstudio.com', path: '/api/releases/stable', method: 'HEAD', timeout: 4000 },
      (response) => {
        response.resume();
        resolve((response.statusCode ?? 500) < 500);
      },
    );
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', () => resolve(false));
    request.end();
  });
}

async function chooseRunner(): Promise<Runner> {
  const forced = process.env.KIS_VSCODE_RUNNER;
  if (forced === 'desktop' || forced === 'code-server') return forced;
  if (forced) throw new Error(`KIS_VSCODE_RUNNER must be "desktop" or "code-server", not "${forced}"`);
  // Electron cannot open a window without a display; code-server drives a headless browser instead.
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'code-server';
  return (await canReachUpdateServer()) ? 'desktop' : 'code-server';
}

/** A clean folder (removed first when an earlier run left it). */
function freshDir(dir: string): string {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Every regular file under `dir`. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : entry.isFile() ? [full] : [];
  });
}

/**
 * After VS Code has exited (every log flushed and closed): the suite's fake credentials must appear in no
 * log and no settings file it left behind. Throws with the offending files.
 */
function assertNoCredentialsOnDisk(userDataDir: string, workspace: string, runDir: string): void {
  const candidates = [
    ...filesUnder(path.join(userDataDir, 'logs')),
    ...filesUnder(path.join(runDir, 'logs')),
    path.join(userDataDir, 'User', 'settings.json'),
    path.join(workspace, '.vscode', 'settings.json'),
  ].filter((file) => fs.existsSync(file));
  const leaks = candidates.filter((file) => {
    const text = fs.readFileSync(file, 'utf8');
    return text.includes(TEST_APPKEY) || text.includes(TEST_APPSECRET);
  });
  if (leaks.length > 0) throw new Error(`credentials written to disk outside SecretStorage: ${leaks.join(', ')}`);
  console.log(`[integration] no credentials in ${candidates.length} log and settings files`);
}

/**
 * The integration run's coverage per src/ folder, printed (never enforced: the floors are the unit
 * tests'). c8 reads the extension host's V8 coverage and maps dist/*.js back to src/ by the source maps.
 */
function reportCoverage(coverageDir: string): void {
  const reportDir = path.join(projectRoot, 'coverage', 'integration');
  const c8 = path.join(projectRoot, 'node_modules', 'c8', 'bin', 'c8.js');
  const report = spawnSync(
    process.execPath,
    [
      c8,
      'report',
      '--temp-directory',
      coverageDir,
      '--report-dir',
      reportDir,
      '--reporter',
      'json-summary',
      '--reporter',
      'text-summary',
      '--all',
      'false',
      '--src',
      'src',
      '--include',
      'dist/extension.js',
      '--include',
      'dist/worker.js',
      '--include',
      'src/**',
    ],
    { cwd: projectRoot, stdio: 'inherit' },
  );
  const check = spawnSync(
    process.execPath,
    [
      path.join(projectRoot, 'test', 'check-coverage.mjs'),
      path.join(reportDir, 'coverage-summary.json'),
      '--report-only',
      '--title',
      'integration run',
    ],
    { cwd: projectRoot, stdio: 'inherit' },
  );
  if (report.status !== 0 || check.status !== 0)
    console.log('[integration] coverage could not be reported (the tests passed)');
}

async function main(): Promise<void> {
  const runner = await chooseRunner();
  const runDir = path.join(projectRoot, '.vscode-test', 'integration');
  const userDataDir = freshDir(path.join(runDir, 'user-data'));
  const extensionsDir = freshDir(path.join(runDir, 'extensions'));
  const workspace = path.join(projectRoot, 'test-workspace');
  // V8 coverage of the extension host (dist/*.js, mapped back to src/ by their source maps); off with
  // KIS_INTEGRATION_COVERAGE=0.
  const coverageDir =
    process.env.KIS_INTEGRATION_COVERAGE === '0' ? undefined : freshDir(path.join(runDir, 'v8-coverage'));

  let vscodeExecutablePath: string | undefined;
  if (runner === 'code-server') {
    vscodeExecutablePath = path.join(projectRoot, 'scripts', 'vscode-harness', 'code-server-test.mjs');
    // Installs it unless a complete install is there (a failed or interrupted one is redone).
    const ensured = spawnSync(
      process.execPath,
      [path.join(projectRoot, 'scripts', 'ensure-harness.mjs'), 'integration'],
      { stdio: 'inherit' },
    );
    if (ensured.status !== 0)
      throw new Error(`the code-server harness could not be installed (exit ${ensured.status ?? ensured.signal})`);
  }
  console.log(
    `[integration] runner: ${runner}${vscodeExecutablePath ? ` (${path.relative(projectRoot, vscodeExecutablePath)})` : ''}`,
  );

  const started = Date.now();
  await runTests({
    ...(vscodeExecutablePath ? { vscodeExecutablePath } : { version: process.env.KIS_VSCODE_VERSION ?? 'stable' }),
    extensionDevelopmentPath: projectRoot,
    extensionTestsPath: path.join(__dirname, 'suite', 'index'),
    // English UI whatever the machine's language: some assertions read user-facing text (the status tooltip).
    launchArgs: [
      workspace,
      '--disable-extensions',
      '--locale=en',
      `--user-data-dir=${userDataDir}`,
      `--extensions-dir=${extensionsDir}`,
    ],
    extensionTestsEnv: {
      KIS_TEST_USER_DATA_DIR: userDataDir,
      KIS_TEST_WORKSPACE: workspace,
      KIS_TEST_RUNNER: runner,
      ...(coverageDir ? { NODE_V8_COVERAGE: coverageDir } : {}),
      // Keep the code-server logs next to the user data so a failed run can be read afterwards.
      ...(runner === 'code-server' ? { CS_TEST_LOG_DIR: path.join(runDir, 'logs') } : {}),
    },
  });
  assertNoCredentialsOnDisk(userDataDir, workspace, runDir);
  console.log(`[integration] passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (coverageDir) reportCoverage(coverageDir);
}

main().catch((error: unknown) => {
  if (error instanceof TestRunFailedError) console.error(`[integration] FAILED: ${error.message}`);
  else console.error('[integration] could not run the tests:', error);
  process.exit(1);
});
