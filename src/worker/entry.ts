/**
 * Entry point of the handler worker thread (bundled to dist/worker.js; compiled to out/src/worker/entry.js
 * for tests). Wires `WorkerRuntime` to `parentPort`. The host is the only sender, so its messages are
 * trusted in shape; anything malformed is still answered with `fatal` rather than an uncaught throw.
 */
import { parentPort } from 'node:worker_threads';
import type { HostToWorker } from '../shared/workerProtocol';
import { WorkerRuntime } from './runtime';

// A TypeScript handler is compiled with an inline source map: with source maps on, its error
// stacks name the .ts file's lines. Costs nothing until a stack is formatted.
process.setSourceMapsEnabled(true);

const port = parentPort;
if (port === null) throw new Error('src/worker/entry.ts must run in a worker thread');

const runtime = new WorkerRuntime(
  (message) => port.postMessage(message),
  // Closing the port lets the thread's event loop empty, so it exits on its own (and flushes coverage).
  () => port.close(),
);

port.on('message', function onHostMessage(message: unknown) {
  if (typeof message !== 'object' || message === null || typeof (message as { type?: unknown }).type !== 'string') {
    port.postMessage({ type: 'fatal', message: 'malformed message from host' });
    return;
  }
  runtime.handle(message as HostToWorker);
});
