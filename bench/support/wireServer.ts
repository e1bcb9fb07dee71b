/**
 * A wire-speed sender for the throughput benchmark: just enough of the KIS server for a client to connect
 * (approval key, subscribe → SUBSCRIBE SUCCESS ack), and a `blast()` that sends PRE-BUILT data frames as
 * fast as the socket drains. The frames are real H0STCNT0 records made by the simulator's own market model
 * and framed by src/kis, built once per blast (a pool cycled through), so sending costs one `ws.send` per
 * frame and nothing else.
 *
 * Why it exists: `KisSimulator.blast()` generates and formats every record as it sends (a random walk, a
 * 46-field record), which on these machines caps it far below what a client can receive; a baseline
 * measured with it is the simulator's speed, not the wire's. This sender shows the wire limit.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { buildAck, formatFrame, parseSubscribeRequest } from '../../src/kis';
import { formatKstDate, formatKstTime } from '../../src/market';
import { basePriceOf, SymbolModel, type SendLogRow } from '../../src/simulator';

/** Bytes queued in `ws` before the sender waits for the socket to take them. */
const HIGH_WATER_BYTES = 1 << 20;
/**
 * The TCP socket under a `ws` WebSocket (private in `ws`; the simulator corks it the same way, see
 * src/simulator/ws/session.ts): corking it per burst turns one write per frame into one writev per burst.
 */
function rawSocket(ws: WebSocket): Socket | undefined {
  const socket = (ws as unknown as { _socket?: Socket })._socket;
  return socket !== undefined && typeof socket.cork === 'function' ? socket : undefined;
}

/** Buffers go out as text frames, as KIS sends them. */
const TEXT = { binary: false } as const;
/** Frames sent before yielding to the event loop (the socket writes between bursts). */
const FRAMES_PER_BURST = 256;
/** Distinct frames in a blast's pool. */
const POOL_FRAMES = 512;

interface Client {
  ws: WebSocket;
  /** "trId|trKey" registered on this connection. */
  streams: Set<string>;
}

/** See the module comment. */
export class WireServer {
  private readonly clients = new Set<Client>();
  private readonly sent = new Map<string, SendLogRow>();
  private readonly models = new Map<string, SymbolModel>();

  private constructor(
    private readonly http: Server,
    private readonly wss: WebSocketServer,
  ) {}

