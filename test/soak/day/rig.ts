/**
 * The day's moving parts, built as a user runs them: the feed (MarketFeed: agent, worker, REST side,
 * recorder) on the embedded simulator in calendar mode with a simulated clock, a user handler the faults
 * can make throw, stall or crash the worker, and three `kis-monitor watch --join` processes sharing one
 * session of their own app key through the hub.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MarketFeed, FeedHandlers, type WatchlistStore } from '../../../src/feed';
import { Logger, type LogChannel } from '../../../src/common/logger';
import { parseSettings } from '../../../src/settings';
import type { KisSimulator } from '../../../src/simulator';
import type { AlertRule, Snapshot } from '../../../src/shared/snapshot';
import type { DataGap } from '../../../src/shared/stats';
import { CATALOGUE } from '../../../src/market/catalogue';
import { Member } from '../../reliability/hub/harness';
import { DAY_MINUTES, DAY_START } from './options';

/** The feed's watchlist: six KRX names (both venues trade them). */
export const FEED_SYMBOLS = CATALOGUE.slice(0, 6).map((e) => e.code);
/** One symbol per hub process, none shared with the feed (so each session's send log is its own). */
export const HUB_SYMBOLS = CATALOGUE.slice(6, 9).map((e) => e.code);
/** The app keys: the feed's embedded-simulator pair, and the hub CLIs' default simulator pair. */
export const FEED_APPKEY = 'simulator-appkey';
export const HUB_APPKEY = 'SIMULATOR-APPKEY';
export const SECRETS = ['simulator-appsecret', 'SIMULATOR-APPSECRET'];

/**
 * The handler every worker of the feed loads. Every 50th record it looks for a control file the faults
 * drop beside it: `throw` (throws while present), `slow` (once: blocks 300 ms), `crash` (once: an
 * uncaught throw that kills the worker). A file taken once is renamed, so a restarted worker does not
 * repeat it.
 */
const HANDLER_SOURCE = `const fs = require('node:fs');
const path = require('node:path');
let n = 0;
const take = (name) => { try { fs.renameSync(path.join(__dirname, name), path.join(__dirname, name + '.' + process.pid + '.' + Date.now() + '.done')); return true; } catch { return false; } };
module.exports = () => {
  if (++n % 50 !== 0) return;
  if (fs.existsSync(path.join(__dirname, 'throw'))) throw new Error('soak: a handler that throws');
  if (take('slow')) { const end = Date.now() + 300; while (Date.now() < end) {} }
  if (take('crash')) setImmediate(() => { throw new Error('soak: worker crash'); });
};
`;

/** One hub process and what the soak saw it print (its view: the last price per symbol). */
export class HubProcess {
  readonly view = new Map<string, number>();
  frozen = false;
  constructor(
    readonly member: Member,
    readonly symbol: string,
  ) {
    member.on('line', (line: Record<string, unknown>) => {
      if (line.type !== 'snapshot' || this.frozen) return;
      for (const q of line.quotes as { symbol: string; last: number }[]) this.view.set(q.symbol, q.last);
    });
  }
}

export class DayRig {
  readonly logLines: string[] = [];
  readonly gaps: DataGap[] = [];
  readonly alertsFired = new Map<string, number>();
  readonly hub: HubProcess[] = [];
  readonly retired: HubProcess[] = [];
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-soak-day-'));
  readonly handlerDir = path.join(this.dir, 'handlers');
  readonly hubDir = path.join(this.dir, 'hub');
  readonly recordingFile = path.join(this.dir, 'day.kisrec');
  readonly feed: MarketFeed;
  readonly handlers = new FeedHandlers();
  readonly rules: AlertRule[];
  private hubNames = 0;
  sim!: KisSimulator;

