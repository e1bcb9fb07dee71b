// The chart's time axis is KST whatever the machine's zone. The zone of a Node process is
// fixed at start, so the same checks run in child processes with other TZ values.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { barDate, chartClock, chartDate, formatSessionDay } from '../../../src/webview/chartTime';
import { axisLabels } from './chartTime-labels';

const EXPECTED = ['09:17', '2026-12-04 09:17 KST', '15:19', '15:19:59', '30', '03-08', '2026-03', '2026', '2026-03-08'];

describe('a trading day’s label', () => {
  it('reads Fri 12/04 in English and 금 12/04 in Korean, and a bar’s KST date', () => {
    assert.equal(formatSessionDay('20261204', 'Sun Mon Tue Wed Thu Fri Sat'), 'Fri 12/04');
    assert.equal(formatSessionDay('20261207', '일 월 화 수 목 금 토'), '월 12/07');
    assert.equal(barDate(Date.UTC(2026, 11, 4, 23, 59) / 1000), '20261204', 'a KST wall-clock minute read as UTC');
  });
});

describe('chart time axis in KST', () => {
  it('labels minute and daily bars in KST in this process', () => {
    assert.deepEqual(axisLabels(), EXPECTED);
    assert.equal(chartDate(0), '1970-01-01');
    assert.equal(chartClock(9 * 3600 + 5 * 60), '09:05');
  });

  for (const zone of [
    'America/New_York',
    'America/Havana',
    'Australia/Lord_Howe',
    'Asia/Kolkata',
    'Pacific/Chatham',
    'UTC',
  ]) {
    it(`labels them the same on a machine in ${zone}`, () => {
      const out = JSON.parse(
        execFileSync(process.execPath, [path.join(__dirname, 'chartTime-labels.js')], {
          env: { ...process.env, TZ: zone },
          encoding: 'utf8',
        }),
      ) as { offset: number; labels: string[] };
      if (zone !== 'UTC') assert.notEqual(out.offset, 0, `the child really runs in ${zone}`);
      assert.deepEqual(out.labels, EXPECTED);
    });
  }
});
