/**
 * Index and US streams of the simulator: H0UPCNT0 (30 fields), HDFSCNT0 (26, RSYM first) and
 * HDFSASP0 (17, one level) with the official column counts (src/kis/layouts/intl.ts), index values in
 * points with two decimals, US prices in dollars with four (ZDIV 4, as KIS sends them), the US session
 * (MTYP) by the New York clock. An index with members (KOSPI, KOSDAQ, KOSPI 200: the simulated stocks
 * of its market) follows them: its level is its base moved by the members' weighted change, and each of
 * its records moves one member's quotes a step (round robin), so the index moves with the stocks even
 * when none of them is streamed. The members' own walks are independent, so their average alone barely
 * moves (a few hundredths of a percent a day, where a real index ranges ~0.5–1.5 %: real stocks share the
 * market's move); the level adds that shared move, a walk of the simulated clock (`marketMove`), so the
 * same instant gives the same level to the stream and to REST. Other keys are seeded random walks from a
 * plausible base level — synthetic numbers, not market data. One instance per market (simMarket.ts).
 */
import { INTL_LAYOUTS } from '../../kis/layouts/intl';
import { parseUsKey, US_CATALOGUE, usMarketTypeCode, usSession, wallClock } from '../../market';
import { hashString, mulberry32, type Prng } from './prng';
import type { ReferencePrice } from './reference';
import { kstMinuteOfDay } from '../../market';

/** A stock an index follows: its walk, its weight, and its cumulative volume so far. */
export interface IndexMember {
  readonly reference: ReferencePrice;
  readonly weight: number;
  readonly volume: () => number;
}

/** The market's shared move is a walk in steps of this many seconds of the simulated clock. */
const MOVE_STEP_SECONDS = 10;
const MOVE_STEPS_PER_DAY = (24 * 3600) / MOVE_STEP_SECONDS;
/**
 * Standard deviation of one step of the shared move: 0.6 % over a 6.5-hour session (390 minutes), so a
 * session's high-low range is about 1 %, as KOSPI's usually is.
 */
const MOVE_STEP_SIGMA = 0.006 / Math.sqrt((390 * 60) / MOVE_STEP_SECONDS);
/** Pull of the shared move back to none per step: it stays within a few percent over a whole day. */
const MOVE_PULL = 1e-4;

/** The shared moves of each index and KST day computed so far: one value per step of the day. */
const movePaths = new Map<string, Float64Array>();

/**
 * The market's shared move (a fraction: 0.004 = +0.4 %) for `index` at `nowMs`: a seeded walk over the KST
 * day in steps of MOVE_STEP_SECONDS, read between two steps in a straight line. A pure function of the
 * clock, so every connection and REST see one level at one instant, and a reconnect continues the day.
 */
export function marketMove(index: string, nowMs: number): number {
  const day = Math.floor((nowMs - kstMinuteOfDay(nowMs) * 60_000 - (nowMs % 60_000)) / 86_400_000);
  const key = `${index}:${day}`;
  let path = movePaths.get(key);
  if (path === undefined) {
    path = new Float64Array(MOVE_STEPS_PER_DAY + 1);
    const rng = mulberry32(hashString(`${key}:market-move`));
    for (let i = 1; i < path.length; i++) {
      // Box–Muller: one standard normal from two uniforms.
      const normal = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
      path[i] = path[i - 1] * (1 - MOVE_PULL) + MOVE_STEP_SIGMA * normal;
    }
    if (movePaths.size > 16) movePaths.clear();
    movePaths.set(key, path);
  }
  const seconds = kstMinuteOfDay(nowMs) * 60 + (nowMs % 60_000) / 1000;
  const at = seconds / MOVE_STEP_SECONDS;
  const step = Math.min(MOVE_STEPS_PER_DAY - 1, Math.floor(at));
  return path[step] + (path[step + 1] - path[step]) * (at - step);
}

/** Base levels of the known indices (plausible, not live). */
const INDEX_BASE: Readonly<Record<string, number>> = { '0001': 2650, '1001': 870, '2001': 350 };

interface Walk {
  /** The index code or US key the walk is of. */
  readonly key: string;
  readonly base: number;
  price: number;
  open: number;
  high: number;
  low: number;
  volume: number;
  readonly rng: Prng;
  /** The stocks the level follows (none: a plain walk). */
  readonly members: readonly IndexMember[];
  /** The member whose quotes the next record moves. */
  nextMember: number;
}

/** True for the TRs this module streams. */
export function isIntlTr(trId: string): boolean {
  return INTL_LAYOUTS.has(trId);
}

/** The simulator's index and US records. */
export class IntlSim {
  private readonly walks = new Map<string, Walk>();

