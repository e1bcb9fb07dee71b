/**
 * The hub leader's own checks, inside one process (no `kis-monitor` children, so a failure shows its
 * assertion at once instead of a multi-process timeout):
 * - the token: a follower with a wrong token is refused (BAD_TOKEN), one with the right token welcomed;
 * - the default message cap, stated literally: a body of exactly 1 MiB (1,048,576 bytes) is accepted,
 *   1 MiB + 1 byte is refused and the connection dropped.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { HubError } from '../../../src/hub/errors';
import { HubFollower } from '../../../src/hub/follower';
import { FrameDecoder } from '../../../src/hub/framing';
import { HubLeader } from '../../../src/hub/leader';
import { HUB_PROTOCOL_VERSION, type HubMessage } from '../../../src/shared/hubProtocol';

/** The cap the hub documents: 1 MiB. */
const ONE_MIB = 1024 * 1024;
const TOKEN = 'a'.repeat(64);

class NoSource {
  subscribe(): void {}
  unsubscribe(): void {}
}

/** A hello frame whose JSON body is exactly `bytes` long (trailing whitespace is valid JSON). */
function helloOfSize(bytes: number): Buffer {
  const json = JSON.stringify({ type: 'hello', version: HUB_PROTOCOL_VERSION, token: TOKEN, name: 'big', pid: 7 });
  const body = Buffer.from(json + ' '.repeat(bytes - Buffer.byteLength(json)), 'utf8');
  assert.equal(body.length, bytes);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length, 0);
  return Buffer.concat([head, body]);
}

/** Sends `frame` on a raw connection; resolves with what the leader answered before closing, or the first message. */
function exchange(sock: string, frame: Buffer): Promise<{ messages: HubMessage[]; closed: boolean }> {
  return new Promise((resolve) => {
    const messages: HubMessage[] = [];
    const decoder = new FrameDecoder();
    const s = net.connect(sock, () => s.write(frame));
    s.on('data', (chunk: Buffer) => {
      for (const d of decoder.push(chunk)) if (d.kind === 'message') messages.push(d.message);
      if (messages.length > 0) {
        s.destroy();
        resolve({ messages, closed: false });
      }
    });
    s.on('error', () => undefined);
    s.on('close', () => resolve({ messages, closed: true }));
  });
}

describe('hub leader checks in one process', function () {
  // Every case is local socket traffic: a failure must show its assertion well inside this.
  this.timeout(5000);
  let dir: string;
  let sock: string;
  let leader: HubLeader | undefined;
  let logs: string[];
  const followers: HubFollower[] = [];

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-hub-checks-'));
    sock = path.join(dir, 'l.sock');
    logs = [];
    leader = await HubLeader.open({
      socketPath: sock,
      token: TOKEN,
      name: 'L',
      source: new NoSource(),
      log: (_level, line) => logs.push(line),
    });
  });
  afterEach(async () => {
    for (const f of followers.splice(0)) f.close();
    await leader?.close();
    leader = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a follower whose token differs (same length), and welcomes the right one', async () => {
    await assert.rejects(
      HubFollower.connect({ socketPath: sock, token: 'b'.repeat(64), name: 'intruder', wants: [] }),
      (e: unknown) => e instanceof HubError && e.code === 'HUB_REFUSED' && e.detail === 'BAD_TOKEN',
    );
    assert.equal(logs.filter((l) => l.includes('"intruder"') && l.includes('wrong token')).length, 1, logs.join('\n'));
    assert.ok(!logs.some((l) => l.includes('b'.repeat(64)) || l.includes(TOKEN)), 'a token reached the log');
    const good = await HubFollower.connect({ socketPath: sock, token: TOKEN, name: 'friend', wants: [] });
    followers.push(good);
    assert.equal(good.welcome.leaderName, 'L');
    assert.equal(leader?.stats().followers, 1);
  });

  it('refuses a token that is a prefix of the right one, and an empty token', async () => {
    for (const token of [TOKEN.slice(0, 32), '']) {
      await assert.rejects(
        HubFollower.connect({ socketPath: sock, token, name: 'short', wants: [] }),
        (e: unknown) => e instanceof HubError && e.detail === 'BAD_TOKEN',
        `token of ${token.length} characters`,
      );
    }
  });

  it('accepts a message of exactly 1 MiB (1,048,576 bytes)', async () => {
    const { messages } = await exchange(sock, helloOfSize(ONE_MIB));
    assert.equal(messages[0]?.type, 'welcome');
    assert.equal(leader?.stats().malformed, 0);
  });

  it('refuses a message of 1 MiB + 1 byte (1,048,577) and drops the connection', async () => {
    const { messages, closed } = await exchange(sock, helloOfSize(ONE_MIB + 1));
    assert.deepEqual(messages, []);
    assert.equal(closed, true);
    assert.equal(leader?.stats().malformed, 1);
    assert.ok(
      logs.some((l) => l.includes('over the size cap')),
      logs.join('\n'),
    );
  });

  it('the decoder either end uses by default has the same 1 MiB cap', () => {
    const accepted = new FrameDecoder().push(helloOfSize(ONE_MIB));
    assert.equal(accepted[0]?.kind, 'message');
    const refused = new FrameDecoder().push(helloOfSize(ONE_MIB + 1));
    assert.equal(refused[0]?.kind === 'error' && refused[0].code, 'HUB_OVERSIZED');
  });
});
