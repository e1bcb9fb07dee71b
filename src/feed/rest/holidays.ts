/**
 * The seam between the REST holiday calendar (src/rest `RestClient.holidays`) and the session
 * clock: a list of KIS holiday rows (date YYYYMMDD, opnd_yn) becomes the clock's `HolidayProvider`. Dates
 * the list does not cover stay "unknown" (the clock's "holiday calendar unknown" path). Pure.
 * Wiring: `feed.setHolidays(holidayProvider(await rest.holidays(today)))` once the feed owns the REST client.
 */
import type { RestHoliday } from '../../kis/rest/responses';
import type { HolidayProvider } from '../../market/sessionClock';

/** A provider answering from `days` (KIS `chk-holiday` rows); other dates are 'unknown'. */
export function holidayProvider(days: readonly RestHoliday[]): HolidayProvider {
  const byDate = new Map<string, boolean>();
  for (const d of days)
    if (/^\d{8}$/.test(d.date)) byDate.set(`${d.date.slice(0, 4)}-${d.date.slice(4, 6)}-${d.date.slice(6, 8)}`, d.open);
  return (kstDate) => {
    const open = byDate.get(kstDate);
    return open === undefined ? 'unknown' : open ? 'open' : 'closed';
  };
}
