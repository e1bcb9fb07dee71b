/**
 * Approval keys (웹소켓 접속키, kis-protocol.md §2): issued by `POST /oauth2/Approval`, valid 24 h, checked
 * only when a session starts. Each key remembers the appkey it was issued for, because the one-session-per-
 * appkey rule (OPSP8996) is about appkeys, not keys.
 */
import { randomUUID } from 'node:crypto';
import type { SimCredentials } from '../options';

/** What the store knows about one issued key. */
export interface ApprovalGrant {
  appkey: string;
  issuedAt: number;
  expiresAt: number;
}

/** Why a credential check failed. */
export type CredentialProblem = 'grant_type' | 'appkey' | 'secretkey';

/** Issues and looks up approval keys. */
export class ApprovalStore {
  private readonly grants = new Map<string, ApprovalGrant>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly credentials: readonly SimCredentials[] | undefined,
  ) {}

  /**
   * Checks a request body's credentials: grant_type must be "client_credentials"; appkey and secretkey
   * non-empty strings; with configured credentials, exactly one configured pair.
   */
  check(body: Record<string, unknown>): CredentialProblem | undefined {
    if (body.grant_type !== 'client_credentials') return 'grant_type';
    const { appkey, secretkey } = body;
    if (typeof appkey !== 'string' || appkey.trim() === '') return 'appkey';
    if (typeof secretkey !== 'string' || secretkey.trim() === '') return 'secretkey';
    if (this.credentials === undefined) return undefined;
    const pair = this.credentials.find((c) => c.appkey === appkey);
    if (pair === undefined) return 'appkey';
    return pair.secretkey === secretkey ? undefined : 'secretkey';
  }

  /** Issues a new UUID-shaped key for `appkey`. */
  issue(appkey: string): string {
    const key = randomUUID();
    const issuedAt = this.now();
    this.grants.set(key, { appkey, issuedAt, expiresAt: issuedAt + this.ttlMs });
    return key;
  }

  /** The grant of a live (known, unexpired) key, else undefined. */
  lookup(approvalKey: string): ApprovalGrant | undefined {
    const grant = this.grants.get(approvalKey);
    if (grant === undefined) return undefined;
    if (this.now() >= grant.expiresAt) return undefined;
    return grant;
  }

  /** Number of keys issued (expired ones included). */
  get size(): number {
    return this.grants.size;
  }
}
