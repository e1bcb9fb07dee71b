/**
 * The one error type of the protocol layer: malformed frames, bad acks, failed decryption.
 * Messages say exactly what is wrong and never quote secrets (approval keys, AES keys) or payload bytes.
 */
import type { KisProtocolErrorCode, KisProtocolErrorLike } from './types';

/** A protocol violation with a stable `code` that callers switch on and count. */
export class KisProtocolError extends Error implements KisProtocolErrorLike {
  /** Stable, machine-readable reason (see `KisProtocolErrorCode`). */
  readonly code: KisProtocolErrorCode;

  constructor(code: KisProtocolErrorCode, message: string) {
    super(message);
    this.name = 'KisProtocolError';
    this.code = code;
  }
}

/** True for a `KisProtocolError` (or anything shaped like one). */
export function isKisProtocolError(value: unknown): value is KisProtocolError {
  return value instanceof KisProtocolError;
}

/**
 * Quotes untrusted text in an error message: at most `max` characters, control characters escaped,
 * so a hostile frame cannot flood or forge log lines.
 */
export function quoteForError(text: string, max = 24): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(cut);
}
