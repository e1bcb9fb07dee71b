/**
 * Plain-text tables for a monospace editor: columns padded to a common width, counting each East Asian
 * wide character (Hangul, CJK, full-width forms) as two columns, as editors draw them. Used by the
 * "Show Connection Details" document, which is plain text on purpose (see details.ts).
 */

/** True for a code point an editor draws two columns wide. */
function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) || // Hangul Jamo
    (cp >= 0x2e80 && cp <= 0xa4cf) || // CJK radicals … Yi
    (cp >= 0xac00 && cp <= 0xd7a3) || // Hangul syllables
    (cp >= 0xf900 && cp <= 0xfaff) || // CJK compatibility ideographs
    (cp >= 0xfe30 && cp <= 0xfe4f) || // CJK compatibility forms
    (cp >= 0xff00 && cp <= 0xff60) || // full-width forms
    (cp >= 0xffe0 && cp <= 0xffe6)
  );
}

/** Columns `text` takes in a monospace editor. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += isWide(ch.codePointAt(0) ?? 0) ? 2 : 1;
  return width;
}

/** `text` padded with spaces to `width` columns, on the right (or on the left when `alignRight`). */
export function pad(text: string, width: number, alignRight = false): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return alignRight ? fill + text : text + fill;
}

/**
 * Lines of a table: the header (when given), a rule of dashes under it, then the rows. Columns are
 * separated by two spaces; trailing spaces are trimmed. `rightAligned` lists column indexes (numbers).
 */
export function textTable(
  rows: readonly (readonly string[])[],
  options: { header?: readonly string[]; rightAligned?: readonly number[] } = {},
): string[] {
  const all = options.header ? [options.header, ...rows] : [...rows];
  const columns = Math.max(0, ...all.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(0, ...all.map((r) => displayWidth(r[c] ?? ''))));
  const right = new Set(options.rightAligned ?? []);
  const line = (r: readonly string[]): string =>
    widths
      .map((w, c) => pad(r[c] ?? '', w, right.has(c)))
      .join('  ')
      .trimEnd();
  const out: string[] = [];
  if (options.header) {
    out.push(line(options.header));
    out.push(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  for (const r of rows) out.push(line(r));
  return out;
}
