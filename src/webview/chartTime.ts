/**
 * The chart's time axis in KST whatever the machine's zone, without the DOM. Bar times are
 * epoch seconds of the KST wall clock read as UTC (src/worker/bars.ts), so they are formatted with UTC
 * getters only: nothing here reads the machine's zone. lightweight-charts' own tick labels go through
 * `toLocaleString` on a local Date, which a daylight-saving gap of the machine's zone can shift by an hour,
 * hence these formatters. The scale is index-based (one slot per bar, whitespace never added), so closed
 * hours, nights, weekends and holidays take no room.
 */
import type { ChartView } from '../shared/webviewProtocol';
// time.ts imports nothing, so the webview bundle takes Seoul's offset from the one place that knows it.
import { KST_OFFSET_MS } from '../market/time';

/** lightweight-charts' `TickMarkType` values (Year, Month, DayOfMonth, Time, TimeWithSeconds). */
export const TICK_YEAR = 0;
export const TICK_MONTH = 1;
export const TICK_DAY = 2;
export const TICK_TIME = 3;
export const TICK_TIME_SECONDS = 4;

/** A real instant (epoch ms) as chart time: epoch seconds of its KST wall clock read as UTC. */
export function kstChartTime(epochMs: number): number {
  return Math.floor((epochMs + KST_OFFSET_MS) / 1000);
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** `YYYY-MM-DD` of a chart time (KST). */
export function chartDate(time: number): string {
  const d = new Date(time * 1000);
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`;
}

/** `HH:MM` of a chart time (KST). */
export function chartClock(time: number): string {
  const d = new Date(time * 1000);
  return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}

/** A tick label of the time axis: the year, `YYYY-MM`, `MM-DD`, or the KST time. */
export function formatTick(time: number, tickType: number): string {
  const d = new Date(time * 1000);
  switch (tickType) {
    case TICK_YEAR:
      return String(d.getUTCFullYear());
    case TICK_MONTH:
      return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}`;
    case TICK_DAY:
      return `${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`;
    case TICK_TIME_SECONDS:
      return `${chartClock(time)}:${two(d.getUTCSeconds())}`;
    default:
      return chartClock(time);
  }
}

/** The crosshair's time label: date and KST time of a minute bar, the date of a daily candle. */
export function formatCrosshair(time: number, view: ChartView): string {
  return view === 'daily' ? chartDate(time) : `${chartDate(time)} ${chartClock(time)} KST`;
}

/** `YYYYMMDD` of a chart time (KST), as the extension names a trading day. */
export function barDate(time: number): string {
  return chartDate(time).replace(/-/g, '');
}

/** A trading day `YYYYMMDD` as `Fri 12/04`; `weekdays` is seven space-separated names, Sunday first. */
export function formatSessionDay(yyyymmdd: string, weekdays: string): string {
  const names = weekdays.split(' ');
  const weekday = new Date(
    Date.UTC(Number(yyyymmdd.slice(0, 4)), Number(yyyymmdd.slice(4, 6)) - 1, Number(yyyymmdd.slice(6, 8))),
  ).getUTCDay();
  return `${names[weekday] ?? ''} ${yyyymmdd.slice(4, 6)}/${yyyymmdd.slice(6, 8)}`.trim();
}
