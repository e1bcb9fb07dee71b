/**
 * Leader election by epoch files: `<source>.leader.<n>` holds the pid and name of the leader of epoch n.
 * The leader is the process named in the highest epoch file, as long as that process lives.
 *
 * Why epochs and not one lock file: replacing a dead leader's lock needs a compare-and-delete that the
 * file system does not have (two followers could each delete the other's fresh lock). Here nobody deletes
 * the file of a live claim: a candidate creates epoch n+1 with O_EXCL, and wins only if no higher epoch
 * exists afterwards. Exactly one candidate wins per epoch, and it claims only after seeing the previous
 * leader's process dead, so its KIS session cannot overlap the old one (kis-protocol.md §9: one session
 * per app key).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Who leads (or led) an epoch. */
export interface LeaderRecord {
  epoch: number;
  pid: number;
  name: string;
  /** The file exists but its claimer has not written it yet: counts as a live leader. */
  pending?: boolean;
}

/** A claim file still empty after this long belongs to a claimer that crashed while writing it. */
const EMPTY_CLAIM_GRACE_MS = 5000;

/** Whether a process with this pid exists (EPERM: it exists but belongs to someone else). */
export function isAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function epochs(dir: string, source: string): number[] {
  const prefix = `${source}.leader.`;
  return fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && /^\d+$/.test(f.slice(prefix.length)))
    .map((f) => Number(f.slice(prefix.length)))
    .sort((a, b) => a - b);
}

function fileOf(dir: string, source: string, epoch: number): string {
  return path.join(dir, `${source}.leader.${epoch}`);
}

/** The record of the highest epoch, or undefined when nobody ever led (or the last leader resigned). */
export function currentLeader(dir: string, source: string): LeaderRecord | undefined {
  const all = epochs(dir, source);
  const epoch = all[all.length - 1];
  if (epoch === undefined) return undefined;
  const file = fileOf(dir, source, epoch);
  try {
    const value = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid?: unknown; name?: unknown };
    return {
      epoch,
      pid: typeof value.pid === 'number' ? value.pid : 0,
      name: typeof value.name === 'string' ? value.name : '',
    };
  } catch {
    // Created but not written yet: a claim in progress counts as alive, unless it is old (a crashed claimer).
    try {
      const age = Date.now() - fs.statSync(file).mtimeMs;
      return age > EMPTY_CLAIM_GRACE_MS ? { epoch, pid: 0, name: '' } : { epoch, pid: 0, name: '', pending: true };
    } catch {
      return undefined; // resigned between readdir and read
    }
  }
}

/** Whether the current leader (if any) is gone, so a new one may claim. */
export function leaderGone(dir: string, source: string): boolean {
  const current = currentLeader(dir, source);
  return current === undefined || (current.pending !== true && !isAlive(current.pid));
}

/**
 * Claims the next epoch if the current leader is gone. Returns the new record when this process won,
 * undefined when a live leader exists or another candidate won the race.
 */
export function tryClaim(dir: string, source: string, name: string): LeaderRecord | undefined {
  const current = currentLeader(dir, source);
  if (current !== undefined && (current.pending === true || (current.pid !== process.pid && isAlive(current.pid))))
    return undefined;
  const epoch = (current?.epoch ?? 0) + 1;
  const file = fileOf(dir, source, epoch);
  try {
    fs.writeFileSync(file, JSON.stringify({ pid: process.pid, name }), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw error;
  }
  const all = epochs(dir, source);
  if (all[all.length - 1] !== epoch) {
    // A candidate with a fresher view claimed a higher epoch: it wins, we withdraw.
    fs.rmSync(file, { force: true });
    return undefined;
  }
  for (const old of all) if (old < epoch) fs.rmSync(fileOf(dir, source, old), { force: true });
  return { epoch, pid: process.pid, name };
}

/** Gives up leadership (after the KIS session is closed), so followers need not wait for our exit. */
export function resign(dir: string, source: string, record: LeaderRecord): void {
  const current = currentLeader(dir, source);
  if (current?.epoch === record.epoch && current.pid === record.pid)
    fs.rmSync(fileOf(dir, source, record.epoch), { force: true });
}
