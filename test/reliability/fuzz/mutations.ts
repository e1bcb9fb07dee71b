/**
 * A seeded, deterministic mutator of KIS messages for the fuzz tests (fuzz/fuzz.test.ts).
 *
 * Sources: every message of test/fixtures/kis-messages.txt plus messages built the way the simulator
 * builds them (trade and book records of every width from `SymbolModel`, single- and multi-record
 * frames, an ack for every OPSP code, PINGPONG, AES-encrypted execution notices).
 *
 * A mutation is a pure function of its seed: `mutate(corpus, seed)` always gives the same bytes, so a
 * failure report (id, seed, operators, input) is enough to reproduce it. Mutations work on bytes, not
 * strings, so they can produce invalid UTF-8 the way a real feed does (kis-protocol.md §11.10); whoever
 * reads them must decode as the agent does (`Buffer.toString('utf8')`, invalid sequences → U+FFFD).
 *
 * Why hand-rolled rather than fast-check: the inputs are structured protocol messages and each
 * operator knows the structure it breaks (the count between the second and third `|`, the base64 of a
 * notice, the iv/key of an ack); shrinking would add little, and a 32-bit seed per mutation is the
 * simplest reproducible record. No dependency needed.
 */
import {
  buildAck,
  buildDataFrame,
  buildPingPong,
  buildSubscribeRequest,
  OPSP,
  type FrameCipher,
} from '../../../src/kis';
import { MALFORMED_KINDS, SymbolModel, type BookWidth, type TradeWidth } from '../../../src/simulator';
import { malformedMessage } from '../../../src/simulator/faults';
import {
  ACK_IV,
  ACK_KEY,
  loadFixtureMessages,
  NOTICE_RECORD_23,
  NOTICE_RECORD_26,
  TRADE_RECORD,
} from '../../unit/kis/fixtures';

/** What a source message is, so operators that need a structure (base64, JSON, count) can find it. */
export type SourceKind = 'frame' | 'encrypted' | 'ack' | 'pingpong' | 'json';

/** One unmutated message. */
export interface FuzzSource {
  title: string;
  kind: SourceKind;
  text: string;
}

/** One mutated message, with everything needed to reproduce and report it. */
export interface Mutation {
  /** `<label>#<index>`: which run and which input. */
  id: string;
  /** The 32-bit seed that reproduces it: `mutate(corpus, seed)`. */
  seed: number;
  /** Title of the source message. */
  source: string;
  /** The operators applied, in order, with their parameters. */
  ops: string[];
  /** The bytes to send. */
  bytes: Buffer;
}

// ---------------------------------------------------------------------------------------------------
// PRNG

/** mulberry32 over a 32-bit state: tiny, fast, and plenty for choosing mutations (not for secrets). */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [min, max], both inclusive. */
  between(min: number, max: number): number {
    return min + this.below(max - min + 1);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty list. */
  pick<T>(list: readonly T[]): T {
    return list[this.below(list.length)];
  }
}

/**
 * The seed of mutation `index` of a run seeded with `runSeed`: a 32-bit mix (murmur3's finaliser) so
 * neighbouring indexes get unrelated seeds.
 */
