/**
 * Types for every message of the KIS real-time protocol (see ../shared/kis-protocol.md).
 * Shared by the client (agent) and the simulator. No I/O here.
 */

/** `tr_type` of a subscribe request: "1" registers, "2" releases (the official docstrings' "0" is wrong). */
export type TrType = '1' | '2';

/** Customer type: "P" individual, "B" corporate. */
export type CustType = 'P' | 'B';

/** A subscribe / unsubscribe request exactly as it goes on the wire (kis-protocol.md §4). */
export interface SubscribeRequest {
  header: {
    approval_key: string;
    custtype: CustType;
    tr_type: TrType;
    'content-type': 'utf-8';
  };
  body: { input: { tr_id: string; tr_key: string } };
}

/** The JSON shape of an ack / system reply as sent by the server (kis-protocol.md §5). */
export interface AckWire {
  header?: { tr_id?: string; tr_key?: string; encrypt?: string };
  body: {
    rt_cd: string;
    msg_cd: string;
    msg1: string;
    output?: { iv?: string; key?: string };
  };
}

/** The PINGPONG keep-alive as sent by the server (kis-protocol.md §6). */
export interface PingPongWire {
  header: { tr_id: 'PINGPONG'; datetime: string };
}

/** How the client must treat an OPSP reply code. */
export type OpspClass =
  /** OPSP0000 / OPSP0001: done. */
  | 'success'
  /** OPSP0002 already subscribed, OPSP0003 not found on unsubscribe: the wanted end state holds; not an error. */
  | 'benign'
  /** OPSP0008 over the 41 limit, and every other per-request error: this one request failed, the session lives. */
  | 'refused'
  /** OPSP0011 bad approval key, OPSP8996 appkey in use elsewhere: the server closes the session. */
  | 'fatal';

/** A validated ack, decoded once from its JSON. */
export interface Ack {
  /** `header.tr_id`; `"(null)"` in the OPSP8996 reply, `""` when the header is missing. */
  trId: string;
  /** `header.tr_key`; `""` when absent. */
  trKey: string;
  /** `header.encrypt === "Y"`: data frames of this TR carry an AES payload. */
  encrypt: boolean;
  rtCd: string;
  msgCd: string;
  msg1: string;
  /** AES-256-CBC iv (16 ASCII chars) and key (32 ASCII chars), present on SUBSCRIBE SUCCESS. */
  iv?: string;
  key?: string;
  /** The class of `msgCd` (see `classifyOpsp`). */
  outcome: OpspClass;
}

/**
 * A data frame `encrypt|tr_id|count|payload`, envelope parsed and field count validated,
 * payload NOT yet split (the split happens once, where the records are handled: the worker).
 */
export interface DataFrame {
  /** `1`: the payload is base64 AES-256-CBC ciphertext (execution notices). */
  encrypted: boolean;
  trId: string;
  /** Number of records in the payload (the 3-digit count). */
  count: number;
  /**
   * Fields per record (total fields / count). 0 while the payload is still encrypted
   * (the width is known only after decryption).
   */
  width: number;
  /** The `^`-separated fields of all `count` records, concatenated (plaintext unless `encrypted`). */
  payload: string;
}

/** The result of classifying one inbound text message: done once, nothing re-parses it. */
export type Inbound =
  | { kind: 'frame'; frame: DataFrame }
  /** `text` is the exact received text, to echo back unchanged as a text frame. */
  | { kind: 'pingpong'; datetime: string; text: string }
  | { kind: 'ack'; ack: Ack }
  | { kind: 'invalid'; error: KisProtocolErrorLike };

/** Stable codes for malformed input. */
export type KisProtocolErrorCode =
  | 'EMPTY_MESSAGE'
  | 'UNKNOWN_PREFIX'
  | 'BAD_JSON'
  | 'BAD_ACK'
  | 'BAD_ENVELOPE'
  | 'BAD_ENCRYPT_FLAG'
  | 'BAD_COUNT'
  | 'EMPTY_PAYLOAD'
  | 'FIELD_COUNT_MISMATCH'
  | 'RECORD_TOO_SHORT'
  | 'DECRYPT_FAILED';

/** Structural type of `KisProtocolError` (src/kis/errors.ts), so types.ts stays free of runtime code. */
export interface KisProtocolErrorLike {
  readonly code: KisProtocolErrorCode;
  readonly message: string;
}

/** Price-change sign code: 1 limit up, 2 up, 3 unchanged, 4 limit down, 5 down. */
export type Sign = '1' | '2' | '3' | '4' | '5';
