/**
 * Record and replay. In one run, on one symbol, ten trade records per frame, the simulator in
 * this process for every leg (so the legs compete for the same CPU in the same way):
 *   (a) live: the simulator blasts N records to the pipeline (KisAgent → WorkerHost) — the baseline;
 *   (b) live + recording: the same with a RecordingWriter on the agent's tap; the file it writes gives the
 *       recording size per million records;
 *   (c) replay at `max`: that file served by ReplayFeed through a `synthetic: false` simulator to a fresh
 *       pipeline.
 * A warm-up leg comes first; (a) runs again last and the baseline is the better of its two runs.
 * Rates are records the worker handled per second, from the subscribe to the last record handled.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { RecordingReader, RecordingWriter } from '../src/recorder';
import { KisSimulator, ReplayFeed } from '../src/simulator';
import { machineInfo, round, type BenchOptions, type BenchResult } from './support/common';
import { benchSymbols, Pipeline, TRADE } from './support/pipeline';

const PER_FRAME = 10;
const TIMEOUT_MS = 300_000;

/** Live: blast `records` to a pipeline (with the writer on its tap when given); records/s the worker handled. */
async function live(records: number, writer?: RecordingWriter): Promise<number> {
  const [symbol] = benchSymbols(1);
  const sim = await KisSimulator.start({ port: 0, ratePerSymbol: 0.001, symbols: [symbol] });
  const pipeline = new Pipeline(sim.wsUrl, sim.restUrl, {}, writer === undefined ? {} : { tap: writer.tap });
  try {
    await pipeline.open([symbol]);
    const before = pipeline.host.stats().records;
    const started = performance.now();
    await sim.blast({ trId: TRADE, symbol, records, recordsPerFrame: PER_FRAME });
    await pipeline.workerReached(before + records, TIMEOUT_MS);
    return records / ((performance.now() - started) / 1000);
  } finally {
    await pipeline.dispose();
    await sim.close();
  }
}

/** Replay `file` at max to a fresh pipeline; records/s the worker handled, and the records expected. */
async function replay(file: string, expected: number): Promise<number> {
  const [symbol] = benchSymbols(1);
  const sim = await KisSimulator.start({ port: 0, synthetic: false });
  const feed = await ReplayFeed.start(sim, { file, speed: 'max' });
  const pipeline = new Pipeline(sim.wsUrl, sim.restUrl);
  try {
    const started = performance.now();
    await pipeline.open([symbol]);
    await pipeline.workerReached(expected, TIMEOUT_MS);
    return expected / ((performance.now() - started) / 1000);
  } finally {
    await feed.close();
    await pipeline.dispose();
    await sim.close();
  }
}

/** Records in the data frames of a recording (the 3-digit count of each `0|TR|NNN|…`). */
async function recordedRecords(file: string): Promise<number> {
  const reader = await RecordingReader.open(file);
  let total = 0;
  for await (const entry of reader.entries()) {
    if (entry.kind === 'message' && entry.text.startsWith('0|'))
      total += Number(entry.text.slice(entry.text.indexOf('|', 2) + 1, entry.text.indexOf('|', 2) + 4));
  }
  return total;
}

/** Runs the three legs. */
export async function run(options: BenchOptions): Promise<BenchResult> {
  const records = options.quick ? 100_000 : 1_000_000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-bench-rec-'));
  const file = path.join(dir, 'bench.kisrec');
  try {
    // A warm-up leg (JIT, buffers) is thrown away; the live baseline is the better of two legs, one
    // before and one after the others, so neither ratio is flattered by a cold or a noisy baseline.
    await live(Math.round(records / 5));
    const liveFirst = await live(records);
    const writer = await RecordingWriter.open({ file, source: 'simulator' });
    const recordingRate = await live(records, writer);
    const stats = await writer.close();
    // The file holds the blast and the idle stream's first record (and any the writer had to drop).
    const recorded = await recordedRecords(file);
    const bytes = fs.statSync(file).size;
    const replayRate = await replay(file, recorded);
    const liveRate = Math.max(liveFirst, await live(records));
    return {
      name: 'recording',
      figures: {
        records,
        recordingMiBPerMillionRecords: round((bytes / 2 ** 20) * (1_000_000 / Math.max(1, recorded))),
        recordingBytesPerRecord: round(bytes / Math.max(1, recorded)),
        recordedFrames: stats.frames,
        recordedRecords: recorded,
        droppedEntries: stats.dropped,
        liveWithRecorderRecordsPerSec: Math.round(recordingRate),
        replayMaxRecordsPerSec: Math.round(replayRate),
      },
      baseline: { liveRecordsPerSec: Math.round(liveRate) },
      ratio: { replayMaxVsLive: replayRate / liveRate, liveWithRecorderVsLive: recordingRate / liveRate },
      notes: [
        `${PER_FRAME} H0STCNT0 records per frame (46 fields, ~${Math.round(bytes / Math.max(1, recorded))} bytes per record on disk after gzip)`,
        'rates: records handled by the worker per second, from the subscribe (replay) or the blast start (live) to the last one',
      ],
      machine: machineInfo(),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
