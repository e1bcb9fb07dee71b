/**
 * A bare `ws` test client for the simulator tests: collects every message, waits on conditions with a
 * timeout (never sleeps), and speaks just enough of the protocol to subscribe.
 */
import { EventEmitter } from 'node:events';
import { request as httpRequest } from 'node:http';
import { WebSocket, type ClientOptions } from 'ws';
import { buildSubscribeRequest, type TrType } from '../../../src/kis';
import type { KisSimulator, SimulatorEvents } from '../../../src/simulator';
import { tickUp } from '../../../src/simulator/market/krxRules';
import { emitted, nextEvent as nextEventOf } from '../../support/wait';

/** KRX ticks between two prices (0 when equal), walking the tick table. */
export function ticksBetween(a: number, b: number): number {
  let low = Math.min(a, b);
  const high = Math.max(a, b);
  let n = 0;
  while (low < high) {
    low = tickUp(low);
    n++;
  }
  return n;
}

/** Default wait before a test fails. */
export const WAIT_MS = 5000;

/** Resolves with the first `event` payload of `sim` that satisfies `predicate`. */
export function nextEvent<K extends keyof SimulatorEvents>(
  sim: KisSimulator,
  event: K,
  predicate: (payload: SimulatorEvents[K]) => boolean = () => true,
  timeoutMs = WAIT_MS,
): Promise<SimulatorEvents[K]> {
  return nextEventOf(emitted<SimulatorEvents[K]>(sim, event), `simulator event ${event}`, predicate, timeoutMs);
}

/**
 * POST /oauth2/Approval; returns status and parsed body. Uses node:http without keep-alive (fetch would
 * keep pooled sockets and timers alive, which the leak test must not see).
 */
