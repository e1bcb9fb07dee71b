/**
 * The simulator's chart history: today's minute bars and past daily candles, deterministic per symbol,
 * ending at what the stream shows (the current minute's close is the last streamed trade).
 */
import { formatKstDate, KRX_DAY_SESSION_MINUTES, kstMinuteOfDay } from '../../market';
import { floorToTick, priceLimits, tickDown, tickUp } from '../market/krxRules';
import type { SymbolModel } from '../market/venueModel';
import { hashString, mulberry32, type Prng } from '../market/prng';
import { isSimTradingDay, previousSimTradingDay } from '../market/simCalendar';

/** One bar in KIS's string form (output2 row). */
export type WireBar = Record<string, string>;

/** The KRX day session the bars cover, minutes after midnight KST (the 15:30 close has a bar of its own). */
const { open: OPEN_MINUTE, close: CLOSE_MINUTE } = KRX_DAY_SESSION_MINUTES;

const hhmm = (m: number): string =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}${String(m % 60).padStart(2, '0')}00`;

function walk(rng: Prng, from: number, upper: number, lower: number): number {
  const r = rng.next();
  let p = from;
  if (r < 0.35) p = tickDown(p);
  else if (r > 0.65) p = tickUp(p);
  return Math.min(upper, Math.max(lower, p));
}

/**
 * Today's minute bars at or before `hhmmss`, newest first. A model with a played history (the demo's
 * day) answers its own bars: every minute it traded, the last one closing at its last trade. Otherwise
 * (the calendar mode) the minutes from the open to `nowMs` (at most the close): past minutes are a
 * seeded walk from the previous close, the current minute closes at the model's price.
 */
export function minuteBars(model: SymbolModel, nowMs: number, hhmmss: string, limit: number): WireBar[] {
  if (model.hasHistory) return tradedBars(model, nowMs, hhmmss, limit);
  return walkedBars(model, nowMs, hhmmss, limit);
}

/** The bars of the minutes `model` traded today (KST date of `nowMs`), at or before `hhmmss`, newest first. */
function tradedBars(model: SymbolModel, nowMs: number, hhmmss: string, limit: number): WireBar[] {
  const date = formatKstDate(new Date(nowMs));
  const upTo = hhmmss.slice(0, 4);
  const rows: WireBar[] = [];
  for (let i = model.minuteBars.length - 1; i >= 0 && rows.length < limit; i--) {
    const bar = model.minuteBars[i];
    if (bar.date !== date || bar.minute > upTo) continue;
    rows.push({
      stck_bsop_date: bar.date,
      stck_cntg_hour: `${bar.minute}00`,
      stck_prpr: String(bar.close),
      stck_oprc: String(bar.open),
      stck_hgpr: String(bar.high),
      stck_lwpr: String(bar.low),
      cntg_vol: String(bar.volume),
      acml_tr_pbmn: '0',
    });
  }
  return rows;
}

function walkedBars(model: SymbolModel, nowMs: number, hhmmss: string, limit: number): WireBar[] {
  const nowMinute = Math.min(kstMinuteOfDay(nowMs), CLOSE_MINUTE);
  const asked = Number(hhmmss.slice(0, 2)) * 60 + Number(hhmmss.slice(2, 4));
  const last = Math.min(nowMinute, asked);
  const date = formatKstDate(new Date(nowMs));
  // A weekend or holiday has no bars of its own (the chart asks the last trading day's).
  if (last < OPEN_MINUTE || !isSimTradingDay(date)) return [];
  const rng = mulberry32(hashString(`${model.code}:${date}`, 7));
  const { upper, lower } = priceLimits(model.prevClose);
  const rows: WireBar[] = [];
  let close = model.prevClose;
  for (let m = OPEN_MINUTE; m <= last; m++) {
    const open = close;
    close = m === nowMinute ? model.price : walk(rng, open, upper, lower);
    const volume = 100 + rng.int(0, 5000);
    rows.push({
      stck_bsop_date: date,
      stck_cntg_hour: hhmm(m),
      stck_prpr: String(close),
      stck_oprc: String(open),
      stck_hgpr: String(Math.max(open, close)),
      stck_lwpr: String(Math.min(open, close)),
      cntg_vol: String(volume),
      acml_tr_pbmn: '0',
    });
  }
  return rows.reverse().slice(0, limit);
}

/** Up to `limit` trading-day candles ending the day before `nowMs` (at most `toDate`), newest first. */
export function dailyBars(model: SymbolModel, nowMs: number, toDate: string, limit: number): WireBar[] {
  const rng = mulberry32(hashString(model.code, 11));
  const rows: WireBar[] = [];
  let close = model.prevClose;
  for (let day = 1; rows.length < limit && day < 400; day++) {
    const date = formatKstDate(new Date(nowMs - day * 86_400_000));
    if (!isSimTradingDay(date)) continue;
    // Walked backwards from the previous close: this day's open is the day before's close.
    const open = dayOpenBefore(rng, close);
    const { high, low } = dayRange(rng, open, close);
    if (date <= toDate) {
      rows.push({
        stck_bsop_date: date,
        stck_clpr: String(close),
        stck_oprc: String(open),
        stck_hgpr: String(high),
        stck_lwpr: String(low),
        acml_vol: String(100_000 + rng.int(0, 1_000_000)),
        acml_tr_pbmn: '0',
      });
    }
    close = open;
  }
  return rows;
}

/** The last trading day before a closed day, as KIS's inquire-price answers on a weekend or a holiday. */
export interface LastTradingDay {
  /** `YYYYMMDD`. */
  date: string;
  close: number;
  open: number;
  high: number;
  low: number;
  volume: number;
  /** The day's traded value: the sum its minute bars report (so the VWAP is theirs). */
  value: number;
  /** The close of the trading day before it: the base its change is measured from. */
  previousClose: number;
}

/**
 * The trading day before `nowMs` from the daily candles (the one the chart shows labelled "last trading
 * day"): its candle, its minute bars' traded value and the close of the day before. A weekend or holiday
 * answers with it, so a Saturday shows Friday's change against Thursday's close, not 0 against itself.
 */
export function lastTradingDay(model: SymbolModel, nowMs: number): LastTradingDay {
  const [day, before] = dailyBars(model, nowMs, '99999999', 2);
  const date = day.stck_bsop_date;
  const value = Number(pastMinuteBars(model, nowMs, date, '235900', 1)[0]?.acml_tr_pbmn ?? '0');
  return {
    date,
    close: Number(day.stck_clpr),
    open: Number(day.stck_oprc),
    high: Number(day.stck_hgpr),
    low: Number(day.stck_lwpr),
    volume: Number(day.acml_vol),
    value,
    previousClose: Number(before.stck_clpr),
  };
}

/** A standard normal draw (Box–Muller) from the seeded generator. */
function normal(rng: Prng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

/**
 * The open of a past day that closed at `close`: a large cap's day moves about 1.5 % (one standard
 * deviation), on a tick and well inside the ±30 % band, so the 1D chart and the past days' minute bars
 * look like a market's, not a line two ticks wide.
 */
function dayOpenBefore(rng: Prng, close: number): number {
  const move = Math.max(-0.06, Math.min(0.06, normal(rng) * 0.015));
  return Math.max(1, floorToTick(close / (1 + move)));
}

/** A day's high and low around its open and close: wicks of about half a percent, on ticks. */
function dayRange(rng: Prng, open: number, close: number): { high: number; low: number } {
  const top = Math.max(open, close);
  const bottom = Math.min(open, close);
  const high = floorToTick(top * (1 + Math.abs(normal(rng)) * 0.005));
  const low = floorToTick(bottom * (1 - Math.abs(normal(rng)) * 0.005));
  return { high: Math.max(top, high), low: Math.max(1, Math.min(bottom, low)) };
}

/** Minutes of the regular session the past days' bars cover (09:00 to 15:30, both included). */
const SESSION_MINUTES = CLOSE_MINUTE - OPEN_MINUTE + 1;

/**
 * The minute bars of the past trading day `date` at or before `hhmmss`, newest first (주식일별분봉조회):
 * a seeded walk from that day's daily candle's open to its close inside its low–high, the day's volume
 * split over its minutes, so the bars add up to the candle (and the last trading day's last bar closes at
 * the previous close the live day starts from). None for today, a later day or a closed day.
 */
export function pastMinuteBars(
  model: SymbolModel,
  nowMs: number,
  date: string,
  hhmmss: string,
  limit: number,
): WireBar[] {
  // The candles are the trading days before today's: today, a later day or a closed day has none of its own.
  const candle = dailyBars(model, nowMs, date, 1)[0];
  if (candle?.stck_bsop_date !== date) return [];
  const open = Number(candle.stck_oprc);
  const close = Number(candle.stck_clpr);
  const rng = mulberry32(hashString(`${model.code}:${date}:minutes`, 13));
  const closes = bridge(rng, open, close, Number(candle.stck_lwpr), Number(candle.stck_hgpr), (p) => floorToTick(p));
  const volumes = split(rng, Number(candle.acml_vol), SESSION_MINUTES);
  const upTo = Number(hhmmss.slice(0, 2)) * 60 + Number(hhmmss.slice(2, 4));
  const rows: WireBar[] = [];
  let value = 0;
  for (let i = 0; i < SESSION_MINUTES; i++) {
    const barOpen = i === 0 ? open : closes[i - 1];
    value += volumes[i] * closes[i];
    if (OPEN_MINUTE + i > upTo) break;
    rows.push(wireBar(date, hhmm(OPEN_MINUTE + i), barOpen, closes[i], volumes[i], value, String));
  }
  return rows.reverse().slice(0, limit);
}

/** One output2 row of the stock minute bars; `text` writes a price (integers for stocks). */
function wireBar(
  date: string,
  time: string,
  open: number,
  close: number,
  volume: number,
  value: number,
  text: (p: number) => string,
): WireBar {
  return {
    stck_bsop_date: date,
    stck_cntg_hour: time,
    stck_prpr: text(close),
    stck_oprc: text(open),
    stck_hgpr: text(Math.max(open, close)),
    stck_lwpr: text(Math.min(open, close)),
    cntg_vol: String(volume),
    acml_tr_pbmn: String(Math.round(value)),
  };
}

/**
 * SESSION_MINUTES closes from `open` to exactly `close`: the straight line plus a seeded wander that
 * vanishes at both ends, kept inside [low, high] and rounded by `round`.
 */
function bridge(
  rng: Prng,
  open: number,
  close: number,
  low: number,
  high: number,
  round: (p: number) => number,
  count = SESSION_MINUTES,
): number[] {
  const out: number[] = [];
  const span = Math.max(high - low, Math.abs(open) * 0.002);
  let wander = 0;
  for (let i = 0; i < count; i++) {
    const f = (i + 1) / count;
    wander += (rng.next() - 0.5) * span * 0.1;
    const p = open + (close - open) * f + wander * Math.sin(Math.PI * f);
    out.push(i === count - 1 ? close : Math.min(high, Math.max(low, round(p))));
  }
  return out;
}

/** `total` split over `parts` seeded shares that add up to it exactly. */
function split(rng: Prng, total: number, parts: number): number[] {
  const weights = Array.from({ length: parts }, () => 0.5 + rng.next());
  const sum = weights.reduce((a, b) => a + b, 0);
  const out = weights.map((w) => Math.floor((total * w) / sum));
  out[parts - 1] += total - out.reduce((a, b) => a + b, 0);
  return out;
}

/** What the index bars need of an index walk (intlSim.ts `level`). */
export interface IndexLevel {
  readonly base: number;
  readonly price: number;
  readonly open: number;
}

/**
 * The 1-minute bars of the index `code` with past days (업종 분봉조회, FID_PW_DATA_INCU_YN=Y), newest
 * first: today's from the open to `nowMs` when today trades (from the day's open to the level now), then
 * the last two trading days' (the last one closing at the index's previous close, `base`).
 */
export function indexMinuteRows(code: string, level: IndexLevel, nowMs: number): WireBar[] {
  const today = formatKstDate(new Date(nowMs));
  const rows: WireBar[] = [];
  const points = (p: number): string => p.toFixed(2);
  const round = (p: number): number => Math.round(p * 100) / 100;
  const dayRows = (date: string, open: number, close: number, minutes: number): void => {
    const rng = mulberry32(hashString(`${code}:${date}:index`, 17));
    const low = Math.min(open, close) * 0.995;
    const high = Math.max(open, close) * 1.005;
    const closes = bridge(rng, open, close, low, high, round, minutes);
    const volumes = split(rng, 40_000_000, SESSION_MINUTES);
    let value = 0;
    const day: WireBar[] = [];
    for (let i = 0; i < minutes; i++) {
      value += volumes[i] * 10;
      const row = wireBar(
        date,
        hhmm(OPEN_MINUTE + i),
        i === 0 ? open : closes[i - 1],
        closes[i],
        volumes[i],
        value,
        points,
      );
      day.push({
        stck_bsop_date: row.stck_bsop_date,
        stck_cntg_hour: row.stck_cntg_hour,
        bstp_nmix_prpr: row.stck_prpr,
        bstp_nmix_oprc: row.stck_oprc,
        bstp_nmix_hgpr: row.stck_hgpr,
        bstp_nmix_lwpr: row.stck_lwpr,
        cntg_vol: row.cntg_vol,
        acml_tr_pbmn: row.acml_tr_pbmn,
      });
    }
    rows.push(...day.reverse());
  };
  const nowMinute = kstMinuteOfDay(nowMs);
  if (isSimTradingDay(today) && nowMinute >= OPEN_MINUTE) {
    // Today's walk ends at the level the stream shows; its last minute is the current one.
    const minutes = Math.min(nowMinute, CLOSE_MINUTE) - OPEN_MINUTE + 1;
    const open = level.open > 0 ? level.open : level.base;
    dayRows(today, open, level.price, minutes);
  }
  let date = today;
  let close = level.base;
  for (let n = 0; n < 2; n++) {
    date = previousSimTradingDay(date);
    const rng = mulberry32(hashString(`${code}:${date}:open`, 19));
    const open = round(close * (1 + (rng.next() - 0.5) * 0.02));
    dayRows(date, open, close, SESSION_MINUTES);
    close = open;
  }
  return rows;
}

/**
 * The index's last trading day before `nowMs` from its minute bars (the chart's "last trading day"): open,
 * close, range, volume and value of that day, and the close of the day before. A weekend or holiday
 * answers the index price with it (its change against the day before, as KIS does), never 0.00 against itself.
 */
export function lastIndexDay(code: string, level: IndexLevel, nowMs: number): LastTradingDay {
  const rows = indexMinuteRows(code, level, nowMs);
  const date = previousSimTradingDay(formatKstDate(new Date(nowMs + 86_400_000)));
  const day = rows.filter((r) => r.stck_bsop_date === date);
  const before = rows.find((r) => r.stck_bsop_date < date);
  const num = (r: WireBar | undefined, field: string): number => Number(r?.[field] ?? '0');
  return {
    date,
    close: num(day[0], 'bstp_nmix_prpr'),
    open: num(day.at(-1), 'bstp_nmix_oprc'),
    high: Math.max(...day.map((r) => num(r, 'bstp_nmix_hgpr'))),
    low: Math.min(...day.map((r) => num(r, 'bstp_nmix_lwpr'))),
    volume: day.reduce((sum, r) => sum + num(r, 'cntg_vol'), 0),
    value: num(day[0], 'acml_tr_pbmn'),
    previousClose: num(before, 'bstp_nmix_prpr'),
  };
}
