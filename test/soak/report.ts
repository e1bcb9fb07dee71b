/**
 * The soak's printed summary: a sample table (thinned to about 25 rows), the drops, and the figures.
 */
import type { DropRecord, SoakFigures, SoakSample } from './analysis';

function row(cells: readonly (string | number)[], widths: readonly number[]): string {
  return cells.map((c, i) => String(c).padStart(widths[i])).join('  ');
}

function handlesText(handles: Record<string, number>): string {
  return Object.entries(handles)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, n]) => `${type} ${n}`)
    .join(', ');
}

/** The table and figures as lines of text. */
export function formatReport(
  samples: readonly SoakSample[],
  drops: readonly DropRecord[],
  figures: SoakFigures,
): string[] {
  const lines: string[] = [];
  const header = [
    't s',
    'RSS MB',
    'heap MB',
    'handles',
    'state',
    'subs',
    'pend',
    'recon',
    'records/s',
    'inFlight',
    'queued',
    'dropped',
  ];
  const widths = [6, 7, 7, 7, 12, 5, 4, 5, 9, 8, 6, 7];
  lines.push(row(header, widths));
  const stride = Math.max(1, Math.ceil(samples.length / 25));
  samples.forEach((s, i) => {
    if (i % stride !== 0 && i !== samples.length - 1) return;
    const handles = Object.values(s.handles).reduce((a, b) => a + b, 0);
    lines.push(
      row(
        [
          s.t.toFixed(0),
          s.rssMB.toFixed(1),
          s.heapUsedMB.toFixed(2),
          handles,
          s.agent.state,
          `${s.agent.subscriptionsUsed}/${s.agent.subscriptionsWanted}`,
          s.agent.pendingRequests,
          s.agent.reconnects,
          s.recordsPerSec.toFixed(0),
          s.worker.inFlight,
          s.worker.queued,
          s.worker.dropped,
        ],
        widths,
      ),
    );
  });
  lines.push('', 'drops:');
  for (const d of drops) {
    lines.push(
      `  ${d.t.toFixed(0).padStart(5)} s  ${d.kind.padEnd(16)} open again after ${d.reopenMs.toFixed(0)} ms, 41 acked after ${d.resubscribeMs.toFixed(0)} ms`,
    );
  }
  const f = figures;
  lines.push(
    '',
    `RSS MB: start ${f.rssStartMB.toFixed(1)}, end ${f.rssEndMB.toFixed(1)}, max ${f.rssMaxMB.toFixed(1)}; early mean ${f.rssEarlyMeanMB.toFixed(1)}, late mean ${f.rssLateMeanMB.toFixed(1)}, slope ${f.rssSlopeMBPerMin.toFixed(2)} MB/min`,
    `heap after GC MB: start ${f.heapStartMB.toFixed(2)}, end ${f.heapEndMB.toFixed(2)}; early mean ${f.heapEarlyMeanMB.toFixed(2)}, late mean ${f.heapLateMeanMB.toFixed(2)}, slope ${f.heapSlopeMBPerMin.toFixed(3)} MB/min`,
    `handles at the first measured sample: ${handlesText(f.handlesStart)}`,
    `handles at the last sample:           ${handlesText(f.handlesEnd)}`,
    `handles, early max: ${handlesText(f.handlesEarlyMax)}`,
    `handles, late max:  ${handlesText(f.handlesLateMax)}`,
    `windows: early ${f.earlyWindow[0].toFixed(0)}–${f.earlyWindow[1].toFixed(0)} s, late ${f.lateWindow[0].toFixed(0)}–${f.lateWindow[1].toFixed(0)} s (${f.measuredSamples} of ${f.samples} samples measured)` +
      (f.slopesJudged
        ? ''
        : `; the slopes are reported, not judged (${f.measuredSpanMin.toFixed(1)} min measured is too short to fit one)`),
  );
  return lines;
}