export function mutationSeed(runSeed: number, index: number): number {
  let h = (runSeed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

// ---------------------------------------------------------------------------------------------------
// Sources

/** The AES key/iv of the fixture's SUBSCRIBE SUCCESS ack, used to encrypt notice sources by default. */
export const FIXTURE_CIPHER: FrameCipher = { key: ACK_KEY, iv: ACK_IV };

/**
 * The corpus: fixture messages, then simulator-style messages. Notices are encrypted with `cipher`
 * (the live test passes the key/iv the simulator actually issued, so intact notices decrypt).
 */
export function buildCorpus(cipher: FrameCipher = FIXTURE_CIPHER): FuzzSource[] {
  const out: FuzzSource[] = [];
  for (const m of loadFixtureMessages()) out.push({ title: `fixture: ${m.title}`, kind: kindOf(m.text), text: m.text });
  const date = '20261125';
  for (const tradeWidth of [46, 47] as TradeWidth[]) {
    for (const bookWidth of [59, 62, 63] as BookWidth[]) {
      const model = new SymbolModel('005930', {
        prevClose: 71900,
        seed: tradeWidth * 100 + bookWidth,
        volatilityTicks: 3,
        tradeWidth,
        bookWidth,
      });
      const trades = Array.from({ length: 10 }, (_, i) => model.nextTrade(`0930${String(i).padStart(2, '0')}`, date));
      const books = Array.from({ length: 3 }, (_, i) => model.nextBook(`0930${String(i).padStart(2, '0')}`));
      out.push({
        title: `sim: H0STCNT0 1×${tradeWidth}`,
        kind: 'frame',
        text: buildDataFrame('H0STCNT0', [trades[0]]),
      });
      out.push({ title: `sim: H0STCNT0 10×${tradeWidth}`, kind: 'frame', text: buildDataFrame('H0STCNT0', trades) });
      out.push({ title: `sim: H0STASP0 1×${bookWidth}`, kind: 'frame', text: buildDataFrame('H0STASP0', [books[0]]) });
      out.push({ title: `sim: H0STASP0 3×${bookWidth}`, kind: 'frame', text: buildDataFrame('H0STASP0', books) });
    }
  }
  out.push({
    title: 'sim: plaintext H0STCNI0 notice',
    kind: 'frame',
    text: buildDataFrame('H0STCNI0', [NOTICE_RECORD_26]),
  });
  out.push({
    title: 'sim: unknown TR, 5 fields',
    kind: 'frame',
    text: buildDataFrame('H0UPCNT0', ['0001', '093000', '2500.12', '2', '3.5']),
  });
  out.push({
    title: 'sim: encrypted H0STCNI0 notice',
    kind: 'encrypted',
    text: buildDataFrame('H0STCNI0', [NOTICE_RECORD_26], cipher),
  });
  out.push({
    title: 'sim: encrypted H0STCNI9 notice',
    kind: 'encrypted',
    text: buildDataFrame('H0STCNI9', [NOTICE_RECORD_26], cipher),
  });
  out.push({
    title: 'sim: encrypted legacy 23-field notice',
    kind: 'encrypted',
    text: buildDataFrame('H0STCNI0', [NOTICE_RECORD_23], cipher),
  });
  out.push({
    title: 'sim: encrypted 2-record notice',
    kind: 'encrypted',
    text: buildDataFrame('H0STCNI0', [NOTICE_RECORD_26, NOTICE_RECORD_26], cipher),
  });
  for (const msgCd of Object.keys(OPSP)) {
    const notice = msgCd === 'OPSP0000' || msgCd === 'OPSP0002';
    const trId = notice ? 'H0STCNI0' : 'H0STCNT0';
    const trKey = notice ? 'HTSUSER' : '005930';
    const output = msgCd === 'OPSP0000' ? { iv: cipher.iv, key: cipher.key } : {};
    out.push({
      title: `sim: ack ${msgCd}`,
      kind: 'ack',
      text: buildAck({ trId, trKey, encrypt: notice, msgCd, ...output }),
    });
  }
  out.push({ title: 'sim: PINGPONG', kind: 'pingpong', text: buildPingPong('20261125093000') });
  // Client requests (what the simulator parses); to the client they are JSON that is no ack.
  for (const [trType, trId, trKey] of [
    ['1', 'H0STCNT0', '005930'],
    ['2', 'H0STCNI0', 'HTSUSER'],
  ] as const) {
    out.push({
      title: `client: request ${trType} ${trId}`,
      kind: 'json',
      text: buildSubscribeRequest({ approvalKey: 'a2585daf-8c09-4587-9fce-8ab893000000', trType, trId, trKey }),
    });
  }
  // The simulator's own malformed messages (sendMalformed): already broken, mutated further.
  for (const kind of MALFORMED_KINDS) {
    const text = malformedMessage(kind, 'H0STCNT0', TRADE_RECORD);
    out.push({ title: `sim: malformed ${kind}`, kind: kindOf(text), text });
  }
  return out;
}

function kindOf(text: string): SourceKind {
  if (text.startsWith('1|')) return 'encrypted';
  if (text.startsWith('0|')) return 'frame';
  return text.includes('"PINGPONG"') ? 'pingpong' : 'ack';
}

// ---------------------------------------------------------------------------------------------------
// Operators

/** Limits of one run; the live test keeps huge inputs smaller (they cross a socket). */
export interface MutateOptions {
  /** Largest "very long" input in bytes (default 1 MiB). */
  maxLongBytes?: number;
}

interface Ctx {
  rng: Rng;
  source: FuzzSource;
  corpus: readonly FuzzSource[];
  /** The key/iv the corpus' notices were encrypted with. */
  cipher: FrameCipher;
  maxLong: number;
  ops: string[];
}

type Operator = (bytes: Buffer, ctx: Ctx) => Buffer;

/** Bytes that change meaning in this protocol, or break UTF-8. */
const INTERESTING_BYTES = [
  0x7c, 0x5e, 0x7b, 0x7d, 0x22, 0x3a, 0x2c, 0x30, 0x31, 0x39, 0x2d, 0x2e, 0x20, 0x0a, 0x00, 0x80, 0xc3, 0xed, 0xfe,
  0xff,
];
/** Invalid or truncated UTF-8 sequences: lone continuation, truncated 3-byte, overlong, surrogate, 0xfe/0xff. */
const BAD_UTF8 = [[0x80], [0xe2, 0x82], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xff, 0xfe], [0xf4, 0x90, 0x80, 0x80]];
/** Field values that parse oddly as numbers or carry separators. */
const ODD_FIELDS = [
  '',
  'X',
  '0',
  '-0',
  '-1',
  '+5',
  '1e308',
  '1e-7',
  'Infinity',
  'NaN',
  '0x1F',
  ' 12',
  '12 ',
  '1.2.3',
  '.5',
  '5.',
  '-',
  '+',
  '.',
  '99999999999999999999',
  '0.0000000000000000001',
  '١٢٣',
  '|',
  '^^',
  '홍길동',
  '\u0000',
];
/** Replacement counts: zero, negative, too many digits, huge, non-numeric, and plausible ones. */
const ODD_COUNTS = [
  '000',
  '-01',
  '-1',
  '1000',
  '99999999999999999999',
  'abc',
  '',
  '01',
  ' 01',
  '1e2',
  '0x1',
  '١٢٣',
  '001',
  '002',
  '010',
  '999',
  '+01',
  '1.0',
];
const ODD_TR_IDS = [
  'H0STCNT0',
  'H0STASP0',
  'H0STCNI0',
  'H0STCNI9',
  'H0UPCNT0',
  '',
  'X'.repeat(33),
  'H0ST CNT0',
  'h0stcnt0',
  '(null)',
  'PINGPONG',
  '한글',
];
const ODD_JSON_VALUES: readonly unknown[] = [
  0,
  -1,
  1.5,
  null,
  true,
  false,
  [],
  {},
  '',
  'X',
  'OPSP0000',
  '0',
  '9',
  [1, 2],
  { nested: { deeper: [] } },
];
const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function str(bytes: Buffer): string {
  return bytes.toString('utf8');
}

function buf(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}

/** Start and end (exclusive) of the count, between the second and third `|`; undefined without them. */
function countSpan(text: string): [number, number] | undefined {
  const p1 = text.indexOf('|');
  const p2 = p1 < 0 ? -1 : text.indexOf('|', p1 + 1);
  const p3 = p2 < 0 ? -1 : text.indexOf('|', p2 + 1);
  return p3 < 0 ? undefined : [p2 + 1, p3];
}

const cut: Operator = (b, ctx) => {
  const at = ctx.rng.below(b.length + 1);
  ctx.ops.push(`cut@${at}`);
  return b.subarray(0, at);
};

const cutHead: Operator = (b, ctx) => {
  const at = ctx.rng.below(b.length + 1);
  ctx.ops.push(`cutHead@${at}`);
  return b.subarray(at);
};

const duplicateSpan: Operator = (b, ctx) => {
  const a = ctx.rng.below(b.length + 1);
  const e = Math.min(b.length, a + ctx.rng.between(1, 64));
  const at = ctx.rng.below(b.length + 1);
  ctx.ops.push(`dup[${a},${e})@${at}`);
  return Buffer.concat([b.subarray(0, at), b.subarray(a, e), b.subarray(at)]);
};

const flipBytes: Operator = (b, ctx) => {
  if (b.length === 0) return b;
  const out = Buffer.from(b);
  const n = ctx.rng.between(1, 8);
  for (let i = 0; i < n; i++) {
    const at = ctx.rng.below(out.length);
    const mode = ctx.rng.below(3);
    out[at] =
      mode === 0
        ? ctx.rng.pick(INTERESTING_BYTES)
        : mode === 1
          ? ctx.rng.below(256)
          : out[at] ^ (1 << ctx.rng.below(8));
    ctx.ops.push(`flip@${at}=${out[at]}`);
  }
  return out;
};

const insertBadUtf8: Operator = (b, ctx) => {
  const at = ctx.rng.below(b.length + 1);
  const seq = ctx.rng.pick(BAD_UTF8);
  ctx.ops.push(`badUtf8@${at}`);
  return Buffer.concat([b.subarray(0, at), Buffer.from(seq), b.subarray(at)]);
};

/** Indexes of every `^` (after the envelope for frames, anywhere otherwise). */
function carets(text: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf('^'); i >= 0; i = text.indexOf('^', i + 1)) out.push(i);
  return out;
}