export function approval(
  sim: KisSimulator,
  body: unknown,
  raw?: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const payload = raw ?? JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${sim.restUrl}/oauth2/Approval`,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json; utf-8', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          try {
            resolve({
              status: res.statusCode ?? 0,
              body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
            });
          } catch (error) {
            reject(error as Error);
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** A fresh approval key for (appkey, secretkey). */
export async function approve(sim: KisSimulator, appkey = 'APPKEY-TEST', secretkey = 'SECRET-TEST'): Promise<string> {
  const { status, body } = await approval(sim, { grant_type: 'client_credentials', appkey, secretkey });
  if (status !== 200 || typeof body.approval_key !== 'string')
    throw new Error(`approval failed: ${status} ${JSON.stringify(body)}`);
  return body.approval_key;
}

/** A parsed JSON message (ack or PINGPONG) as the tests look at it. */
export interface JsonMessage {
  header?: { tr_id?: string; tr_key?: string; encrypt?: string; datetime?: string };
  body?: { rt_cd: string; msg_cd: string; msg1: string; output?: { iv: string; key: string } };
}

/** A client that records everything it receives. */
export class TestClient extends EventEmitter {
  /** Every text message received, in order (binary frames decoded as UTF-8). */
  readonly messages: string[] = [];
  /** Raw bytes of every message. */
  readonly raw: Buffer[] = [];
  closeInfo?: { code: number; reason: string };
  /** Running record counts per tr_id (from each data frame's count field), kept as messages arrive. */
  private readonly recordCounts = new Map<string, number>();
  private allRecords = 0;
  private constructor(readonly ws: WebSocket) {
    super();
    ws.on('message', (data: Buffer) => {
      const text = data.toString('utf8');
      this.raw.push(data);
      this.messages.push(text);
      if (text[0] === '0' || text[0] === '1') {
        const parts = text.split('|', 3);
        const count = Number(parts[2]);
        if (parts.length === 3 && Number.isInteger(count)) {
          this.recordCounts.set(parts[1], (this.recordCounts.get(parts[1]) ?? 0) + count);
          this.allRecords += count;
        }
      }
      this.emit('change');
    });
    ws.on('close', (code: number, reason: Buffer) => {
      this.closeInfo = { code, reason: reason.toString() };
      this.emit('change');
    });
    ws.on('error', () => this.emit('change'));
  }

  /** Connects to `url` and waits for the open. */
  static connect(url: string, options?: ClientOptions): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, options);
      const client = new TestClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
    });
  }

  /** Resolves when `check()` returns a value other than undefined (checked on every message and close). */
  waitFor<T>(check: () => T | undefined, what: string, timeoutMs = WAIT_MS): Promise<T> {
    const now = check();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('change', listener);
        reject(
          new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${this.messages.length} messages received)`),
        );
      }, timeoutMs);
      const listener = (): void => {
        let value: T | undefined;
        try {
          value = check();
        } catch (error) {
          clearTimeout(timer);
          this.off('change', listener);
          reject(error as Error);
          return;
        }
        if (value === undefined) return;
        clearTimeout(timer);
        this.off('change', listener);
        resolve(value);
      };
      this.on('change', listener);
    });
  }

  /** The JSON messages received so far. */
  json(): JsonMessage[] {
    return this.messages
      .filter((m) => m.startsWith('{'))
      .flatMap((m) => {
        try {
          return [JSON.parse(m) as JsonMessage];
        } catch {
          return [];
        }
      });
  }

  /** Acks (JSON messages with a body) received so far. */
  acks(): JsonMessage[] {
    return this.json().filter((m) => m.body !== undefined);
  }

  /** Waits for the n-th ack (1-based) overall. */
  ack(n: number): Promise<JsonMessage> {
    return this.waitFor(() => this.acks()[n - 1], `ack #${n}`);
  }

  /** Data frames (text starting with 0 or 1) received so far. */
  frames(trId?: string): string[] {
    return this.messages.filter(
      (m) => (m[0] === '0' || m[0] === '1') && (trId === undefined || m.startsWith(`${m[0]}|${trId}|`)),
    );
  }

  /** Records received so far (sum of data-frame counts), for one TR or all. */
  recordsReceived(trId?: string): number {
    return trId === undefined ? this.allRecords : (this.recordCounts.get(trId) ?? 0);
  }

  /** Sends a subscribe (tr_type 1) or unsubscribe (2) request. */
  request(approvalKey: string, trId: string, trKey: string, trType: TrType = '1'): void {
    this.ws.send(buildSubscribeRequest({ approvalKey, trType, trId, trKey }));
  }

  /** Sends a request and waits for the ack of (trId, trKey) that follows it. */
  async subscribe(approvalKey: string, trId: string, trKey: string, trType: TrType = '1'): Promise<JsonMessage> {
    const before = this.acks().length;
    this.request(approvalKey, trId, trKey, trType);
    return this.waitFor(
      () =>
        this.acks()
          .slice(before)
          .find((a) => a.header?.tr_id === trId && a.header?.tr_key === trKey),
      `ack of ${trId} ${trKey}`,
    );
  }

  /** Waits for the socket to close; returns code and reason. */
  closed(): Promise<{ code: number; reason: string }> {
    return this.waitFor(() => this.closeInfo, 'close');
  }

  /** Closes (if open) and waits for the close. */
  async dispose(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    if (this.ws.readyState === WebSocket.CONNECTING) {
      this.ws.terminate();
    } else {
      this.ws.close();
    }
    await this.waitFor(() => (this.ws.readyState === WebSocket.CLOSED ? true : undefined), 'client close');
  }
}

/** Tracks what a test built and tears it down in afterEach. */
export class Fixture {
  private readonly clients: TestClient[] = [];
  private readonly sims: KisSimulator[] = [];

  sim<T extends KisSimulator>(sim: T): T {
    this.sims.push(sim);
    return sim;
  }

  async client(url: string, options?: ClientOptions): Promise<TestClient> {
    const client = await TestClient.connect(url, options);
    this.clients.push(client);
    return client;
  }

  async dispose(): Promise<void> {
    for (const sim of this.sims.splice(0)) await sim.close();
    for (const client of this.clients.splice(0)) await client.dispose();
  }
}
