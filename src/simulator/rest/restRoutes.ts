/**
 * The REST side of the simulator: `POST /oauth2/Approval` (exact case, kis-protocol.md §2). Error bodies
 * use the KIS gateway format `{"error_code","error_description"}`; EGW00103 is the captured code for a bad
 * appkey (/oauth2/tokenP). The 400 codes for a malformed request are the simulator's own (the live
 * format of approval failures is UNCONFIRMED).
 */
import { serveMasterFile } from './masterFiles';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApprovalStore } from '../ws/approvals';
import type { SimRestApi } from './restApi';

/** The approval endpoint's path. */
export const APPROVAL_PATH = '/oauth2/Approval';
/** Request bodies larger than this are refused (the real body is ~250 bytes). */
const MAX_BODY_BYTES = 64 * 1024;

/** A gateway-style error body. */
export interface GatewayError {
  error_code: string;
  error_description: string;
}

export const BAD_APPKEY: GatewayError = { error_code: 'EGW00103', error_description: '유효하지 않은 AppKey입니다.' };
export const BAD_REQUEST_JSON: GatewayError = {
  error_code: 'EGW00002',
  error_description: '요청 본문이 올바른 JSON이 아닙니다.',
};
export const BAD_GRANT_TYPE: GatewayError = {
  error_code: 'EGW00104',
  error_description: 'grant_type은 client_credentials이어야 합니다.',
};
export const NOT_FOUND: GatewayError = { error_code: 'EGW00404', error_description: '존재하지 않는 경로입니다.' };
export const METHOD_NOT_ALLOWED: GatewayError = { error_code: 'EGW00405', error_description: 'POST만 허용됩니다.' };
export const BODY_TOO_LARGE: GatewayError = { error_code: 'EGW00413', error_description: '요청 본문이 너무 큽니다.' };

function reply(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Reads a request body up to `MAX_BODY_BYTES`; undefined when it is larger. */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Notified for every approval issued (for tests and the CLI log; never carries the secret). */
export type ApprovalListener = (appkey: string) => void;

/** Handles one HTTP request. Never throws; replies 500 on an unexpected failure. */
export async function handleRest(
  req: IncomingMessage,
  res: ServerResponse,
  store: ApprovalStore,
  onIssued?: ApprovalListener,
  api?: SimRestApi,
): Promise<void> {
  try {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && serveMasterFile(path, res)) return;
    if (api?.handles(path) === true) {
      await api.handle(req, res, path, () => readBody(req));
      return;
    }
    if (path !== APPROVAL_PATH) {
      req.resume();
      reply(res, 404, NOT_FOUND);
      return;
    }
    if (req.method !== 'POST') {
      req.resume();
      res.setHeader('allow', 'POST');
      reply(res, 405, METHOD_NOT_ALLOWED);
      return;
    }
    const text = await readBody(req);
    if (text === undefined) {
      reply(res, 413, BODY_TOO_LARGE);
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      reply(res, 400, BAD_REQUEST_JSON);
      return;
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      reply(res, 400, BAD_REQUEST_JSON);
      return;
    }
    const fields = body as Record<string, unknown>;
    const problem = store.check(fields);
    if (problem === 'grant_type') {
      reply(res, 400, BAD_GRANT_TYPE);
      return;
    }
    if (problem !== undefined) {
      reply(res, 403, BAD_APPKEY);
      return;
    }
    const appkey = fields.appkey as string;
    const approvalKey = store.issue(appkey);
    onIssued?.(appkey);
    reply(res, 200, { approval_key: approvalKey });
  } catch {
    if (!res.headersSent) reply(res, 500, { error_code: 'EGW00500', error_description: '내부 오류' });
    else res.destroy();
  }
}