const addField: Operator = (b, ctx) => {
  const text = str(b);
  const positions = carets(text);
  const at = positions.length > 0 && ctx.rng.chance(0.8) ? ctx.rng.pick(positions) : text.length;
  const n = ctx.rng.chance(0.7) ? 1 : ctx.rng.between(2, 60);
  const added = Array.from({ length: n }, () => ctx.rng.pick(ODD_FIELDS)).join('^');
  ctx.ops.push(`addFields(${n})@${at}`);
  return buf(`${text.slice(0, at)}^${added}${text.slice(at)}`);
};

const removeField: Operator = (b, ctx) => {
  const text = str(b);
  const positions = carets(text);
  if (positions.length === 0) return b;
  const n = ctx.rng.chance(0.7) ? 1 : ctx.rng.between(2, Math.max(2, positions.length));
  const i = ctx.rng.below(positions.length);
  const end = i + n < positions.length ? positions[i + n] : text.length;
  ctx.ops.push(`removeFields(${n})@${positions[i]}`);
  return buf(text.slice(0, positions[i]) + text.slice(end));
};

const setCount: Operator = (b, ctx) => {
  const text = str(b);
  const span = countSpan(text);
  if (span === undefined) return b;
  const count = ctx.rng.chance(0.8) ? ctx.rng.pick(ODD_COUNTS) : String(ctx.rng.below(1000)).padStart(3, '0');
  ctx.ops.push(`count=${JSON.stringify(count)}`);
  return buf(text.slice(0, span[0]) + count + text.slice(span[1]));
};

