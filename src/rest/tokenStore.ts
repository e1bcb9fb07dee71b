/**
 * Where an access token is kept between runs. The extension backs this with SecretStorage; the CLI with a
 * 0600 file in the user's cache directory, or memory. A store is keyed by an opaque id derived from the
 * app key (never the key itself), so changing credentials finds nothing and a stale token is never sent.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A cached token: the token and when it stops being valid (epoch ms). */
export interface StoredToken {
  accessToken: string;
  expiresAt: number;
  /** Epoch ms of issuance (for the one-per-minute rule across processes). */
  issuedAt: number;
}

/** Pluggable token persistence. */
export interface TokenStore {
  get(id: string): Promise<StoredToken | undefined>;
  set(id: string, token: StoredToken): Promise<void>;
  delete(id: string): Promise<void>;
}

/**
 * The store id of a credential pair, environment and server: a hash, so no secret is a file or key name.
 * The server is part of it because a token is valid only where it was issued: a token of another server
 * (a simulator restarted on a new port, `advanced.restUrl` changed) would be refused, and its issuance time
 * would then hold the next issuance back a minute (TOKEN_TOO_SOON) for nothing.
 */
export function tokenStoreId(env: string, appkey: string, appsecret: string, baseUrl = ''): string {
  return createHash('sha256').update(`${env}\0${appkey}\0${appsecret}\0${baseUrl}`).digest('hex').slice(0, 32);
}

function isStoredToken(v: unknown): v is StoredToken {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.accessToken === 'string' && typeof o.expiresAt === 'number' && typeof o.issuedAt === 'number';
}

/** Keeps tokens in memory (tests, a CLI run without a cache). */
export class MemoryTokenStore implements TokenStore {
  private readonly tokens = new Map<string, StoredToken>();
  async get(id: string): Promise<StoredToken | undefined> {
    return this.tokens.get(id);
  }
  async set(id: string, token: StoredToken): Promise<void> {
    this.tokens.set(id, token);
  }
  async delete(id: string): Promise<void> {
    this.tokens.delete(id);
  }
}

/** The CLI's cache directory: `$XDG_CACHE_HOME/kis-market-monitor` or `~/.cache/kis-market-monitor`. */
export function defaultCacheDir(env: Record<string, string | undefined> = process.env): string {
  const base =
    env.XDG_CACHE_HOME !== undefined && env.XDG_CACHE_HOME !== ''
      ? env.XDG_CACHE_HOME
      : path.join(os.homedir(), '.cache');
  return path.join(base, 'kis-market-monitor');
}

/** One 0600 JSON file per credential pair in a 0700 directory. An unreadable file is treated as absent. */
export class FileTokenStore implements TokenStore {
  constructor(private readonly dir: string) {}

  private file(id: string): string {
    return path.join(this.dir, `token-${id}.json`);
  }

  async get(id: string): Promise<StoredToken | undefined> {
    try {
      const parsed: unknown = JSON.parse(await fs.readFile(this.file(id), 'utf8'));
      return isStoredToken(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }

  async set(id: string, token: StoredToken): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const tmp = `${this.file(id)}.${process.pid}.tmp`;
    await fs.writeFile(tmp, JSON.stringify(token), { mode: 0o600 });
    await fs.rename(tmp, this.file(id));
  }

  async delete(id: string): Promise<void> {
    await fs.rm(this.file(id), { force: true });
  }
}
