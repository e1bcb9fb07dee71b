/**
 * The REST access token kept in VS Code's SecretStorage: never in settings or logs. Keyed by
 * the REST client's opaque store id (a hash, never the app key), so other credentials find nothing.
 */
import type * as vscode from 'vscode';
import type { StoredToken, TokenStore } from '../feed';

const PREFIX = 'kisMarket.restToken.';

/** A TokenStore over SecretStorage; a malformed entry reads as absent. */
export class SecretTokenStore implements TokenStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(id: string): Promise<StoredToken | undefined> {
    const raw = await this.secrets.get(PREFIX + id);
    if (raw === undefined) return undefined;
    try {
      const v = JSON.parse(raw) as Partial<StoredToken>;
      if (typeof v.accessToken === 'string' && typeof v.expiresAt === 'number' && typeof v.issuedAt === 'number') {
        return { accessToken: v.accessToken, expiresAt: v.expiresAt, issuedAt: v.issuedAt };
      }
    } catch {
      // fall through: a damaged entry is as good as none
    }
    return undefined;
  }

  async set(id: string, token: StoredToken): Promise<void> {
    await this.secrets.store(PREFIX + id, JSON.stringify(token));
  }

  async delete(id: string): Promise<void> {
    await this.secrets.delete(PREFIX + id);
  }
}
