/**
 * Spawns `kis-monitor watch --join` processes (out/src/cli/main.js) and reads their JSON lines, for the
 * multi-process hub tests and the hub benchmark.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { EventEmitter } from 'node:events';
import * as path from 'node:path';

/** The compiled CLI beside this file's compiled copy (out/test/reliability → out/src/cli/main.js). */
export const CLI = path.resolve(__dirname, '../../../src/cli/main.js');

/** One JSON line a member printed. */
export type Line = Record<string, unknown> & { type: string };

/** One spawned hub member. */
export class Member extends EventEmitter {
  readonly child: ChildProcess;
  readonly lines: Line[] = [];
  stderr = '';
  exited: Promise<number | null>;

  /** `cli`: the script to run (default the compiled CLI; a test running another user passes its own bundle). */
  constructor(
    readonly name: string,
    args: string[],
    options: SpawnOptions = {},
    cli = CLI,
  ) {
    super();
    this.child = spawn(process.execPath, [cli, 'watch', '--join', '--name', name, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...options,
    });
    let buffer = '';
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const text = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        try {
          const line = JSON.parse(text) as Line;
          this.lines.push(line);
          this.emit('line', line);
        } catch {
          // not ours
        }
      }
    });
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
      this.emit('stderr', chunk);
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** Resolves with the first line (already printed or to come) that matches. */
  waitLine(match: (line: Line) => boolean, what: string, timeoutMs = 15_000): Promise<Line> {
    const found = this.lines.find(match);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('line', onLine);
        reject(new Error(`${this.name}: no ${what} within ${timeoutMs} ms; stderr:\n${this.stderr}`));
      }, timeoutMs);
      const onLine = (line: Line): void => {
        if (!match(line)) return;
        clearTimeout(timer);
        this.off('line', onLine);
        resolve(line);
      };
      this.on('line', onLine);
    });
  }

  /** Resolves when stderr contains `text`. */
  waitStderr(text: string | RegExp, timeoutMs = 15_000): Promise<void> {
    const has = (): boolean => (typeof text === 'string' ? this.stderr.includes(text) : text.test(this.stderr));
    if (has()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('stderr', onErr);
        reject(new Error(`${this.name}: stderr never said ${String(text)}; stderr:\n${this.stderr}`));
      }, timeoutMs);
      const onErr = (): void => {
        if (!has()) return;
        clearTimeout(timer);
        this.off('stderr', onErr);
        resolve();
      };
      this.on('stderr', onErr);
    });
  }

  /** The role this member announced last. */
  role(): string | undefined {
    const roles = this.lines.filter((l) => l.type === 'hub');
    return roles[roles.length - 1]?.role as string | undefined;
  }

  /** Resolves with a snapshot line for `symbol` printed after `after` lines. */
  waitData(symbol: string, after = this.lines.length): Promise<Line> {
    return this.waitLine(
      (l) =>
        this.lines.indexOf(l) >= after &&
        l.type === 'snapshot' &&
        (l.quotes as { symbol: string }[]).some((q) => q.symbol === symbol),
      `data for ${symbol}`,
    );
  }

  /** SIGTERM (graceful) or SIGKILL, then waits for the exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    await this.exited;
  }
}
