/**
 * The soak's simulator process: `fork(out/test/soak/sim-child.js, [JSON options])`. It runs one
 * `KisSimulator` and obeys the commands of test/soak/simProtocol.ts over the IPC channel.
 *
 * Why a separate process: the soak measures the memory and handles of the client side (agent + worker
 * host). A simulator in the same process would add its own sockets, timers and garbage to every figure,
 * and take the CPU of the event loop being measured.
 */
import { KisSimulator } from '../../src/simulator';
import { parseSoakSimCommand, parseSoakSimOptions, type SoakSimCommand, type SoakSimReply } from './simProtocol';

function send(reply: SoakSimReply): void {
  process.send?.(reply);
}

function countAcked(sim: KisSimulator): number {
  let n = 0;
  for (const registration of sim.registrations()) if (registration.acked) n++;
  return n;
}

async function main(): Promise<void> {
  const options = parseSoakSimOptions(process.argv[2]);
  if (options instanceof Error) throw options;
  const sim = await KisSimulator.start({ port: 0, ...options });
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= sim.close().then(() => {
      if (process.connected) process.disconnect();
    });
    return closing;
  };
  // The parent going away (a failed test, Ctrl-C) must not leave a listening simulator behind.
  process.on('disconnect', () => void close().then(() => process.exit(0)));

  const handle = async (command: SoakSimCommand): Promise<void> => {
    switch (command.type) {
      case 'dropAll':
        sim.dropAll();
        send({ type: 'done', id: command.id });
        return;
      case 'closeAll':
        sim.closeAll(1000, 'soak');
        send({ type: 'done', id: command.id });
        return;
      case 'stats':
        send({
          type: 'stats',
          id: command.id,
          connections: sim.connectionCount,
          registrations: countAcked(sim),
          totalRecordsSent: sim.totalRecordsSent(),
          rssBytes: process.memoryUsage().rss,
        });
        return;
      case 'close':
        send({ type: 'done', id: command.id });
        await close();
        return;
    }
  };

  process.on('message', (raw: unknown) => {
    const command = parseSoakSimCommand(raw);
    if (command === undefined) {
      console.error('soak simulator: ignored a malformed command');
      return;
    }
    handle(command).catch((error: unknown) => send({ type: 'error', id: command.id, message: error instanceof Error ? error.message : String(error) }));
  });
  send({ type: 'started', id: 0, wsUrl: sim.wsUrl, restUrl: sim.restUrl });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
