/**
 * Not part of the suite: a CPU-time breakdown of the per-frame work of the pipeline, stage by stage, for
 * whoever optimises it. `node out/bench/hotpath.js [recordsPerFrame]` (default 10).
 *
 * Each stage runs on the same pool of real H0STCNT0 frames (the simulator's market model, src/kis
 * framing) and is timed in CPU time (process.cpuUsage), so a busy machine slows it less than wall time.
 * Stages: the receive loop's decode + parseFrame; the hand-off's structured clone (what postMessage does
 * to a batch, both ways); the worker's split + MarketState.applyTrade; and, for comparison, the caret
 * count alone.
 */
import { formatFrame, parseFrame, splitRecords } from '../src/kis';
import { formatKstDate, formatKstTime } from '../src/market';
import type { DataFrame } from '../src/kis/types';
import { basePriceOf, SymbolModel } from '../src/simulator';
import { AlertEngine } from '../src/worker/alerts';
import { MarketState } from '../src/worker/marketState';

const perFrame = Number(process.argv[2] ?? 10);
const POOL = 512;
const BATCH = 20;

const model = new SymbolModel('005930', {
  prevClose: basePriceOf('005930'),
  seed: 1,
  volatilityTicks: 1,
  tradeWidth: 46,
  bookWidth: 59,
});
const now = new Date();
const texts: string[] = [];
for (let f = 0; f < POOL; f++) {
  const records: string[] = [];
  for (let r = 0; r < perFrame; r++) records.push(model.nextTrade(formatKstTime(now), formatKstDate(now)));
  texts.push(formatFrame('H0STCNT0', perFrame, records.join('^')));
}
const buffers = texts.map((t) => Buffer.from(t));
const frames: DataFrame[] = texts.map((t) => parseFrame(t));

/** Caret count with indexOf over the unsliced text (a proposed replacement for the charCodeAt loop). */
function countByIndexOf(text: string, from: number): number {
  let n = 0;
  for (let i = text.indexOf('^', from); i !== -1; i = text.indexOf('^', i + 1)) n++;
  return n + 1;
}

/** µs of CPU per record for `fn` run over every frame of the pool `rounds` times (each call handling `framesPerCall`). */
function measure(name: string, rounds: number, fn: (i: number) => unknown, framesPerCall = 1): void {
  let sink = 0;
  for (let i = 0; i < POOL; i++) sink += fn(i) === undefined ? 0 : 1; // warm-up
  const cpu = process.cpuUsage();
  for (let r = 0; r < rounds; r++) for (let i = 0; i < POOL; i++) sink += fn(i) === undefined ? 0 : 1;
  const used = process.cpuUsage(cpu);
  const perRecord = (used.user + used.system) / (rounds * POOL * perFrame * framesPerCall);
  console.log(
    `${name.padEnd(44)} ${perRecord.toFixed(3).padStart(8)} µs/record ${(perRecord * perFrame).toFixed(2).padStart(8)} µs/frame  (${sink > 0 ? 'ok' : '-'})`,
  );
}

console.log(`${perFrame} record(s) per frame, ${texts[0].length} bytes per frame`);
const rounds = 200;
measure('receive: Buffer.toString (utf8)', rounds, (i) => buffers[i].toString('utf8'));
measure('receive: toString + parseFrame', rounds, (i) => parseFrame(buffers[i].toString('utf8')));
measure('  (parseFrame alone, on a flat string)', rounds, (i) => parseFrame(texts[i]));
measure('  (caret count alone, indexOf)', rounds, (i) => countByIndexOf(texts[i], 15));
const batches: DataFrame[][] = [];
for (let i = 0; i < POOL; i++) batches.push(Array.from({ length: BATCH }, (_, k) => frames[(i + k) % POOL]));
measure(
  `hand-off: structuredClone of ${BATCH}-frame batches`,
  rounds / BATCH,
  (i) => structuredClone(batches[i]),
  BATCH,
);
const state = new MarketState(new AlertEngine(), 10);
const t = Date.now();
measure('worker: splitRecords + applyTrade', rounds, (i) => {
  const frame = frames[i];
  const fields = splitRecords(frame);
  for (let o = 0; o < fields.length; o += frame.width) state.applyTrade(fields, o, t);
  return fields;
});
measure('  (splitRecords alone)', rounds, (i) => splitRecords(frames[i]));