  /** Listens on 127.0.0.1, a free port. */
  static async start(): Promise<WireServer> {
    const http = createServer((req, res) => {
      // Any POST gets an approval key: this server only has to let a client in.
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ approval_key: 'wire-speed-approval-key' }));
      });
    });
    const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 1 << 20 });
    const server = new WireServer(http, wss);
    http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      wss.handleUpgrade(req, socket, head, (ws) => server.onConnection(ws)),
    );
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(0, '127.0.0.1', () => resolve());
    });
    return server;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  get restUrl(): string {
    return `http://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  private onConnection(ws: WebSocket): void {
    const client: Client = { ws, streams: new Set() };
    this.clients.add(client);
    ws.on('close', () => this.clients.delete(client));
    ws.on('error', () => undefined);
    ws.on('message', (data: Buffer) => {
      const text = data.toString();
      if (text.includes('PINGPONG')) return;
      const parsed = parseSubscribeRequest(text);
      if (!parsed.ok) {
        ws.send(buildAck({ trId: parsed.trId, trKey: parsed.trKey, encrypt: false, msgCd: parsed.msgCd }));
        return;
      }
      const { tr_id: trId, tr_key: trKey } = parsed.request.body.input;
      const id = `${trId}|${trKey}`;
      if (parsed.request.header.tr_type === '1') {
        client.streams.add(id);
        const iv = randomBytes(8).toString('hex');
        const key = randomBytes(16).toString('hex');
        ws.send(buildAck({ trId, trKey, encrypt: false, msgCd: 'OPSP0000', iv, key }));
      } else {
        client.streams.delete(id);
        ws.send(buildAck({ trId, trKey, encrypt: false, msgCd: 'OPSP0001' }));
      }
    });
  }

  private model(code: string): SymbolModel {
    let model = this.models.get(code);
    if (model === undefined) {
      model = new SymbolModel(code, {
        prevClose: basePriceOf(code),
        seed: 1,
        volatilityTicks: 1,
        tradeWidth: 46,
        bookWidth: 59,
      });
      this.models.set(code, model);
    }
    return model;
  }

  /** Builds `POOL_FRAMES` frames of `perFrame` consecutive trade records of `symbol`, UTF-8 encoded once. */
  private pool(trId: string, symbol: string, perFrame: number): Buffer[] {
    const model = this.model(symbol);
    const now = new Date();
    const time = formatKstTime(now);
    const date = formatKstDate(now);
    const frames: Buffer[] = [];
    for (let f = 0; f < POOL_FRAMES; f++) {
      const records: string[] = [];
      for (let r = 0; r < perFrame; r++) records.push(model.nextTrade(time, date));
      frames.push(Buffer.from(formatFrame(trId, perFrame, records.join('^'))));
    }
    return frames;
  }

  /**
   * Sends `records` trade records of (trId, symbol) to every connection subscribed to it, `perFrame` per
   * frame, as fast as each socket drains. Resolves with the records sent per connection and the elapsed ms.
   */
  async blast(
    trId: string,
    symbol: string,
    records: number,
    perFrame: number,
  ): Promise<{ records: number; elapsedMs: number }> {
    const id = `${trId}|${symbol}`;
    const targets = [...this.clients].filter((c) => c.streams.has(id));
    if (targets.length === 0) throw new Error(`no connection is subscribed to ${id}`);
    const frames = this.pool(trId, symbol, perFrame);
    const last = this.pool(trId, symbol, 1)[0];
    const started = performance.now();
    const counts = await Promise.all(targets.map((client) => this.pump(client.ws, frames, last, records, perFrame)));
    const row = this.sent.get(id) ?? { trId, symbol, records: 0, frames: 0 };
    for (const n of counts) {
      row.records += n;
      row.frames += Math.ceil(n / perFrame);
    }
    this.sent.set(id, row);
    return { records: Math.min(...counts), elapsedMs: performance.now() - started };
  }

  private async pump(
    ws: WebSocket,
    frames: readonly Buffer[],
    single: Buffer,
    total: number,
    perFrame: number,
  ): Promise<number> {
    const socket = rawSocket(ws);
    let sent = 0;
    let next = 0;
    while (sent < total && ws.readyState === ws.OPEN) {
      if (ws.bufferedAmount >= HIGH_WATER_BYTES) {
        // The socket is behind (the receiver is the bottleneck, which is what we measure): wait for it.
        await new Promise<void>((resolve) => {
          if (socket === undefined) setTimeout(resolve, 1);
          else socket.once('drain', () => resolve());
        });
        continue;
      }
      // A corked burst: one writev for the whole burst instead of one write per frame.
      socket?.cork();
      for (let i = 0; i < FRAMES_PER_BURST && sent < total && ws.bufferedAmount < HIGH_WATER_BYTES; i++) {
        if (total - sent >= perFrame) {
          ws.send(frames[next], TEXT);
          next = next + 1 === frames.length ? 0 : next + 1;
          sent += perFrame;
        } else {
          // A remainder smaller than a frame goes out one record per frame.
          ws.send(single, TEXT);
          sent += 1;
        }
      }
      socket?.uncork();
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return sent;
  }

  /** Records and frames sent per (trId, symbol). */
  sendLog(): SendLogRow[] {
    return [...this.sent.values()].map((row) => ({ ...row }));
  }

  /** Total records sent. */
  totalRecordsSent(): number {
    let total = 0;
    for (const row of this.sent.values()) total += row.records;
    return total;
  }

  get connectionCount(): number {
    return this.clients.size;
  }

  /** Closes every socket and the server. */
  async close(): Promise<void> {
    for (const client of this.clients) client.ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
  }
}
