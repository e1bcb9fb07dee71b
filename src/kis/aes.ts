/**
 * AES-256-CBC for execution notices (kis-protocol.md §7.2): key and iv are the UTF-8 bytes of the ack's
 * `output.key` (32 chars) and `output.iv` (16 chars), not hex or base64; PKCS#7 padding; base64 text.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { KisProtocolError } from './errors';

const KEY_BYTES = 32;
const IV_BYTES = 16;
const BLOCK_BYTES = 16;
/** Strict base64 (Node's decoder silently skips bad characters, which would hide a corrupt frame). */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** `fatal` so that a wrong key whose padding happens to look valid still fails instead of yielding garbage. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Returns why key/iv cannot be used, or undefined. Never quotes the key material itself. */
function keyProblem(key: string, iv: string): { key: Buffer; iv: Buffer; problem?: string } {
  const keyBuf = Buffer.from(key, 'utf8');
  const ivBuf = Buffer.from(iv, 'utf8');
  let problem: string | undefined;
  if (keyBuf.length !== KEY_BYTES) problem = `AES key must be ${KEY_BYTES} bytes of UTF-8, got ${keyBuf.length}`;
  else if (ivBuf.length !== IV_BYTES) problem = `AES iv must be ${IV_BYTES} bytes of UTF-8, got ${ivBuf.length}`;
  return { key: keyBuf, iv: ivBuf, problem };
}

/**
 * Encrypts `plaintext` (UTF-8) the way KIS does and returns base64. Used by the simulator.
 * @throws RangeError when key is not 32 bytes or iv not 16 bytes.
 */
export function encryptNotice(plaintext: string, key: string, iv: string): string {
  const k = keyProblem(key, iv);
  if (k.problem !== undefined) throw new RangeError(k.problem);
  const cipher = createCipheriv('aes-256-cbc', k.key, k.iv);
  return Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

/**
 * Decrypts a base64 AES-256-CBC payload to UTF-8 text.
 * @throws KisProtocolError `DECRYPT_FAILED` for a bad key/iv length, bad base64, a ciphertext that is not
 * whole blocks, bad padding (usually a wrong key) or a plaintext that is not UTF-8.
 */
export function decryptNotice(base64: string, key: string, iv: string): string {
  const k = keyProblem(key, iv);
  if (k.problem !== undefined) throw new KisProtocolError('DECRYPT_FAILED', k.problem);
  if (base64.length === 0 || base64.length % 4 !== 0 || !BASE64.test(base64)) {
    throw new KisProtocolError('DECRYPT_FAILED', `encrypted payload is not valid base64 (${base64.length} chars)`);
  }
  const data = Buffer.from(base64, 'base64');
  if (data.length === 0 || data.length % BLOCK_BYTES !== 0) {
    throw new KisProtocolError(
      'DECRYPT_FAILED',
      `ciphertext is ${data.length} bytes, not a positive multiple of ${BLOCK_BYTES}`,
    );
  }
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', k.key, k.iv);
    plain = Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    throw new KisProtocolError('DECRYPT_FAILED', 'AES-256-CBC padding check failed (wrong key or iv for this TR?)');
  }
  try {
    return utf8.decode(plain);
  } catch {
    throw new KisProtocolError('DECRYPT_FAILED', 'decrypted payload is not valid UTF-8 (wrong key or iv for this TR?)');
  }
}
