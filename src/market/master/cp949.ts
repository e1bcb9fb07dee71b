/**
 * cp949 (Windows Korean) text: KIS's master files are in it. Decoding uses the WHATWG `euc-kr` decoder,
 * which is cp949 in every engine (Node with full ICU included). Encoding — only the simulator and the tests
 * write master files — uses a table built once by decoding every two-byte sequence, so no encoder library
 * is needed and the two directions cannot disagree.
 */

/** Decodes cp949 bytes; malformed bytes become U+FFFD (counted by the parsers as bad names, not thrown). */
export function decodeCp949(bytes: Uint8Array): string {
  return new TextDecoder('euc-kr').decode(bytes);
}

let table: Map<string, number> | undefined;

/** char → two-byte code, built lazily from the decoder (lead 0x81–0xFE, trail 0x41–0xFE). */
function encodeTable(): Map<string, number> {
  if (table !== undefined) return table;
  const decoder = new TextDecoder('euc-kr');
  const map = new Map<string, number>();
  const pair = new Uint8Array(2);
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x41; trail <= 0xfe; trail++) {
      pair[0] = lead;
      pair[1] = trail;
      const ch = decoder.decode(pair);
      if (ch.length === 1 && ch !== '\ufffd' && !map.has(ch)) map.set(ch, (lead << 8) | trail);
    }
  }
  table = map;
  return map;
}

/** Encodes text as cp949; a character cp949 cannot represent becomes `?`. */
export function encodeCp949(text: string): Uint8Array {
  const out: number[] = [];
  let map: Map<string, number> | undefined;
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if (c < 0x80) {
      out.push(c);
      continue;
    }
    map ??= encodeTable();
    const code = map.get(ch);
    if (code === undefined) out.push(0x3f);
    else out.push(code >> 8, code & 0xff);
  }
  return Uint8Array.from(out);
}
