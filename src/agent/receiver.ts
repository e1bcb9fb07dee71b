/**
 * The receiver: the socket's 'message' listener and everything it does synchronously. It classifies
 * each message ONCE, answers PINGPONG from the loop itself, keeps the AES keys of the session, decrypts,
 * batches data frames and hands them to the sink once per event-loop turn (a sink exception is counted
 * and forgotten), and passes acks to the subscription manager. It never awaits anything.
 *
 * This is the seam of the data path. With a raw-capable sink (the worker host) the receive loop reads only
 * the envelope: a message whose first byte is '0' is a plaintext data frame and is handed over
 * as bytes, in one shared buffer per event-loop turn, never decoded here; the worker decodes, validates,
 * counts and parses it. JSON messages (acks, PINGPONG), encrypted notices (decrypted here, where the keys
 * are, and handed over as plaintext bytes in their place in the batch) and anything else take the text
 * path. Any other sink (the CLI's printer, test collectors), or `receivePath: 'text'`, gets parsed
 * `DataFrame`s as before.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { decryptFrame, formatFrame } from '../kis';
import type { Ack, DataFrame, KisProtocolErrorLike } from '../kis/types';
import { Disposable, toDisposable } from '../common/lifecycle';
import { describe, LOG_EVERY, LOG_FIRST, type AgentOutlets, type ReceiverHandOff, type SessionView } from './context';
import type { AgentCounters } from './counters';
import { maskAppkey } from '../common/redact';
import type { SubscriptionManager } from './subscriptions';
import type { TaskTracker } from './tasks';
import { packRawBatch } from '../shared/rawBatch';
import type { RawRecordSink } from '../shared/recordSink';

const CARET = 0x5e; // '^'
const DIGIT_0 = 0x30; // '0': the first byte of a plaintext data frame

/** What the receiver needs from the agent. */
export interface ReceiverOptions extends ReceiverHandOff {
  appkey: string;
  now: () => number;
  tracker: TaskTracker;
  subs: SubscriptionManager;
  counters: AgentCounters;
  session: SessionView;
  outlets: AgentOutlets;
  /** A subscribe succeeded (OPSP0000/0002): the approval key works. Called before the ack is handled. */
  onApprovalAccepted: () => void;
  /** A subscription is registered again: report the data gap it may have left. Called after the ack is handled. */
  closeGap: (trId: string, trKey: string, at: number) => void;
}

/** Decodes a frame's bytes as UTF-8; invalid sequences become U+FFFD instead of killing the session (§11.10). */
function toText(data: WebSocket.RawData): { text: string; bytes: number } {
  const buffer = toBuffer(data);
  return { text: buffer.toString('utf8'), bytes: buffer.length };
}

