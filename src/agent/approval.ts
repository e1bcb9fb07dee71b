/**
 * The WebSocket approval key (웹소켓 접속키): `POST {restUrl}/oauth2/Approval` (kis-protocol.md §2).
 *
 * The key is valid for 24 h from issue and is checked only when a session starts, so one key serves every
 * reconnect within that day; we re-issue only when it expires or when the server rejects it (OPSP0011 →
 * `invalidate()`). KIS limits issuance to about 1 request/s; concurrent callers share one request.
 */
import { AgentError } from './errors';
import { maskAppkey } from '../common/redact';

/** Options of {@link ApprovalClient}. */
export interface ApprovalOptions {
  /** REST base URL, e.g. `https://openapivts.koreainvestment.com:29443` (no trailing path). */
  restUrl: string;
  appkey: string;
  /** Sent as `secretkey` (the portal: "appsecret와 secretkey는 동일"). */
  appsecret: string;
  /** Request timeout (ms). Default 10 s. */
  timeoutMs?: number;
  /** Validity of an issued key (ms). Default 24 h. */
  validityMs?: number;
  /** Clock (epoch ms). */
  now?: () => number;
  /** The fetch implementation (Node 20's global by default). */
  fetch?: typeof fetch;
  /** Least time between two issuance requests (ms). Default 1000: KIS issues about 1 key/s (§9). */
  minIntervalMs?: number;
  /** An abortable wait (the agent passes its TaskTracker's `delay`, so the wait is tracked too). */
  delay?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Re-issue a little before the 24 h mark so a session never starts on a key about to lapse. */
const EXPIRY_MARGIN_MS = 60_000;

/** Issues and caches approval keys. */
export class ApprovalClient {
  private cached?: { key: string; expiresAt: number };
  private inflight?: Promise<string>;
  private lastRequestAt?: number;

  /** The number of keys issued so far (for tests and logs). */
  issued = 0;

  constructor(private readonly options: ApprovalOptions) {}

  /**
   * A valid approval key: the cached one, or a freshly issued one.
   * @throws AgentError 'BAD_CREDENTIALS' (HTTP 401/403 or a gateway error body), 'REST_UNREACHABLE'
   *   (network failure or timeout), 'APPROVAL_FAILED' (any other unexpected answer); an AbortError if
   *   `signal` aborts.
   */
  async get(signal?: AbortSignal): Promise<string> {
    const now = (this.options.now ?? Date.now)();
    if (this.cached && now < this.cached.expiresAt) return this.cached.key;
    if (!this.inflight) {
      this.inflight = this.issue(signal).finally(() => {
        this.inflight = undefined;
      });
    }
    return this.inflight;
  }

  /** Forgets the cached key (the server said OPSP0011); the next `get()` issues a new one. */
  invalidate(): void {
    this.cached = undefined;
  }

  private async issue(signal?: AbortSignal): Promise<string> {
    const { restUrl, appkey, appsecret } = this.options;
    const now = this.options.now ?? Date.now;
    // Re-issuing right after a rejection (OPSP0011) must not trip KIS's issuance rate limit.
    const spacing =
      this.lastRequestAt === undefined ? 0 : this.lastRequestAt + (this.options.minIntervalMs ?? 1000) - now();
    if (spacing > 0) await (this.options.delay ?? abortableDelay)(spacing, signal);
    this.lastRequestAt = now();
    const url = `${restUrl.replace(/\/+$/, '')}/oauth2/Approval`;
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 10_000);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const doFetch = this.options.fetch ?? fetch;
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'POST',
        // One request a day: do not leave a pooled keep-alive socket behind the agent (nothing outlives it).
        headers: { 'content-type': 'application/json; charset=utf-8', connection: 'close' },
        body: JSON.stringify({ grant_type: 'client_credentials', appkey, secretkey: appsecret }),
        signal: combined,
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason ?? error;
      const why = timeout.aborted ? 'timed out' : describeNetworkError(error);
      throw new AgentError('REST_UNREACHABLE', `Cannot reach the KIS approval endpoint ${url}: ${why}`);
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      if (signal?.aborted) throw signal.reason ?? error;
      throw new AgentError('REST_UNREACHABLE', `The KIS approval endpoint ${url} dropped the response`);
    }
    const body = parseJsonObject(text);
    const rawCode =
      typeof body?.error_code === 'string' ? body.error_code : typeof body?.msg_cd === 'string' ? body.msg_cd : '';
    // Quoted in errors only when it looks like a gateway code (EGW00103): a server that echoes the request
    // into its error body must not put the app key into our messages.
    const gatewayCode = /^[A-Z]{2,5}\d{3,6}$/.test(rawCode) ? rawCode : '';
    if (isCredentialFailure(response.status, gatewayCode)) {
      const detail = gatewayCode ? ` (${gatewayCode})` : ` (HTTP ${response.status})`;
      throw new AgentError(
        'BAD_CREDENTIALS',
        `KIS rejected the appkey ${maskAppkey(appkey)} / appsecret${detail}; check the credentials for this data source`,
      );
    }
    const key = body?.approval_key;
    if (!response.ok || typeof key !== 'string' || key.length === 0) {
      const detail = gatewayCode ? ` (${gatewayCode})` : '';
      throw new AgentError(
        'APPROVAL_FAILED',
        `The KIS approval endpoint answered HTTP ${response.status}${detail} without an approval key`,
      );
    }
    const validity = this.options.validityMs ?? DAY_MS;
    this.cached = { key, expiresAt: now() + Math.max(0, validity - Math.min(EXPIRY_MARGIN_MS, validity / 2)) };
    this.issued += 1;
    return key;
  }
}

/** setTimeout as a promise that rejects with the signal's reason on abort. */
function abortableDelay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A short reason without the URL's secrets (there are none in the URL) or a stack. */
function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return error instanceof Error ? error.message : 'network error';
}

/** Gateway codes that name the credentials: invalid AppKey, invalid AppSecret, a paper key on the real domain. */
const CREDENTIAL_CODES = new Set(['EGW00103', 'EGW00105', 'EGW02004']);
/** Gateway codes that pass: over the per-second rate (EGW00201), a temporary token-issue limit (EGW00133). */
const TRANSIENT_CODES = new Set(['EGW00201', 'EGW00133']);

/**
 * True when the approval answer means the credentials are wrong (fatal: stop and ask the user), false for
 * anything worth retrying with backoff. A rate limit must not stop the agent as "bad credentials".
 */
function isCredentialFailure(status: number, gatewayCode: string): boolean {
  if (CREDENTIAL_CODES.has(gatewayCode)) return true;
  if (TRANSIENT_CODES.has(gatewayCode)) return false;
  return status === 401 || status === 403;
}
