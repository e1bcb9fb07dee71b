/**
 * The holiday calendar of the running source: KIS `chk-holiday` asked at most once a (KST) day
 * and cached (the extension's memento, the CLI's cache directory, memory in tests), so a restart, a
 * reconnect or a second window on the same day sends no request. The rows become the session clock's
 * `HolidayProvider` (holidays.ts). A failed query keeps the last calendar when there is one (an older
 * calendar still knows the year's holidays); otherwise the clock stays "holiday calendar unknown".
 */
import type { RestHoliday } from '../../kis/rest/responses';
import type { HolidayProvider } from '../../market/sessionClock';
import { kstParts } from '../../market/sessionClock';
import { holidayProvider } from './holidays';

/** What is cached: the KST date (YYYY-MM-DD) it was asked on, and KIS's rows. */
export interface StoredHolidays {
  fetchedOn: string;
  days: RestHoliday[];
}

/** Where the calendar is kept between runs. `load` returns what was stored, unchecked. */
export interface HolidayCache {
  load(): unknown;
  save(value: StoredHolidays): Promise<void>;
}

/** What the calendar needs of the REST client. */
export interface HolidayClient {
  holidays(baseDate: string): Promise<RestHoliday[]>;
}

/** A memory cache (tests, and hosts without storage). */
export function memoryHolidayCache(initial?: StoredHolidays): HolidayCache & { saved: number } {
  let value: unknown = initial;
  const cache = {
    saved: 0,
    load: (): unknown => value,
    save: async (next: StoredHolidays): Promise<void> => {
      value = next;
      cache.saved++;
    },
  };
  return cache;
}

/** The cached value when it has the right shape (it comes from storage: untrusted). */
export function readStoredHolidays(raw: unknown): StoredHolidays | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { fetchedOn, days } = raw as Record<string, unknown>;
  if (typeof fetchedOn !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(fetchedOn) || !Array.isArray(days)) return undefined;
  const rows = days.filter(
    (d): d is RestHoliday =>
      typeof d === 'object' &&
      d !== null &&
      typeof (d as RestHoliday).date === 'string' &&
      typeof (d as RestHoliday).open === 'boolean',
  );
  return rows.length === days.length ? { fetchedOn, days: rows } : undefined;
}

/** After a failed query, the next one waits this long (REST may be down for a while: no request storm). */
const RETRY_MS = 3_600_000;

/** One source's calendar (see the file comment). */
export class HolidayCalendar {
  private loadedOn: string | undefined;
  private retryAt = 0;
  private gaveStale = false;
  private inflight: Promise<HolidayProvider | undefined> | undefined;
  private latest: HolidayProvider | undefined;
  /** Queries sent by this calendar (tests and diagnostics). */
  queries = 0;

  constructor(
    private readonly client: HolidayClient,
    private readonly cache: HolidayCache,
    private readonly warn: (message: string) => void,
  ) {}

  /**
   * The provider for the KST day of `now`, or undefined when there is nothing new since the last answer
   * (this day is already answered, a failed query waits to retry, or there is no calendar at all): the
   * caller re-plans only on a provider. Concurrent calls share one query.
   */
  /** The newest calendar given out (stale or not); undefined before the first. */
  known(): HolidayProvider | undefined {
    return this.latest;
  }

  refresh(now: number): Promise<HolidayProvider | undefined> {
    this.inflight ??= this.load(now).finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private async load(now: number): Promise<HolidayProvider | undefined> {
    const today = kstParts(now).date;
    if (this.loadedOn === today || now < this.retryAt) return undefined;
    const cached = readStoredHolidays(this.cache.load());
    if (cached?.fetchedOn === today) return this.use(today, cached.days);
    try {
      this.queries++;
      const days = await this.client.holidays(today.replace(/-/g, ''));
      await this.cache
        .save({ fetchedOn: today, days })
        .catch((error: unknown) => this.warn(`Could not cache the holiday calendar: ${String(error)}`));
      return this.use(today, days);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      this.retryAt = now + RETRY_MS;
      this.warn(
        `Holiday calendar unavailable (${typeof code === 'string' ? code : 'error'})${cached ? `; using the one from ${cached.fetchedOn}` : ''}`,
      );
      if (cached === undefined || this.gaveStale) return undefined;
      this.gaveStale = true;
      return (this.latest = holidayProvider(cached.days));
    }
  }

  private use(today: string, days: readonly RestHoliday[]): HolidayProvider {
    this.loadedOn = today;
    return (this.latest = holidayProvider(days));
  }
}
