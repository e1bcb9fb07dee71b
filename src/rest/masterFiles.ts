/**
 * KIS's symbol master files: download (at most once a day), cache on disk, parse. Plain Node;
 * the parsing is the pure src/market/master. The cache lives in a folder the caller gives (the extension's
 * global storage): one `<market>.bin` per file, as downloaded and unzipped, and `masters.json` with when
 * each was fetched. A file that is truncated, not a zip, or in a new layout is refused with a clear message
 * and the previous cache stays; offline, the last cache is used and its age reported.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { unzipFirst } from '../common/zip';
import {
  parseKrxMaster,
  parseOverseasMaster,
  type MasterEntry,
  type MasterMarket,
  type MasterParseResult,
} from '../market/master';

/** KIS's download folder, the default of the `masterFilesUrl` setting (official samples, stocks_info/). */
export const DEFAULT_MASTER_URL = 'https://new.real.download.dws.co.kr/common/master/';

/** The file each market is published as, under the base URL. */
export const MASTER_FILES: Readonly<Record<MasterMarket, string>> = {
  KOSPI: 'kospi_code.mst.zip',
  KOSDAQ: 'kosdaq_code.mst.zip',
  KONEX: 'konex_code.mst.zip',
  NAS: 'nasmst.cod.zip',
  NYS: 'nysmst.cod.zip',
  AMS: 'amsmst.cod.zip',
};

/** A cached file is fresh for a day: KIS republishes the masters once per business day. */
export const MASTER_MAX_AGE_MS = 24 * 3_600_000;

/** Why a market's file could not be refreshed (the previous cache, if any, is still used). */
export interface MasterRefreshError {
  readonly market: MasterMarket;
  readonly code: 'OFFLINE' | 'HTTP' | 'NOT_A_ZIP' | 'UNSUPPORTED' | 'CORRUPT' | 'EMPTY' | 'TRUNCATED' | 'NEW_LAYOUT';
  readonly message: string;
}

/** What the cache holds after a refresh. */
export interface MasterSnapshot {
  readonly entries: MasterEntry[];
  /** Age of the oldest file in use, ms (0 when everything was just downloaded; undefined when nothing is cached). */
  readonly oldestAgeMs: number | undefined;
  /** Bytes of the cached (unzipped) files. */
  readonly cacheBytes: number;
  readonly errors: MasterRefreshError[];
  /** Markets downloaded in this refresh. */
  readonly downloaded: MasterMarket[];
}

/** Options of the cache. */
export interface MasterCacheOptions {
  /** The cache folder (created when missing). */
  readonly dir: string;
  /** Base URL of the files (the setting; KIS's by default). */
  readonly baseUrl?: string;
  readonly markets?: readonly MasterMarket[];
  /** Injected for tests; global fetch by default. */
  readonly fetch?: (url: string) => Promise<{ ok: boolean; status: number; arrayBuffer(): Promise<ArrayBuffer> }>;
  readonly now?: () => number;
}

type Meta = Partial<Record<MasterMarket, { fetchedAt: number }>>;

/** Parses one market's unzipped file. */
export function parseMaster(market: MasterMarket, bytes: Uint8Array): MasterParseResult {
  switch (market) {
    case 'KOSPI':
    case 'KOSDAQ':
    case 'KONEX':
      return parseKrxMaster(bytes, market);
    case 'NAS':
    case 'NYS':
    case 'AMS':
      return parseOverseasMaster(bytes, market);
  }
}

/** The master-file cache. One refresh at a time per instance. */
export class MasterCache {
  private readonly baseUrl: string;
  private readonly markets: readonly MasterMarket[];
  private readonly now: () => number;
  private readonly fetchImpl: NonNullable<MasterCacheOptions['fetch']>;

  constructor(private readonly options: MasterCacheOptions) {
    this.baseUrl = (options.baseUrl ?? DEFAULT_MASTER_URL).replace(/\/?$/, '/');
    this.markets = options.markets ?? (Object.keys(MASTER_FILES) as MasterMarket[]);
    this.now = options.now ?? Date.now;
    this.fetchImpl = options.fetch ?? ((url) => fetch(url));
  }

