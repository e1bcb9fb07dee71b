/**
 * The plaintext of a simulated execution notice (H0STCNI0/H0STCNI9, kis-protocol.md §7.2): its 26
 * fields in layout order, plausible defaults for a filled buy order, and any field overridden by name.
 * The server encrypts it with each registration's own key/iv.
 */
import { H0STCNI0 } from '../../kis';
import { formatKstTime } from '../../market';
import { findSymbol } from '../../market/catalogue';

/** Field overrides of `sendNotice()`, by H0STCNI0 field name. */
export type NoticeFields = Partial<Record<keyof typeof H0STCNI0, string>>;

/** What a notice needs from the simulator besides the overrides. */
export interface NoticeContext {
  /** The current price of a symbol (the default fill price). */
  priceOf(symbol: string): number;
  /** The simulator clock (epoch ms). */
  now: number;
  /** The order number, 1, 2, … per simulator. */
  seq: number;
}

/** The `^`-joined plaintext of a notice for `htsId`. */
export function noticePlaintext(htsId: string, overrides: NoticeFields, context: NoticeContext): string {
  const symbol = overrides.STCK_SHRN_ISCD ?? '005930';
  const price = String(context.priceOf(symbol));
  const qty = overrides.CNTG_QTY ?? '10';
  const orderNo = String(context.seq).padStart(10, '0');
  const defaults: Record<keyof typeof H0STCNI0, string> = {
    CUST_ID: htsId,
    ACNT_NO: '5019920201',
    ODER_NO: orderNo,
    OODER_NO: '0000000000',
    SELN_BYOV_CLS: '02',
    RCTF_CLS: '0',
    ODER_KIND: '00',
    ODER_COND: '0',
    STCK_SHRN_ISCD: symbol,
    CNTG_QTY: qty,
    CNTG_UNPR: price,
    STCK_CNTG_HOUR: formatKstTime(new Date(context.now)),
    RFUS_YN: '0',
    CNTG_YN: '2',
    ACPT_YN: '2',
    BRNC_NO: '00950',
    ODER_QTY: qty,
    ACNT_NAME: '홍길동',
    ORD_COND_PRC: '0',
    ORD_EXG_GB: '1',
    POPUP_YN: 'N',
    FILLER: '',
    CRDT_CLS: '',
    CRDT_LOAN_DATE: '',
    CNTG_ISNM40: findSymbol(symbol)?.nameKo ?? symbol,
    ODER_PRC: price,
  };
  const fields = new Array<string>(Object.keys(H0STCNI0).length);
  for (const [name, index] of Object.entries(H0STCNI0) as [keyof typeof H0STCNI0, number][]) {
    fields[index] = overrides[name] ?? defaults[name];
  }
  return fields.join('^');
}
