/**
 * The OPSP reply codes of subscribe/unsubscribe acks (kis-protocol.md §5.2): exact `msg1` texts, the
 * `rt_cd` the simulator sends, how the client must treat each one, and a user-facing explanation.
 */
import type { OpspClass } from './types';

/** One row of the OPSP table. */
export interface OpspEntry {
  /** The exact `msg1` text KIS sends. */
  readonly msg1: string;
  /** `rt_cd` to send with it: "0" success, "9" OPSP8996, "1" otherwise. */
  readonly rtCd: '0' | '1' | '9';
  /** How a client treats it. */
  readonly outcome: OpspClass;
}

function row(msg1: string, rtCd: '0' | '1' | '9', outcome: OpspClass): OpspEntry {
  return Object.freeze({ msg1, rtCd, outcome });
}

/**
 * Every documented OPSP code. Texts are verbatim; note OPSP0003 has no space before '(' (the captured
 * reply; the third-party table has one) and OPSP0011 uses the observed `invalid approval : NOT FOUND`.
 */
export const OPSP = Object.freeze({
  OPSP0000: row('SUBSCRIBE SUCCESS', '0', 'success'),
  OPSP0001: row('UNSUBSCRIBE SUCCESS', '0', 'success'),
  OPSP0002: row('ALREADY IN SUBSCRIBE', '1', 'benign'),
  OPSP0003: row('UNSUBSCRIBE ERROR(not found!)', '1', 'benign'),
  OPSP0007: row('SUBSCRIBE INTERNAL ERROR', '1', 'refused'),
  OPSP0008: row('MAX SUBSCRIBE OVER', '1', 'refused'),
  OPSP0009: row('SUBSCRIBE ERROR : mci send failed', '1', 'refused'),
  OPSP0010: row('SUBSCRIBE WARNING : invalid appkey', '1', 'refused'),
  OPSP0011: row('invalid approval : NOT FOUND', '1', 'fatal'),
  OPSP8991: row('SUBSCRIBE ERROR : invalid tr_id', '1', 'refused'),
  OPSP8992: row('SUBSCRIBE ERROR : invalid tr_key', '1', 'refused'),
  OPSP8993: row('JSON PARSING ERROR : invalid tr_key', '1', 'refused'),
  OPSP8994: row('JSON PARSING ERROR : personalseckey not found', '1', 'refused'),
  OPSP8995: row('JSON PARSING ERROR : appsecret not found', '1', 'refused'),
  OPSP8996: row('ALREADY IN USE appkey', '9', 'fatal'),
  OPSP8997: row('JSON PARSING ERROR : invalid tr_type', '1', 'refused'),
  OPSP8998: row('JSON PARSING ERROR : invalid custtype', '1', 'refused'),
  OPSP8999: row('resource not available (ALLOC_CALL_PARAM)', '1', 'refused'),
  OPSP9990: row('JSON PARSING ERROR : tr_key not found', '1', 'refused'),
  OPSP9991: row('JSON PARSING ERROR : input not found', '1', 'refused'),
  OPSP9992: row('JSON PARSING ERROR : body not found', '1', 'refused'),
  OPSP9993: row('JSON PARSING ERROR : internal error', '1', 'refused'),
  OPSP9994: row('JSON PARSING ERROR : INVALID appkey', '1', 'refused'),
  OPSP9995: row('JSON PARSING ERROR : resource not available', '1', 'refused'),
  OPSP9996: row('JSON PARSING ERROR : appkey', '1', 'refused'),
  OPSP9997: row('JSON PARSING ERROR : custtype not found', '1', 'refused'),
  OPSP9998: row('JSON PARSING ERROR : header not found', '1', 'refused'),
  OPSP9999: row('JSON PARSING ERROR : invalid json format', '1', 'refused'),
});

/** A documented OPSP code. */
export type OpspCode = keyof typeof OPSP;

/** True when `msgCd` is a documented OPSP code. */
export function isOpspCode(msgCd: string): msgCd is OpspCode {
  return Object.prototype.hasOwnProperty.call(OPSP, msgCd);
}

/**
 * How to treat a reply: the table's class for a known code; an unknown code is `success` when
 * `rtCd === "0"`, else `refused` (the request failed, the session is assumed to live).
 */
export function classifyOpsp(msgCd: string, rtCd: string): OpspClass {
  if (isOpspCode(msgCd)) return OPSP[msgCd].outcome;
  return rtCd === '0' ? 'success' : 'refused';
}

/** User-facing explanations: what happened, then what to do. */
const DESCRIPTIONS: Partial<Record<OpspCode, string>> = {
  OPSP0000: 'Subscribed.',
  OPSP0001: 'Unsubscribed.',
  OPSP0002: 'Already subscribed on this connection; nothing to do.',
  OPSP0003: 'The server had no such subscription; nothing to do.',
  OPSP0007: 'The KIS server had an internal error. Try subscribing again later.',
  OPSP0008:
    'KIS allows 41 subscriptions per connection and this one is over the limit. Remove a symbol from the watchlist, then add this one again.',
  OPSP0009: 'The KIS server could not process the request (backend error). Try again later.',
  OPSP0011:
    'KIS did not recognise the approval key and closed the connection. Check the app key and secret (Set Credentials) and reconnect.',
  OPSP8991: 'KIS does not know this TR id. Check the data type you subscribed to.',
  OPSP8992: 'KIS rejected the symbol code. Use a 6-character KRX code such as 005930.',
  OPSP8993: 'KIS rejected the symbol code. Use a 6-character KRX code such as 005930.',
  OPSP8996:
    'Another connection already uses this app key (another app, or a session that did not close cleanly). Close the other client, or wait a minute, then reconnect.',
  OPSP8997: 'The request had an invalid tr_type (a client bug). Please report it.',
  OPSP8998: 'The request had an invalid customer type (a client bug). Please report it.',
  OPSP9999: 'KIS could not parse the request (a client bug). Please report it.',
};

/**
 * A short explanation of `msgCd` for the UI (what happened, what to do). Unknown codes get a generic
 * sentence naming the code; `msg1`, when given, is appended as the server's own words.
 */
export function describeOpsp(msgCd: string, msg1?: string): string {
  const known = isOpspCode(msgCd) ? DESCRIPTIONS[msgCd] : undefined;
  const text =
    known ??
    (isOpspCode(msgCd) && OPSP[msgCd].outcome === 'refused'
      ? 'KIS refused the request. Check the symbol and try again; report it if it persists.'
      : 'KIS replied with an unexpected code.');
  return msg1 === undefined || msg1 === '' ? `${text} (${msgCd})` : `${text} (${msgCd}: ${redactMsg1(msg1)})`;
}

/** UUID-shaped tokens and long opaque tokens (approval keys, app keys). */
const SECRET_LIKE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4,5}-[0-9a-f]{10,12}|[A-Za-z0-9+/=_-]{20,}/gi;

/**
 * Masks secret-looking tokens in a server `msg1`: OPSP0011 has been seen as
 * `invalid approval : <the approval key>`, which must not reach a log or the UI.
 */
export function redactMsg1(msg1: string): string {
  return msg1.replace(SECRET_LIKE, '***');
}
