/**
 * Length-prefixed JSON on the hub socket: a 4-byte big-endian length, then that many bytes of UTF-8 JSON.
 *
 * Why a length prefix and a cap: a stream socket has no message boundaries, and a peer that sends a huge
 * length (or garbage read as one) must not make us buffer without bound. Past the cap the stream cannot be
 * resynchronised, so the decoder reports it and the connection is dropped.
 */
import { parseHubMessage, type HubMessage } from '../shared/hubProtocol';

/** Largest message body (bytes) either side accepts. A full 41-symbol snapshot is a few tens of KB. */
export const MAX_FRAME_BYTES = 1024 * 1024;

/** A decoded frame: a checked message, or a stable error code with a sentence. */
export type Decoded =
  | { kind: 'message'; message: HubMessage }
  | { kind: 'error'; code: 'HUB_OVERSIZED' | 'HUB_MALFORMED'; message: string };

/** Encodes one message as a frame. */
export function encodeFrame(message: HubMessage): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  const head = Buffer.allocUnsafe(4);
  head.writeUInt32BE(body.length, 0);
  return Buffer.concat([head, body]);
}

/** Splits a byte stream into checked messages. After an `HUB_OVERSIZED` error it yields nothing more. */
export class FrameDecoder {
  private buffer: Buffer = Buffer.alloc(0);
  private broken = false;

  constructor(private readonly maxBytes = MAX_FRAME_BYTES) {}

  /** Feeds received bytes; returns every frame completed by them, in order. */
  push(chunk: Buffer): Decoded[] {
    if (this.broken) return [];
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const out: Decoded[] = [];
    while (this.buffer.length >= 4) {
      const length = this.buffer.readUInt32BE(0);
      if (length > this.maxBytes) {
        this.broken = true;
        this.buffer = Buffer.alloc(0);
        out.push({
          kind: 'error',
          code: 'HUB_OVERSIZED',
          message: `a ${length}-byte message is over the ${this.maxBytes}-byte cap`,
        });
        return out;
      }
      if (this.buffer.length < 4 + length) break;
      const body = this.buffer.subarray(4, 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(4 + length);
      out.push(decodeBody(body));
    }
    return out;
  }
}

function decodeBody(body: string): Decoded {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { kind: 'error', code: 'HUB_MALFORMED', message: 'not JSON' };
  }
  const parsed = parseHubMessage(value);
  return parsed.ok
    ? { kind: 'message', message: parsed.message }
    : { kind: 'error', code: 'HUB_MALFORMED', message: parsed.error };
}
