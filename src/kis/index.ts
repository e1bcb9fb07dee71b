/**
 * The KIS real-time wire protocol (kis-protocol.md): pure functions and types, no I/O.
 * Import from here, not from the individual modules.
 */
export * from './types';
export { KIS_ENDPOINTS, type KisEnv, type KisHost } from './hosts';
export { KisProtocolError, isKisProtocolError, quoteForError } from './errors';
export { classify } from './classify';
export {
  parseFrame,
  splitRecords,
  decryptFrame,
  formatFrame,
  buildDataFrame,
  countFields,
  recordWidth,
  type FrameCipher,
} from './frame';
export {
  TR,
  H0STCNT0,
  H0STASP0,
  H0STCNI0,
  H0STCNI0_LEGACY,
  H0STCNT0_WIDTH,
  H0STCNT0_WIDTH_MARKET,
  H0STASP0_WIDTH,
  H0STASP0_WIDTH_MID,
  H0STASP0_WIDTH_MARKET,
  H0STCNI0_WIDTH,
  H0STCNI0_WIDTH_LEGACY,
  readTrade,
  readOrderBook,
  readNotice,
} from './layouts/krx';
export { minimumWidth } from './layouts';
export {
  INTL_NOTICE_TR,
  KRX_NOTICE_TR,
  NOTICE_TRS,
  H0GSCNI0,
  H0GSCNI0_COLUMNS,
  H0GSCNI0_WIDTH,
  readFillNotice,
  type FillNotice,
  type FillStatus,
  type NoticeRead,
  type NoticeReadError,
} from './layouts/notice';
export { num, toSign } from './layouts/fields';
export { FieldCursor } from './cursor';
export { encryptNotice, decryptNotice } from './aes';
export { OPSP, classifyOpsp, describeOpsp, isOpspCode, redactMsg1, type OpspCode, type OpspEntry } from './opsp';
export {
  buildSubscribeRequest,
  parseSubscribeRequest,
  buildAck,
  buildPingPong,
  type SubscribeParams,
  type ParsedSubscribeRequest,
  type AckParams,
} from './messages';
export {
  DAY_LAYOUTS,
  PAPER_TRS,
  dayLayout,
  dayMinimumWidth,
  needsKrxCodeKey,
  checkDayWidth,
  readDayTrade,
  readDayBook,
  readExpected,
  readMarketStatus,
  readDayRecords,
  type FeedExchange,
  type DayTrKind,
  type DayLayout,
  type DayRecord,
  type DayRecordError,
  type DayRecordErrorCode,
  type DayTradeRecord,
  type DayBookRecord,
  type ExpectedRecord,
  type MarketStatusRecord,
} from './layouts/day';
export {
  INTL_LAYOUTS,
  H0UPCNT0,
  HDFSCNT0,
  intlLayout,
  intlMinimumWidth,
  keyMarketOf,
  checkIntlWidth,
  readIndex,
  readUsTrade,
  readUsBook,
  readIntlRecords,
  type IntlLayout,
  type IntlTrKind,
  type IntlRecord,
  type IntlRecordError,
  type IndexRecord,
  type UsTradeRecord,
  type UsBookRecord,
  type UsMarketType,
} from './layouts/intl';
export * from './orders';
