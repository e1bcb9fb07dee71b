/**
 * Hub benchmark: `kis-monitor watch --join` processes sharing one simulator session.
 *
 * - hand-over: 3 processes; kill -9 the leader; time until a follower announces it leads, and until every
 *   survivor has fresh rows again; a new process joins to keep 3; repeated 20 times (5 with --quick).
 *   Baseline: the cold start of a lone process (spawn → leader → first rows), measured in the same run.
 * - CPU: 1 leader + 3 followers on 4 symbols for a fixed window; CPU time per second of each process
 *   (Linux /proc/<pid>/stat), follower vs leader.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KisSimulator } from '../src/simulator';
import { Member, type Line } from '../test/reliability/hub/harness';
import { machineInfo, quantile, round, type BenchOptions, type BenchResult } from './support/common';

const CODES = ['005930', '000660', '035420', '051910'];

function cpuMs(pid: number): number {
  // utime and stime are fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100/s on Linux).
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

const isLeader = (l: Line): boolean => l.type === 'hub' && l.role === 'leader';

export async function run(options: BenchOptions): Promise<BenchResult[]> {
  const kills = options.quick ? 5 : 20;
  const sim = await KisSimulator.start({ port: 0, symbols: CODES, ratePerSymbol: 20 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-hub-bench-'));
  const members: Member[] = [];
  const codeOf = new Map<Member, string>();
  let n = 0;
  const spawnMember = (code: string): Member => {
    const m = new Member(`m${n++}`, ['--url', sim.wsUrl, '--hub-dir', dir, code]);
    members.push(m);
    codeOf.set(m, code);
    return m;
  };
  let maxLive = 0;
  let live = 0;
  let inUse = 0;
  sim.on('connection', () => (maxLive = Math.max(maxLive, ++live)));
  sim.on('close', () => live--);
  sim.on('ack', (e) => void (e.msgCd === 'OPSP8996' && inUse++));
  try {
    // Baseline: cold start of a lone process.
    const cold: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const m = spawnMember(CODES[0]);
      await m.waitData(CODES[0]);
      cold.push(performance.now() - t0);
      await m.stop('SIGTERM');
    }

    // Hand-over.
    let pool = [spawnMember(CODES[0])];
    await pool[0].waitLine(isLeader, 'leadership');
    pool.push(spawnMember(CODES[1]), spawnMember(CODES[2]));
    await Promise.all(pool.map((m, i) => m.waitData(CODES[i])));
    const takeover: number[] = [];
    const resumed: number[] = [];
    for (let k = 0; k < kills; k++) {
      const leader = pool.find((m) => m.role() === 'leader') as Member;
      const survivors = pool.filter((m) => m !== leader);
      const marks = survivors.map((m) => m.lines.length);
      const t0 = performance.now();
      leader.child.kill('SIGKILL');
      const lead = Promise.race(
        survivors.map((m, i) => m.waitLine((l) => isLeader(l) && m.lines.indexOf(l) >= marks[i], 'takeover')),
      ).then(() => performance.now() - t0);
      const data = Promise.all(survivors.map((m, i) => m.waitData(codeOf.get(m) as string, marks[i]))).then(
        () => performance.now() - t0,
      );
      takeover.push(await lead);
      resumed.push(await data);
      await leader.exited;
      const fresh = spawnMember(CODES[k % CODES.length]);
      await fresh.waitLine((l) => l.type === 'hub', 'role');
      pool = [...survivors, fresh];
    }

    // CPU: 1 leader + 3 followers.
    for (const m of pool) await m.stop('SIGTERM');
    const cpuPool = [spawnMember(CODES[0])];
    await cpuPool[0].waitLine(isLeader, 'leadership');
    cpuPool.push(spawnMember(CODES[1]), spawnMember(CODES[2]), spawnMember(CODES[3]));
    await Promise.all(cpuPool.map((m, i) => m.waitData(CODES[i])));
    const windowMs = options.quick ? 3000 : 10_000;
    const before = cpuPool.map((m) => cpuMs(m.child.pid as number));
    const t0 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const elapsed = (performance.now() - t0) / 1000;
    const perSec = cpuPool.map((m, i) => (cpuMs(m.child.pid as number) - before[i]) / elapsed);
    const leaderCpu = perSec[0];
    const followerCpu = (perSec[1] + perSec[2] + perSec[3]) / 3;
    const coldP50 = quantile(cold, 0.5);
    return [
      {
        name: `hub hand-over (${kills} kill -9 of the leader, 3 processes)`,
        figures: {
          takeoverP50Ms: round(quantile(takeover, 0.5)),
          takeoverP99Ms: round(quantile(takeover, 0.99)),
          rowsResumedP50Ms: round(quantile(resumed, 0.5)),
          rowsResumedP99Ms: round(quantile(resumed, 0.99)),
          maxConcurrentSessions: maxLive,
          opsp8996: inUse,
        },
        baseline: { coldStartP50Ms: round(coldP50) },
        ratio: { rowsResumedP50VsColdStart: round(quantile(resumed, 0.5) / coldP50, 3) },
        notes: [
          'takeover: kill → a survivor prints role leader; rows resumed: kill → every survivor printed fresh rows',
          'baseline: spawn of a lone process → its first rows',
        ],
        machine: machineInfo(),
      },
      {
        name: `hub CPU (1 leader + 3 followers, 4 symbols × 20 records/s, ${windowMs / 1000} s)`,
        figures: { leaderCpuMsPerSec: round(leaderCpu), followerCpuMsPerSec: round(followerCpu) },
        ratio: { followerVsLeader: round(followerCpu / leaderCpu, 3) },
        notes: ['CPU time (user+system) from /proc/<pid>/stat; the leader runs the agent and the worker thread'],
        machine: machineInfo(),
      },
    ];
  } finally {
    await Promise.all(members.map((m) => m.stop('SIGTERM')));
    await sim.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
