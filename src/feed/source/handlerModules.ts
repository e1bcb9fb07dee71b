/**
 * The user handler modules the editor asked for, held across source switches and worker
 * restarts: each runtime's worker host starts with them, and a change (the setting, a saved file) goes
 * to the running worker, which swaps them between two batches — no reconnect, no gap in the stream.
 *
 * TypeScript handlers are compiled here, in the extension host, with the WORKSPACE's own `esbuild` (or
 * else `typescript`): the extension ships neither (esbuild's JS API needs its ~10 MB native binary per
 * platform, `esbuild-wasm` is ~12 MB), so JavaScript handlers always work and TypeScript ones when the
 * workspace has one of the two installed. The output carries an inline source map, so the worker (which
 * turns source maps on) reports errors at the .ts file's lines.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { Emitter, type Event } from '../../common/lifecycle';
import type { HandlerStat } from '../../shared/stats';
import type { WorkerHost } from '../../worker/host';

/** A handler error as the output channel shows it. */
export interface HandlerProblem {
  /** The handler's source file (the .ts file for a compiled handler). */
  handler: string;
  message: string;
  /** The handler's own stack (source positions), when there is one. */
  stack?: string;
}

/** The handler set shared by every runtime of one feed. */
export class FeedHandlers {
  private paths: string[] = [];
  private worker: WorkerHost | undefined;
  private latest: HandlerStat[] = [];
  /** Compiled module path → the source it came from (errors name the source). */
  private readonly sources = new Map<string, string>();
  private readonly problems = new Emitter<HandlerProblem>();
  /** A handler threw, rejected or failed to load. */
  readonly onProblem: Event<HandlerProblem> = this.problems.event;

  /** The module paths a new worker loads. */
  get modulePaths(): readonly string[] {
    return this.paths;
  }

  /**
   * Makes the handlers exactly `modules` (absolute paths of loadable CommonJS modules, with the source
   * each came from). The running worker reloads every one of them, so call it on each save.
   */
  set(modules: ReadonlyArray<{ module: string; source: string }>): void {
    this.paths = modules.map((m) => m.module);
    this.sources.clear();
    for (const m of modules) this.sources.set(m.module, m.source);
    this.worker?.setHandlers(this.paths);
  }

  /** Reports a problem found before the worker (a compile error). */
  report(problem: HandlerProblem): void {
    this.problems.fire(problem);
  }

  /** Each handler's counters, named by source file, as of the worker's last report. */
  stats(): HandlerStat[] {
    return this.latest.map((s) => ({ ...s, path: this.sources.get(s.path) ?? s.path }));
  }

  /** Follows a new runtime's worker host (built with `modulePaths`). */
  attach(worker: WorkerHost): void {
    this.worker = worker;
    this.latest = [];
    worker.on('handlerStats', (stats) => {
      if (this.worker === worker) this.latest = stats;
    });
    worker.on('handlerError', (event) => {
      if (this.worker !== worker) return;
      const handler = this.sources.get(event.handler) ?? event.handler;
      this.problems.fire({
        handler,
        message: event.message,
        ...(event.stack !== undefined ? { stack: event.stack } : {}),
      });
    });
  }

  dispose(): void {
    this.worker = undefined;
    this.problems.dispose();
  }
}

/** The outcome of preparing one handler source for the worker. */
export type PreparedHandler =
  | { ok: true; module: string; source: string }
  | { ok: false; source: string; code: 'NO_COMPILER' | 'COMPILE_FAILED'; message: string };

/** Minimal shapes of the two compilers' APIs that we call (loaded from the workspace, untyped there). */
interface EsbuildApi {
  build(options: Record<string, unknown>): Promise<unknown>;
}
interface TypeScriptApi {
  transpileModule(text: string, options: Record<string, unknown>): { outputText: string };
  ModuleKind: { CommonJS: number };
  ScriptTarget: { ES2022: number };
}

/**
 * Makes a handler source loadable by the worker: a .js/.cjs file as it is; a .ts/.mts/.cts file compiled
 * (and bundled, with esbuild) into `outDir`, with an inline source map. `workspaceRoot` is where the
 * compiler is looked up.
 */
export async function prepareHandler(source: string, workspaceRoot: string, outDir: string): Promise<PreparedHandler> {
  if (!/\.[cm]?ts$/i.test(source)) return { ok: true, module: source, source };
  // One folder per source path, so the compiled file keeps the source's name (Connection Details shows it).
  const out = path.join(outDir, hash(source), path.basename(source).replace(/\.[cm]?ts$/i, '.js'));
  const load = createRequire(path.join(workspaceRoot, 'package.json'));
  try {
    await fs.promises.mkdir(path.dirname(out), { recursive: true });
    const esbuild = tryRequire<EsbuildApi>(load, 'esbuild');
    if (esbuild) {
      await esbuild.build({
        entryPoints: [source],
        outfile: out,
        bundle: true,
        platform: 'node',
        format: 'cjs',
        sourcemap: 'inline',
        logLevel: 'silent',
        write: true,
      });
      return { ok: true, module: out, source };
    }
    const ts = tryRequire<TypeScriptApi>(load, 'typescript');
    if (ts) {
      const text = await fs.promises.readFile(source, 'utf8');
      const { outputText } = ts.transpileModule(text, {
        fileName: source,
        compilerOptions: {
          module: ts.ModuleKind.CommonJS,
          target: ts.ScriptTarget.ES2022,
          inlineSourceMap: true,
          inlineSources: true,
        },
      });
      await fs.promises.writeFile(out, outputText);
      return { ok: true, module: out, source };
    }
  } catch (error) {
    return {
      ok: false,
      source,
      code: 'COMPILE_FAILED',
      message: error instanceof Error ? error.message : String(error),
    };
  }
  return {
    ok: false,
    source,
    code: 'NO_COMPILER',
    message: `${source}: a TypeScript handler needs esbuild or typescript installed in the workspace (npm i -D esbuild); or write it in JavaScript`,
  };
}

function tryRequire<T>(load: NodeJS.Require, name: string): T | undefined {
  try {
    return load(name) as T;
  } catch {
    return undefined;
  }
}

/** A short stable tag of a path, so two handlers with the same file name do not share an output. */
function hash(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0).toString(36);
}
