/**
 * `npm run soak:day -- --minutes N [--seed S] [--bug NAME]`: a whole trading day (08:00–20:00 KST, both
 * venues, auctions, a VI, a halt) compressed into N real minutes through the real feed (agent, worker,
 * REST side, recorder) and a hub of three `kis-monitor watch --join` processes, under a seeded fault
 * schedule (schedule.ts, printed first). Invariants are checked all the way (invariants.ts) and at the
 * close (endChecks.ts); each violation is printed with its time. The last stdout line is the JSON
 * summary; the exit code is 1 on any violation (2 for bad arguments).
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { DayRig } from './rig';
import { Drivers } from './drivers';
import { buildSchedule } from './schedule';
import { LiveInvariants, Violations } from './invariants';
import { endChecks, type EndFigures } from './endChecks';
import { dayFigures, summary, type DayFigures } from './summary';
import { DAY_MINUTES, kstAt, kstClock, parseOptions, UsageError, type SoakOptions } from './options';
import { BUG_INVARIANT } from './bugs';

/** Simulated minutes after 20:00 the day runs on, so the close and its last snapshots are seen. */
const AFTER_CLOSE_MS = 5 * 60_000;
/** The heap after the teardown may exceed its start by this much (V8 keeps some of what a day used). */
const HEAP_SLACK_MB = 16;

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function handleCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) if (type !== 'Immediate') counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

