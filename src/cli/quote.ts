/** `kis-monitor quote CODE [options]`: the current price by REST (inquire-price), as JSON on stdout. */
import { command } from './args';
import { REST_FLAGS_USAGE, REST_OPTIONS, runRestQuery } from './rest';

export const QUOTE_USAGE = `Usage: kis-monitor quote CODE [options]
The current price (REST inquire-price).

${REST_FLAGS_USAGE}`;

export const quoteCommand = command({
  name: 'quote',
  usage: QUOTE_USAGE,
  options: REST_OPTIONS,
  positionals: true,
  run: (args, io) => runRestQuery('quote', args, io, ({ code, exchange, client }) => client.price(code, exchange)),
});
