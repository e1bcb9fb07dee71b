import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { alertQuietOf, parseSettings } from '../../../src/settings';
import { projectRoot } from '../worker/helpers';

describe('settings: the alerts band and cooldown', () => {
  it('reads kisMarket.alerts.rearmPercent (0–10) and kisMarket.alerts.cooldownSeconds (0–86,400, whole seconds)', () => {
    const ok = parseSettings({ 'alerts.rearmPercent': 1.5, 'alerts.cooldownSeconds': 60 });
    assert.deepEqual([ok.settings.alertRearmPercent, ok.settings.alertCooldownSeconds], [1.5, 60]);
    assert.deepEqual(ok.problems, []);
    assert.deepEqual(alertQuietOf(ok.settings), { rearmPercent: 1.5, cooldownMs: 60_000 });
    const zero = parseSettings({ 'alerts.rearmPercent': 0, 'alerts.cooldownSeconds': 0 });
    assert.deepEqual(
      [zero.settings.alertRearmPercent, zero.settings.alertCooldownSeconds, zero.problems.length],
      [0, 0, 0],
      '0 turns each off',
    );
  });

  it('clamps values outside the limits to the nearest limit and reports them; a non-number takes the default', () => {
    const { settings, problems } = parseSettings({ 'alerts.rearmPercent': 12, 'alerts.cooldownSeconds': -5 });
    assert.deepEqual([settings.alertRearmPercent, settings.alertCooldownSeconds], [10, 0]);
    assert.deepEqual(problems, [
      { key: 'alerts.rearmPercent', value: 12, used: 10 },
      { key: 'alerts.cooldownSeconds', value: -5, used: 0 },
    ]);
    const high = parseSettings({ 'alerts.cooldownSeconds': 100_000, 'alerts.rearmPercent': 'lots' });
    assert.deepEqual([high.settings.alertRearmPercent, high.settings.alertCooldownSeconds], [0.5, 86_400]);
    assert.equal(parseSettings({ 'alerts.cooldownSeconds': 1.4 }).settings.alertCooldownSeconds, 1, 'whole seconds');
  });

  it('declares the same defaults and limits in the manifest, with a description in English and Korean', () => {
    const root = projectRoot();
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      contributes: {
        configuration: {
          properties: Record<
            string,
            { default: number; minimum: number; maximum: number; markdownDescription: string }
          >;
        };
      };
    };
    const props = manifest.contributes.configuration.properties;
    const rearm = props['kisMarket.alerts.rearmPercent'];
    const cooldown = props['kisMarket.alerts.cooldownSeconds'];
    assert.deepEqual([rearm.default, rearm.minimum, rearm.maximum], [0.5, 0, 10]);
    assert.deepEqual([cooldown.default, cooldown.minimum, cooldown.maximum], [300, 0, 86_400]);
    for (const file of ['package.nls.json', 'package.nls.ko.json']) {
      const nls = JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as Record<string, string>;
      for (const p of [rearm, cooldown])
        assert.ok(nls[p.markdownDescription.replace(/%/g, '')]?.length > 20, `${file}: ${p.markdownDescription}`);
    }
  });
});
