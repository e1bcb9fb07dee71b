// The subscribe picker's lists on a KIS source (src/views/symbolPicker.ts) under the vscode stand-in:
// KIS's master files downloaded from the `masterFilesUrl` setting (a simulator on port 0 serves them at KIS's
// path), then served from the daily cache; an unreachable server with nothing cached falls back to the
// built-in catalogue and says why; a storage folder that cannot be written still leaves a working picker.
import { vscodeFake, nextEvent, type FakeQuickPick } from '../support/vscode';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { activated, until, type Activated, runCommand } from '../support/extensionHost';
import { KisSimulator } from '../../../src/simulator';

describe('views: the symbol picker on a KIS source (vscode stand-in)', function () {
  this.timeout(30_000);
  let ext: Activated | undefined;
  let sim: KisSimulator | undefined;

  afterEach(async () => {
    await ext?.close();
    await sim?.close();
    ext = undefined;
    sim = undefined;
  });

  const run = runCommand;
  /** Opens the picker and waits until its title says which list it searches (its load finished). */
  async function openPicker(title: RegExp): Promise<{ quickPick: FakeQuickPick; picking: Promise<unknown> }> {
    const shown = nextEvent(vscodeFake.quickPickShown.event, 'the symbol picker');
    const picking = run('subscribe');
    const quickPick = await shown;
    await until(() => !quickPick.busy && title.test(quickPick.title), quickPick.onItemsChanged, `the title ${title}`);
    return { quickPick, picking };
  }
  const onPaper = (masterFilesUrl: string) =>
    activated(() => {
      vscodeFake.setSetting('kisMarket.dataSource', 'paper');
      vscodeFake.setSetting('kisMarket.masterFilesUrl', masterFilesUrl);
    });

  it('downloads the master files from the setting, then serves them from the cache and says how fresh they are', async () => {
    sim = await KisSimulator.start({ port: 0 });
    ext = onPaper(`${sim.restUrl}/common/master/`);
    let { quickPick, picking } = await openPicker(/^KIS: Subscribe — [\d,]+ listings$/);
    assert.ok(
      vscodeFake.progress.some((p) => p.options.title === 'KIS: symbol lists' && p.reports.length > 0),
      'progress per file',
    );
    quickPick.type('ㅅㅅㅈㅈ');
    assert.equal(quickPick.items[0]?.code, '005930');
    quickPick.hide();
    assert.equal(await picking, undefined);

    // The simulator lists no KONEX company: on a KIS source its empty KONEX file is a problem, so the cached
    // lists are announced as the last good ones.
    ({ quickPick, picking } = await openPicker(/^KIS: Subscribe — [\d,]+ listings \(offline: list from just now\)$/));
    quickPick.type('apple');
    assert.equal(quickPick.items[0]?.code, 'DNASAAPL', 'the cached lists are searched');
    quickPick.hide();
    await picking;
    const warnings = vscodeFake.messages('warning');
    assert.equal(warnings.length, 2, 'once per opening');
    for (const w of warnings)
      assert.match(
        w,
        /^KIS: .*KONEX.*\. The previous list stays in use\.$|^KIS: .*konex.*\. The previous list stays in use\.$/,
      );
    assert.equal((await ext.api.pickSymbols?.('삼성전자'))?.[0], '005930', 'the API searches the same lists');
  });

  it('falls back to the built-in catalogue when the server cannot be reached and nothing is cached, and says so', async () => {
    ext = onPaper('http://127.0.0.1:1/');
    const { quickPick, picking } = await openPicker(/^KIS: Subscribe — built-in list of \d+ \(no master file yet\)$/);
    const warnings = vscodeFake.messages('warning');
    assert.ok(warnings.length > 0);
    for (const w of warnings) assert.match(w, /^KIS: .+\. The previous list stays in use\.$/);
    quickPick.type('samsung electronics');
    assert.equal(quickPick.items[0]?.code, '005930', 'the catalogue has English names');
    quickPick.hide();
    await picking;
  });

  it('logs a storage folder that cannot be written and still searches the built-in catalogue', async () => {
    ext = activated((context) => {
      vscodeFake.setSetting('kisMarket.dataSource', 'paper');
      fs.writeFileSync(context.globalStorageUri.fsPath, 'not a folder');
    });
    const log = vscodeFake.channels[0];
    const shown = nextEvent(vscodeFake.quickPickShown.event, 'the symbol picker');
    const picking = run('subscribe');
    const quickPick = await shown;
    await until(
      () => log.lines.find((l) => l.includes('Symbol lists could not be loaded')),
      log.onLine,
      'the load error in the log',
    );
    assert.equal(quickPick.title, 'KIS: Subscribe', 'the title stays');
    quickPick.type('삼성전자');
    assert.equal(quickPick.items[0]?.code, '005930');
    quickPick.hide();
    await picking;
  });
});
