/**
 * The machine's load while a benchmark ran, as a note on its result: these are shared 2-core machines,
 * and a figure measured while other processes keep both cores busy is a different figure.
 */
import * as os from 'node:os';

/** Captures the 1-minute load average now; call `note()` at the end. */
export class LoadWatch {
  private readonly start = os.loadavg()[0];

  /** "load average (1 min) 0.4 → 0.9 on 2 CPUs", flagged when it exceeds the CPU count. */
  note(): string {
    const end = os.loadavg()[0];
    const cpus = os.cpus().length;
    const busy = Math.max(this.start, end) > cpus;
    return `load average (1 min) ${this.start.toFixed(1)} → ${end.toFixed(1)} on ${cpus} CPUs${busy ? ': OTHER WORK WAS RUNNING, figures are pessimistic' : ''}`;
  }
}