  /**
   * Downloads what is older than a day (or everything with `force`), keeps what parses, and returns every
   * listing from the cache. `onProgress` is called once per market with how many are done.
   */
  async refresh(
    options: { force?: boolean; onProgress?: (done: number, total: number, market: MasterMarket) => void } = {},
  ): Promise<MasterSnapshot> {
    await fs.mkdir(this.options.dir, { recursive: true });
    const meta = await this.readMeta();
    const errors: MasterRefreshError[] = [];
    const downloaded: MasterMarket[] = [];
    let done = 0;
    for (const market of this.markets) {
      const fetchedAt = meta[market]?.fetchedAt;
      if (options.force === true || fetchedAt === undefined || this.now() - fetchedAt >= MASTER_MAX_AGE_MS) {
        const error = await this.download(market);
        if (error === undefined) {
          meta[market] = { fetchedAt: this.now() };
          downloaded.push(market);
        } else errors.push(error);
      }
      options.onProgress?.(++done, this.markets.length, market);
    }
    if (downloaded.length > 0) await this.writeFileAtomic('masters.json', Buffer.from(JSON.stringify(meta)));
    return this.snapshot(meta, errors, downloaded);
  }

  /** Every listing in the cache, without downloading (offline start). */
  async load(): Promise<MasterSnapshot> {
    return this.snapshot(await this.readMeta(), [], []);
  }

  private async snapshot(
    meta: Meta,
    errors: MasterRefreshError[],
    downloaded: MasterMarket[],
  ): Promise<MasterSnapshot> {
    const entries: MasterEntry[] = [];
    let oldest: number | undefined;
    let cacheBytes = 0;
    for (const market of this.markets) {
      const fetchedAt = meta[market]?.fetchedAt;
      const bytes = await fs.readFile(path.join(this.options.dir, `${market}.bin`)).catch(() => undefined);
      if (bytes === undefined || fetchedAt === undefined) continue;
      const parsed = parseMaster(market, bytes);
      /* c8 ignore next -- only files that parsed are written to the cache */
      if (!parsed.ok) continue;
      entries.push(...parsed.entries);
      cacheBytes += bytes.length;
      const age = Math.max(0, this.now() - fetchedAt);
      oldest = oldest === undefined ? age : Math.max(oldest, age);
    }
    return { entries, oldestAgeMs: oldest, cacheBytes, errors, downloaded };
  }

  /** Downloads, unzips and parses one market's file; writes it to the cache only when it parses. */
  private async download(market: MasterMarket): Promise<MasterRefreshError | undefined> {
    const url = `${this.baseUrl}${MASTER_FILES[market]}`;
    let zip: Uint8Array;
    try {
      const response = await this.fetchImpl(url);
      if (!response.ok)
        return { market, code: 'HTTP', message: `${market} master file: HTTP ${response.status} from ${url}` };
      zip = new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      return {
        market,
        code: 'OFFLINE',
        message: `${market} master file could not be downloaded (${error instanceof Error ? error.message : String(error)})`,
      };
    }
    const file = unzipFirst(zip);
    if ('code' in file) return { market, code: file.code, message: `${market} master file: ${file.message}` };
    const parsed = parseMaster(market, file.data);
    if (!parsed.ok) return { market, code: parsed.error.code, message: parsed.error.message };
    await this.writeFileAtomic(`${market}.bin`, file.data);
    return undefined;
  }

  private async readMeta(): Promise<Meta> {
    try {
      const raw: unknown = JSON.parse(await fs.readFile(path.join(this.options.dir, 'masters.json'), 'utf8'));
      if (typeof raw !== 'object' || raw === null) return {};
      const meta: Meta = {};
      for (const market of this.markets) {
        const at = (raw as Record<string, { fetchedAt?: unknown } | undefined>)[market]?.fetchedAt;
        if (typeof at === 'number' && Number.isFinite(at)) meta[market] = { fetchedAt: at };
      }
      return meta;
    } catch {
      return {};
    }
  }

  /** Write then rename, so a crash mid-write never leaves a half file as the cache. */
  private async writeFileAtomic(name: string, data: Uint8Array): Promise<void> {
    const target = path.join(this.options.dir, name);
    const tmp = `${target}.${process.pid}.tmp`;
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, target);
  }
}