  constructor(
    readonly minutes: number,
    readonly seed: number,
  ) {
    fs.mkdirSync(this.handlerDir);
    fs.mkdirSync(this.hubDir, { mode: 0o700 });
    const handler = path.join(this.handlerDir, 'soakHandler.js');
    fs.writeFileSync(handler, HANDLER_SOURCE);
    this.handlers.set([{ module: handler, source: handler }]);
    // Thresholds near the previous close, so the day's walk crosses them (both ways) several times.
    this.rules = FEED_SYMBOLS.slice(0, 3).map((symbol, i) => {
      const base = CATALOGUE.find((e) => e.code === symbol)?.basePrice ?? 10_000;
      return {
        id: `soak-${i}`,
        symbol,
        kind: 'priceAbove',
        threshold: base + (i % 2 === 0 ? 1 : -1) * Math.round(base * 0.002),
      };
    });
    const channel: LogChannel = {
      trace: () => undefined,
      debug: (m) => this.logLines.push(m),
      info: (m) => this.logLines.push(m),
      warn: (m) => this.logLines.push(m),
      error: (m) => this.logLines.push(m),
    };
    let list: readonly unknown[] = [];
    const store: WatchlistStore = { load: () => list, save: async (symbols) => void (list = symbols) };
    const speed = DAY_MINUTES / minutes;
    this.feed = new MarketFeed({
      settings: () =>
        parseSettings({
          dataSource: 'simulator',
          'simulator.clock': DAY_START,
          'simulator.speed': speed,
          'simulator.ratePerSymbol': 4,
          exchange: 'unified',
        }).settings,
      credentials: async () => undefined,
      store,
      log: new Logger(channel),
      handlers: this.handlers,
      alertRules: { current: () => this.rules, onDidChange: () => ({ dispose: () => undefined }) },
      // PINGPONG every second, so a silent stall is seen within seconds; every record kept for the loss check.
      simulator: { seed, pingIntervalMs: 1000, sendLogLimit: 10_000_000 },
      // An OPSP8996 hold of 3 s instead of 20: a whole day is a few minutes here.
      agent: { pingIntervalMs: 1000, appkeyInUseBackoffMs: 3000 },
    });
    this.feed.onGap((gap) => this.gaps.push(gap));
    this.feed.onSnapshot((s: Snapshot) => {
      for (const a of s.alerts) this.alertsFired.set(a.ruleId, (this.alertsFired.get(a.ruleId) ?? 0) + 1);
    });
  }

  /** Starts the feed's session and the recorder (before the first registration, so it sees every record). */
  async open(): Promise<void> {
    await this.feed.connect();
    const sim = this.feed.embeddedSimulator;
    if (sim === undefined)
      throw new Error(`the feed did not start its simulator: ${this.feed.failureReason?.message ?? this.feed.state}`);
    this.sim = sim;
    const recording = await this.feed.recorder.start(this.recordingFile, { maxMegabytes: 2000, maxMinutes: 24 * 60 });
    if (!recording.ok) throw new Error(`the recorder did not start: ${recording.message}`);
  }

  /** Lists the feed's watchlist and starts the three hub processes. */
  async begin(): Promise<void> {
    const added = await this.feed.add(FEED_SYMBOLS);
    if (added.failed.length > 0) throw new Error(`the watchlist was refused: ${JSON.stringify(added.failed)}`);
    for (const symbol of HUB_SYMBOLS) this.spawnHub(symbol);
    await Promise.all(this.hub.map((h) => h.member.waitLine((l) => l.type === 'hub', 'a hub role', 60_000)));
  }

  /** The feed's simulated clock (the one its simulator streams by). */
  now(): number {
    return this.feed.dayStatus().session.at;
  }

  /** Spawns one hub process watching `symbol`. */
  spawnHub(symbol: string): HubProcess {
    const env = { ...process.env };
    delete env.KIS_APPKEY;
    delete env.KIS_APPSECRET;
    const member = new Member(
      `soak-${++this.hubNames}`,
      ['--url', this.sim.wsUrl, '--hub-dir', this.hubDir, '--tr', 'H0STCNT0', symbol],
      { env },
    );
    const p = new HubProcess(member, symbol);
    this.hub.push(p);
    return p;
  }

  /** The hub process that leads now (the last one to announce leadership). */
  leader(): HubProcess | undefined {
    return this.hub.find((h) => h.member.role() === 'leader');
  }

  /** Replaces a killed hub process by a new one on its symbol (the user reopens the window). */
  replace(p: HubProcess): HubProcess {
    this.hub.splice(this.hub.indexOf(p), 1);
    this.retired.push(p);
    return this.spawnHub(p.symbol);
  }

  /** Every line the hub processes wrote to stderr (their logs). */
  hubLogs(): string {
    return [...this.hub, ...this.retired].map((h) => h.member.stderr).join('\n');
  }

  /** Stops everything and removes the temporary folder (the recording is read before this). */
  async dispose(): Promise<void> {
    await Promise.all(this.hub.map((h) => h.member.stop('SIGTERM')));
    await Promise.all(this.retired.map((h) => h.member.stop('SIGKILL')));
    await this.feed.recorder.stop();
    await this.feed.dispose();
    this.handlers.dispose();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
