// Starts and stops code-server (the offline VS Code from scripts/vscode-harness) for `npm start` and the
// end-to-end tests. The logic of the kit's start.sh/stop.sh, as a module: code-server runs in its own
// process group on 127.0.0.1 with a free port, and stop() ends the whole group (SIGTERM, then SIGKILL).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (the folder holding package.json, two levels above this file). */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Where scripts/vscode-harness/install.sh put Node 24, code-server and playwright-core. */
export function harnessPaths() {
  const dir = path.resolve(process.env.VSCODE_HARNESS_DIR || path.join(projectRoot, '.vscode-test', 'harness'));
  const arch = process.arch === 'arm64' ? 'arm64' : 'x64';
  const nodeBinDir = process.env.NODE24_BIN_DIR || path.join(dir, 'node_modules', `node-linux-${arch}`, 'bin');
  const codeServer = process.env.CODE_SERVER_BIN || path.join(dir, 'node_modules', '.bin', 'code-server');
  // install.sh writes .complete last, and removes it before it starts over: a run that failed or was
  // interrupted half-way leaves no .complete and is redone, however many files it left.
  const complete = Boolean(process.env.CODE_SERVER_BIN) || fs.existsSync(path.join(dir, '.complete'));
  const installed = complete && fs.existsSync(codeServer) && fs.existsSync(path.join(nodeBinDir, 'node'));
  return {
    dir,
    nodeBinDir,
    codeServer,
    installed,
    settings: path.join(projectRoot, 'scripts', 'vscode-harness', 'settings.json'),
  };
}

