/**
 * `kis-monitor bars CODE [--date YYYYMMDD] [--daily] [options]`: a day's 1-minute bars (today's, or the last
 * trading day's when today has none yet), or daily candles, as JSON.
 */
import { barsOfDay } from '../rest/barsOfDay';
import { command } from './args';
import { QueryProblem, REST_FLAGS_USAGE, REST_OPTIONS, runRestQuery } from './rest';

export const BARS_USAGE = `Usage: kis-monitor bars CODE [--date YYYYMMDD] [--daily] [options]
A day's 1-minute bars: today's since the open, or the last trading day's when today has none yet (before the
open, at night, on a weekend or holiday); --date picks the day. Daily candles with --daily.

  --date YYYYMMDD                 that day's minute bars (a future, weekend or malformed date exits 2)
  --daily                         daily candles instead of minute bars
${REST_FLAGS_USAGE}`;

const OPTIONS = { ...REST_OPTIONS, daily: { type: 'boolean' }, date: { type: 'string' } } as const;

export const barsCommand = command({
  name: 'bars',
  usage: BARS_USAGE,
  options: OPTIONS,
  positionals: true,
  run: (args, io) =>
    runRestQuery('bars', args, io, async ({ code, exchange, client }) => {
      if (args.values.daily === true) return client.dailyBars(code, exchange);
      const day = await barsOfDay(client, code, exchange, Date.now(), args.values.date);
      if ('problem' in day) throw new QueryProblem(day.problem, day.exit);
      return day;
    }),
});
