/**
 * Symbol master files, pure: KIS's KRX and US listings parsed from bytes, and written in the
 * same format (for the simulator and the tests). I/O — download, cache — lives in src/rest/masterFiles.ts.
 */
export * from './types';
export { decodeCp949, encodeCp949 } from './cp949';
export {
  parseKrxMaster,
  writeKrxMaster,
  krxTailWidth,
  KRX_TAIL_SPECS,
  type KrxMasterMarket,
  type KrxListing,
} from './krxMaster';
export {
  parseOverseasMaster,
  writeOverseasMaster,
  overseasFileStem,
  OVERSEAS_COLUMNS,
  type UsListing,
} from './overseasMaster';
