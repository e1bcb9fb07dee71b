/**
 * The simulator's chart history: today's minute bars and past daily candles, deterministic per symbol,
 * ending at what the stream shows (the current minute's close is the last streamed trade).
 */
import { formatKstDate } from '../market';
import { priceLimits, tickDown, tickUp } from './krx';
import type { SymbolModel } from './market';
import { hashString, mulberry32, type Prng } from './prng';

/** One bar in KIS's string form (output2 row). */
export type WireBar = Record<string, string>;

/** The KRX regular session the bars cover, minutes after midnight KST. */
export const OPEN_MINUTE = 9 * 60;
export const CLOSE_MINUTE = 15 * 60 + 30;

const hhmm = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}${String(m % 60).padStart(2, '0')}00`;

/** Minutes after midnight KST of an epoch-ms time. */
export function kstMinute(epochMs: number): number {
  const d = new Date(epochMs + 9 * 3600_000);
  return d.getUTCHours() * 60 + d.getUTCMinutes();
}

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
  const nowMinute = Math.min(kstMinute(nowMs), CLOSE_MINUTE);
  const asked = Number(hhmmss.slice(0, 2)) * 60 + Number(hhmmss.slice(2, 4));
  const last = Math.min(nowMinute, asked);
  if (last < OPEN_MINUTE) return [];
  const date = formatKstDate(new Date(nowMs));
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

/** Up to `limit` weekday candles ending the day before `nowMs` (at most `toDate`), newest first. */
export function dailyBars(model: SymbolModel, nowMs: number, toDate: string, limit: number): WireBar[] {
  const rng = mulberry32(hashString(model.code, 11));
  const rows: WireBar[] = [];
  let close = model.prevClose;
  for (let day = 1; rows.length < limit && day < 400; day++) {
    const d = new Date(nowMs - day * 86_400_000 + 9 * 3600_000);
    const wd = d.getUTCDay();
    if (wd === 0 || wd === 6) continue;
    const date = formatKstDate(new Date(nowMs - day * 86_400_000));
    const open = walk(rng, walk(rng, close, Infinity, 1), Infinity, 1);
    if (date <= toDate) {
      rows.push({
        stck_bsop_date: date,
        stck_clpr: String(close),
        stck_oprc: String(open),
        stck_hgpr: String(Math.max(open, close)),
        stck_lwpr: String(Math.min(open, close)),
        acml_vol: String(100_000 + rng.int(0, 1_000_000)),
        acml_tr_pbmn: '0',
      });
    }
    close = open;
  }
  return rows;
}
