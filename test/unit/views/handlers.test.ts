// User handlers in the editor (src/views/handlerSetup.ts) under the stand-in: "New Handler…" writes a template
// and lists it, the set follows the setting, saved files and workspace trust, and a handler that cannot be
// prepared is reported in the log with its code.
import { vscodeFake, Uri, type FakeLogChannel } from '../support/vscode';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { activated, until, type Activated } from '../support/extensionHost';

describe('views: user handlers (vscode stand-in)', function () {
  this.timeout(30_000);
  let ext: Activated;
  let workspace: string;
  let log: FakeLogChannel;

  beforeEach(() => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-ws-'));
    ext = activated();
    log = vscodeFake.channels[0]!;
  });

  afterEach(async () => {
    await ext.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  const run = (args?: unknown): Promise<unknown> => vscodeFake.execute('kisMarket.newHandler', args);
  const openFolder = (): void => {
    vscodeFake.workspaceFolders = [{ uri: Uri.file(workspace), name: 'ws', index: 0 }];
  };
  /** Resolves with the first log line written from now on that matches `pattern`. */
  const logged = (pattern: RegExp): Promise<string> => {
    const from = log.lines.length;
    return until(() => log.lines.slice(from).find((l) => pattern.test(l)), log.onLine, `a log line like ${pattern}`);
  };

  it('asks for a folder first, and writes nothing when the language or the name is dismissed', async () => {
    assert.equal(await run({ language: 'JavaScript', name: 'h' }), undefined);
    assert.deepEqual(vscodeFake.messages('warning'), ['Open a folder first: handlers live in the workspace.']);
    openFolder();
    vscodeFake.answer('quickPick', undefined);
    assert.equal(await run(), undefined);
    vscodeFake.answer('inputBox', undefined);
    assert.equal(await run({ language: 'TypeScript', name: '../escape' }), undefined, 'a bad name is asked for again');
    assert.equal(fs.existsSync(path.join(workspace, 'kis-handlers')), false);
  });

  it('writes a JavaScript template, lists it in the workspace setting, opens it and loads it', async () => {
    openFolder();
    const loaded = logged(/Handlers: kis-handlers[/\\]first\.js/);
    const file = (await run({ language: 'JavaScript', name: 'first' })) as Uri;
    assert.equal(file.fsPath, path.join(workspace, 'kis-handlers', 'first.js'));
    assert.ok(fs.existsSync(file.fsPath));
    assert.ok(fs.existsSync(path.join(workspace, 'kis-handlers', 'kis-handler.d.ts')));
    assert.deepEqual(vscodeFake.workspaceValues.get('kisMarket.handlers'), ['kis-handlers/first.js']);
    assert.equal(vscodeFake.documentsShown.at(-1)?.uri.fsPath, file.fsPath);
    await loaded;

    // Saving a file beside a handler reloads the set; another file elsewhere does not.
    const reloaded = logged(/Handlers: /);
    vscodeFake.saves.fire({ uri: Uri.file(path.join(workspace, 'elsewhere.txt')) });
    vscodeFake.saves.fire({ uri: Uri.file(path.join(workspace, 'kis-handlers', 'util.js')) });
    await reloaded;
    assert.equal(log.lines.filter((l) => l.includes('Handlers: ')).length, 2);
  });

  it('reports a TypeScript handler it cannot compile, and runs nothing in an untrusted workspace until trusted', async () => {
    openFolder();
    vscodeFake.answer('quickPick', 'TypeScript');
    vscodeFake.answer('inputBox', (shown: { options?: Record<string, unknown> }) => {
      const validate = shown.options?.validateInput as (v: string) => string | undefined;
      assert.match(validate('a/b') ?? '', /Letters, digits/);
      assert.equal(validate('typed_1'), undefined);
      return 'typed_1';
    });
    const reported = logged(/Handler .*typed_1\.ts: NO_COMPILER/);
    await run('not an object');
    await reported;

    vscodeFake.isTrusted = false;
    const refused = logged(/not run in an untrusted workspace \(2 listed\)/);
    vscodeFake.setSetting('kisMarket.handlers', ['kis-handlers/typed_1.ts', 'a.js', 7], 'workspace');
    await refused;
    vscodeFake.isTrusted = true;
    const trusted = logged(/Handlers: a\.js|Handler .*a\.js/);
    vscodeFake.trust.fire();
    await trusted;

    const listed = logged(/Handlers: missing\.js/);
    vscodeFake.setSetting('kisMarket.handlers', 'not a list', 'workspace');
    vscodeFake.setSetting('kisMarket.handlers', ['missing.js'], 'workspace');
    await listed;
    assert.deepEqual(ext.api.handlerStats(), [], 'no session: no counters yet');
  });
});
