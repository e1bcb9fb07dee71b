/**
 * Messages on the hub channel (src/hub): one leader process holds the KIS session, followers (other
 * VS Code windows, `kis-monitor watch --join`) talk to it over a local socket. Every message is one
 * length-prefixed JSON object with a `type`; both ends validate what they receive with `parseHubMessage`.
 *
 * Nothing secret crosses this channel: the leader uses its own credentials, and the only shared secret is
 * the channel token (an owner-only file), which proves the follower is the same OS user.
 */
import type { Snapshot } from './snapshot';
import type { AgentState } from './stats';

/** Bumped on any incompatible change of these messages; a mismatch is refused in the hello. */
export const HUB_PROTOCOL_VERSION = 1;

/** One real-time registration a window wants (a TR and its key, e.g. H0STCNT0 / 005930). */
export interface HubWant {
  trId: string;
  trKey: string;
}

/** Follower → leader: the first message; anything else before it is refused. */
export interface HubHello {
  type: 'hello';
  version: number;
  /** The channel token read from the hub directory (never logged). */
  token: string;
  /** The window's display name ("via window <name>"). */
  name: string;
  pid: number;
}

/** Follower → leader: the whole set of registrations this follower wants now (replaces the previous set). */
export interface HubWants {
  type: 'wants';
  wants: HubWant[];
}

/** Leader → follower: the hello was accepted. */
export interface HubWelcome {
  type: 'welcome';
  version: number;
  leaderName: string;
  leaderPid: number;
}

/** Why a hello was refused. */
export type HubRefusalCode = 'BAD_TOKEN' | 'VERSION_MISMATCH' | 'BAD_HELLO';

/** Leader → follower: the hello was refused; the leader closes the connection after it. */
export interface HubRefused {
  type: 'refused';
  code: HubRefusalCode;
  message: string;
}

/** Leader → follower: a coalesced read-model update, filtered to the follower's symbols. */
export interface HubSnapshot {
  type: 'snapshot';
  snapshot: Snapshot;
}

/** Leader → follower: the shared session's status, sent on every change. */
export interface HubStatus {
  type: 'status';
  leaderName: string;
  /** Processes sharing the session, the leader included. */
  windows: number;
  state: AgentState;
  /** This follower's wants the 41-registration budget could not take. */
  overBudget: HubWant[];
}

/** Every message a follower sends. */
export type FollowerMessage = HubHello | HubWants;
/** Every message a leader sends. */
export type LeaderMessage = HubWelcome | HubRefused | HubSnapshot | HubStatus;
/** Every message on the channel. */
export type HubMessage = FollowerMessage | LeaderMessage;

/** The result of checking one received message: the message, or why it is not one. */
export type HubParseResult = { ok: true; message: HubMessage } | { ok: false; error: string };

const AGENT_STATES: readonly string[] = ['idle', 'connecting', 'open', 'reconnecting', 'stopped'];
const REFUSALS: readonly string[] = ['BAD_TOKEN', 'VERSION_MISMATCH', 'BAD_HELLO'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function isString(v: unknown, max = 256): v is string {
  return typeof v === 'string' && v.length <= max;
}
function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v);
}
function isWant(v: unknown): v is HubWant {
  return (
    isObject(v) &&
    isString(v.trId, 16) &&
    /^[A-Z0-9]{1,16}$/.test(v.trId) &&
    isString(v.trKey, 32) &&
    /^[A-Za-z0-9._-]{1,32}$/.test(v.trKey)
  );
}
function isWantList(v: unknown, max: number): v is HubWant[] {
  return Array.isArray(v) && v.length <= max && v.every(isWant);
}
function isSnapshot(v: unknown): v is Snapshot {
  return (
    isObject(v) &&
    isInt(v.seq) &&
    typeof v.at === 'number' &&
    Array.isArray(v.quotes) &&
    v.quotes.every((q) => isObject(q) && typeof q.symbol === 'string') &&
    Array.isArray(v.bars) &&
    Array.isArray(v.books) &&
    Array.isArray(v.alerts) &&
    isObject(v.counters)
  );
}

/**
 * Checks one decoded JSON value against the union. Never throws; the error says what was wrong (no
 * values are echoed, so a token sent to the wrong place never reaches a log).
 */
export function parseHubMessage(value: unknown): HubParseResult {
  if (!isObject(value)) return { ok: false, error: 'not a JSON object' };
  const type = value.type;
  if (typeof type !== 'string') return { ok: false, error: 'no "type"' };
  const bad = (what: string): HubParseResult => ({ ok: false, error: `${type}: ${what}` });
  switch (type) {
    case 'hello':
      if (!isInt(value.version)) return bad('"version" is not an integer');
      if (!isString(value.token, 128)) return bad('"token" is not a string');
      if (!isString(value.name, 128)) return bad('"name" is not a string of at most 128 characters');
      if (!isInt(value.pid)) return bad('"pid" is not an integer');
      return {
        ok: true,
        message: { type, version: value.version, token: value.token, name: value.name, pid: value.pid },
      };
    case 'wants':
      // 41 per session is the budget; a window asking for many more is malformed, not ambitious.
      if (!isWantList(value.wants, 200)) return bad('"wants" is not a list of at most 200 {trId, trKey}');
      return { ok: true, message: { type, wants: value.wants.map((w) => ({ trId: w.trId, trKey: w.trKey })) } };
    case 'welcome':
      if (!isInt(value.version) || !isString(value.leaderName, 128) || !isInt(value.leaderPid))
        return bad('bad fields');
      return {
        ok: true,
        message: { type, version: value.version, leaderName: value.leaderName, leaderPid: value.leaderPid },
      };
    case 'refused':
      if (!isString(value.code) || !REFUSALS.includes(value.code) || !isString(value.message, 1024))
        return bad('bad fields');
      return { ok: true, message: { type, code: value.code as HubRefusalCode, message: value.message } };
    case 'snapshot':
      if (!isSnapshot(value.snapshot)) return bad('"snapshot" is not a Snapshot');
      return { ok: true, message: { type, snapshot: value.snapshot } };
    case 'status':
      if (
        !isString(value.leaderName, 128) ||
        !isInt(value.windows) ||
        !isString(value.state) ||
        !AGENT_STATES.includes(value.state) ||
        !isWantList(value.overBudget, 200)
      ) {
        return bad('bad fields');
      }
      return {
        ok: true,
        message: {
          type,
          leaderName: value.leaderName,
          windows: value.windows,
          state: value.state as AgentState,
          overBudget: value.overBudget,
        },
      };
    default:
      return { ok: false, error: `unknown type "${type.slice(0, 32)}"` };
  }
}
