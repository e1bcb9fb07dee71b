/**
 * What keeps credentials out of a recording, in depth: the agent's tap already masks the app key, the app
 * secret and every approval key it knows in anything but a data frame; this pass, run by the writer on
 * every non-frame message, also masks what the writer cannot know by value: a credential-named JSON field
 * and the text after "approval :" (KIS echoes the approval key in OPSP0011's msg1, kis-protocol.md §5.2).
 */
import { Redactor } from '../common/redact';
import { noticeTrOf } from '../kis/orders';

/** JSON fields that carry a credential, whatever their value. */
const CREDENTIAL_FIELD =
  /"(approval_key|approvalkey|appkey|appsecret|secretkey|access_token|token|authorization)"(\s*:\s*)"(?:[^"\\]|\\.)*"/gi;
/** `invalid approval : 1f0e…` — the echo that has been seen. */
const APPROVAL_ECHO = /(approval\s*(?:key)?\s*:\s*)[^\s"\\]+/gi;

/** Masks credentials in one non-frame message (an ack, a PINGPONG, anything unrecognised). */
export class RecordingRedactor {
  private readonly known: Redactor;

  /** `appkey`/`appsecret` (optional) are masked by value too, with every 8-character piece of them. */
  constructor(appkey = '', appsecret = '') {
    this.known = new Redactor(appkey, appsecret);
  }

  /** The text with every credential masked. */
  redact(text: string): string {
    const fields = text.replace(CREDENTIAL_FIELD, (_m, name: string, colon: string) => `"${name}"${colon}"[redacted]"`);
    return this.known.redact(fields.replace(APPROVAL_ECHO, '$1[redacted]'));
  }
}

/** True for a data frame (`0|…` plaintext or `1|…` encrypted): those are stored untouched. */
export function isDataFrame(text: string): boolean {
  const c = text.charCodeAt(0);
  return (c === 48 || c === 49) && text.charCodeAt(1) === 124;
}

/** `"tr_id":"H0STCNI9"` in an ack's header. */
const ACK_TR_ID = /"tr_id"\s*:\s*"([A-Z0-9]+)"/;

/**
 * True for what only the user's own orders carry: an encrypted data frame (`1|…`: KIS encrypts only the
 * execution notices) or the ack of a notice registration (its tr_key is the HTS ID, its output the AES key).
 */
export function isPrivateNotice(text: string): boolean {
  if (text.charCodeAt(0) === 49 && text.charCodeAt(1) === 124) return true;
  if (text.charCodeAt(0) !== 123 || !text.includes('CNI')) return false;
  const trId = ACK_TR_ID.exec(text)?.[1];
  return trId !== undefined && noticeTrOf(trId) !== undefined;
}
