/**
 * Secret masking for everything the agent logs or emits. The appkey shows only its first 4 characters;
 * the appsecret and approval keys never appear (KIS even echoes the approval key inside the OPSP0011
 * reply: "invalid approval : <uuid>", kis-protocol.md §5.2).
 */

/** `PSg5dctL...` → `PSg5…`. Short or empty keys are masked entirely. */
export function maskAppkey(appkey: string): string {
  return appkey.length > 4 ? `${appkey.slice(0, 4)}…` : '…';
}

/**
 * Pieces this long of a secret are masked too: servers truncate what they echo (a WebSocket close reason
 * holds at most 123 bytes, an app secret is ~180 characters), and a long piece is as good as a leak.
 * Eight characters of a random key do not turn up in ordinary text by chance.
 */
const PIECE = 8;
const PIECE_MASK = '[redacted]';

/** Replaces every known secret, and every piece of one, in a text; keeps a list that can grow (each new approval key). */
export class Redactor {
  private readonly replacements: Array<[string, string]> = [];
  /** Every PIECE-long window of every secret. */
  private readonly pieces = new Set<string>();

  constructor(appkey: string, appsecret: string) {
    // Longest first, so a secret that contains another is replaced whole.
    this.add(appsecret, '[appsecret]');
    this.add(appkey, maskAppkey(appkey));
  }

  /** Registers one more secret (an approval key once it is issued). */
  addApprovalKey(approvalKey: string): void {
    this.add(approvalKey, '[approval key]');
  }

  /** `text` with every registered secret replaced by its mask. */
  redact(text: string): string {
    let out = text;
    for (const [secret, mask] of this.replacements) {
      if (out.includes(secret)) {
        out = out.split(secret).join(mask);
      }
    }
    return this.maskPieces(out);
  }

  /** Masks every run of text covered by PIECE-long windows of a secret (a truncated echo). */
  private maskPieces(text: string): string {
    let out = '';
    let copiedTo = 0;
    let i = 0;
    while (i + PIECE <= text.length) {
      if (!this.pieces.has(text.slice(i, i + PIECE))) {
        i += 1;
        continue;
      }
      // Extend over every following window that is also a piece: the whole echoed run goes.
      let end = i + PIECE;
      while (end < text.length && this.pieces.has(text.slice(end - PIECE + 1, end + 1))) end += 1;
      out += text.slice(copiedTo, i) + PIECE_MASK;
      copiedTo = end;
      i = end;
    }
    return copiedTo === 0 ? text : out + text.slice(copiedTo);
  }

  private add(secret: string, mask: string): void {
    // A 1–3 character "secret" would mangle ordinary text and protects nothing.
    if (secret.length < 4 || this.replacements.some(([s]) => s === secret)) return;
    this.replacements.push([secret, mask]);
    for (let i = 0; i + PIECE <= secret.length; i++) this.pieces.add(secret.slice(i, i + PIECE));
    this.replacements.sort((a, b) => b[0].length - a[0].length);
  }
}