  /**
   * @param marketHours when true, US keys stream only in a US session (pre/regular/after, or day for `R` keys)
   * @param membersOf the stocks an index code follows (none for a US key or an unknown index)
   * @param now the simulated clock (an index's shared market move is a walk of it)
   */
  constructor(
    private readonly marketHours: boolean,
    private readonly membersOf: (key: string) => readonly IndexMember[] = () => [],
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether `trId`/`key` streams at `now` (indices follow the KRX gate the caller applies). */
  streams(trId: string, key: string, now: number): boolean {
    if (!this.marketHours || trId === 'H0UPCNT0') return true;
    const session = usSession(now);
    const daySession = parseUsKey(key)?.daySession === true;
    return daySession ? session === 'day' : session === 'pre' || session === 'regular' || session === 'after';
  }

  /** `n` records of `trId` for `key`, each as its field list. */
  records(trId: string, key: string, n: number, now: number, kstTime: string, kstDate: string): string[][] {
    const out: string[][] = [];
    for (let i = 0; i < n; i++) {
      const walk = this.step(key, now);
      if (trId === 'H0UPCNT0') out.push(this.indexRecord(key, walk, kstTime));
      else if (trId === 'HDFSCNT0') out.push(this.usTrade(key, walk, now, kstTime, kstDate));
      else out.push(this.usBook(key, walk, now, kstTime, kstDate));
    }
    return out;
  }

  /**
   * The walk of `key` as it stands (made at its base when new, not moved): what the REST price answers
   * (restIntl.ts), so REST and the stream agree. Previous close = `base`.
   */
  level(key: string): Readonly<Omit<Walk, 'key' | 'rng' | 'members' | 'nextMember'>> {
    const walk = this.walkOf(key);
    if (walk.members.length > 0) this.follow(walk, this.now());
    return walk;
  }

  private walkOf(key: string): Walk {
    let walk = this.walks.get(key);
    if (walk === undefined) {
      const rng = mulberry32(hashString(key));
      const us = parseUsKey(key);
      // A catalogue ticker starts at its catalogue price (the one its master file lists); others at random.
      const listed =
        us === undefined ? undefined : US_CATALOGUE.find((c) => c.ticker === us.ticker && c.exchange === us.exchange);
      const base =
        us !== undefined ? (listed?.basePrice ?? 20 + Math.floor(rng.next() * 300)) : (INDEX_BASE[key] ?? 1000);
      const members = us === undefined ? this.membersOf(key) : [];
      walk = { key, base, price: base, open: base, high: base, low: base, volume: 0, rng, members, nextMember: 0 };
      if (members.length > 0) {
        this.follow(walk, this.now());
        walk.open = walk.high = walk.low = walk.price;
      }
      this.walks.set(key, walk);
    }
    return walk;
  }

  private step(key: string, now: number): Walk {
    const walk = this.walkOf(key);
    if (walk.members.length > 0) {
      walk.members[walk.nextMember].reference.drift();
      walk.nextMember = (walk.nextMember + 1) % walk.members.length;
      this.follow(walk, now);
      return walk;
    }
    const move = (walk.rng.next() - 0.5) * walk.base * 0.0008;
    walk.price = Math.max(walk.base * 0.7, Math.min(walk.base * 1.3, walk.price + move));
    walk.high = Math.max(walk.high, walk.price);
    walk.low = Math.min(walk.low, walk.price);
    walk.volume += 1 + Math.floor(walk.rng.next() * 100);
    return walk;
  }

  /**
   * Sets an index's level at `now` from its members: the base moved by their weighted change and by the
   * market's shared move then (see the file comment); volume = theirs.
   */
  private follow(walk: Walk, now: number): void {
    let weighted = 0;
    let weights = 0;
    let volume = 0;
    for (const m of walk.members) {
      weighted += m.weight * (m.reference.price / m.reference.prevClose - 1);
      weights += m.weight;
      volume += m.volume();
    }
    walk.price = Math.round(walk.base * (1 + weighted / weights + marketMove(walk.key, now)) * 100) / 100;
    walk.high = Math.max(walk.high, walk.price);
    walk.low = Math.min(walk.low, walk.price);
    walk.volume = volume;
  }

  private indexRecord(code: string, w: Walk, time: string): string[] {
    const f = new Array<string>(30).fill('0');
    const change = w.price - w.base;
    f[0] = code;
    f[1] = time;
    f[2] = w.price.toFixed(2);
    f[3] = sign(change);
    f[4] = Math.abs(change).toFixed(2);
    f[5] = String(w.volume);
    f[6] = String(w.volume * 10);
    f[9] = ((change / w.base) * 100).toFixed(2);
    f[10] = w.open.toFixed(2);
    f[11] = w.high.toFixed(2);
    f[12] = w.low.toFixed(2);
    return f;
  }

  private usTrade(key: string, w: Walk, now: number, kstTime: string, kstDate: string): string[] {
    const ny = wallClock(now, 'America/New_York');
    const change = w.price - w.base;
    const nyTime = `${pad(Math.floor(ny.minutes / 60))}${pad(ny.minutes % 60)}00`;
    const ticker = parseUsKey(key)?.ticker ?? key;
    const rate = (change / w.base) * 100;
    return [
      key,
      ticker,
      '4',
      ny.date,
      ny.date,
      nyTime,
      kstDate,
      kstTime,
      w.open.toFixed(4),
      w.high.toFixed(4),
      w.low.toFixed(4),
      w.price.toFixed(4),
      sign(change),
      Math.abs(change).toFixed(4),
      `${rate >= 0 ? '+' : '-'}${Math.abs(rate).toFixed(2)}`,
      (w.price - 0.01).toFixed(4),
      (w.price + 0.01).toFixed(4),
      '100',
      '100',
      '1',
      String(w.volume),
      String(Math.round(w.volume * w.price)),
      '0',
      '0',
      '100.00',
      usMarketTypeCode(usSession(now)) ?? '1',
    ];
  }

  private usBook(key: string, w: Walk, now: number, kstTime: string, kstDate: string): string[] {
    const ny = wallClock(now, 'America/New_York');
    const ticker = parseUsKey(key)?.ticker ?? key;
    return [
      key,
      ticker,
      '4',
      ny.date,
      `${pad(Math.floor(ny.minutes / 60))}${pad(ny.minutes % 60)}00`,
      kstDate,
      kstTime,
      '1000',
      '1000',
      '0',
      '0',
      (w.price - 0.01).toFixed(4),
      (w.price + 0.01).toFixed(4),
      '100',
      '100',
      '0',
      '0',
    ];
  }
}

const pad = (n: number): string => String(n).padStart(2, '0');
/** KIS's sign code for a change: 2 up, 3 unchanged, 5 down. */
const sign = (change: number): string => (change > 0 ? '2' : change < 0 ? '5' : '3');
