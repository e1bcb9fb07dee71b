/**
 * Every listed symbol for the picker: KIS's master files through the daily cache
 * (src/rest/masterFiles.ts) in a folder the host gives (the extension's global storage), made searchable
 * (src/market/pickerSearch.ts). Real and paper download from the `masterFilesUrl` setting (KIS's folder by
 * default) at most once a day; the simulator's files come from the running simulator, in their own cache
 * folder so they never mix with KIS's. A file that fails (offline, truncated, new layout) leaves the
 * previous cache in use, and the result says how old it is; with nothing cached at all, the built-in
 * catalogues stand in.
 */
import * as path from 'node:path';
import { catalogueListings, directoryListings, listingSearch, type Listing } from '../market/pickerSearch';
import type { SymbolSearch } from '../market/search';
import { DEFAULT_MASTER_URL, MasterCache, type MasterCacheOptions } from '../rest/masterFiles';

/** Where the listings came from. */
export type DirectoryOrigin = 'downloaded' | 'cache' | 'catalogue';

/** A searchable directory and what the picker should say about it. */
export interface SymbolDirectoryLoad {
  readonly search: SymbolSearch<Listing>;
  readonly origin: DirectoryOrigin;
  /** Age of the oldest cached file in use, ms (undefined for the built-in catalogue). */
  readonly ageMs: number | undefined;
  /** One message per file that could not be refreshed (the previous cache stays in use). */
  readonly problems: string[];
  /** Bytes of the cached master files on disk. */
  readonly cacheBytes: number;
}

/** Options of the directory. */
export interface SymbolDirectoryOptions {
  /** The folder the caches live under (`<globalStorage>`). */
  readonly storageDir: string;
  /** Injected for tests (MasterCache's). */
  readonly fetch?: MasterCacheOptions['fetch'];
  readonly now?: () => number;
}

/** Where the files come from: KIS (the setting's URL, '' = KIS's folder) or the running simulator's REST URL. */
export type DirectorySource =
  { readonly kind: 'kis'; readonly url: string } | { readonly kind: 'simulator'; readonly restUrl: string | undefined };

/** Loads the picker's listings (see the file comment). One instance per extension; loads may overlap safely. */
export class SymbolDirectory {
  private last: { key: string; load: SymbolDirectoryLoad } | undefined;

  constructor(private readonly options: SymbolDirectoryOptions) {}

  /**
   * The listings of `source`: downloads what is over a day old (the simulator's always: it is local and
   * may have restarted), else the cache. `onProgress` gets (done, total) per file downloaded or checked.
   */
  async load(
    source: DirectorySource,
    onProgress?: (done: number, total: number) => void,
  ): Promise<SymbolDirectoryLoad> {
    if (source.kind === 'simulator' && source.restUrl === undefined) return this.catalogue([]);
    const baseUrl =
      source.kind === 'simulator' ? `${source.restUrl as string}/common/master/` : source.url || DEFAULT_MASTER_URL;
    const cache = new MasterCache({
      dir: path.join(this.options.storageDir, 'masters', source.kind),
      baseUrl,
      fetch: this.options.fetch,
      now: this.options.now,
    });
    const snapshot = await cache.refresh({
      force: source.kind === 'simulator',
      onProgress: (done, total) => onProgress?.(done, total),
    });
    // The simulator lists no KONEX company (it invents none), so its KONEX file is empty by design.
    const problems = snapshot.errors
      .filter((e) => !(source.kind === 'simulator' && e.code === 'EMPTY'))
      .map((e) => e.message);
    if (snapshot.entries.length === 0) return this.catalogue(problems);
    const key = `${baseUrl}\0${snapshot.entries.length}`;
    // The search index costs more than a keystroke: rebuild it only when a file was downloaded.
    const search =
      this.last?.key === key && snapshot.downloaded.length === 0
        ? this.last.load.search
        : listingSearch(directoryListings(snapshot.entries));
    const load: SymbolDirectoryLoad = {
      search,
      origin: snapshot.downloaded.length > 0 ? 'downloaded' : 'cache',
      ageMs: snapshot.oldestAgeMs,
      problems,
      cacheBytes: snapshot.cacheBytes,
    };
    this.last = { key, load };
    return load;
  }

  private catalogue(problems: string[]): SymbolDirectoryLoad {
    return {
      search: listingSearch(catalogueListings()),
      origin: 'catalogue',
      ageMs: undefined,
      problems,
      cacheBytes: 0,
    };
  }
}
