// What the chart's time axis shows for a few bars, for webview/chartTime.test.ts: required in the test's
// process and in child processes started with another TZ, whose answers must be the same.
import {
  formatCrosshair,
  formatTick,
  kstChartTime,
  TICK_DAY,
  TICK_MONTH,
  TICK_TIME,
  TICK_TIME_SECONDS,
  TICK_YEAR,
} from '../../../src/webview/chartTime';
import { restChartBars } from '../../../src/feed/rest/restMerge';
import { dailyChartBars } from '../../../src/feed/rest/chartHistory';
import { minuteStart } from '../../../src/worker/bars';

/** The labels of a REST minute bar, a live bar, the KST conversion of an instant, and a daily candle. */
export function axisLabels(): string[] {
  const minute = restChartBars('005930', [
    { date: '20261204', time: '091700', open: 1, high: 1, low: 1, close: 1, volume: 1 },
  ])[0].time;
  const live = minuteStart('20261204', '151959');
  // 2026-03-08 is a daylight-saving change in the Americas (00:00 in Havana, 02:00 in New York).
  const daily = dailyChartBars('005930', [
    { date: '20260308', time: '', open: 1, high: 1, low: 1, close: 1, volume: 1 },
  ])[0].time;
  return [
    formatTick(minute, TICK_TIME),
    formatCrosshair(minute, 'minute'),
    formatTick(live, TICK_TIME),
    formatTick(live + 59, TICK_TIME_SECONDS),
    String(kstChartTime(Date.UTC(2026, 11, 4, 0, 17, 30)) - minute),
    formatTick(daily, TICK_DAY),
    formatTick(daily, TICK_MONTH),
    formatTick(daily, TICK_YEAR),
    formatCrosshair(daily, 'daily'),
  ];
}

if (require.main === module) {
  process.stdout.write(
    JSON.stringify({ offset: new Date(Date.UTC(2026, 11, 4)).getTimezoneOffset(), labels: axisLabels() }),
  );
}
