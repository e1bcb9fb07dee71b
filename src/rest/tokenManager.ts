/**
 * The access token of one app key: issued once, cached while valid (24 h) in memory and in a TokenStore,
 * shared by every caller (one issuance in flight at a time), re-issued after an expired-token error, and
 * never issued twice within a minute (KIS locks the key out with EGW00133, kis-rest.md §2.1).
 */
import type { StoredToken, TokenStore } from './tokenStore';
import { RestError } from './errors';

/** Issues a fresh token over the network (the client's tokenP call). */
export type TokenIssuer = () => Promise<{ accessToken: string; expiresIn: number }>;

/** KIS allows one issuance per minute per app key. */
export const TOKEN_ISSUE_INTERVAL_MS = 60_000;
/** A token this close to its expiry is not handed out: a request could outlive it. */
const EXPIRY_MARGIN_MS = 5 * 60_000;

/** Counters of the token manager. */
export interface TokenStats {
  issued: number;
  fromStore: number;
  invalidated: number;
  refusedTooSoon: number;
}

/** One app key's token. */
export class TokenManager {
  private current?: StoredToken;
  private inflight?: Promise<string>;
  private lastIssueAttempt = -Infinity;
  private loadedFromStore = false;
  readonly stats: TokenStats = { issued: 0, fromStore: 0, invalidated: 0, refusedTooSoon: 0 };

  constructor(
    private readonly store: TokenStore,
    private readonly storeId: string,
    private readonly issuer: TokenIssuer,
    private readonly now: () => number,
    /** Called with every new token so the client can mask it in logs. */
    private readonly onToken: (token: string) => void,
  ) {}

  /** A valid token: from memory, the store, or one issuance shared by every concurrent caller. */
  get(): Promise<string> {
    if (this.current !== undefined && this.valid(this.current)) return Promise.resolve(this.current.accessToken);
    if (this.inflight === undefined) {
      this.inflight = this.obtain().finally(() => {
        this.inflight = undefined;
      });
    }
    return this.inflight;
  }

  private valid(token: StoredToken): boolean {
    return token.expiresAt - EXPIRY_MARGIN_MS > this.now();
  }

  private async obtain(): Promise<string> {
    if (!this.loadedFromStore) {
      this.loadedFromStore = true;
      const stored = await this.store.get(this.storeId);
      if (stored !== undefined) {
        // Another process's issuance counts against the minute too.
        this.lastIssueAttempt = Math.max(this.lastIssueAttempt, stored.issuedAt);
        if (this.valid(stored)) {
          this.stats.fromStore += 1;
          this.current = stored;
          this.onToken(stored.accessToken);
          return stored.accessToken;
        }
      }
    }
    const wait = this.lastIssueAttempt + TOKEN_ISSUE_INTERVAL_MS - this.now();
    if (wait > 0) {
      this.stats.refusedTooSoon += 1;
      throw new RestError(
        'TOKEN_TOO_SOON',
        `a token was issued less than a minute ago; retry in ${Math.ceil(wait / 1000)} s`,
        undefined,
        undefined,
        wait,
      );
    }
    this.lastIssueAttempt = this.now();
    const issued = await this.issuer();
    this.stats.issued += 1;
    const issuedAt = this.now();
    const token: StoredToken = {
      accessToken: issued.accessToken,
      issuedAt,
      expiresAt: issuedAt + issued.expiresIn * 1000,
    };
    this.onToken(token.accessToken);
    this.current = token;
    await this.store.set(this.storeId, token);
    return token.accessToken;
  }

  /** KIS refused `token` as expired or invalid: forget it (the next get() issues, at most once a minute). */
  async invalidate(token: string): Promise<void> {
    if (this.current?.accessToken !== token) return;
    this.stats.invalidated += 1;
    this.current = undefined;
    await this.store.delete(this.storeId);
  }

  /** The credentials changed or the user signed out: drop the token from memory and the store. */
  async revoke(): Promise<void> {
    this.current = undefined;
    await this.store.delete(this.storeId);
  }

  /** KIS answered EGW00133 (someone else issued): count the minute from now. */
  refusedByKis(): void {
    this.lastIssueAttempt = this.now();
    this.stats.refusedTooSoon += 1;
  }
}
