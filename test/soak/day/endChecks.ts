/**
 * The invariants that need the whole day, checked once the market has closed (20:00) and the last
 * snapshots have landed: no record lost outside a reported gap nor seen twice; every view's price equals
 * the read model's last record; at most one alert firing per rule per crossing; no secret in any log line
 * or in the recording. (Heap and handles are checked after the teardown, in main.ts.)
 */
import * as fs from 'node:fs';
import type { DayRig } from './rig';
import { FEED_SYMBOLS, SECRETS } from './rig';
import { checkRecords, lastSentPrice, priceAboveCrossings, type RecordCheck } from './records';
import type { Violations } from './invariants';

/** A REST access token of the simulator (`sim.` + 32 base64url characters). */
const TOKEN_PATTERN = /sim\.[A-Za-z0-9_-]{32}/;

export interface EndFigures {
  records: RecordCheck;
  alerts: { rule: string; fired: number; crossings: number }[];
}

export async function endChecks(rig: DayRig, violations: Violations, dropOne: boolean): Promise<EndFigures> {
  const records = await checkRecords(rig.sim, rig.recordingFile, FEED_SYMBOLS, rig.gaps, dropOne);
  for (const problem of records.problems) violations.add('no-loss', problem);

  for (const symbol of FEED_SYMBOLS) {
    const model = rig.feed.model.quote(symbol)?.last;
    const last = records.lastTrade.get(symbol);
    if (last !== undefined && model !== last)
      violations.add(
        'view-equals-model',
        `feed read model of ${symbol} shows ${model}, its last received trade was ${last}`,
      );
  }
  for (const p of rig.hub) {
    const sent = lastSentPrice(rig.sim, 'H0STCNT0', p.symbol);
    const shown = p.view.get(p.symbol);
    if (sent !== undefined && shown !== sent)
      violations.add(
        'view-equals-model',
        `hub process ${p.member.name} shows ${p.symbol} at ${shown}, the last record sent for it was ${sent}`,
      );
  }

  const alerts = rig.rules.map((rule) => {
    const crossings = priceAboveCrossings(records.tradePrices.get(rule.symbol) ?? [], rule.threshold);
    const fired = rig.alertsFired.get(rule.id) ?? 0;
    if (fired > crossings)
      violations.add(
        'alert-once-per-crossing',
        `rule ${rule.id} (${rule.symbol} above ${rule.threshold}) fired ${fired} times for ${crossings} crossings`,
      );
    return { rule: rule.id, fired, crossings };
  });

  const logs = [...rig.logLines, rig.hubLogs(), ...rig.hub.map((h) => JSON.stringify(h.member.lines))].join('\n');
  const recording = fs.readFileSync(rig.recordingFile).toString('latin1');
  for (const [where, text] of [
    ['the logs', logs],
    ['the recording', recording],
  ] as const) {
    for (const secret of SECRETS)
      if (text.includes(secret)) violations.add('no-secret-in-logs', `an app secret is in ${where}`);
    if (TOKEN_PATTERN.test(text)) violations.add('no-secret-in-logs', `a REST access token is in ${where}`);
  }
  return { records, alerts };
}
