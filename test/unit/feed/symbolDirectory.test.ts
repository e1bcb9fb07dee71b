import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SymbolDirectory } from '../../../src/feed/symbolDirectory';
import { pickRows } from '../../../src/market/pickerSearch';
import { KisSimulator } from '../../../src/simulator';

describe('symbol directory: master files for the picker', () => {
  let dir: string;
  let sim: KisSimulator | undefined;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-directory-'));
  });
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('loads the simulator’s master files with progress; "apple" finds AAPL and 초성 finds 삼성전자', async () => {
    sim = await KisSimulator.start({ port: 0 });
    const progress: number[] = [];
    const load = await new SymbolDirectory({ storageDir: dir }).load(
      { kind: 'simulator', restUrl: sim.restUrl },
      (done) => progress.push(done),
    );
    assert.equal(load.origin, 'downloaded');
    assert.deepEqual(progress, [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(load.problems, [], 'its empty KONEX file (no KONEX company in its catalogue) is no problem');
    assert.equal(pickRows(load.search, 'apple', new Set())[0].code, 'DNASAAPL');
    assert.equal(pickRows(load.search, 'ㅅㅅㅈㅈ', new Set())[0].code, '005930');
    assert.ok(load.cacheBytes > 0);
    assert.ok(fs.existsSync(path.join(dir, 'masters', 'simulator', 'masters.json')), 'cached under its own folder');
  });

  it('offline, serves the last cache and says how old it is; with nothing cached, the built-in catalogue', async () => {
    let clock = Date.UTC(2026, 11, 4, 0, 0);
    let online = true;
    const files = new Map<string, Uint8Array>();
    sim = await KisSimulator.start({ port: 0 });
    const fetchFrom = async (
      url: string,
    ): Promise<{ ok: boolean; status: number; arrayBuffer(): Promise<ArrayBuffer> }> => {
      if (!online) throw new Error('getaddrinfo ENOTFOUND');
      const name = url.slice(url.lastIndexOf('/') + 1);
      const res = await fetch(`${(sim as KisSimulator).restUrl}/common/master/${name}`);
      const bytes = new Uint8Array(await res.arrayBuffer());
      files.set(name, bytes);
      return {
        ok: res.ok,
        status: res.status,
        arrayBuffer: async () =>
          bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
      };
    };
    const directory = new SymbolDirectory({ storageDir: dir, fetch: fetchFrom, now: () => clock });
    const empty = await new SymbolDirectory({
      storageDir: path.join(dir, 'none'),
      fetch: async () => Promise.reject(new Error('offline')),
    }).load({ kind: 'kis', url: '' });
    assert.equal(empty.origin, 'catalogue');
    assert.equal(empty.problems.length, 6);
    assert.equal(pickRows(empty.search, 'apple', new Set())[0].code, 'DNASAAPL');

    const first = await directory.load({ kind: 'kis', url: 'https://example.invalid/master' });
    assert.equal(first.origin, 'downloaded');
    clock += 30 * 3_600_000;
    online = false;
    const later = await directory.load({ kind: 'kis', url: 'https://example.invalid/master' });
    assert.equal(later.origin, 'cache');
    assert.equal(later.ageMs, 30 * 3_600_000);
    assert.ok(later.problems.every((p) => /could not be downloaded/.test(p)) && later.problems.length > 0);
    assert.equal(pickRows(later.search, 'apple', new Set())[0].code, 'DNASAAPL', 'the previous cache stays in use');
    assert.equal(later.search, first.search, 'the same listings: the search index is reused');
  });

  it('uses the built-in catalogue when the simulator is not in this window (shared through the hub)', async () => {
    const load = await new SymbolDirectory({ storageDir: dir }).load({ kind: 'simulator', restUrl: undefined });
    assert.equal(load.origin, 'catalogue');
    assert.deepEqual(load.problems, []);
  });
});
