import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { unzipFirst, zipOne } from '../../../src/common/zip';
import { writeKrxMaster, writeOverseasMaster } from '../../../src/market/master';
import { MASTER_MAX_AGE_MS, MasterCache } from '../../../src/rest/masterFiles';

const kospi = (): Uint8Array =>
  zipOne(
    'kospi_code.mst',
    writeKrxMaster([{ code: '005930', nameKo: '삼성전자', kind: 'stock', basePrice: 71900 }], 'KOSPI'),
  );
const nas = (): Uint8Array =>
  zipOne(
    'nasmst.cod',
    writeOverseasMaster(
      [{ ticker: 'AAPL', nameKo: '애플', nameEn: 'Apple Inc', kind: 'stock', basePrice: 170 }],
      'NAS',
    ),
  );

describe('zip (the master files’ container)', () => {
  it('round-trips one file and refuses a truncated or foreign archive with a code', () => {
    const data = new TextEncoder().encode('hello '.repeat(100));
    const zip = zipOne('a.txt', data);
    const back = unzipFirst(zip);
    assert.ok(!('code' in back));
    if ('code' in back) return;
    assert.equal(back.name, 'a.txt');
    assert.deepEqual(back.data, data);
    const cut = unzipFirst(zip.subarray(0, zip.length - 10));
    assert.ok('code' in cut && cut.code === 'NOT_A_ZIP');
    assert.ok('code' in unzipFirst(new Uint8Array(100)));
  });
});

describe('master-file cache (real HTTP server on port 0)', () => {
  let server: http.Server;
  let dir: string;
  let baseUrl: string;
  const files = new Map<string, Uint8Array | number>();
  const hits: string[] = [];

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-masters-'));
    files.clear();
    hits.length = 0;
    server = http.createServer((req, res) => {
      const name = (req.url ?? '').replace(/^\/master\//, '');
      hits.push(name);
      const body = files.get(name);
      if (body === undefined || typeof body === 'number') {
        res.statusCode = typeof body === 'number' ? body : 404;
        res.end();
        return;
      }
      res.end(Buffer.from(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/master`;
  });

  afterEach(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('downloads each market once a day, reports progress, and serves listings from the cache', async () => {
    files.set('kospi_code.mst.zip', kospi());
    files.set('nasmst.cod.zip', nas());
    let now = Date.UTC(2026, 11, 4, 0, 0);
    const cache = new MasterCache({ dir, baseUrl, markets: ['KOSPI', 'NAS'], now: () => now });
    const progress: string[] = [];
    const first = await cache.refresh({
      onProgress: (done, total, market) => progress.push(`${done}/${total} ${market}`),
    });
    assert.deepEqual(progress, ['1/2 KOSPI', '2/2 NAS']);
    assert.deepEqual(first.downloaded, ['KOSPI', 'NAS']);
    assert.deepEqual(
      first.entries.map((e) => e.code),
      ['005930', 'DNASAAPL'],
    );
    assert.equal(first.oldestAgeMs, 0);
    assert.ok(first.cacheBytes > 200);
    now += MASTER_MAX_AGE_MS - 1;
    const second = await cache.refresh();
    assert.deepEqual(second.downloaded, [], 'not again within a day');
    assert.equal(hits.length, 2);
    assert.equal(second.oldestAgeMs, MASTER_MAX_AGE_MS - 1);
    now += 1;
    assert.deepEqual((await cache.refresh()).downloaded, ['KOSPI', 'NAS'], 'a day later');
  });

  it('keeps the previous cache when the new file is truncated, in a new layout, missing, or the server is gone', async () => {
    files.set('kospi_code.mst.zip', kospi());
    let now = 1_000_000;
    const cache = new MasterCache({ dir, baseUrl, markets: ['KOSPI'], now: () => now });
    await cache.refresh();
    const good = kospi();
    files.set('kospi_code.mst.zip', good.subarray(0, good.length - 30));
    now += MASTER_MAX_AGE_MS;
    const truncated = await cache.refresh();
    assert.equal(truncated.errors[0].code, 'NOT_A_ZIP');
    assert.deepEqual(
      truncated.entries.map((e) => e.code),
      ['005930'],
      'previous cache stays',
    );
    files.set(
      'kospi_code.mst.zip',
      zipOne(
        'kospi_code.mst',
        writeKrxMaster([{ code: '005930', nameKo: '삼성전자', kind: 'stock', basePrice: 1 }], 'KOSDAQ'),
      ),
    );
    const layout = await cache.refresh({ force: true });
    assert.equal(layout.errors[0].code, 'NEW_LAYOUT');
    assert.match(layout.errors[0].message, /not in the known layout/);
    assert.equal(layout.entries[0].basePrice, 71900, 'the old file, not the refused one');
    const cutFile = writeKrxMaster([{ code: '005930', nameKo: '삼성전자', kind: 'stock', basePrice: 1 }], 'KOSPI');
    files.set('kospi_code.mst.zip', zipOne('kospi_code.mst', cutFile.subarray(0, cutFile.length - 20)));
    assert.equal((await cache.refresh({ force: true })).errors[0].code, 'TRUNCATED');
    files.set('kospi_code.mst.zip', 503);
    assert.equal((await cache.refresh({ force: true })).errors[0].code, 'HTTP');
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const offline = await cache.refresh({ force: true });
    assert.equal(offline.errors[0].code, 'OFFLINE');
    assert.equal(offline.oldestAgeMs, MASTER_MAX_AGE_MS, 'offline: the last cache and its age');
    assert.deepEqual(
      (await new MasterCache({ dir, baseUrl, markets: ['KOSPI'], now: () => now }).load()).entries.length,
      1,
    );
  });

  it('starts empty with an unreadable meta file and no cache', async () => {
    fs.writeFileSync(path.join(dir, 'masters.json'), 'not json');
    const snapshot = await new MasterCache({ dir, baseUrl, markets: ['KOSDAQ'] }).load();
    assert.deepEqual(snapshot.entries, []);
    assert.equal(snapshot.oldestAgeMs, undefined);
    fs.writeFileSync(path.join(dir, 'masters.json'), 'null');
    assert.equal((await new MasterCache({ dir, baseUrl, markets: ['KOSDAQ'] }).load()).cacheBytes, 0);
  });
});