/** Repeats a plaintext frame's records k times and sets the count to k: a valid frame, up to 999 records. */
const multiplyRecords: Operator = (b, ctx) => {
  const text = str(b);
  const span = countSpan(text);
  if (span === undefined || !text.startsWith('0|')) return b;
  const k = ctx.rng.chance(0.9) ? ctx.rng.between(2, 20) : ctx.rng.between(100, 999);
  const payload = text.slice(span[1] + 1);
  const n = Number(text.slice(span[0], span[1]));
  if (!(n >= 1) || n * k > 999 || payload.length * k > ctx.maxLong) return b;
  ctx.ops.push(`multiply×${k}`);
  return buf(
    `${text.slice(0, span[0])}${String(n * k).padStart(3, '0')}|${Array.from({ length: k }, () => payload).join('^')}`,
  );
};

const setEncryptFlag: Operator = (b, ctx) => {
  const text = str(b);
  const p1 = text.indexOf('|');
  if (p1 < 0) return b;
  const flag = ctx.rng.pick(['0', '1', '2', '', '00', '01', 'Y', ' 0']);
  ctx.ops.push(`flag=${JSON.stringify(flag)}`);
  return buf(flag + text.slice(p1));
};

const setTrId: Operator = (b, ctx) => {
  const text = str(b);
  const p1 = text.indexOf('|');
  const p2 = p1 < 0 ? -1 : text.indexOf('|', p1 + 1);
  if (p2 < 0) return b;
  const trId = ctx.rng.pick(ODD_TR_IDS);
  ctx.ops.push(`trId=${JSON.stringify(trId)}`);
  return buf(`${text.slice(0, p1 + 1)}${trId}${text.slice(p2)}`);
};

