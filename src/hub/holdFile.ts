/**
 * OPSP8996 holds shared by every process of the user: the per-process table of src/agent/appkeyHold.ts,
 * mirrored in `holds.json` in the hub directory.
 *
 * Why: a hold says "no session with this app key before T" (a fast retry can lock the key for hours,
 * kis-protocol.md §11.8). With one leader per machine, the follower that takes over after a crash must
 * honour the hold its dead leader was under. Keys are stored as SHA-256 digests, as in the process table.
 * Read-modify-write is not locked: two processes recording a hold at the same instant may lose one of the
 * two, and the next OPSP8996 records it again; a hold is only ever lengthened.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppkeyHolds } from '../agent/appkeyHold';

function digest(appkey: string): string {
  return createHash('sha256').update(appkey).digest('hex');
}

/** AppkeyHolds that also reads and writes the user's hold file. */
export class SharedAppkeyHolds extends AppkeyHolds {
  private readonly file: string;

  constructor(dir: string) {
    super();
    this.file = path.join(dir, 'holds.json');
  }

  override hold(appkey: string, untilMs: number): void {
    super.hold(appkey, untilMs);
    const table = this.read();
    const key = digest(appkey);
    if (untilMs <= (table[key] ?? 0)) return;
    table[key] = untilMs;
    const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    fs.writeFileSync(tmp, JSON.stringify(table), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
  }

  override remainingMs(appkey: string, nowMs: number): number {
    const until = this.read()[digest(appkey)];
    if (until !== undefined && until > nowMs) super.hold(appkey, until);
    return super.remainingMs(appkey, nowMs);
  }

  private read(): Record<string, number> {
    try {
      const value: unknown = JSON.parse(fs.readFileSync(this.file, 'utf8'));
      if (typeof value !== 'object' || value === null) return {};
      const out: Record<string, number> = {};
      for (const [k, v] of Object.entries(value)) if (/^[0-9a-f]{64}$/.test(k) && typeof v === 'number') out[k] = v;
      return out;
    } catch {
      return {}; // missing or garbled: no holds
    }
  }
}
