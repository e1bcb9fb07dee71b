/**
 * The simulator's master files: its own catalogues (src/market catalogue.ts, usCatalogue.ts)
 * written in KIS's official formats and zipped as KIS publishes them, under `/common/master/<file>` — the
 * same path as KIS's download server, so the `masterFilesUrl` setting points at `<sim>/common/master/`.
 * Only the catalogue's listings appear: no invented company poses as a real listing.
 */
import type { ServerResponse } from 'node:http';
import { zipOne } from '../../common/zip';
import { CATALOGUE, US_CATALOGUE, type UsExchange } from '../../market';
import { writeKrxMaster, writeOverseasMaster, type KrxMasterMarket } from '../../market/master';

/** The URL path prefix the files are served under. */
export const MASTER_PATH = '/common/master/';

const KRX_FILES: Readonly<Record<string, KrxMasterMarket>> = {
  'kospi_code.mst.zip': 'KOSPI',
  'kosdaq_code.mst.zip': 'KOSDAQ',
  'konex_code.mst.zip': 'KONEX',
};
const US_FILES: Readonly<Record<string, UsExchange>> = {
  'nasmst.cod.zip': 'NAS',
  'nysmst.cod.zip': 'NYS',
  'amsmst.cod.zip': 'AMS',
};
const built = new Map<string, Uint8Array>();

/** The zipped file for a name, or undefined when KIS publishes no such file. Built once per process. */
export function simulatorMasterFile(name: string): Uint8Array | undefined {
  const cached = built.get(name);
  if (cached !== undefined) return cached;
  let zip: Uint8Array | undefined;
  const krx = KRX_FILES[name];
  const us = US_FILES[name];
  if (krx !== undefined) {
    const listings = CATALOGUE.filter((c) => c.market === krx).map((c) => ({
      code: c.code,
      nameKo: c.nameKo,
      kind: 'stock' as const,
      basePrice: c.basePrice,
    }));
    zip = zipOne(name.replace(/\.zip$/, ''), writeKrxMaster(listings, krx));
  } else if (us !== undefined) {
    const listings = US_CATALOGUE.filter((c) => c.exchange === us).map((c) => ({
      ...c,
      kind: c.etf ? ('etf' as const) : ('stock' as const),
    }));
    zip = zipOne(name.replace(/\.zip$/, ''), writeOverseasMaster(listings, us));
  }
  if (zip !== undefined) built.set(name, zip);
  return zip;
}

/** Serves `path` when it is a master file (true), else leaves the response alone (false). */
export function serveMasterFile(path: string, res: ServerResponse): boolean {
  if (!path.startsWith(MASTER_PATH)) return false;
  const zip = simulatorMasterFile(path.slice(MASTER_PATH.length));
  if (zip === undefined) {
    res.statusCode = 404;
    res.end();
    return true;
  }
  res.setHeader('content-type', 'application/zip');
  res.end(Buffer.from(zip));
  return true;
}