/** Breaks the base64 of an encrypted payload in one of several ways (some still decode to valid base64). */
const breakBase64: Operator = (b, ctx) => {
  const text = str(b);
  const span = countSpan(text);
  if (span === undefined) return b;
  const head = text.slice(0, span[1] + 1);
  let p = text.slice(span[1] + 1);
  const way = ctx.rng.below(8);
  const at = ctx.rng.below(p.length + 1);
  switch (way) {
    case 0:
      p = p.slice(0, at) + ctx.rng.pick(['!', '-', '_', ' ', '\n', '=', '*', 'é']) + p.slice(at);
      break;
    case 1:
      p = p.replace(/=+$/, '');
      break;
    case 2: {
      // A different valid base64 character: still base64, wrong ciphertext.
      if (p.length === 0) break;
      const i = ctx.rng.below(p.length);
      p = p.slice(0, i) + ctx.rng.pick([...BASE64_ALPHABET]) + p.slice(i + 1);
      break;
    }
    case 3:
      p = p.slice(0, Math.max(0, p.length - 4 * ctx.rng.between(1, 3)));
      break;
    case 4:
      // Drop the first 16-byte block (24 base64 chars cover 18 bytes, so re-encode from bytes).
      p = Buffer.from(p, 'base64').subarray(16).toString('base64');
      break;
    case 5:
      if (p.length < ctx.maxLong / 2) p = p + p;
      break;
    case 6:
      p = Buffer.from(p, 'base64').toString('hex');
      break;
    default:
      p = '';
  }
  ctx.ops.push(`base64#${way}@${at}`);
  return buf(head + p);
};

/** Builds a new encrypted frame from a mutated plaintext notice (decrypt-then-validate must catch it). */
const encryptMutatedPlaintext: Operator = (b, ctx) => {
  const text = str(b);
  const span = countSpan(text);
  if (span === undefined) return b;
  const trId = text.slice(text.indexOf('|') + 1, span[0] - 1);
  let fields = NOTICE_RECORD_26.split('^');
  const way = ctx.rng.below(4);
  if (way === 0) fields = fields.slice(0, ctx.rng.below(fields.length));
  else if (way === 1) fields.push(...Array.from({ length: ctx.rng.between(1, 30) }, () => ctx.rng.pick(ODD_FIELDS)));
  else if (way === 2) fields[ctx.rng.below(fields.length)] = ctx.rng.pick(ODD_FIELDS);
  else fields = [...fields, ...fields.slice(0, ctx.rng.between(1, 25))];
  ctx.ops.push(`encryptMutated#${way}(${fields.length} fields)`);
  const plain = fields.join('^');
  if (plain.length === 0 || trId.length === 0 || trId.includes('|')) return b;
  return buf(buildDataFrame(trId, [plain], ctx.cipher));
};

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Objects nested deeper than this are not edited (a deeply nested input would overflow the stack). */
const MAX_EDIT_DEPTH = 8;

