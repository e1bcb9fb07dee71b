import * as assert from 'node:assert/strict';
import { createCipheriv } from 'node:crypto';
import { decryptNotice, encryptNotice, KisProtocolError, type KisProtocolErrorCode } from '../../../src/kis';
import { ACK_IV, ACK_KEY, NOTICE_RECORD_26 } from './fixtures';

/**
 * Ciphertexts computed independently with the OpenSSL command line, key and iv given as the hex of the
 * fixture ack's UTF-8 strings (which is what "UTF-8 bytes, not hex, not base64" means):
 *   openssl enc -aes-256-cbc -K 6162…6f70 -iv 30313233343536373839616263646566 -a -A
 */
const VECTOR_KIS = '9mL0ZbiZjRZHXjvbgz/NRA==';
const VECTOR_NOTICE_26 =
  'jyYqbXIOkTsgwSGUpB2XlZCams1VT4bdr7MK1VrlvrMKHgaezwiG33gXNojHuWYipWXRCGNiXSeAWIi/r0jeZn7w5UbiyJYCtNEUBzi4ffYZxVylZ7KHD1uNcG55F0Mj2zXWzCOuIbI9INE9/1D/RhFkMs5WLj0BpnvDVRVXV9I=';

function expectCode(fn: () => unknown, code: KisProtocolErrorCode): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof KisProtocolError, `expected a KisProtocolError, got ${String(error)}`);
    assert.equal(error.code, code);
    return error.message;
  }
  assert.fail(`expected ${code}, nothing was thrown`);
}

describe('kis aes', () => {
  it('encrypts to the OpenSSL vector for a short text', () => {
    assert.equal(encryptNotice('KIS', ACK_KEY, ACK_IV), VECTOR_KIS);
  });

  it('encrypts the 26-field notice (UTF-8 Korean included) to the OpenSSL vector and decrypts it back', () => {
    assert.equal(encryptNotice(NOTICE_RECORD_26, ACK_KEY, ACK_IV), VECTOR_NOTICE_26);
    assert.equal(decryptNotice(VECTOR_NOTICE_26, ACK_KEY, ACK_IV), NOTICE_RECORD_26);
  });

  it('round-trips text of every padding length', () => {
    for (let n = 0; n <= 33; n++) {
      const text = '가'.repeat(n % 3) + 'x'.repeat(n);
      assert.equal(decryptNotice(encryptNotice(text, ACK_KEY, ACK_IV), ACK_KEY, ACK_IV), text);
    }
  });

  it('refuses to encrypt with a key or iv of the wrong byte length', () => {
    assert.throws(() => encryptNotice('x', ACK_KEY.slice(1), ACK_IV), {
      name: 'RangeError',
      message: 'AES key must be 32 bytes of UTF-8, got 31',
    });
    assert.throws(() => encryptNotice('x', ACK_KEY, `${ACK_IV}0`), {
      name: 'RangeError',
      message: 'AES iv must be 16 bytes of UTF-8, got 17',
    });
    // 32 characters but 34 bytes of UTF-8: lengths are checked in bytes.
    assert.throws(() => encryptNotice('x', `é${ACK_KEY.slice(1)}`, ACK_IV), RangeError);
  });

  it('reports a bad key length on decrypt without quoting the key', () => {
    const message = expectCode(() => decryptNotice(VECTOR_KIS, 'secret-key', ACK_IV), 'DECRYPT_FAILED');
    assert.equal(message, 'AES key must be 32 bytes of UTF-8, got 10');
    expectCode(() => decryptNotice(VECTOR_KIS, ACK_KEY, 'short'), 'DECRYPT_FAILED');
  });

  const badCiphertexts: [string, string][] = [
    ['an empty payload', ''],
    ['a length that is not a multiple of 4', 'QUJDRA='],
    ['a character outside base64', '9mL0ZbiZjRZHXjvb*z/NRA=='],
    ['a whole base64 that is not whole AES blocks', 'QUJD'],
  ];
  for (const [name, payload] of badCiphertexts) {
    it(`fails with DECRYPT_FAILED for ${name}`, () => {
      expectCode(() => decryptNotice(payload, ACK_KEY, ACK_IV), 'DECRYPT_FAILED');
    });
  }

  it('fails with DECRYPT_FAILED for the wrong key (bad padding)', () => {
    const message = expectCode(
      () => decryptNotice(VECTOR_NOTICE_26, 'ABCDEFGHIJKLMNOPABCDEFGHIJKLMNOP', ACK_IV),
      'DECRYPT_FAILED',
    );
    assert.match(message, /wrong key or iv/);
  });

  it('fails with DECRYPT_FAILED when the plaintext is not UTF-8', () => {
    const cipher = createCipheriv('aes-256-cbc', Buffer.from(ACK_KEY, 'utf8'), Buffer.from(ACK_IV, 'utf8'));
    const payload = Buffer.concat([cipher.update(Buffer.from([0x41, 0xff, 0xfe, 0x42])), cipher.final()]).toString(
      'base64',
    );
    assert.equal(
      expectCode(() => decryptNotice(payload, ACK_KEY, ACK_IV), 'DECRYPT_FAILED'),
      'decrypted payload is not valid UTF-8 (wrong key or iv for this TR?)',
    );
  });
});
