/**
 * Helpers shared by the worker tests: fixture records, frame builders, throwaway handler modules and
 * event waits with a timeout (no sleeps).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EventEmitter } from 'node:events';
import { buildDataFrame, parseFrame } from '../../../src/kis/frame';
import type { DataFrame } from '../../../src/kis/types';
import { emitted, emittedArgs, nextEvent, until } from '../../support/wait';

/** The folder holding package.json, found by walking up from this file. */
export function projectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + __dirname);
    dir = up;
  }
  return dir;
}

/** The fields of the first fixture frame of `trId` (kis-messages.txt). */
export function fixtureFields(trId: 'H0STCNT0' | 'H0STASP0'): string[] {
  const file = path.resolve(projectRoot(), 'test/fixtures/kis-messages.txt');
  const line = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`0|${trId}|`));
  if (line === undefined) throw new Error(`no ${trId} frame in ${file}`);
  return parseFrame(line.trim()).payload.split('^');
}

/** The fixture trade record with some fields replaced (index → value). */
export function trade(overrides: Record<number, string> = {}): string[] {
  const fields = fixtureFields('H0STCNT0');
  for (const [i, v] of Object.entries(overrides)) fields[Number(i)] = v;
  return fields;
}

/** The fixture order-book record with some fields replaced. */
export function book(overrides: Record<number, string> = {}): string[] {
  const fields = fixtureFields('H0STASP0');
  for (const [i, v] of Object.entries(overrides)) fields[Number(i)] = v;
  return fields;
}

/** A parsed data frame holding `records`, built through the wire format. */
export function frame(trId: string, records: string[][]): DataFrame {
  return parseFrame(buildDataFrame(trId, records));
}

/** A trade for `symbol` at `price`, time `hhmmss`, quantity `qty`, cumulative volume left to the caller. */
export function tradeOf(
  symbol: string,
  price: number,
  hhmmss = '093354',
  qty = 1,
  extra: Record<number, string> = {},
): string[] {
  return trade({ 0: symbol, 1: hhmmss, 2: String(price), 12: String(qty), ...extra });
}

/** A folder of throwaway handler modules, removed by `cleanup()`. */
export class HandlerDir {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-worker-handlers-'));
  private n = 0;

  /** Writes a CommonJS module with `source` and returns its absolute path. */
  write(source: string): string {
    const file = path.join(this.dir, `handler${++this.n}.js`);
    fs.writeFileSync(file, source);
    return file;
  }

  /**
   * A handler that runs `action` (JavaScript statements) at its `atRecord`-th record, once per test rather
   * than once per worker: a marker file, written just before, keeps a restarted worker from repeating it
   * (and its mtime says when the action started).
   */
  writeOnce(atRecord: number, action: string): { file: string; marker: string } {
    const marker = path.join(this.dir, `once${this.n + 1}.marker`);
    const file = this.write(
      `const fs = require('node:fs');
       let n = 0;
       module.exports = () => {
         if (++n === ${atRecord} && !fs.existsSync(${JSON.stringify(marker)})) {
           fs.writeFileSync(${JSON.stringify(marker)}, '');
           ${action}
         }
       };`,
    );
    return { file, marker };
  }

  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Resolves with the arguments of the next `event` of `emitter` that satisfy `predicate` (a Node emitter's
 * shape of `nextEvent`, test/support/wait.ts); rejects after `timeoutMs` naming `what`, or when `predicate` throws.
 */
export function waitForEvent<T extends unknown[]>(
  emitter: EventEmitter,
  event: string,
  predicate: (...args: T) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  return nextEvent(emittedArgs<T>(emitter, event), what, (args) => predicate(...args), timeoutMs);
}

/** Waits until `condition()` holds, re-checking on every `event` of `emitter` (`until`, test/support/wait.ts). */
export async function waitUntil(
  emitter: EventEmitter,
  event: string,
  condition: () => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  await until(condition, emitted(emitter, event), what, timeoutMs);
}