/** Every object inside `root` (itself included) down to MAX_EDIT_DEPTH, so an operator can pick one at any depth. */
function objects(root: unknown, out: Record<string, unknown>[] = [], depth = 0): Record<string, unknown>[] {
  if (isObject(root) && depth <= MAX_EDIT_DEPTH) {
    out.push(root);
    for (const v of Object.values(root)) objects(v, out, depth + 1);
  }
  return out;
}

/** Applies `edit` to a random object of a JSON message (unchanged when it is not JSON, or too deep to re-serialise). */
function editJson(
  b: Buffer,
  ctx: Ctx,
  name: string,
  edit: (target: Record<string, unknown>, rng: Rng) => string | undefined,
): Buffer {
  const root = parseJson(str(b));
  const targets = objects(root);
  if (targets.length === 0) return b;
  const what = edit(ctx.rng.pick(targets), ctx.rng);
  if (what === undefined) return b;
  let text: string;
  try {
    text = JSON.stringify(root);
  } catch {
    return b;
  }
  ctx.ops.push(`${name}(${what})`);
  return buf(text);
}

const jsonDropKey: Operator = (b, ctx) =>
  editJson(b, ctx, 'dropKey', (o, rng) => {
    const keys = Object.keys(o);
    if (keys.length === 0) return undefined;
    const k = rng.pick(keys);
    delete o[k];
    return k;
  });

const jsonWrongType: Operator = (b, ctx) =>
  editJson(b, ctx, 'wrongType', (o, rng) => {
    const keys = Object.keys(o);
    if (keys.length === 0) return undefined;
    const k = rng.pick(keys);
    o[k] = structuredClone(rng.pick(ODD_JSON_VALUES));
    return `${k}=${JSON.stringify(o[k])}`;
  });

const jsonAddKey: Operator = (b, ctx) =>
  editJson(b, ctx, 'addKey', (o, rng) => {
    const k = rng.pick(['extra', 'output', 'header', 'body', '__proto__', 'constructor', 'tr_id', 'datetime', '']);
    o[k] = structuredClone(rng.pick(ODD_JSON_VALUES));
    return k;
  });

/** Sets msg_cd / rt_cd / tr_id / tr_key to other plausible values: valid acks of every outcome. */
const jsonSetAckField: Operator = (b, ctx) =>
  editJson(b, ctx, 'setField', (o, rng) => {
    const choices: [string, readonly string[]][] = [
      ['msg_cd', [...Object.keys(OPSP), 'OPSP1234', '', 'X']],
      ['rt_cd', ['0', '1', '9', '', '00']],
      ['tr_id', ['H0STCNT0', 'H0STASP0', 'H0STCNI0', 'H0STCNI9', '(null)', '', 'PINGPONG', 'ZZZZ9999']],
      ['tr_key', ['005930', '000660', 'HTSUSER', '', 'x'.repeat(40), '한글']],
      ['encrypt', ['Y', 'N', '', 'y']],
    ];
    const [k, values] = rng.pick(choices);
    o[k] = rng.pick(values);
    return `${k}=${JSON.stringify(o[k])}`;
  });

