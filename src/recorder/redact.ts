/**
 * What keeps credentials out of a recording, in depth: the agent's tap already masks the app key, the app
 * secret and every approval key it knows in anything but a data frame; this pass, run by the writer on
 * every non-frame message, also masks what the writer cannot know by value: a credential-named JSON field
 * and the text after "approval :" (KIS echoes the approval key in OPSP0011's msg1, kis-protocol.md §5.2).
 */
import { Redactor } from '../common/redact';

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
