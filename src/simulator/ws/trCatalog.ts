/**
 * Which TR ids the simulator answers, and how: the market TRs it generates data for, the execution
 * notices it can send, the TRs whose data KIS encrypts (their acks carry a key and iv), and the
 * documented TRs it acknowledges but keeps silent. Anything else gets OPSP8991 invalid tr_id.
 */
import { TR } from '../../kis';
import { DAY_LAYOUTS } from '../../kis/layouts/day';
import { isIntlTr } from '../market/intlSim';

/** The real-time trade TR (H0STCNT0). */
export const TRADE_TR = TR.TRADE;
/** The real-time order-book TR (H0STASP0). */
export const BOOK_TR = TR.ORDER_BOOK;
/** Domestic execution-notice TRs: the simulator can send these (`sendNotice`), keyed by HTS ID. */
export const NOTICE_TRS: ReadonlySet<string> = new Set([TR.NOTICE, TR.NOTICE_PAPER]);
/** Every TR whose data KIS encrypts (kis-protocol.md §7.2): their acks say encrypt "Y". */
export const ENCRYPTED_TRS: ReadonlySet<string> = new Set([
  TR.NOTICE,
  TR.NOTICE_PAPER,
  'H0GSCNI0',
  'H0GSCNI9',
  'H0IFCNI0',
  'H0IFCNI9',
  'H0MFCNI0',
  'H0EUCNI0',
  'HDFFF2C0',
]);
/**
 * Other documented TR ids (kis-protocol.md §8.5, and those the official samples subscribe to): accepted
 * (SUBSCRIBE SUCCESS) but silent, as outside their hours. Anything else gets OPSP8991 invalid tr_id.
 * The official all-in-one sample stops at the first error reply, so this list must cover what it sends.
 */
export const SILENT_TRS: ReadonlySet<string> = new Set([
  'H0STANC0',
  'H0STMKO0',
  'H0STPGM0',
  'H0STMBC0',
  'H0STOAA0',
  'H0STOUP0',
  'H0STOAC0',
  'H0NXCNT0',
  'H0NXASP0',
  'H0NXANC0',
  'H0NXMKO0',
  'H0NXPGM0',
  'H0NXMBC0',
  'H0UNCNT0',
  'H0UNASP0',
  'H0UNANC0',
  'H0UNMKO0',
  'H0UNPGM0',
  'H0UNMBC0',
  'H0UPCNT0',
  'H0UPANC0',
  'H0UPPGM0',
  'H0STNAV0',
  'H0EWCNT0',
  'H0EWASP0',
  'H0EWANC0',
  'H0BJCNT0',
  'H0BJASP0',
  'H0BICNT0',
  'H0IFCNT0',
  'H0IFASP0',
  'H0IOCNT0',
  'H0IOASP0',
  'H0ZFCNT0',
  'H0ZFASP0',
  'H0ZFANC0',
  'H0ZOCNT0',
  'H0ZOASP0',
  'H0ZOANC0',
  'H0CFCNT0',
  'H0CFASP0',
  'H0MFCNT0',
  'H0MFASP0',
  'H0EUCNT0',
  'H0EUASP0',
  'H0EUANC0',
  'HDFSCNT0',
  'HDFSASP0',
  'HDFSASP1',
  'HDFFF020',
  'HDFFF010',
  'HDFFF1C0',
  ...ENCRYPTED_TRS,
]);

/** True for the TRs the simulator generates market data for (trade, book, whole-day, index and US). */
export function isMarketTr(trId: string): boolean {
  return trId === TRADE_TR || trId === BOOK_TR || DAY_LAYOUTS.has(trId) || isIntlTr(trId);
}
