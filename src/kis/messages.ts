/**
 * JSON messages of the protocol as exact wire text: subscribe requests (client → server), acks and
 * PINGPONG (server → client, built by the simulator), and the KST time formats they carry.
 */
import { isOpspCode, OPSP } from './opsp';
import type { CustType, SubscribeRequest, TrType } from './types';

/** Parameters of `buildSubscribeRequest`. */
export interface SubscribeParams {
  approvalKey: string;
  trType: TrType;
  trId: string;
  trKey: string;
  /** Default "P" (individual). */
  custtype?: CustType;
}

/**
 * The exact §4 request text: header{approval_key,custtype,tr_type,content-type} body{input{tr_id,tr_key}},
 * compact, in that key order.
 */
export function buildSubscribeRequest(params: SubscribeParams): string {
  const request: SubscribeRequest = {
    header: {
      approval_key: params.approvalKey,
      custtype: params.custtype ?? 'P',
      tr_type: params.trType,
      'content-type': 'utf-8',
    },
    body: { input: { tr_id: params.trId, tr_key: params.trKey } },
  };
  return JSON.stringify(request);
}

/** Result of `parseSubscribeRequest`: the request, or the OPSP code and text the server replies with. */
export type ParsedSubscribeRequest =
  | { ok: true; request: SubscribeRequest }
  | {
      ok: false;
      msgCd: string;
      msg1: string;
      /** Whatever tr_id / tr_key could be read, for the reply's header ('' when unknown). */
      trId: string;
      trKey: string;
    };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asString(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * Validates a client's subscribe/unsubscribe text (for the simulator) and maps each defect to the code
 * KIS documents for it: bad JSON OPSP9999, no header OPSP9998, no/empty approval_key OPSP0011, no custtype
 * OPSP9997, bad custtype OPSP8998, bad tr_type OPSP8997, no body OPSP9992, no input OPSP9991, no/empty
 * tr_id OPSP8991, no tr_key OPSP9990, empty tr_key OPSP8992. Extra header fields are ignored, as KIS does.
 */
export function parseSubscribeRequest(text: string): ParsedSubscribeRequest {
  let trId = '';
  let trKey = '';
  const fail = (msgCd: keyof typeof OPSP): ParsedSubscribeRequest => ({
    ok: false,
    msgCd,
    msg1: OPSP[msgCd].msg1,
    trId,
    trKey,
  });

  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return fail('OPSP9999');
  }
  if (!isRecord(root)) return fail('OPSP9999');
  // Read the echo fields first, so every error reply can carry them when they exist.
  const body = root.body;
  const input = isRecord(body) ? body.input : undefined;
  if (isRecord(input)) {
    trId = asString(input.tr_id);
    trKey = asString(input.tr_key);
  }
  const header = root.header;
  if (!isRecord(header)) return fail('OPSP9998');
  if (typeof header.approval_key !== 'string' || header.approval_key === '') return fail('OPSP0011');
  if (header.custtype === undefined) return fail('OPSP9997');
  if (header.custtype !== 'P' && header.custtype !== 'B') return fail('OPSP8998');
  if (header.tr_type !== '1' && header.tr_type !== '2') return fail('OPSP8997');
  if (!isRecord(body)) return fail('OPSP9992');
  if (!isRecord(input)) return fail('OPSP9991');
  if (typeof input.tr_id !== 'string' || input.tr_id === '') return fail('OPSP8991');
  if (input.tr_key === undefined) return fail('OPSP9990');
  if (typeof input.tr_key !== 'string' || input.tr_key === '') return fail('OPSP8992');
  return {
    ok: true,
    request: {
      header: {
        approval_key: header.approval_key,
        custtype: header.custtype,
        tr_type: header.tr_type,
        'content-type': 'utf-8',
      },
      body: { input: { tr_id: input.tr_id, tr_key: input.tr_key } },
    },
  };
}

/** Parameters of `buildAck`. */
export interface AckParams {
  trId: string;
  trKey: string;
  /** header.encrypt "Y" (notice TRs) or "N". */
  encrypt: boolean;
  msgCd: string;
  /** Overrides the table's text (e.g. OPSP0011 `invalid approval : <key>`); required for unknown codes. */
  msg1?: string;
  /** With `key`: adds body.output {iv, key} (SUBSCRIBE SUCCESS carries them for every TR). */
  iv?: string;
  key?: string;
}

/**
 * The exact §5.1 ack text: header{tr_id,tr_key,encrypt} body{rt_cd,msg_cd,msg1[,output{iv,key}]}.
 * rt_cd is "0" for success codes, "9" for OPSP8996, "1" otherwise; OPSP8996 always carries
 * header tr_id "(null)", tr_key "" and encrypt "N", as captured.
 * @throws RangeError for an unknown msgCd without msg1.
 */
export function buildAck(params: AckParams): string {
  const known = isOpspCode(params.msgCd) ? OPSP[params.msgCd] : undefined;
  const msg1 = params.msg1 ?? known?.msg1;
  if (msg1 === undefined) throw new RangeError(`unknown OPSP code ${params.msgCd}; pass msg1`);
  const rtCd = known?.rtCd ?? '1';
  const inUse = params.msgCd === 'OPSP8996';
  const header = {
    tr_id: inUse ? '(null)' : params.trId,
    tr_key: inUse ? '' : params.trKey,
    encrypt: !inUse && params.encrypt ? 'Y' : 'N',
  };
  const body: { rt_cd: string; msg_cd: string; msg1: string; output?: { iv: string; key: string } } = {
    rt_cd: rtCd,
    msg_cd: params.msgCd,
    msg1,
  };
  if (params.iv !== undefined && params.key !== undefined) body.output = { iv: params.iv, key: params.key };
  return JSON.stringify({ header, body });
}

/** The exact PINGPONG text `{"header":{"tr_id":"PINGPONG","datetime":"<datetime>"}}`. */
export function buildPingPong(datetime: string): string {
  return JSON.stringify({ header: { tr_id: 'PINGPONG', datetime } });
}