/** Gives an ack's output an iv/key of the wrong length, wrong type, non-ASCII bytes, or base64 junk. */
const ackIvKey: Operator = (b, ctx) => {
  const root = parseJson(str(b));
  if (!isObject(root) || !isObject(root.body)) return b;
  const body = root.body;
  const output = isObject(body.output) ? body.output : (body.output = {});
  const k = ctx.rng.pick(['iv', 'key']);
  const values: readonly unknown[] = [
    '',
    '0123456789abcde',
    '0123456789abcdefg',
    'é123456789abcdef',
    'abcdefghijklmnopabcdefghijklmno',
    'abcdefghijklmnopabcdefghijklmnopq',
    'MDEyMzQ1Njc4OWFiY2RlZg==',
    12345,
    null,
    ['a'],
    '\u0000'.repeat(16),
  ];
  output[k] = structuredClone(ctx.rng.pick(values));
  ctx.ops.push(`ackIvKey(${k}=${JSON.stringify(output[k])})`);
  return buf(JSON.stringify(root));
};

const prefix: Operator = (b, ctx) => {
  const p = ctx.rng.pick([' ', '\n', '\t\r\n ', '\ufeff', 'x', '0', '1', '{', '[', '"']);
  ctx.ops.push(`prefix=${JSON.stringify(p)}`);
  return Buffer.concat([buf(p), b]);
};

const glue: Operator = (b, ctx) => {
  if (b.length > ctx.maxLong) return b;
  const other = ctx.rng.pick(ctx.corpus);
  const sep = ctx.rng.pick(['', '\n', '^', '|', ' ']);
  ctx.ops.push(`glue(${other.title})`);
  return Buffer.concat([b, buf(sep), buf(other.text)]);
};

const empty: Operator = (_b, ctx) => {
  ctx.ops.push('empty');
  return Buffer.alloc(0);
};

