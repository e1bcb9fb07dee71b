import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../worker/helpers';
import { DEFAULT_SETTINGS, endpointsFor, KIS_ENDPOINTS, parseSettings } from '../../../src/settings';

describe('settings', () => {
  it('uses the documented defaults when nothing is set', () => {
    const { settings, problems } = parseSettings({});
    assert.deepEqual(settings, {
      dataSource: 'simulator',
      colorConvention: 'korean',
      snapshotIntervalMs: 100,
      maxInFlight: 1,
      simulatorRatePerSymbol: 5,
      staleAfterSeconds: 30,
      wsUrl: '',
      restUrl: '',
      exchange: 'unified',
      simulatorClock: '',
      simulatorSpeed: 1,
      shareSimulator: false,
      masterFilesUrl: '',
      statusBarIndex: 'off',
      replayFile: '',
      replaySpeed: 1,
      recordingMaxMegabytes: 500,
      recordingMaxMinutes: 60,
      alertRearmPercent: 0.5,
      alertCooldownSeconds: 300,
      viewsRefreshMs: 1000,
    });
    assert.deepEqual(problems, []);
    assert.ok(Object.isFrozen(settings));
    assert.deepEqual(settings, DEFAULT_SETTINGS);
  });

  it('reads the master-file URL and the status-bar index; a bad value falls back and is reported', () => {
    const ok = parseSettings({ masterFilesUrl: 'http://127.0.0.1:9/common/master/', statusBarIndex: '1001' });
    assert.deepEqual(
      [ok.settings.masterFilesUrl, ok.settings.statusBarIndex],
      ['http://127.0.0.1:9/common/master', '1001'],
    );
    assert.deepEqual(ok.problems, []);
    const bad = parseSettings({ masterFilesUrl: 'ftp://x', statusBarIndex: 'NASDAQ' });
    assert.deepEqual([bad.settings.masterFilesUrl, bad.settings.statusBarIndex], ['', 'off']);
    assert.deepEqual(
      bad.problems.map((p) => p.key),
      ['masterFilesUrl', 'statusBarIndex'],
    );
  });

  it('reads kisMarket.views.refreshMs within 100–5,000 ms (whole ms); the manifest says the same', () => {
    assert.equal(parseSettings({ 'views.refreshMs': 250 }).settings.viewsRefreshMs, 250);
    const low = parseSettings({ 'views.refreshMs': 20 });
    assert.equal(low.settings.viewsRefreshMs, 100);
    assert.deepEqual(low.problems, [{ key: 'views.refreshMs', value: 20, used: 100 }]);
    assert.equal(parseSettings({ 'views.refreshMs': 60_000 }).settings.viewsRefreshMs, 5000);
    assert.equal(parseSettings({ 'views.refreshMs': 'fast' }).settings.viewsRefreshMs, 1000);
    const manifest = JSON.parse(fs.readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as {
      contributes: {
        configuration: {
          properties: Record<
            string,
            { default: number; minimum: number; maximum: number; markdownDescription: string }
          >;
        };
      };
    };
    const refresh = manifest.contributes.configuration.properties['kisMarket.views.refreshMs'];
    assert.deepEqual([refresh.default, refresh.minimum, refresh.maximum], [1000, 100, 5000]);
    for (const file of ['package.nls.json', 'package.nls.ko.json']) {
      const nls = JSON.parse(fs.readFileSync(path.join(projectRoot(), file), 'utf8')) as Record<string, string>;
      assert.match(nls['config.views.refreshMs'] ?? '', /500/, `${file} says why below ~1000 a tooltip may not open`);
    }
  });

  it('keeps valid values', () => {
    const { settings, problems } = parseSettings({
      dataSource: 'paper',
      colorConvention: 'western',
      snapshotIntervalMs: 250,
      maxInFlight: 4,
      'simulator.ratePerSymbol': 20,
      staleAfterSeconds: 10,
      'advanced.wsUrl': 'ws://127.0.0.1:9000/',
      'advanced.restUrl': 'http://127.0.0.1:9001',
    });
    assert.equal(settings.dataSource, 'paper');
    assert.equal(settings.colorConvention, 'western');
    assert.equal(settings.snapshotIntervalMs, 250);
    assert.equal(settings.maxInFlight, 4);
    assert.equal(settings.simulatorRatePerSymbol, 20);
    assert.equal(settings.staleAfterSeconds, 10);
    assert.equal(settings.wsUrl, 'ws://127.0.0.1:9000', 'a trailing slash is dropped');
    assert.equal(settings.restUrl, 'http://127.0.0.1:9001');
    assert.deepEqual(problems, []);
  });

  it('clamps numbers to their limits and reports what it changed', () => {
    const { settings, problems } = parseSettings({ snapshotIntervalMs: 10, maxInFlight: 99, staleAfterSeconds: 'x' });
    assert.equal(settings.snapshotIntervalMs, 50);
    assert.equal(settings.maxInFlight, 8);
    assert.equal(settings.staleAfterSeconds, 30);
    assert.deepEqual(
      problems.map((p) => [p.key, p.used]),
      [
        ['snapshotIntervalMs', 50],
        ['maxInFlight', 8],
        ['staleAfterSeconds', 30],
      ],
    );
  });

  it('falls back on unknown enum values and bad URLs', () => {
    const { settings, problems } = parseSettings({
      dataSource: 'live',
      colorConvention: 42,
      'advanced.wsUrl': 'http://wrong-scheme',
      'advanced.restUrl': 'not a url',
    });
    assert.equal(settings.dataSource, 'simulator');
    assert.equal(settings.colorConvention, 'korean');
    assert.equal(settings.wsUrl, '');
    assert.equal(settings.restUrl, '');
    assert.equal(problems.length, 4);
  });

  it('maps paper and real to the KIS endpoints unless overridden', () => {
    const { settings } = parseSettings({});
    assert.deepEqual(endpointsFor('real', settings), KIS_ENDPOINTS.real);
    assert.equal(endpointsFor('paper', settings).wsUrl, 'ws://ops.koreainvestment.com:31000');
    assert.equal(endpointsFor('paper', settings).restUrl, 'https://openapivts.koreainvestment.com:29443');
    const overridden = parseSettings({ 'advanced.wsUrl': 'ws://localhost:1' }).settings;
    assert.deepEqual(endpointsFor('real', overridden), {
      wsUrl: 'ws://localhost:1',
      restUrl: KIS_ENDPOINTS.real.restUrl,
    });
  });

  it('reads the exchange and the simulator clock, and reports bad values', () => {
    const ok = parseSettings({
      exchange: 'nxt',
      'simulator.clock': ' 2026-12-07T08:40:00+09:00 ',
      'simulator.speed': 60,
    });
    assert.equal(ok.settings.exchange, 'nxt');
    assert.equal(ok.settings.simulatorClock, '2026-12-07T08:40:00+09:00');
    assert.equal(ok.settings.simulatorSpeed, 60);
    const bad = parseSettings({ exchange: 'NYSE', 'simulator.clock': '08:40', 'simulator.speed': 0 });
    assert.equal(bad.settings.exchange, 'unified');
    assert.equal(bad.settings.simulatorClock, '', 'a time without a date and an offset is the demo');
    assert.equal(bad.settings.simulatorSpeed, 1);
    assert.deepEqual(bad.problems.map((p) => p.key).sort(), ['exchange', 'simulator.clock', 'simulator.speed']);
    assert.equal(parseSettings({ 'simulator.clock': 42 }).settings.simulatorClock, '');
  });

  it('shares the simulator only when shareSimulator is a boolean true; anything else is reported and off', () => {
    assert.equal(parseSettings({ shareSimulator: true }).settings.shareSimulator, true);
    const { settings, problems } = parseSettings({ shareSimulator: 'yes' });
    assert.equal(settings.shareSimulator, false);
    assert.deepEqual(problems, [{ key: 'shareSimulator', value: 'yes', used: false }]);
  });

  it('reads the replay source, its file and speed, and the recording limits', () => {
    const { settings, problems } = parseSettings({
      dataSource: 'replay',
      'replay.file': ' /r/a.kisrec ',
      'replay.speed': '10',
      'recording.maxMegabytes': 50,
      'recording.maxMinutes': 5,
    });
    assert.equal(settings.dataSource, 'replay');
    assert.equal(settings.replayFile, '/r/a.kisrec');
    assert.equal(settings.replaySpeed, 10);
    assert.equal(settings.recordingMaxMegabytes, 50);
    assert.equal(settings.recordingMaxMinutes, 5);
    assert.deepEqual(problems, []);
    assert.equal(parseSettings({ 'replay.speed': 'max' }).settings.replaySpeed, 'max');
    const bad = parseSettings({ 'replay.speed': '3', 'recording.maxMegabytes': 0, 'recording.maxMinutes': 1e9 });
    assert.equal(bad.settings.replaySpeed, 1);
    assert.equal(bad.settings.recordingMaxMegabytes, 1);
    assert.equal(bad.settings.recordingMaxMinutes, 1440);
    assert.deepEqual(bad.problems.map((p) => p.key).sort(), [
      'recording.maxMegabytes',
      'recording.maxMinutes',
      'replay.speed',
    ]);
  });
});
