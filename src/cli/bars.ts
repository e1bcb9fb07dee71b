/** `kis-monitor bars CODE [--daily] [options]`: today's 1-minute bars since the open, or daily candles, as JSON. */
import { command } from './args';
import { REST_FLAGS_USAGE, REST_OPTIONS, runRestQuery } from './rest';

export const BARS_USAGE = `Usage: kis-monitor bars CODE [--daily] [options]
Today's 1-minute bars since the open (REST inquire-time-itemchartprice), or daily candles with --daily.

  --daily                         daily candles instead of minute bars
${REST_FLAGS_USAGE}`;

const OPTIONS = { ...REST_OPTIONS, daily: { type: 'boolean' } } as const;

export const barsCommand = command({
  name: 'bars',
  usage: BARS_USAGE,
  options: OPTIONS,
  positionals: true,
  run: (args, io) =>
    runRestQuery('bars', args, io, ({ code, exchange, client }) => (args.values.daily === true ? client.dailyBars(code, exchange) : client.minuteBars(code, exchange))),
});
