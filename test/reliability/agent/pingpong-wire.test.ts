/**
 * The PINGPONG echo as KIS checks it, seen at the wire: a bare `ws` server (not the simulator, not the
 * project's parser) sends PINGPONGs whose text a JSON round trip would change (spacing, key order), and
 * records the raw `message` events. The echo must be a text frame (`isBinary` false) carrying exactly the
 * bytes received. The simulator only serves the approval key.
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { KisAgent } from '../../../src/agent';
import { KisSimulator } from '../../../src/simulator';
import { CollectingSink, makeAgent, waitFor } from './helpers';

/** One message as the server's socket received it. */
interface WireMessage {
  bytes: Buffer;
  isBinary: boolean;
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** PINGPONGs a re-serialised echo would not reproduce byte for byte. */
const PINGS = [
  '{"header":{"tr_id":"PINGPONG","datetime":"20261204093000"}}',
  '{ "header" : { "datetime" : "20261204093150", "tr_id" : "PINGPONG" } }',
  '{"header":{"datetime":"20261204093340","tr_id":"PINGPONG"}}',
];

describe('PINGPONG echo at the wire (raw ws server)', function () {
  this.timeout(20_000);
  let sim: KisSimulator;
  let server: http.Server;
  let wss: WebSocketServer;
  let agent: KisAgent | undefined;

  afterEach(async () => {
    await agent?.dispose();
    agent = undefined;
    for (const client of wss.clients) client.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await sim.close();
  });

  it('echoes each PINGPONG as a text frame with exactly the bytes received', async () => {
    sim = await KisSimulator.start({ port: 0 });
    // On an http server bound to the loopback address (the security test holds every server to that).
    server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    wss = new WebSocketServer({ server: server });
    const received: WireMessage[] = [];
    let socket: WebSocket | undefined;
    wss.on('connection', (ws) => {
      socket = ws;
      ws.on('message', (data, isBinary) => received.push({ bytes: toBuffer(data), isBinary }));
    });
    const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
    agent = makeAgent({ wsUrl: url, restUrl: sim.restUrl }, new CollectingSink());
    await agent.connect();
    await waitFor(() => socket !== undefined, 'the agent connected to the raw server');

    // One at a time: each echo arrives before the next ping is sent, so the order pairs them.
    for (const [i, ping] of PINGS.entries()) {
      socket!.send(ping); // a string: ws sends it as a text frame
      await waitFor(() => received.length > i, `the echo of ping ${i + 1}`);
      const echo = received[i];
      assert.equal(echo.isBinary, false, `ping ${i + 1} was echoed as a binary frame`);
      assert.ok(
        echo.bytes.equals(Buffer.from(ping, 'utf8')),
        `ping ${i + 1} echoed as ${JSON.stringify(echo.bytes.toString('utf8'))}, not verbatim`,
      );
    }
    assert.equal(received.length, PINGS.length, 'one echo per ping, nothing else sent');
    assert.equal(agent.stats().pingpongs, PINGS.length);
  });
});