/** Very long inputs: a padded field, a run of carets, a long JSON string, deep nesting, 999 wide records. */
const veryLong: Operator = (b, ctx) => {
  // One long input per mutation is enough; stacking them only makes the run slower.
  if (b.length > ctx.maxLong / 2) return b;
  // Log-uniform from 64 KiB to maxLong: most long inputs are moderate, a few are the full size.
  const size = Math.round(64 * 1024 * Math.pow(ctx.maxLong / (64 * 1024), ctx.rng.next()));
  const way = ctx.rng.below(6);
  ctx.ops.push(`veryLong#${way}(${size})`);
  const text = str(b);
  switch (way) {
    case 0: {
      const positions = carets(text);
      const at = positions.length > 0 ? ctx.rng.pick(positions) : text.length;
      return buf(`${text.slice(0, at)}^${'7'.repeat(size)}${text.slice(at)}`);
    }
    case 1:
      return buf(`0|H0STCNT0|001|${'^'.repeat(size)}`);
    case 2: {
      const root = parseJson(text);
      if (!isObject(root)) return buf(text + 'A'.repeat(size));
      root.padding = 'A'.repeat(size);
      return buf(JSON.stringify(root));
    }
    case 3: {
      const depth = Math.floor(size / 8);
      return buf(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
    }
    case 4:
      // count 999 with records of (size / 999 / 2) fields: valid for an unknown TR
      return buf(
        `0|H0UPCNT0|999|${Array.from({ length: 999 }, () => '1'.repeat(Math.max(1, Math.floor(size / 999) - 1))).join('^')}`,
      );
    default:
      return buf('1|H0STCNI0|001|' + 'QUJD'.repeat(Math.floor(size / 4)));
  }
};

interface WeightedOp {
  op: Operator;
  weight: number;
  /** Only for these source kinds (all when absent). */
  kinds?: readonly SourceKind[];
}

const OPERATORS: readonly WeightedOp[] = [
  { op: cut, weight: 10 },
  { op: cutHead, weight: 3 },
  { op: duplicateSpan, weight: 8 },
  { op: flipBytes, weight: 12 },
  { op: insertBadUtf8, weight: 5 },
  { op: addField, weight: 8, kinds: ['frame'] },
  { op: removeField, weight: 8, kinds: ['frame'] },
  { op: setCount, weight: 8, kinds: ['frame', 'encrypted'] },
  { op: multiplyRecords, weight: 4, kinds: ['frame'] },
  { op: setEncryptFlag, weight: 3, kinds: ['frame', 'encrypted'] },
  { op: setTrId, weight: 3, kinds: ['frame', 'encrypted'] },
  { op: breakBase64, weight: 10, kinds: ['encrypted'] },
  { op: encryptMutatedPlaintext, weight: 5, kinds: ['encrypted'] },
  { op: jsonDropKey, weight: 6, kinds: ['ack', 'pingpong', 'json'] },
  { op: jsonWrongType, weight: 6, kinds: ['ack', 'pingpong', 'json'] },
  { op: jsonAddKey, weight: 3, kinds: ['ack', 'pingpong', 'json'] },
  { op: jsonSetAckField, weight: 8, kinds: ['ack', 'json'] },
  { op: ackIvKey, weight: 6, kinds: ['ack'] },
  { op: prefix, weight: 2 },
  { op: glue, weight: 2 },
  { op: empty, weight: 0.3 },
  { op: veryLong, weight: 0.15 },
];

function chooseOperator(rng: Rng, kind: SourceKind): Operator {
  const usable = OPERATORS.filter((o) => o.kinds === undefined || o.kinds.includes(kind));
  const total = usable.reduce((n, o) => n + o.weight, 0);
  let r = rng.next() * total;
  for (const o of usable) {
    r -= o.weight;
    if (r < 0) return o.op;
  }
  return usable[usable.length - 1].op;
}

/**
 * Mutation `seed` of `corpus`: one source, one to three operators (operators that need a structure
 * are chosen only for sources that have it, and a later operator may find the structure gone).
 */
export function mutate(
  corpus: readonly FuzzSource[],
  seed: number,
  options: MutateOptions = {},
  id = `seed:${seed}`,
): Mutation {
  const rng = new Rng(seed);
  const source = rng.pick(corpus);
  const ctx: Ctx = {
    rng,
    source,
    corpus,
    cipher: cipherOf(corpus),
    maxLong: Math.max(64 * 1024, options.maxLongBytes ?? 1 << 20),
    ops: [],
  };
  const n = rng.chance(0.6) ? 1 : rng.chance(0.7) ? 2 : 3;
  let bytes = buf(source.text);
  for (let i = 0; i < n; i++) bytes = chooseOperator(rng, source.kind)(bytes, ctx);
  return { id, seed, source: source.title, ops: ctx.ops, bytes };
}

/** The cipher a corpus' notices were built with: the key/iv of its OPSP0000 source ack. */
const cipherCache = new WeakMap<readonly FuzzSource[], FrameCipher>();
function cipherOf(corpus: readonly FuzzSource[]): FrameCipher {
  const cached = cipherCache.get(corpus);
  if (cached) return cached;
  const ack = corpus.find((s) => s.title === 'sim: ack OPSP0000');
  const output = ack
    ? (parseJson(ack.text) as { body?: { output?: { iv?: string; key?: string } } }).body?.output
    : undefined;
  const cipher =
    output?.iv !== undefined && output.key !== undefined ? { iv: output.iv, key: output.key } : FIXTURE_CIPHER;
  cipherCache.set(corpus, cipher);
  return cipher;
}

/**
 * A failure report: id, seed, source, operators and the input (JSON-quoted text and base64 of the
 * bytes, both cut at `max` characters), enough to reproduce with `mutate(buildCorpus(), seed)`.
 */
export function describeMutation(m: Mutation, max = 600): string {
  const text = m.bytes.toString('utf8');
  const shown =
    text.length > max ? `${JSON.stringify(text.slice(0, max))}… (${text.length} chars)` : JSON.stringify(text);
  const b64 = m.bytes.toString('base64');
  const shownB64 = b64.length > max ? `${b64.slice(0, max)}… (${m.bytes.length} bytes)` : b64;
  return `mutation ${m.id} seed=${m.seed} source="${m.source}" ops=[${m.ops.join(', ')}]\n  text: ${shown}\n  base64: ${shownB64}`;
}
