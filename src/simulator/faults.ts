/**
 * Fault injection: the switches tests flip to make the simulator misbehave like the live service does
 * (slow acks, silent servers, refusals, stalls) and the malformed messages it can send on demand.
 */
import { formatFrame, TR } from '../kis';

/** A subscribe/unsubscribe request as the refusal rules see it. */
export interface RequestView {
  trType: string;
  trId: string;
  trKey: string;
}

/** A one-shot refusal: the next request matching `match` gets `msgCd` instead of its normal reply. */
export interface RefusalRule {
  msgCd: string;
  /** Which requests it applies to; default: any subscribe (tr_type "1"). */
  match: (request: RequestView) => boolean;
  /** Requests still to refuse (Infinity: until cleared). */
  remaining: number;
}

/** The kinds of malformed message `sendMalformed` produces (each breaks one rule of §7.1 or §5). */
export type MalformedKind =
  /** Count is not three digits: `0|H0STCNT0|1x|…`. */
  | 'badCount'
  /** Count 000. */
  | 'zeroCount'
  /** Count says 2, the payload holds one record and a half (fields not a multiple of count). */
  | 'fieldCount'
  /** A record far narrower than the TR's layout. */
  | 'shortRecord'
  /** A message that starts with neither `0`, `1` nor `{`. */
  | 'unknownPrefix'
  /** Encrypt flag other than 0/1. */
  | 'badEncryptFlag'
  /** A `{` message that is not JSON. */
  | 'badJson'
  /** JSON that is neither an ack nor a PINGPONG. */
  | 'badAck'
  /** A data frame cut off after its envelope. */
  | 'truncated'
  /** An envelope with an empty payload. */
  | 'emptyPayload'
  /** An encrypted frame whose payload is not base64. */
  | 'badBase64'
  /** The empty string. */
  | 'empty';

/** Every malformed kind, for tests that loop over them. */
export const MALFORMED_KINDS: readonly MalformedKind[] = [
  'badCount',
  'zeroCount',
  'fieldCount',
  'shortRecord',
  'unknownPrefix',
  'badEncryptFlag',
  'badJson',
  'badAck',
  'truncated',
  'emptyPayload',
  'badBase64',
  'empty',
];

/**
 * Builds the text of a malformed message. `trId` and `record` are a real stream's TR and one valid record
 * of it, so the defect is the only thing wrong.
 */
export function malformedMessage(kind: MalformedKind, trId: string, record: string): string {
  const fields = record.split('^');
  switch (kind) {
    case 'badCount':
      return `0|${trId}|1x|${record}`;
    case 'zeroCount':
      return `0|${trId}|000|${record}`;
    case 'fieldCount':
      return formatFrame(trId, 2, `${record}^${fields.slice(0, Math.ceil(fields.length / 2)).join('^')}`);
    case 'shortRecord':
      return formatFrame(trId, 1, fields.slice(0, 5).join('^'));
    case 'unknownPrefix':
      return `X|${trId}|001|${record}`;
    case 'badEncryptFlag':
      return `2|${trId}|001|${record}`;
    case 'badJson':
      return `{"header":{"tr_id":"${trId}","tr_key":`;
    case 'badAck':
      return '{"hello":"world"}';
    case 'truncated':
      return `0|${trId}|00`;
    case 'emptyPayload':
      return `0|${trId}|001|`;
    case 'badBase64':
      return `1|${trId}|001|***not base64***`;
    case 'empty':
      return '';
  }
}

/**
 * A data frame whose bytes are not valid UTF-8 (0xff 0xfe inside its last field), sent in a *text* frame
 * as observed live (kis-protocol.md §11.10); the record is otherwise well-formed.
 */
export function invalidUtf8Frame(trId: string, record: string): Buffer {
  const fields = record.split('^');
  const head = Buffer.from(`0|${trId}|001|${fields.slice(0, -1).join('^')}^`, 'utf8');
  return Buffer.concat([head, Buffer.from([0xff, 0xfe])]);
}

/** A well-formed H0STCNT0 frame of about `bytes` bytes: `record` with one field padded. */
export function oversizedFrame(record: string, bytes: number): string {
  const fields = record.split('^');
  const base = `0|${TR.TRADE}|001|${fields.join('^')}`.length;
  fields[44] = 'X'.repeat(Math.max(0, bytes - base));
  return `0|${TR.TRADE}|001|${fields.join('^')}`;
}

/** The mutable fault switches of one simulator (shared by all its sessions). */
export class FaultState {
  /** Simulated ack round trip, ms. */
  ackDelayMs = 0;
  /** Requests are logged but never answered nor applied. */
  ignoreSubscriptions = false;
  /** Nothing at all is sent (acks are held until resume, data and PINGPONG are skipped). */
  stalled = false;
  private readonly refusals: RefusalRule[] = [];

  /** Adds a refusal rule. */
  refuse(rule: RefusalRule): void {
    this.refusals.push(rule);
  }

  /** Drops every refusal rule. */
  clearRefusals(): void {
    this.refusals.length = 0;
  }

  /** The msgCd to refuse `request` with (consuming one use of the first matching rule), if any. */
  takeRefusal(request: RequestView): string | undefined {
    const index = this.refusals.findIndex((rule) => rule.match(request));
    if (index < 0) return undefined;
    const rule = this.refusals[index];
    rule.remaining--;
    if (rule.remaining <= 0) this.refusals.splice(index, 1);
    return rule.msgCd;
  }
}
