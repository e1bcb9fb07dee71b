#!/usr/bin/env node
// npm start: builds the extension and opens it, with the embedded simulator as its data source (the
// default), in a real VS Code.
// - With the `code` command on PATH: a desktop VS Code window in extension-development mode.
// - Otherwise (or with KIS_VSCODE_RUNNER=code-server): code-server from scripts/vscode-harness (installed on
//   first use), on 127.0.0.1 only, with the extension loaded; prints the URL and runs until Ctrl+C, then
//   stops every process it started. VSCODE_HARNESS_PORT fixes the port.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureHarness, extensionFolderName, projectRoot, startCodeServer } from './lib/codeServer.mjs';

const workspace = path.join(projectRoot, 'test-workspace');

/** True when `command` resolves on PATH. */
function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function build() {
  console.log('[start] building (node esbuild.js)');
  const result = spawnSync(process.execPath, ['esbuild.js'], { cwd: projectRoot, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

async function openInCodeServer() {
  ensureHarness('start');
  const runDir = path.join(projectRoot, '.vscode-test', 'start');
  const extensionsDir = path.join(runDir, 'extensions');
  // Development install: the project folder itself, linked as <publisher>.<name>-<version>, so a rebuild
  // (npm run watch) plus "Developer: Reload Window" picks up new code.
  fs.rmSync(extensionsDir, { recursive: true, force: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.symlinkSync(projectRoot, path.join(extensionsDir, extensionFolderName()));

  const server = await startCodeServer({
    runDir,
    extensionsDir,
    folder: workspace,
    port: Number(process.env.VSCODE_HARNESS_PORT ?? 0),
  });
  let stopping = false;
  const shutdown = async (code) => {
    if (stopping) return;
    stopping = true;
    console.log('\n[start] stopping code-server');
    await server.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  process.on('SIGHUP', () => void shutdown(0));
  console.log(
    `[start] code-server (VS Code in the browser) is running, log: ${path.relative(projectRoot, server.log)}`,
  );
  console.log('[start] open the KIS Market view in the activity bar; the data source is the embedded simulator');
  console.log('[start] press Ctrl+C to stop');
  console.log(server.url);
  // Runs until a signal arrives, or until code-server ends on its own.
  const how = await server.exited;
  if (!stopping) {
    console.error(`[start] code-server exited (${how}); log: ${server.log}`);
    await shutdown(1);
  }
}

build();
const runner = process.env.KIS_VSCODE_RUNNER;
if (runner !== 'code-server' && onPath('code')) {
  console.log('[start] opening a VS Code window with the extension (code --extensionDevelopmentPath)');
  const child = spawn('code', [`--extensionDevelopmentPath=${projectRoot}`, workspace], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  openInCodeServer().catch((error) => {
    console.error(`[start] ${error.message}`);
    process.exit(1);
  });
}
