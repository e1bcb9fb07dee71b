/**
 * The parent side of the soak's simulator process: starts test/soak/sim-child.js and turns its IPC
 * replies into promises (one per command, matched by id; all of them fail if the process exits).
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { parseSoakSimReply, type SoakSimCommand, type SoakSimOptions, type SoakSimReply, type SoakSimStats } from './simProtocol';

/** `Omit<T, 'id'>` applied to each member of a union. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** A running simulator process. */
export interface SoakSim {
  readonly wsUrl: string;
  readonly restUrl: string;
  /** Every connection dropped without a close frame (the client sees 1006). */
  dropAll(): Promise<void>;
  /** Every connection closed cleanly with code 1000. */
  closeAll(): Promise<void>;
  stats(): Promise<SoakSimStats>;
  /** Stops the simulator and awaits the process's exit (killed after 5 s). Idempotent. */
  close(): Promise<void>;
}

interface Waiter {
  resolve: (reply: SoakSimReply) => void;
  reject: (error: Error) => void;
}

/** Starts the simulator process; resolves once it listens. */
export async function startSoakSim(options: SoakSimOptions): Promise<SoakSim> {
  const child: ChildProcess = fork(path.join(__dirname, 'sim-child.js'), [JSON.stringify(options)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // Not this process's flags: the child needs no --expose-gc, and inheriting it would hide nothing useful.
    execArgv: [],
  });
  const waiters = new Map<number, Waiter>();
  let nextId = 1;
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => {
    exited = true;
    for (const waiter of waiters.values()) waiter.reject(new Error('the simulator process exited'));
    waiters.clear();
  });

  const started = new Promise<{ wsUrl: string; restUrl: string }>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the simulator process exited before it listened (code ${code})`)));
    child.on('message', (raw: unknown) => {
      const reply = parseSoakSimReply(raw);
      if (reply === undefined) return;
      if (reply.type === 'started') {
        resolve({ wsUrl: reply.wsUrl, restUrl: reply.restUrl });
        return;
      }
      const waiter = waiters.get(reply.id);
      if (waiter === undefined) return;
      waiters.delete(reply.id);
      if (reply.type === 'error') waiter.reject(new Error(`simulator: ${reply.message}`));
      else waiter.resolve(reply);
    });
  });
  const { wsUrl, restUrl } = await started;

  const call = (command: WithoutId<SoakSimCommand>): Promise<SoakSimReply> =>
    new Promise<SoakSimReply>((resolve, reject) => {
      if (exited) {
        reject(new Error('the simulator process exited'));
        return;
      }
      const id = nextId++;
      waiters.set(id, { resolve, reject });
      child.send({ ...command, id });
    });
  const expectDone = async (command: WithoutId<SoakSimCommand>): Promise<void> => {
    const reply = await call(command);
    if (reply.type !== 'done') throw new Error(`simulator: unexpected reply ${reply.type} to ${command.type}`);
  };
  let closing: Promise<void> | undefined;

  return {
    wsUrl,
    restUrl,
    dropAll: () => expectDone({ type: 'dropAll' }),
    closeAll: () => expectDone({ type: 'closeAll' }),
    async stats() {
      const reply = await call({ type: 'stats' });
      if (reply.type !== 'stats') throw new Error(`simulator: unexpected reply ${reply.type} to stats`);
      const { connections, registrations, totalRecordsSent, rssBytes } = reply;
      return { connections, registrations, totalRecordsSent, rssBytes };
    },
    close() {
      closing ??= (async () => {
        if (exited) return;
        const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await call({ type: 'close' }).catch(() => undefined);
        await exitedPromise;
        clearTimeout(killer);
      })();
      return closing;
    },
  };
}
