/**
 * One entry point for every inbound text message: data frame, PINGPONG, ack, or invalid.
 * Each message is parsed exactly once here; nothing downstream re-parses it. Never throws.
 */
import { KisProtocolError } from './errors';
import { parseFrame } from './frame';
import { classifyOpsp } from './opsp';
import type { Ack, Inbound } from './types';

const CH_0 = 48;
const CH_1 = 49;
const CH_BRACE = 123; // '{'

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(code: KisProtocolError['code'], message: string): Inbound {
  return { kind: 'invalid', error: new KisProtocolError(code, message) };
}

/** A JSON space (RFC 8259): tolerated before the '{' of a pretty-printed message. */
function isJsonSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/**
 * Classifies one received text message.
 * - `0…`/`1…` → `{kind:'frame'}` via `parseFrame` (its errors become `invalid`);
 * - `{…}` → PINGPONG (`header.tr_id === 'PINGPONG'`, no body; `text` is the exact received text to echo)
 *   or a validated ack with its OPSP `outcome`;
 * - anything else → `{kind:'invalid'}` with a `KisProtocolError`.
 */
export function classify(text: string): Inbound {
  if (text.length === 0) return invalid('EMPTY_MESSAGE', 'empty message');
  const first = text.charCodeAt(0);
  if (first === CH_0 || first === CH_1) {
    try {
      return { kind: 'frame', frame: parseFrame(text) };
    } catch (error) {
      if (error instanceof KisProtocolError) return { kind: 'invalid', error };
      /* c8 ignore next 2 -- parseFrame throws only KisProtocolError; this keeps the never-throws promise */
      return invalid('BAD_ENVELOPE', `unexpected parser failure: ${String(error)}`);
    }
  }
  let i = 0;
  while (i < text.length && isJsonSpace(text.charCodeAt(i))) i++;
  if (i === text.length) return invalid('EMPTY_MESSAGE', `message of ${text.length} whitespace characters`);
  if (text.charCodeAt(i) !== CH_BRACE) {
    return invalid(
      'UNKNOWN_PREFIX',
      `message starts with character code ${text.charCodeAt(i)}; "0", "1" or "{" expected`,
    );
  }
  return classifyJson(text);
}

function classifyJson(text: string): Inbound {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    // Not the engine's message: V8 quotes a snippet of the input, which may hold a secret.
    return invalid('BAD_JSON', `message of ${text.length} characters starts with "{" but is not valid JSON`);
  }
  // Text starting with '{' can only parse to an object; the check keeps the narrowing honest.
  /* c8 ignore next */
  if (!isRecord(root)) return invalid('BAD_ACK', 'JSON message is not an object');
  const header = root.header;
  if (header !== undefined && !isRecord(header)) return invalid('BAD_ACK', 'JSON message header is not an object');
  if (header !== undefined && header.tr_id === 'PINGPONG' && root.body === undefined) {
    // A PINGPONG with a missing datetime is still a keep-alive that must be answered.
    return { kind: 'pingpong', datetime: typeof header.datetime === 'string' ? header.datetime : '', text };
  }
  return validateAck(root, header);
}

function validateAck(root: Record<string, unknown>, header: Record<string, unknown> | undefined): Inbound {
  const body = root.body;
  if (body === undefined) return invalid('BAD_ACK', 'JSON message has no body and is not a PINGPONG');
  if (!isRecord(body)) return invalid('BAD_ACK', 'ack body is not an object');
  for (const name of ['rt_cd', 'msg_cd', 'msg1'] as const) {
    if (typeof body[name] !== 'string')
      return invalid('BAD_ACK', `ack body.${name} is ${describeType(body[name])}; a string expected`);
  }
  let trId = '';
  let trKey = '';
  let encrypt = false;
  if (header !== undefined) {
    for (const name of ['tr_id', 'tr_key', 'encrypt'] as const) {
      const v = header[name];
      if (v !== undefined && typeof v !== 'string')
        return invalid('BAD_ACK', `ack header.${name} is ${describeType(v)}; a string expected`);
    }
    trId = (header.tr_id as string | undefined) ?? '';
    trKey = (header.tr_key as string | undefined) ?? '';
    encrypt = header.encrypt === 'Y';
  }
  const rtCd = body.rt_cd as string;
  const msgCd = body.msg_cd as string;
  const ack: Ack = { trId, trKey, encrypt, rtCd, msgCd, msg1: body.msg1 as string, outcome: classifyOpsp(msgCd, rtCd) };
  const output = body.output;
  if (output !== undefined && output !== null) {
    if (!isRecord(output)) return invalid('BAD_ACK', `ack body.output is ${describeType(output)}; an object expected`);
    for (const name of ['iv', 'key'] as const) {
      const v = output[name];
      if (v !== undefined && typeof v !== 'string')
        return invalid('BAD_ACK', `ack body.output.${name} is ${describeType(v)}; a string expected`);
    }
    if (typeof output.iv === 'string') ack.iv = output.iv;
    if (typeof output.key === 'string') ack.key = output.key;
  }
  return { kind: 'ack', ack };
}

/** Names a JSON value's type without quoting it (it may be a secret). */
function describeType(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
