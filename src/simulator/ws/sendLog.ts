/**
 * What the simulator sent, per (tr_id, symbol): exact record and frame counts, and the first
 * `limit` record texts so tests can compare them with what a client received. Streams hold their entry
 * directly, so logging a record costs a counter increment and (below the limit) one array push.
 */

/** The log of one (tr_id, tr_key) stream. */
export interface SendLogEntry {
  readonly trId: string;
  /** The tr_key: a symbol, or the HTS ID for notices. */
  readonly symbol: string;
  /** Records sent (sum of frame counts). */
  records: number;
  /** Frames sent. */
  frames: number;
  /** The first `limit` records sent, in order (plaintext for notices). */
  readonly retained: string[];
}

/** A summary row of `SendLog.summary()`. */
export interface SendLogRow {
  trId: string;
  symbol: string;
  records: number;
  frames: number;
}

/** All entries of one simulator. */
export class SendLog {
  private readonly entries = new Map<string, SendLogEntry>();

  constructor(private readonly limit: number) {}

  /** The entry of (trId, symbol), created on first use. */
  entry(trId: string, symbol: string): SendLogEntry {
    const id = `${trId}|${symbol}`;
    let entry = this.entries.get(id);
    if (entry === undefined) {
      entry = { trId, symbol, records: 0, frames: 0, retained: [] };
      this.entries.set(id, entry);
    }
    return entry;
  }

  /** True while `entry` still retains record texts (below the limit). */
  wants(entry: SendLogEntry): boolean {
    return entry.retained.length < this.limit;
  }

  /** Records one frame of `records` (texts) for `entry`. */
  add(entry: SendLogEntry, records: readonly string[]): void {
    entry.frames++;
    entry.records += records.length;
    const room = this.limit - entry.retained.length;
    if (room <= 0) return;
    for (let i = 0; i < records.length && i < room; i++) entry.retained.push(records[i]);
  }

  /** Records one frame by count only (benchmarks: nothing retained). */
  addCount(entry: SendLogEntry, count: number): void {
    entry.frames++;
    entry.records += count;
  }

  /** The retained records of (trId, symbol), oldest first (a copy). */
  records(trId: string, symbol: string): string[] {
    return [...(this.entries.get(`${trId}|${symbol}`)?.retained ?? [])];
  }

  /** Counts per (trId, symbol). */
  summary(): SendLogRow[] {
    return [...this.entries.values()].map(({ trId, symbol, records, frames }) => ({ trId, symbol, records, frames }));
  }

  /** Total records sent across every stream. */
  totalRecords(): number {
    let total = 0;
    for (const entry of this.entries.values()) total += entry.records;
    return total;
  }

  /** Forgets everything (counts included). */
  clear(): void {
    this.entries.clear();
  }
}
