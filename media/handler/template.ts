// A KIS Market Monitor handler: runs in the extension's worker for every record while you stream.
// Save to reload it; its calls, errors and time show in "KIS: Show Connection Details",
// its errors (with this file's line numbers) in the "KIS Market Monitor" output channel.
import type { KisHandler } from './kis-handler';

let trades = 0;

const handler: KisHandler = (record) => {
  const trade = record.trade;
  if (trade === undefined) return;
  trades++;
  // Your code here: an indicator, a signal, a line appended to a file (require('node:fs')).
};

export default handler;