/** True when fontconfig knows a font that covers Korean (Chromium draws Hangul with it). */
export function hasHangulFont() {
  const result = spawnSync('fc-list', [':lang=ko', 'family'], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.trim() !== '';
}

/** Runs scripts/vscode-harness/install.sh (idempotent; a few seconds when already installed). */
export function installHarness() {
  const result = spawnSync('bash', [path.join(projectRoot, 'scripts', 'vscode-harness', 'install.sh')], {
    cwd: projectRoot,
    stdio: 'inherit',
  });
  if (result.status !== 0)
    throw new Error(`scripts/vscode-harness/install.sh failed (exit ${result.status ?? result.signal})`);
}

/**
 * Installs the harness unless a complete install is there (the commands that need it call this, so a
 * fresh clone needs no separate setup step).
 * @param {string} who the log prefix, e.g. `start`
 */
export function ensureHarness(who) {
  if (harnessPaths().installed) {
    // A harness installed before install.sh checked for a CJK font: run it again (as root it installs the
    // font; otherwise it names the package), else every screenshot shows Korean names as boxes.
    if (!hasHangulFont()) {
      console.log(
        `[${who}] no font for Hangul (fc-list :lang=ko is empty): running scripts/vscode-harness/install.sh to add one`,
      );
      installHarness();
    }
    return;
  }
  console.log(`[${who}] installing the offline VS Code (code-server) into .vscode-test/harness: about 2.5 min, once`);
  installHarness();
  if (!harnessPaths().installed)
    throw new Error('scripts/vscode-harness/install.sh finished but left no complete install');
}

/** The extension's folder name in an extensions dir: `<publisher>.<name>-<version>`. */
export function extensionFolderName() {
  const manifest = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8'));
  return `${manifest.publisher}.${manifest.name}-${manifest.version}`;
}

/** True while any process of the group `pgid` exists. */
function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/**
 * Starts code-server and resolves once it listens.
 * @param {object} options
 * @param {string} options.runDir        holds config.yaml, code-server.log, xdg dirs; user data goes to runDir/data
 * @param {string} options.extensionsDir the extensions folder code-server loads
 * @param {string} [options.folder]      the folder to open
 * @param {string[]} [options.extraArgs] more code-server flags
 * @param {Record<string,string>} [options.env] more environment for the server and its extension hosts
 * @param {number} [options.port]       0 (default) lets the system pick a free one
 * @returns {Promise<{ url: string, port: number, pid: number, log: string, exited: Promise<number|string>, stop: () => Promise<void> }>}
 */
export async function startCodeServer({
  runDir,
  extensionsDir,
  folder,
  extraArgs = [],
  env = {},
  port: wantedPort = 0,
}) {
  const harness = harnessPaths();
  if (!harness.installed)
    throw new Error(`code-server is not installed under ${harness.dir}: run bash scripts/vscode-harness/install.sh`);
  const userDataDir = path.join(runDir, 'data');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  const settingsFile = path.join(userDataDir, 'User', 'settings.json');
  if (!fs.existsSync(settingsFile)) fs.copyFileSync(harness.settings, settingsFile);
  const config = path.join(runDir, 'config.yaml');
  fs.writeFileSync(config, ''); // keeps code-server away from ~/.config/code-server (and its password)
  const log = path.join(runDir, 'code-server.log');
  const logStream = fs.createWriteStream(log);

  const args = [
    '--config',
    config,
    '--bind-addr',
    `127.0.0.1:${wantedPort}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--reconnection-grace-time',
    '5',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    ...extraArgs,
    ...(folder ? [folder] : []),
  ];
  const child = spawn(harness.codeServer, args, {
    detached: true, // its own process group, so stop() reaches the extension hosts and the file watcher too
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...env,
      PATH: `${harness.nodeBinDir}${path.delimiter}${process.env.PATH}`,
      XDG_CONFIG_HOME: path.join(runDir, 'xdg-config'),
      XDG_DATA_HOME: path.join(runDir, 'xdg-data'),
    },
  });
  let exited = false;
  const exitedPromise = new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      exited = true;
      resolve(code ?? signal);
    }),
  );

  let stopping;
  const stop = () => {
    stopping ??= (async () => {
      if (!exited || groupAlive(child.pid)) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          /* already gone */
        }
        const deadline = Date.now() + 5000;
        while (groupAlive(child.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* all stopped */
        }
      }
      logStream.end();
    })();
    return stopping;
  };

  const port = await new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => done(new Error(`code-server did not listen within 60 s (log: ${log})`)), 60_000);
    function done(error, value) {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(value);
    }
    function onData(chunk) {
      seen += chunk.toString();
      const match = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(seen);
      if (match) done(undefined, Number(match[1]));
    }
    function onExit(code, signal) {
      done(new Error(`code-server exited (${code ?? signal}) before listening; log: ${log}`));
    }
    child.stdout.on('data', onData);
    child.on('exit', onExit);
    child.stdout.pipe(logStream, { end: false });
    child.stderr.pipe(logStream, { end: false });
  }).catch(async (error) => {
    await stop();
    throw error;
  });

  const query = folder ? `?folder=${encodeURIComponent(folder).replace(/%2F/g, '/')}` : '';
  return { url: `http://127.0.0.1:${port}/${query}`, port, pid: child.pid, log, exited: exitedPromise, stop };
}

/**
 * Installs a .vsix into `extensionsDir` the way a user would: code-server's `--install-extension`,
 * run with the harness's Node 24.
 */
export function installVsix(vsix, extensionsDir, runDir) {
  const harness = harnessPaths();
  fs.mkdirSync(extensionsDir, { recursive: true });
  const result = spawnSync(
    harness.codeServer,
    [
      '--extensions-dir',
      extensionsDir,
      '--user-data-dir',
      path.join(runDir, 'data'),
      '--install-extension',
      vsix,
      '--force',
    ],
    {
      encoding: 'utf8',
      env: {
        ...process.env,
        PATH: `${harness.nodeBinDir}${path.delimiter}${process.env.PATH}`,
        XDG_CONFIG_HOME: path.join(runDir, 'xdg-config'),
        XDG_DATA_HOME: path.join(runDir, 'xdg-data'),
      },
    },
  );
  if (result.status !== 0)
    throw new Error(`installing ${vsix} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  const folder = path.join(extensionsDir, extensionFolderName());
  if (!fs.existsSync(path.join(folder, 'package.json'))) throw new Error(`${vsix} did not install into ${folder}`);
  return folder;
}
