/**
 * Found by fuzzing: the agent filed every SUBSCRIBE SUCCESS key under its tr_id alone, so a second notice
 * subscription (the simulator issues a key per registration), or a success ack for a subscription the agent
 * does not hold, replaced the key of the one it holds and its notices no longer decrypted.
 */
import { strict as assert } from 'node:assert';
import type { KisAgent } from '../../../src/agent';
import { buildAck, encryptNotice } from '../../../src/kis';
import { NOTICE_RECORD_26 } from '../../unit/kis/fixtures';
import { KisSimulator } from '../../../src/simulator';
import { CollectingSink, makeAgent, waitFor } from './helpers';

describe('agent: notice keys per subscription (found by fuzzing)', () => {
  let sim: KisSimulator | undefined;
  let agent: KisAgent | undefined;
  afterEach(async () => {
    await agent?.dispose();
    await sim?.close();
    agent = sim = undefined;
  });

  async function setUp(): Promise<{ s: KisSimulator; a: KisAgent; sink: CollectingSink }> {
    const s = (sim = await KisSimulator.start({ port: 0 }));
    const sink = new CollectingSink();
    const a = (agent = makeAgent(s, sink));
    await a.connect();
    await a.subscribe('H0STCNI0', 'HTSUSER');
    return { s, a, sink };
  }

  it('a second notice subscription on the same TR keeps the first one decrypting', async () => {
    const { s, a, sink } = await setUp();
    await a.subscribe('H0STCNI0', 'OTHERUSR');
    const plaintext = s.sendNotice('HTSUSER');
    await waitFor(() => sink.frames === 1 || a.stats().parseErrors > 0, 'the notice');
    assert.equal(a.stats().parseErrors, 0);
    assert.equal(sink.batches.flat()[0].payload, plaintext);
  });

  it('a success ack with a key for a subscription the agent does not hold is not taken: its notices do not decrypt', async () => {
    const { s, a, sink } = await setUp();
    const stranger = { iv: 'x'.repeat(16), key: 'y'.repeat(32) };
    s.sendRaw(buildAck({ trId: 'H0STCNI0', trKey: 'STRANGER', encrypt: true, msgCd: 'OPSP0000', ...stranger }));
    // A notice under the stranger's key: an agent that filed that key would deliver it.
    s.sendRaw(`1|H0STCNI0|001|${encryptNotice(NOTICE_RECORD_26, stranger.key, stranger.iv)}`);
    await waitFor(() => a.stats().parseErrors > 0 || sink.frames > 0, 'the stranger notice handled');
    assert.equal(a.stats().parseErrors, 1, 'refused as undecryptable');
    assert.equal(sink.frames, 0);
    // The held key still works.
    const plaintext = s.sendNotice('HTSUSER');
    await waitFor(() => sink.frames === 1, 'the held notice');
    assert.equal(sink.batches.flat()[0].payload, plaintext);
  });
});
