import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../worker/helpers';
import { readSetting } from '../../../src/settings';
import { CONFIG_SECTION, RESTART_SETTINGS, SETTINGS, Setting, type SettingRow } from '../../../src/settingsTable';

/** What package.json declares for one setting (the fields the table must agree with). */
interface ManifestProperty {
  type: string;
  default: unknown;
  enum?: unknown[];
  scope?: string;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  markdownDescription?: string;
}

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(path.join(projectRoot(), file), 'utf8')) as T;
}

const manifest = readJson<{ contributes: { configuration: { properties: Record<string, ManifestProperty> } } }>(
  'package.json',
);
const properties = manifest.contributes.configuration.properties;
const rows = Object.entries(SETTINGS) as Array<[string, SettingRow]>;

/** What the table says the manifest should declare for a row. */
function declared(row: SettingRow): Partial<ManifestProperty> {
  const expected: Partial<ManifestProperty> = { type: row.type, default: row.default, scope: row.scope };
  if ('enum' in row) expected.enum = [...row.enum];
  if ('min' in row) [expected.minimum, expected.maximum] = [row.min, row.max];
  return expected;
}

describe('settings: the table against package.json', () => {
  it('has one row per contributed setting, and no row the manifest lacks', () => {
    const manifestKeys = Object.keys(properties).sort();
    const tableKeys = rows.map(([, row]) => `${CONFIG_SECTION}.${row.key}`).sort();
    assert.deepEqual(tableKeys, manifestKeys);
  });

  for (const [name, row] of rows) {
    it(`kisMarket.${row.key}: type, default, enum, scope and limits as the table (${name})`, () => {
      const property = properties[`${CONFIG_SECTION}.${row.key}`];
      assert.ok(property, `package.json declares kisMarket.${row.key}`);
      const actual: Partial<ManifestProperty> = {
        type: property.type,
        default: property.default,
        scope: property.scope,
      };
      if (property.enum !== undefined) actual.enum = property.enum;
      if (property.minimum !== undefined || property.maximum !== undefined)
        [actual.minimum, actual.maximum] = [property.minimum, property.maximum];
      assert.deepEqual(actual, declared(row));
    });
  }

  it('the manifest pattern of each free-text setting accepts what the reader keeps and refuses what it drops', () => {
    const samples: Record<string, { good: string[]; bad: string[] }> = {
      wsUrl: {
        good: ['', 'ws://127.0.0.1:9000', 'wss://ops.koreainvestment.com:21000'],
        bad: ['http://wrong-scheme', 'ftp://x'],
      },
      httpUrl: {
        good: ['', 'http://127.0.0.1:9', 'https://openapi.koreainvestment.com:9443'],
        bad: ['ws://x', 'ftp://x'],
      },
      isoInstant: { good: ['', '2026-12-07T08:40:00+09:00', '2026-12-07T23:40Z'], bad: ['08:40', '2026-12-07 08:40'] },
    };
    for (const [, row] of rows) {
      if (!('text' in row) || row.text === 'path') continue;
      const pattern = new RegExp(properties[`${CONFIG_SECTION}.${row.key}`].pattern ?? '');
      for (const value of samples[row.text].good) {
        assert.ok(pattern.test(value), `${row.key}: the manifest accepts ${value}`);
        assert.equal(readSetting(row, value).value, value, `${row.key}: the reader keeps ${value}`);
      }
      for (const value of samples[row.text].bad) {
        assert.equal(pattern.test(value), false, `${row.key}: the manifest refuses ${value}`);
        assert.equal(readSetting(row, value).value, '', `${row.key}: the reader drops ${value}`);
      }
    }
  });

  it('describes every setting in English and Korean', () => {
    for (const file of ['package.nls.json', 'package.nls.ko.json']) {
      const nls = readJson<Record<string, string>>(file);
      for (const [, row] of rows) {
        const id = properties[`${CONFIG_SECTION}.${row.key}`].markdownDescription?.replace(/%/g, '') ?? '';
        assert.ok((nls[id] ?? '').length > 0, `${file}: ${id} (kisMarket.${row.key})`);
      }
    }
  });

  it('restarts the data source on exactly the settings a running source is built from', () => {
    assert.deepEqual([...RESTART_SETTINGS].sort(), [
      'dataSource',
      'maxInFlight',
      'replayFile',
      'replaySpeed',
      'restUrl',
      'shareSimulator',
      'simulatorClock',
      'simulatorRatePerSymbol',
      'simulatorSpeed',
      'snapshotIntervalMs',
      'wsUrl',
    ]);
  });

  it('names each key once: Setting.<name> is the key under kisMarket', () => {
    assert.equal(Setting.simulatorRatePerSymbol, 'simulator.ratePerSymbol');
    assert.equal(Setting.wsUrl, 'advanced.wsUrl');
    assert.equal(Setting.handlers, 'handlers');
    assert.equal(Setting.tickerExtraColumns, 'ticker.extraColumns');
  });

  it('reads a list setting (the handler modules) as strings only, else its default', () => {
    assert.deepEqual(readSetting(SETTINGS.handlers, ['a.js', 'b.js']).value, ['a.js', 'b.js']);
    assert.deepEqual(readSetting(SETTINGS.handlers, ['a.js', 3]).value, []);
    assert.deepEqual(readSetting(SETTINGS.handlers, 'a.js').value, []);
  });
});
