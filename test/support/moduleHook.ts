/**
 * Makes `require(request)` answer `exports` in this process: how tests and benchmarks put a stand-in where
 * the code (or a bundle of it) requires a module that exists only elsewhere (`vscode` in the extension host,
 * `lightweight-charts` in the webview bundle). The request resolves to a fake file name whose module is
 * already in `require.cache`, so the loader and a bundle's `require` both get the stand-in.
 */
import Module from 'node:module';
import * as path from 'node:path';

const mapped = new Map<string, string>();

/** Answers `require(request)` with `exports` from now on (idempotent per request: the first mapping stays). */
export function mapModule(request: string, exports: unknown): void {
  if (mapped.has(request)) return;
  const id = path.join(__dirname, `__${request.replace(/[^\w-]/g, '_')}_stand_in__.js`);
  mapped.set(request, id);
  const cached = new Module(id);
  cached.filename = id;
  cached.loaded = true;
  cached.exports = exports;
  require.cache[id] = cached;
  if (mapped.size > 1) return;
  const loader = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const original = loader._resolveFilename;
  loader._resolveFilename = function resolve(this: unknown, request: string, ...rest: unknown[]): string {
    return mapped.get(request) ?? original.call(this, request, ...rest);
  };
}