/** A message's bytes as one Buffer (ws hands over a Buffer unless configured otherwise). */
function toBuffer(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

/** The receive loop of one agent (across its sessions); see the module comment. */
export class Receiver extends Disposable {
  /**
   * AES key/iv per tr_id, then per tr_key, from the SUBSCRIBE SUCCESS of a subscription the agent wants
   * (kis-protocol.md §7.2), per session. Per tr_key because a server may issue a pair per registration
   * (the simulator does) and an encrypted frame names only its tr_id; an ack for a subscription the agent
   * does not want never replaces a working key (found by fuzzing).
   */
  private readonly ciphers = new Map<string, Map<string, { key: string; iv: string }>>();
  private batch: DataFrame[] = [];
  private flushScheduled = false;
  private lastSymbol = '';
  /** Raw path: the data frames of this turn, as received, their total size and the turn's first receive time. */
  private chunks: Uint8Array[] = [];
  private chunkBytes = 0;
  private chunksAt = 0;

  constructor(private readonly o: ReceiverOptions) {
    super();
    this._register(
      toDisposable(() => {
        this.reset();
        this.clearKeys();
      }),
    );
  }

  /** The session's AES key/iv for (trId, trKey), when its SUBSCRIBE SUCCESS carried one (a tap's seed). */
  cipherOf(trId: string, trKey: string): { key: string; iv: string } | undefined {
    return this.ciphers.get(trId)?.get(trKey);
  }

  /** Forgets the AES keys (a new or closed session: keys are per session). */
  clearKeys(): void {
    this.ciphers.clear();
  }

  /** Drops frames not yet handed to the sink (the agent starts or stops). */
  reset(): void {
    this.batch = [];
    this.chunks = [];
    this.chunkBytes = 0;
    this.flushScheduled = false;
  }

  /** The socket's 'message' listener: classify once, dispatch, never await. */
  readonly onMessage = (data: WebSocket.RawData): void => {
    try {
      this.receive(data);
    } catch (error) {
      // Nothing in receive() should throw (classify never does); if something does, one message is lost,
      // never the session or the process (an exception here would surface inside ws's socket handler).
      this.countParseError(`Message handling failed: ${describe(error)}`);
    }
  };

  private receive(data: WebSocket.RawData): void {
    if (this.o.rawSink !== undefined) {
      const buffer = toBuffer(data);
      if (buffer.length > 0 && buffer[0] === DIGIT_0) {
        // The envelope is all the receive loop reads of a plaintext data frame.
        const receivedAt = this.o.now();
        const counters = this.o.counters;
        counters.messages += 1;
        counters.bytes += buffer.length;
        counters.lastMessageAt = receivedAt;
        counters.messageRate.add(receivedAt);
        // Only while recording does a data frame get decoded here: the tap takes text.
        const tap = this.o.outlets.tap;
        if (tap !== undefined) tap({ type: 'message', at: receivedAt, text: buffer.toString('utf8') });
        this.appendRaw(buffer, receivedAt);
        return;
      }
    }
    const startedAt = performance.now();
    const receivedAt = this.o.now();
    const { text, bytes } = toText(data);
    const counters = this.o.counters;
    counters.messages += 1;
    counters.bytes += bytes;
    counters.lastMessageAt = receivedAt;
    counters.messageRate.add(receivedAt);
    const tap = this.o.outlets.tap;
    // Data frames ('0'/'1') go as they are; anything else (acks echo keys in msg1) is masked first.
    if (tap !== undefined)
      tap({
        type: 'message',
        at: receivedAt,
        text: text.charCodeAt(0) === 48 || text.charCodeAt(0) === 49 ? text : this.o.outlets.redact(text),
      });
    const inbound = this.o.classify(text);
    switch (inbound.kind) {
      case 'frame':
        this.onFrame(inbound.frame, receivedAt);
        break;
      case 'pingpong':
        this.onPingPong(inbound.text, startedAt);
        break;
      case 'ack':
        this.onAck(inbound.ack, receivedAt);
        break;
      case 'invalid':
        this.onInvalid(inbound.error);
        break;
      default: {
        const unreachable: never = inbound;
        this.onInvalid({ code: 'UNKNOWN_PREFIX', message: `unclassified message ${String(unreachable)}` });
      }
    }
  }

  /** Echo the exact text back as a text frame, right here in the loop (kis-protocol.md §6). */
  private onPingPong(text: string, startedAt: number): void {
    this.o.counters.pingpongs += 1;
    const ws = this.o.session.socket();
    if (ws && ws.readyState === WebSocket.OPEN) {
      ws.send(text);
      this.o.counters.lastPingEchoMs = performance.now() - startedAt;
    }
  }

  private onFrame(received: DataFrame, receivedAt: number): void {
    let frame = received;
    if (frame.encrypted) {
      const keys = this.ciphers.get(frame.trId);
      if (!keys || keys.size === 0) {
        this.countParseError(`Encrypted ${frame.trId} frame before its SUBSCRIBE SUCCESS (no key yet); dropped`);
        return;
      }
      // Usually one key per TR; with several, the one whose padding, UTF-8 and field count check out.
      let failure: unknown;
      let plain: DataFrame | undefined;
      for (const cipher of keys.values()) {
        try {
          plain = decryptFrame(frame, cipher.key, cipher.iv);
          break;
        } catch (error) {
          failure = error;
        }
      }
      if (plain === undefined) {
        this.countParseError(`Undecryptable ${frame.trId} frame: ${describe(failure)}`);
        return;
      }
      frame = plain;
      if (this.o.rawSink !== undefined) {
        // In its place among the raw frames, as plaintext: the worker counts and parses it with the rest.
        this.appendRaw(Buffer.from(formatFrame(frame.trId, frame.count, frame.payload)), receivedAt);
        return;
      }
    }
    this.o.counters.records += frame.count;
    // A decrypted notice starts with the HTS ID, not a symbol: it has no "last tick" to show.
    if (!received.encrypted) this.o.counters.lastTickAt.set(this.firstField(frame.payload), receivedAt);
    this.batch.push(frame);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      this.o.tracker.soon(this.flush);
    }
  }

  private appendRaw(bytes: Uint8Array, receivedAt: number): void {
    if (this.chunks.length === 0) this.chunksAt = receivedAt;
    this.chunks.push(bytes);
    this.chunkBytes += bytes.length;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      this.o.tracker.soon(this.flush);
    }
  }

  /**
   * The first field of a payload (the record's symbol). Consecutive frames are usually of the same
   * symbol, so the previous string is reused when it matches instead of slicing a new one per frame.
   */
  private firstField(payload: string): string {
    const last = this.lastSymbol;
    if (payload.length > last.length && payload.charCodeAt(last.length) === CARET && payload.startsWith(last))
      return last;
    const end = payload.indexOf('^');
    this.lastSymbol = end < 0 ? payload : payload.slice(0, end);
    return this.lastSymbol;
  }

  /** One hand-off per event-loop turn: everything received in that turn, in order. */
  private readonly flush = (): void => {
    this.flushScheduled = false;
    const frames = this.batch;
    const chunks = this.chunks;
    if (frames.length === 0 && chunks.length === 0) return;
    this.batch = [];
    this.chunks = [];
    const bytes = this.chunkBytes;
    this.chunkBytes = 0;
    try {
      if (chunks.length > 0) {
        (this.o.rawSink as RawRecordSink).pushRaw({
          buffer: packRawBatch(chunks, bytes),
          frames: chunks.length,
          bytes,
          receivedAt: this.chunksAt,
        });
      } else {
        this.o.sink.push(frames);
      }
    } catch (error) {
      const counters = this.o.counters;
      counters.handlerErrors += 1;
      if (counters.handlerErrors <= LOG_FIRST || counters.handlerErrors % LOG_EVERY === 0) {
        this.o.outlets.log(
          'warn',
          `Record sink threw (${counters.handlerErrors} so far); continuing: ${describe(error)}`,
        );
      }
    }
  };

  private onAck(ack: Ack, receivedAt: number): void {
    const visible = this.redactAck(ack);
    const { appkey, outlets, session } = this.o;
    if (ack.outcome === 'fatal') {
      if (ack.msgCd === 'OPSP8996') {
        outlets.log('warn', `KIS: ${ack.msgCd} ${visible.msg1}: another session holds appkey ${maskAppkey(appkey)}`);
        session.endSession(
          {
            code: 'APPKEY_IN_USE',
            message: `KIS says appkey ${maskAppkey(appkey)} is already in use by another session (OPSP8996)`,
          },
          false,
        );
      } else {
        outlets.log('warn', `KIS rejected the approval key: ${ack.msgCd} ${visible.msg1}`);
        session.endSession(
          { code: 'BAD_CREDENTIALS', message: `KIS rejected the approval key (${ack.msgCd}); issuing a new one` },
          false,
        );
      }
      outlets.emitAck(visible);
      return;
    }
    if (ack.msgCd === 'OPSP0000' || ack.msgCd === 'OPSP0002') {
      this.o.onApprovalAccepted();
      if (ack.key !== undefined && ack.iv !== undefined && this.o.subs.isWanted(ack.trId, ack.trKey)) {
        let keys = this.ciphers.get(ack.trId);
        if (!keys) this.ciphers.set(ack.trId, (keys = new Map()));
        keys.set(ack.trKey, { key: ack.key, iv: ack.iv });
      }
    }
    // The redacted copy: a refusal's msg1 becomes the caller's error message (KIS has echoed keys in msg1).
    this.o.subs.handleAck(visible, receivedAt);
    if (ack.msgCd === 'OPSP0000' || ack.msgCd === 'OPSP0002') this.o.closeGap(ack.trId, ack.trKey, receivedAt);
    outlets.emitAck(visible);
  }

  private onInvalid(error: KisProtocolErrorLike): void {
    this.countParseError(`Malformed message from KIS (${error.code}): ${error.message}`);
  }

  private countParseError(message: string): void {
    const counters = this.o.counters;
    counters.parseErrors += 1;
    if (counters.parseErrors <= LOG_FIRST || counters.parseErrors % LOG_EVERY === 0) {
      this.o.outlets.log('warn', `${message} [parse errors: ${counters.parseErrors}]`);
    }
  }

  private redactAck(ack: Ack): Ack {
    const msg1 = this.o.outlets.redact(ack.msg1);
    return msg1 === ack.msg1 ? ack : { ...ack, msg1 };
  }
}
