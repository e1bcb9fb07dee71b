import * as assert from 'node:assert/strict';
import { dayRecordLines, phaseWords, RecordPrinter } from '../../../src/cli/watchOutput';
import { parseSimArgs } from '../../../src/cli/sim';
import { buildDataFrame, parseFrame } from '../../../src/kis';
import { parseClockInstant, simulatedClock } from '../../../src/simulator';

function record(width: number, set: Record<number, string>): string[] {
  const f = new Array<string>(width).fill('0');
  for (const [i, v] of Object.entries(set)) f[Number(i)] = v;
  return f;
}

describe('kis-monitor sim --clock / --speed', () => {
  it('starts the simulated day at the instant and follows the calendar', () => {
    const options = parseSimArgs(['--clock', '2026-12-07T17:30:00+09:00', '--speed', '60']);
    assert.equal(options.calendar, true);
    const now = options.now?.() ?? 0;
    assert.ok(now >= Date.parse('2026-12-07T17:30:00+09:00'));
  });

  it('refuses a clock without an offset, a bad speed, and --speed without --clock', () => {
    assert.throws(
      () => parseSimArgs(['--clock', '2026-12-07T17:30:00']),
      /--clock must be an ISO instant with an offset/,
    );
    assert.throws(() => parseSimArgs(['--clock', '2026-13-45T17:30:00+09:00']), /--clock/);
    assert.throws(
      () => parseSimArgs(['--clock', '2026-12-07T17:30:00Z', '--speed', '0']),
      /--speed must be a number above 0/,
    );
    assert.throws(() => parseSimArgs(['--speed', '2']), /--speed goes with --clock/);
    assert.equal(parseSimArgs([]).calendar, undefined, 'the default stays the demo');
  });

  it('runs the simulated clock at `speed` times the real one', () => {
    let real = 1000;
    const clock = simulatedClock(Date.parse('2026-12-07T08:40:00Z'), 60, () => real);
    assert.equal(clock(), Date.parse('2026-12-07T08:40:00Z'));
    real += 1000;
    assert.equal(clock(), Date.parse('2026-12-07T08:41:00Z'));
    assert.equal(parseClockInstant('2026-12-07T08:40Z'), Date.parse('2026-12-07T08:40:00Z'));
  });
});

describe('kis-monitor watch: whole-day record lines', () => {
  const now = Date.parse('2026-12-07T12:00:00+09:00');

  it('names the exchange and the phase at the record time', () => {
    const f = parseFrame(
      buildDataFrame('H0UNCNT0', [record(46, { 0: '005930', 1: '173000', 2: '70100', 33: '20261207' })]),
    );
    const [line] = dayRecordLines(f, f.payload.split('^'), now);
    assert.deepEqual([line.exchange, line.phase, line.price], ['unified', 'KRX after-market, NXT after-market', 70100]);
    const nx = parseFrame(buildDataFrame('H0NXASP0', [record(65, { 0: '005930', 1: '084000', 3: '70100' })]));
    assert.deepEqual(
      [
        dayRecordLines(nx, nx.payload.split('^'), now)[0].phase,
        dayRecordLines(nx, nx.payload.split('^'), now)[0].bestAsk,
      ],
      ['NXT pre-market', 70100],
    );
    const anc = parseFrame(buildDataFrame('H0STANC0', [record(45, { 0: '005930', 1: '084000', 2: '70500' })]));
    const a = dayRecordLines(anc, anc.payload.split('^'), now)[0];
    assert.deepEqual([a.exchange, a.phase, a.expected, a.price], ['KRX', 'KRX opening auction', true, 70500]);
    const bad = parseFrame(buildDataFrame('H0STANC0', [record(45, { 0: '005930', 1: '0840' })]));
    assert.equal(dayRecordLines(bad, bad.payload.split('^'), now)[0].phase, '');
    const badBook = parseFrame(buildDataFrame('H0UNASP0', [record(65, { 0: '005930', 1: '' })]));
    assert.equal(dayRecordLines(badBook, badBook.payload.split('^'), now)[0].phase, '');
    const badTrade = parseFrame(buildDataFrame('H0NXCNT0', [record(46, { 0: '005930', 1: 'x' })]));
    assert.equal(dayRecordLines(badTrade, badTrade.payload.split('^'), now)[0].phase, '');
    const badDate = parseFrame(buildDataFrame('H0NXCNT0', [record(46, { 0: '005930', 1: '083000', 33: '20261399' })]));
    assert.equal(dayRecordLines(badDate, badDate.payload.split('^'), now)[0].phase, '');
    // No business date: the record's time on the KST date of `now`.
    const noDate = parseFrame(buildDataFrame('H0NXCNT0', [record(46, { 0: '005930', 1: '083000', 33: '' })]));
    assert.equal(dayRecordLines(noDate, noDate.payload.split('^'), now)[0].phase, 'NXT pre-market');
  });

  it('prints market status, and an error line for a record without a symbol', () => {
    const f = parseFrame(
      buildDataFrame('H0STMKO0', [record(11, { 0: '', 8: 'Y' }), record(11, { 0: '000660', 8: 'Y' })]),
    );
    const lines = dayRecordLines(f, f.payload.split('^'), now);
    assert.deepEqual(
      lines.map((l) => l.type),
      ['error', 'record'],
    );
    assert.equal(lines[0].code, 'NO_SYMBOL');
    assert.deepEqual([lines[1].vi, lines[1].phase], [true, 'KRX regular session']);
  });

  it('the printer writes whole-day lines among the others', () => {
    let text = '';
    const printer = new RecordPrinter({ write: (t: string) => (text += t) });
    printer.push([parseFrame(buildDataFrame('H0NXCNT0', [record(46, { 0: '005930', 1: '100000', 33: '20261207' })]))]);
    const line = JSON.parse(text.trim()) as Record<string, unknown>;
    assert.deepEqual([line.trId, line.exchange, line.phase], ['H0NXCNT0', 'NXT', 'NXT regular session']);
  });

  it('says the venue phase words', () => {
    assert.equal(phaseWords('KRX', Date.parse('2026-12-12T12:00:00+09:00')), 'KRX closed');
  });
});
