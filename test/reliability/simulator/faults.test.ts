import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { classify, parseFrame } from '../../../src/kis';
import { KisSimulator, MALFORMED_KINDS } from '../../../src/simulator';
import { parseSimArgs, simCommand, SIM_USAGE } from '../../../src/cli/sim';
import { approval, approve, Fixture, nextEvent } from './harness';

describe('simulator faults', () => {
  const fx = new Fixture();
  afterEach(() => fx.dispose());

  it('setAckDelay holds each ack for the simulated round trip', async () => {
    const sim = fx.sim(await KisSimulator.start());
    const client = await fx.client(sim.wsUrl);
    const key = await approve(sim);
    sim.setAckDelay(80);
    const request = nextEvent(sim, 'request');
    const ack = nextEvent(sim, 'ack');
    client.request(key, 'H0STCNT0', '005930');
    const received = await request;
    assert.equal(received.ackSentAt, undefined, 'no ack yet when the request arrives');
    const sent = await ack;
    assert.equal(sent.msgCd, 'OPSP0000');
    // A lower bound (the delay is the feature); 2 ms of slack for timer rounding against Date.now().
    assert.ok(
      (sent.request.ackSentAt ?? 0) - received.at >= 78,
      `ack after ${(sent.request.ackSentAt ?? 0) - received.at} ms`,
    );
    assert.equal((await client.ack(1)).body?.msg_cd, 'OPSP0000');
    assert.throws(() => sim.setAckDelay(-1), /ack delay/);
  });

  it('ignoreSubscriptions logs requests but answers none of them', async () => {
    const sim = fx.sim(await KisSimulator.start());
    const client = await fx.client(sim.wsUrl);
    const key = await approve(sim);
    sim.ignoreSubscriptions(true);
    const ignored = nextEvent(sim, 'request');
    client.request(key, 'H0STCNT0', '005930');
    await ignored;
    sim.ignoreSubscriptions(false);
    const ack = await client.subscribe(key, 'H0STCNT0', '000660');
    assert.equal(ack.body?.msg_cd, 'OPSP0000');
    // Messages are ordered: had the first request been answered, its ack would have come first.
    assert.equal(client.acks().length, 1);
    assert.equal(sim.requests.length, 2);
    assert.equal(sim.requests[0].ackSentAt, undefined);
    assert.deepEqual(
      sim.registrations().map((r) => r.trKey),
      ['000660'],
    );
  });

  it('refuseNext answers the matching request with the given code, once', async () => {
    const sim = fx.sim(await KisSimulator.start());
    const client = await fx.client(sim.wsUrl);
    const key = await approve(sim);
    sim.refuseNext('OPSP0007');
    sim.refuseNext('OPSP8992', (r) => r.trKey === '000660');
    const refused = await client.subscribe(key, 'H0STCNT0', '005930');
    assert.deepEqual(refused.body, { rt_cd: '1', msg_cd: 'OPSP0007', msg1: 'SUBSCRIBE INTERNAL ERROR' });
    assert.equal((await client.subscribe(key, 'H0STCNT0', '000660')).body?.msg_cd, 'OPSP8992');
    assert.equal((await client.subscribe(key, 'H0STCNT0', '005930')).body?.msg_cd, 'OPSP0000');
    sim.refuseNext('OPSP0009', undefined, Number.POSITIVE_INFINITY);
    assert.equal((await client.subscribe(key, 'H0STASP0', '005930')).body?.msg_cd, 'OPSP0009');
    sim.clearRefusals();
    assert.equal((await client.subscribe(key, 'H0STASP0', '005930')).body?.msg_cd, 'OPSP0000');
  });

  it('a refused fatal code ends the session like the real one', async () => {
    const sim = fx.sim(await KisSimulator.start());
    const client = await fx.client(sim.wsUrl);
    sim.refuseNext('OPSP8996');
    client.request(await approve(sim), 'H0STCNT0', '005930');
    assert.equal((await client.ack(1)).body?.rt_cd, '9');
    assert.equal((await client.closed()).code, 1006);
  });

  it('closeAll closes cleanly with the given code; dropAll gives the client 1006', async () => {
    const sim = fx.sim(await KisSimulator.start());
    const a = await fx.client(sim.wsUrl);
    const b = await fx.client(`${sim.wsUrl}/tryitout`);
    sim.closeAll(4001, 'maintenance');
    assert.deepEqual(await a.closed(), { code: 4001, reason: 'maintenance' });
    assert.equal((await b.closed()).code, 4001);
    const c = await fx.client(sim.wsUrl);
    const serverSaw = nextEvent(sim, 'close');
    sim.dropAll();
    assert.equal((await c.closed()).code, 1006);
    assert.equal((await serverSaw).code, 1006);
    assert.equal(sim.connectionCount, 0);
    const d = await fx.client(sim.wsUrl);
    sim.closeAll();
    assert.equal((await d.closed()).code, 1000);
  });

  it('stall() sends nothing (no data, no PINGPONG, acks held) until resume()', async () => {
    const sim = fx.sim(await KisSimulator.start({ ratePerSymbol: 500, tickIntervalMs: 5, pingIntervalMs: 10 }));
    // A second server whose 30 ms PINGPONGs serve as a clock: timers fire in expiry order, so two of
    // them mean the stalled server's 5 ms data timer and 10 ms PINGPONG timer have fired several times.
    const clock = fx.sim(await KisSimulator.start({ pingFrom: 'connect', pingIntervalMs: 30 }));
    await fx.client(clock.wsUrl);
    const client = await fx.client(sim.wsUrl);
    const key = await approve(sim);
    await client.subscribe(key, 'H0STCNT0', '005930');
    await client.waitFor(() => (client.frames().length > 0 ? true : undefined), 'data before the stall');
    await nextEvent(sim, 'pingpong');
    sim.stall();
    const frozenRecords = sim.totalRecordsSent();
    const frozenPings = sim.pingLog.length;
    const requested = nextEvent(sim, 'request');
    client.request(key, 'H0STASP0', '005930');
    await requested;
    sim.pingNow();
    await nextEvent(clock, 'pingpong');
    await nextEvent(clock, 'pingpong');
    assert.equal(sim.totalRecordsSent(), frozenRecords, 'no data while stalled');
    assert.equal(sim.pingLog.length, frozenPings, 'no PINGPONG while stalled');
    assert.equal(sim.requests[1].ackSentAt, undefined, 'the ack is held');
    assert.equal(client.ws.readyState, client.ws.OPEN);
    sim.resume();
    assert.equal((await client.ack(2)).body?.msg_cd, 'OPSP0000');
    await client.waitFor(() => (client.frames('H0STASP0').length > 0 ? true : undefined), 'the new stream');
    await nextEvent(sim, 'pingpong');
    assert.ok(sim.totalRecordsSent() > frozenRecords);
  });

  it('sendMalformed sends each kind; every one is invalid for the client classifier', async () => {
    const sim = fx.sim(await KisSimulator.start({ ratePerSymbol: 0.01 }));
    const client = await fx.client(sim.wsUrl);
    await client.subscribe(await approve(sim), 'H0STASP0', '005930');
    // At 0.01 records/s the stream sends its first record, then nothing for 100 s.
    await client.waitFor(() => (client.frames().length === 1 ? true : undefined), 'the first record');
    const start = client.messages.length;
    for (const kind of MALFORMED_KINDS) sim.sendMalformed(kind);
    await client.waitFor(
      () => (client.messages.length >= start + MALFORMED_KINDS.length ? true : undefined),
      'every malformed message',
    );
    const received = client.messages.slice(start);
    assert.equal(received.length, MALFORMED_KINDS.length);
    for (const [i, text] of received.entries()) {
      const kind = MALFORMED_KINDS[i];
      const result = classify(text);
      assert.equal(result.kind === 'invalid' || kind === 'badBase64', true, `${kind}: ${text.slice(0, 40)}`);
    }
  });

  it('sendMalformed without any stream still sends a frame-shaped defect', async () => {
    const sim = fx.sim(await KisSimulator.start());
    const client = await fx.client(sim.wsUrl);
    sim.sendMalformed('fieldCount');
    const text = await client.waitFor(() => client.messages[0], 'a message');
    assert.match(text, /^0\|H0STCNT0\|002\|005930\^/);
    assert.equal(classify(text).kind, 'invalid');
  });

  it('sendInvalidUtf8 puts 0xff 0xfe in a text frame; a strict client closes with 1007, a tolerant one reads it', async () => {
    const sim = fx.sim(await KisSimulator.start({ ratePerSymbol: 0.01 }));
    const key = await approve(sim);
    const tolerant = await fx.client(sim.wsUrl, { skipUTF8Validation: true });
    await tolerant.subscribe(key, 'H0STCNT0', '005930');
    sim.sendInvalidUtf8(sim.sessionIds()[0]);
    const raw = await tolerant.waitFor(
      () => tolerant.raw.find((b) => b.includes(Buffer.from([0xff, 0xfe]))),
      'the invalid bytes',
    );
    assert.equal(raw.subarray(0, 13).toString(), '0|H0STCNT0|00');
    const strict = await fx.client(sim.wsUrl);
    sim.sendInvalidUtf8(sim.sessionIds()[1]);
    assert.equal((await strict.closed()).code, 1006, 'ws fails the connection locally (1007 sent to the server)');
    assert.equal(tolerant.ws.readyState, tolerant.ws.OPEN);
  });

  it('sendOversized sends a well-formed frame of about the requested size', async () => {
    const sim = fx.sim(await KisSimulator.start({ ratePerSymbol: 0.01 }));
    const client = await fx.client(sim.wsUrl);
    sim.sendOversized(200_000);
    const text = await client.waitFor(() => client.messages.find((m) => m.length > 1000), 'the big frame');
    assert.equal(text.length, 200_000);
    const frame = parseFrame(text);
    assert.equal(frame.width, 46);
  });

  it('a client with a small maxPayload fails on the oversized frame (close 1009 sent)', async () => {
    const sim = fx.sim(await KisSimulator.start());
    const client = await fx.client(sim.wsUrl, { maxPayload: 64 * 1024 });
    const serverSaw = nextEvent(sim, 'close');
    sim.sendOversized(100_000);
    assert.equal((await serverSaw).code, 1009);
    await client.closed();
  });

  it('sendRaw sends strings and bytes as text frames', async () => {
    const sim = fx.sim(await KisSimulator.start());
    const client = await fx.client(sim.wsUrl);
    sim.sendRaw('hello');
    sim.sendRaw(Buffer.from('bytes'));
    await client.waitFor(() => (client.messages.length >= 2 ? true : undefined), 'two messages');
    assert.deepEqual(client.messages, ['hello', 'bytes']);
  });
});