/** Plays the day and checks it; returns plain figures only, so nothing the day built stays reachable. */
async function playDay(
  opts: SoakOptions,
  violations: Violations,
  clock: { simNow: number },
  say: (line: string) => void,
): Promise<DayFigures> {
  const schedule = buildSchedule(opts.seed);
  const rig = new DayRig(opts.minutes, opts.seed);
  const drivers = new Drivers(rig, say);
  let live: LiveInvariants | undefined;
  let end: EndFigures | undefined;
  let agent: { reconnects: number; parseErrors: number } | undefined;
  let worker: { workerRestarts: number; handlerErrors: number } | undefined;
  let hubLeaders = 0;
  try {
    await rig.open();
    live = new LiveInvariants(rig.sim, violations);
    rig.feed.onDidChangePhase(() => say(`phase: ${rig.feed.dayStatus().session.words}`));
    rig.feed.onProblem((p) => say(`feed problem ${p.code}: ${p.message}`));
    await rig.begin();
    say(`feed on ${rig.feed.symbols.join(' ')}; hub processes on ${rig.hub.map((h) => h.symbol).join(' ')}`);
    const stopAt = kstAt('20:00') + AFTER_CLOSE_MS;
    const bugAt = kstAt('12:00');
    let bugApplied = opts.bug === undefined;
    let next = 0;
    for (;;) {
      clock.simNow = rig.now();
      while (next < schedule.length && schedule[next].at <= clock.simNow) {
        const kind = schedule[next++].kind;
        say(`inject ${kind}`);
        try {
          await drivers.inject(kind);
        } catch (error) {
          violations.add(
            'harness',
            `injecting ${kind} failed: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }
      if (!bugApplied && clock.simNow >= bugAt && opts.bug !== undefined) {
        bugApplied = true;
        await drivers.applyBug(opts.bug);
      }
      live.tick();
      if (clock.simNow >= stopAt) break;
      // The driver's pace: it looks at the simulated clock ten times a real second.
      await delay(100);
    }
    // Settled: the simulator has sent nothing for a second (20:00 closed every feed), so every view has
    // had its last snapshot.
    let sent = -1;
    for (let still = 0; still < 4;) {
      await delay(250);
      const now = rig.sim.totalRecordsSent();
      still = now === sent ? still + 1 : 0;
      sent = now;
    }
    clock.simNow = rig.now();
    live.tick();
    await rig.feed.recorder.stop();
    const a = rig.feed.agentStats();
    const w = rig.feed.workerStats();
    agent = a && { reconnects: a.reconnects, parseErrors: a.parseErrors };
    worker = w && { workerRestarts: w.workerRestarts, handlerErrors: w.handlerErrors };
    hubLeaders = [...rig.hub, ...rig.retired].filter((h) =>
      h.member.lines.some((l) => l.type === 'hub' && l.role === 'leader'),
    ).length;
    end = await endChecks(rig, violations, opts.bug === 'drop-record');
  } catch (error) {
    violations.add(
      'harness',
      `the day could not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  } finally {
    drivers.dispose();
    await rig.dispose().catch((error: unknown) => violations.add('harness', `teardown failed: ${String(error)}`));
  }
  return dayFigures({ injected: [...drivers.injected], live, end, rig, agent, worker, hubLeaders });
}

async function runDay(opts: SoakOptions): Promise<number> {
  const gc = global.gc;
  if (gc === undefined) throw new Error('run under node --expose-gc (npm run soak:day does)');
  console.log(
    `soak day: 08:00–20:00 KST in ${opts.minutes} min (simulated clock ×${Math.round((DAY_MINUTES / opts.minutes) * 10) / 10}), seed ${opts.seed}${opts.bug ? `, deliberate bug ${opts.bug}` : ''}`,
  );
  console.log('fault schedule:');
  for (const item of buildSchedule(opts.seed)) console.log(`  ${kstClock(item.at).slice(0, 5)} ${item.kind}`);

  await nextTurn();
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const handlesBefore = handleCounts();
  const started = performance.now();
  const clock = { simNow: kstAt('08:00') };
  const violations = new Violations(() => clock.simNow, started);
  const onRejection = (reason: unknown): void =>
    violations.add('no-unhandled-rejection', reason instanceof Error ? reason.message : String(reason));
  process.on('unhandledRejection', onRejection);
  const say = (line: string): void =>
    console.log(`[${kstClock(clock.simNow)} KST +${Math.round((performance.now() - started) / 100) / 10} s] ${line}`);
  const figures = await playDay(opts, violations, clock, say);

  // Heap and handles back near their start: two turns let libuv run the close phase of what was closed.
  await nextTurn();
  await nextTurn();
  gc();
  const heapGrowthMB = (process.memoryUsage().heapUsed - heapBefore) / (1024 * 1024);
  const handlesAfter = handleCounts();
  const handleGrowth: Record<string, number> = {};
  for (const [type, n] of Object.entries(handlesAfter))
    if (n > (handlesBefore[type] ?? 0)) handleGrowth[type] = n - (handlesBefore[type] ?? 0);
  if (Object.keys(handleGrowth).length > 0)
    violations.add('heap-and-handles', `handles left after the day: ${JSON.stringify(handleGrowth)}`);
  if (heapGrowthMB > HEAP_SLACK_MB)
    violations.add(
      'heap-and-handles',
      `heap ${heapGrowthMB.toFixed(1)} MB above its start after the day (limit ${HEAP_SLACK_MB} MB)`,
    );
  process.off('unhandledRejection', onRejection);

  if (opts.bug !== undefined) {
    const wanted = BUG_INVARIANT[opts.bug];
    console.log(
      violations.list.some((v) => v.invariant === wanted)
        ? `deliberate bug ${opts.bug}: caught by ${wanted}`
        : `deliberate bug ${opts.bug}: NOT caught by ${wanted}`,
    );
  }
  const extra = {
    heapGrowthMB: Math.round(heapGrowthMB * 10) / 10,
    handleGrowth,
    minutes: opts.minutes,
    seed: opts.seed,
    bug: opts.bug ?? null,
    realSeconds: Math.round((performance.now() - started) / 1000),
  };
  console.log(JSON.stringify(summary(violations.list, figures, extra)));
  return violations.list.length > 0 ? 1 : 0;
}

async function main(): Promise<number> {
  let opts: SoakOptions;
  try {
    opts = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(error.message);
    return 2;
  }
  return runDay(opts);
}

// Exit explicitly: a handle the day leaked is reported above as a violation, and must not also hang CI.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
