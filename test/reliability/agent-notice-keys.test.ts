/**
 * Found by fuzzing: the agent filed every SUBSCRIBE SUCCESS key under its tr_id alone, so a second notice
 * subscription (the simulator issues a key per registration), or a success ack for a subscription the agent
 * does not hold, replaced the key of the one it holds and its notices no longer decrypted.
 */
import { strict as assert } from 'node:assert';
import type { KisAgent } from '../../src/agent';
import { buildAck } from '../../src/kis';
import { KisSimulator } from '../../src/simulator';
import { CollectingSink, makeAgent, waitFor } from './agent-helpers';

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

  it('a success ack with a key for a subscription the agent does not hold does not replace the held key', async () => {
    const { s, a, sink } = await setUp();
    s.sendRaw(buildAck({ trId: 'H0STCNI0', trKey: 'STRANGER', encrypt: true, msgCd: 'OPSP0000', iv: 'x'.repeat(16), key: 'y'.repeat(32) }));
    const plaintext = s.sendNotice('HTSUSER');
    await waitFor(() => sink.frames === 1 || a.stats().parseErrors > 0, 'the notice');
    assert.equal(a.stats().parseErrors, 0);
    assert.equal(sink.batches.flat()[0].payload, plaintext);
  });
});
