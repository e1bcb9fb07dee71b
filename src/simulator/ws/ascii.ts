/**
 * Builds ASCII frames straight into bytes. The simulator's hot path (max rate, `blast()`) writes each
 * record's ~46 numeric fields here instead of into template strings: no intermediate strings, and no
 * UTF-8 encoding of the whole frame when it is sent (ws sends a Buffer as is). Frames are carved out of
 * large chunks; a finished frame is never written again, so `ws` may hold it until the socket drains.
 */

/** Bytes per chunk: many frames share one allocation. */
const CHUNK_BYTES = 256 * 1024;
const ZERO = 48;
const MINUS = 45;
const DOT = 46;
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/** An append-only ASCII writer over pooled chunks. */
export class AsciiWriter {
  private chunk: Buffer;
  private start = 0;
  private pos = 0;

  constructor(private readonly chunkBytes = CHUNK_BYTES) {
    this.chunk = Buffer.allocUnsafeSlow(chunkBytes);
  }

  /** Starts a new frame with room for about `reserve` bytes (it grows if needed). */
  begin(reserve: number): void {
    if (this.chunk.length - this.pos < reserve) {
      this.chunk = Buffer.allocUnsafeSlow(Math.max(this.chunkBytes, reserve));
      this.pos = 0;
    }
    this.start = this.pos;
  }

  /** Bytes written since `begin()`. */
  get length(): number {
    return this.pos - this.start;
  }

  /** Current write offset relative to the frame start (to slice records out later). */
  mark(): number {
    return this.pos - this.start;
  }

  /** The frame written since `begin()`; the writer moves on, the returned bytes stay untouched. */
  finish(): Buffer {
    const out = this.chunk.subarray(this.start, this.pos);
    this.start = this.pos;
    return out;
  }

  /** The frame's bytes from `from` (a `mark()`) to the current end, as text. */
  text(from = 0): string {
    return this.chunk.toString('latin1', this.start + from, this.pos);
  }

  /** Forgets what was written since `begin()` (scratch use). */
  discard(): void {
    this.pos = this.start;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.chunk.length) return;
    // Move the frame under construction into a larger chunk.
    const used = this.pos - this.start;
    const next = Buffer.allocUnsafeSlow(Math.max(this.chunkBytes, (used + n) * 2));
    this.chunk.copy(next, 0, this.start, this.pos);
    this.chunk = next;
    this.start = 0;
    this.pos = used;
  }

  /** One byte (a character code < 128). */
  byte(code: number): void {
    this.ensure(1);
    this.chunk[this.pos++] = code;
  }

  /** An ASCII string (codes and times; non-ASCII is not expected here). */
  ascii(text: string): void {
    const n = text.length;
    this.ensure(n);
    const b = this.chunk;
    let p = this.pos;
    for (let i = 0; i < n; i++) b[p++] = text.charCodeAt(i);
    this.pos = p;
  }

  /** A signed integer (exact up to 2^53). */
  int(value: number): void {
    this.ensure(24);
    let n = value;
    if (n < 0) {
      this.chunk[this.pos++] = MINUS;
      n = -n;
    }
    // Int32 arithmetic is several times faster than double division and fmod: split big values
    // (cumulative traded value reaches 1e12) into a high part and nine zero-padded low digits.
    if (n >= 1e9) {
      const high = Math.floor(n / 1e9);
      this.small(high);
      this.padded9(n - high * 1e9);
    } else {
      this.small(n);
    }
  }

  /** 0 <= n < 2^31. */
  private small(value: number): void {
    let n = value | 0;
    let digits = 1;
    while (digits < 10 && n >= POW10[digits]) digits++;
    const b = this.chunk;
    let q = this.pos + digits;
    this.pos = q;
    do {
      const t = (n / 10) | 0;
      b[--q] = ZERO + n - t * 10;
      n = t;
    } while (n > 0);
  }

  /** 0 <= n < 1e9 as exactly nine digits. */
  private padded9(value: number): void {
    let n = value | 0;
    const b = this.chunk;
    let q = this.pos + 9;
    this.pos = q;
    for (let i = 0; i < 9; i++) {
      const t = (n / 10) | 0;
      b[--q] = ZERO + n - t * 10;
      n = t;
    }
  }

  /** A ratio with two decimals, rounded half up, never "-0.00" (same text as `fixed2`). */
  fixed2(value: number): void {
    let cents = Math.round(value * 100);
    if (cents === 0) {
      this.ascii('0.00');
      return;
    }
    if (cents < 0) {
      this.byte(MINUS);
      cents = -cents;
    }
    const whole = Math.floor(cents / 100);
    const frac = cents - whole * 100;
    this.int(whole);
    this.ensure(3);
    const b = this.chunk;
    b[this.pos++] = DOT;
    b[this.pos++] = ZERO + Math.floor(frac / 10);
    b[this.pos++] = ZERO + (frac % 10);
  }

  /** A 3-digit zero-padded count (the NNN of a frame envelope). */
  count3(n: number): void {
    this.ensure(3);
    const b = this.chunk;
    b[this.pos++] = ZERO + Math.floor(n / 100);
    b[this.pos++] = ZERO + (Math.floor(n / 10) % 10);
    b[this.pos++] = ZERO + (n % 10);
  }
}
