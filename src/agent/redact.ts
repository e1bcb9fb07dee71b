/**
 * Secret masking for everything the agent logs or emits. The appkey shows only its first 4 characters;
 * the appsecret and approval keys never appear (KIS even echoes the approval key inside the OPSP0011
 * reply: "invalid approval : <uuid>", kis-protocol.md §5.2).
 */

/** `PSg5dctL...` → `PSg5…`. Short or empty keys are masked entirely. */
export function maskAppkey(appkey: string): string {
  return appkey.length > 4 ? `${appkey.slice(0, 4)}…` : '…';
}

/** Replaces every known secret in a text; keeps a list that can grow (each new approval key). */
export class Redactor {
  private readonly replacements: Array<[string, string]> = [];

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
    return out;
  }

  private add(secret: string, mask: string): void {
    // A 1–3 character "secret" would mangle ordinary text and protects nothing.
    if (secret.length < 4 || this.replacements.some(([s]) => s === secret)) return;
    this.replacements.push([secret, mask]);
    this.replacements.sort((a, b) => b[0].length - a[0].length);
  }
}
