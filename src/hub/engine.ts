/**
 * A plain-Node hub engine: the agent feeding a worker host, for the CLI and the multi-process tests.
 * (The extension's leader runs its feed instead: src/feed/source/hubSource.ts.)
 */
import type { AppkeyHolds } from '../agent/appkeyHold';
import { KisAgent } from '../agent';
import type { AgentState } from '../shared/stats';
import { WorkerHost } from '../worker/host';
import type { HubEngine } from './hub';

/** Options of `createAgentEngine`. */
export interface AgentEngineOptions {
  wsUrl: string;
  restUrl: string;
  appkey: string;
  appsecret: string;
  holds: AppkeyHolds;
  /** Worker snapshot period (ms). Default 100. */
  snapshotIntervalMs?: number;
  log?: (level: 'info' | 'warn', message: string) => void;
}

/** Builds and connects an agent whose records feed a worker; its snapshots and states go to the hub. */
export function createAgentEngine(options: AgentEngineOptions): HubEngine {
  const host = new WorkerHost({ snapshotIntervalMs: options.snapshotIntervalMs ?? 100 });
  const agent = new KisAgent({
    wsUrl: options.wsUrl,
    restUrl: options.restUrl,
    appkey: options.appkey,
    appsecret: options.appsecret,
    sink: host,
    appkeyHolds: options.holds,
  });
  const log = options.log ?? (() => undefined);
  host.on('error', (error) => log('warn', `[worker] ${error.message}`));
  agent.on('log', (l) => log(l.level === 'warn' || l.level === 'error' ? 'warn' : 'info', `[agent] ${l.message}`));
  agent.on('error', () => undefined); // already in the log
  const stateListeners: ((state: AgentState) => void)[] = [];
  agent.on('state', (s) => {
    for (const listener of stateListeners) listener(s.to);
  });
  agent.connect().catch(() => undefined); // a fatal stop is a 'stopped' state
  return {
    subscribe(trId, trKey) {
      agent
        .subscribe(trId, trKey)
        .catch((error: unknown) =>
          log('warn', `${trId} ${trKey}: ${error instanceof Error ? error.message : String(error)}`),
        );
    },
    unsubscribe(trId, trKey) {
      agent
        .unsubscribe(trId, trKey)
        .catch((error: unknown) =>
          log('warn', `${trId} ${trKey}: ${error instanceof Error ? error.message : String(error)}`),
        );
    },
    onSnapshot(listener) {
      host.on('snapshot', listener);
    },
    onState(listener) {
      stateListeners.push(listener);
    },
    async dispose() {
      await agent.dispose();
      await host.dispose();
    },
  };
}