describe('kis-monitor sim', () => {
  const fx = new Fixture();
  afterEach(() => fx.dispose());

  function sink(): { stream: PassThrough; text: () => string } {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
    return { stream, text: () => chunks.join('') };
  }

  it('parses every flag', () => {
    const options = parseSimArgs([
      '--port',
      '0',
      '--symbols',
      '005930, 000660',
      '--rate',
      '50',
      '--appkey',
      'K',
      '--secret',
      'S',
      '--seed',
      '7',
      '--ping-interval',
      '1.5',
      '--max-per-frame',
      '5',
      '--strict-pingpong',
      '--market-hours',
    ]);
    assert.deepEqual(options, {
      port: 0,
      symbols: ['005930', '000660'],
      ratePerSymbol: 50,
      credentials: { appkey: 'K', secretkey: 'S' },
      seed: 7,
      pingIntervalMs: 1500,
      maxRecordsPerFrame: 5,
      strictPingPong: true,
      marketHours: true,
    });
    assert.equal(parseSimArgs(['--rate', 'max']).ratePerSymbol, 'max');
    assert.equal(parseSimArgs([]).port, 21000);
  });

  for (const [argv, pattern] of [
    [['--port', 'abc'], /--port must be an integer/],
    [['--port', '70000'], /--port/],
    [['--symbols', '5930'], /--symbols/],
    [['--symbols', ','], /--symbols/],
    [['--rate', '0'], /--rate/],
    [['--appkey', 'K'], /go together/],
    [['--appkey', '', '--secret', ''], /must not be empty/],
    [['--seed', '-1'], /--seed/],
    [['--ping-interval', 'x'], /--ping-interval/],
    [['--max-per-frame', '1000'], /--max-per-frame/],
    [['--bogus'], /bogus/],
    [['extra'], /extra/],
  ] as [string[], RegExp][]) {
    it(`exits 2 with a clear message for ${argv.join(' ')}`, async () => {
      const out = sink();
      const err = sink();
      const code = await simCommand.run(argv, { stdout: out.stream, stderr: err.stream });
      assert.equal(code, 2);
      assert.match(err.text(), pattern);
      assert.equal(err.text().split('\n').length, 2, 'one line');
    });
  }

  it('prints help and exits 0', async () => {
    const out = sink();
    assert.equal(await simCommand.run(['--help'], { stdout: out.stream, stderr: out.stream }), 0);
    assert.equal(out.text(), SIM_USAGE);
  });

  it('serves until aborted, prints its URLs, and closes cleanly', async () => {
    const out = sink();
    const controller = new AbortController();
    const listening = new Promise<KisSimulator>((resolve) => {
      void simCommand
        .run(['--port', '0', '--symbols', '005930', '--appkey', 'K', '--secret', 'S'], {
          stdout: out.stream,
          stderr: out.stream,
          signal: controller.signal,
          onListening: resolve,
        })
        .then((code) => {
          exitCode = code;
        });
    });
    let exitCode: number | undefined;
    const sim = await listening;
    assert.match(out.text(), new RegExp(`REST  http://127\\.0\\.0\\.1:${sim.port}`));
    assert.match(out.text(), new RegExp(`WS    ws://127\\.0\\.0\\.1:${sim.port}`));
    assert.equal((await approval(sim, { grant_type: 'client_credentials', appkey: 'K', secretkey: 'S' })).status, 200);
    assert.equal((await approval(sim, { grant_type: 'client_credentials', appkey: 'X', secretkey: 'S' })).status, 403);
    const client = await fx.client(sim.wsUrl);
    controller.abort();
    await client.closed();
    await new Promise<void>((resolve) => {
      const check = (): void => {
        if (out.text().includes('stopped')) resolve();
        else out.stream.once('data', check);
      };
      check();
    });
    assert.equal(exitCode, 0);
    assert.match(out.text(), /stopping \(abort\)/);
  });

  it('stops on SIGTERM when no signal is given', async () => {
    const out = sink();
    let listening: () => void = () => undefined;
    const started = new Promise<void>((resolve) => {
      listening = resolve;
    });
    const before = process.listeners('SIGTERM');
    const sigintBefore = process.listenerCount('SIGINT');
    const done = simCommand.run(['--port', '0'], {
      stdout: out.stream,
      stderr: out.stream,
      onListening: () => listening(),
    });
    await started;
    // Call only the listener the command added (emitting SIGTERM would also run other code's handlers).
    const added = process.listeners('SIGTERM').filter((l) => !before.includes(l));
    assert.equal(added.length, 1);
    (added[0] as (signal: NodeJS.Signals) => void)('SIGTERM');
    assert.equal(await done, 0);
    assert.match(out.text(), /stopping \(SIGTERM\)/);
    assert.equal(process.listenerCount('SIGTERM'), before.length, 'its listeners are removed');
    assert.equal(process.listenerCount('SIGINT'), sigintBefore);
  });

  it('exits 1 when the port is in use', async () => {
    const sim = fx.sim(await KisSimulator.start());
    const err = sink();
    assert.equal(await simCommand.run(['--port', String(sim.port)], { stdout: err.stream, stderr: err.stream }), 1);
    assert.match(err.text(), /already in use/);
  });

  it('returns at once for an already aborted signal', async () => {
    const out = sink();
    const controller = new AbortController();
    controller.abort();
    assert.equal(
      await simCommand.run(['--port', '0'], { stdout: out.stream, stderr: out.stream, signal: controller.signal }),
      0,
    );
  });
});
