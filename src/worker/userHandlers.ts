/**
 * User handlers: CommonJS modules, loaded inside the worker, whose default export (or `module.exports`
 * function) is called with every record.
 *
 * Contract for handler authors:
 * - Called synchronously, once per record, in arrival order, after the built-in handlers.
 * - A throw is counted (`handlerErrors`) and the next record goes on.
 * - A returned promise is observed, not awaited: the loop goes on at once (a handler that awaits I/O per
 *   record must not throttle the stream), a rejection is counted like a throw, and the pending promises
 *   are held until they settle and awaited (bounded) when the worker stops. Order of async completions is
 *   the handler's business.
 * - Records of a batch replayed after a worker restart are not passed to user handlers (see
 *   `FramesMessage.replay`): handlers get each record at most once.
 */
import * as path from 'node:path';
import { readOrderBook, readTrade, TR } from '../kis/layouts/krx';
import type { OrderBookRecord, TradeRecord } from '../kis/types';

/** What a user handler receives for each record. */
export interface WorkerRecord {
  readonly trId: string;
  /** The record's first field (the tr_key: a symbol for market data, the HTS id for notices). */
  readonly symbol: string;
  /** The record's fields. */
  readonly fields: readonly string[];
  /** The parsed H0STCNT0 record (undefined for other TRs). */
  readonly trade?: TradeRecord;
  /** The parsed H0STASP0 record (undefined for other TRs). */
  readonly book?: OrderBookRecord;
}

/** The signature of a user handler module's default export. */
export type UserHandler = (record: WorkerRecord) => void | PromiseLike<void>;

/**
 * A record view over the frame's split array. `fields`, `trade` and `book` are computed on first access
 * and kept, so a handler that reads only `symbol` costs one small object per record.
 */
export class LazyRecord implements WorkerRecord {
  private fieldsCache: readonly string[] | undefined;
  private tradeCache: TradeRecord | undefined;
  private bookCache: OrderBookRecord | undefined;

  constructor(
    readonly trId: string,
    readonly symbol: string,
    private readonly all: readonly string[],
    private readonly offset: number,
    private readonly width: number,
  ) {}

  get fields(): readonly string[] {
    return (this.fieldsCache ??= Object.freeze(this.all.slice(this.offset, this.offset + this.width)));
  }

  get trade(): TradeRecord | undefined {
    if (this.trId !== TR.TRADE) return undefined;
    return (this.tradeCache ??= readTrade(this.all, this.offset, this.width));
  }

  get book(): OrderBookRecord | undefined {
    if (this.trId !== TR.ORDER_BOOK) return undefined;
    return (this.bookCache ??= readOrderBook(this.all, this.offset, undefined, this.width));
  }
}

/** A loaded handler and the path it came from (the name errors are reported under). */
export interface LoadedHandler {
  path: string;
  fn: UserHandler;
}

/** Why a handler module could not be used. */
export class HandlerLoadError extends Error {
  readonly code = 'HANDLER_LOAD_FAILED';
  constructor(
    readonly handler: string,
    message: string,
    /** The stack of the error the module threw while loading (a syntax error's names the file and line). */
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'HandlerLoadError';
  }
}

/**
 * Loads a handler module. Relative paths are refused: the worker's working directory is not the
 * caller's, so a relative path would silently mean something else.
 */
export function loadHandler(modulePath: string): LoadedHandler {
  if (typeof modulePath !== 'string' || !path.isAbsolute(modulePath)) {
    throw new HandlerLoadError(String(modulePath), `handler path must be absolute: ${String(modulePath)}`);
  }
  let loaded: unknown;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require(modulePath);
  } catch (error) {
    throw new HandlerLoadError(
      modulePath,
      `cannot load handler ${modulePath}: ${errorMessage(error)}`,
      errorStack(error),
    );
  }
  const candidate =
    typeof loaded === 'function'
      ? loaded
      : typeof loaded === 'object' && loaded !== null && typeof (loaded as { default?: unknown }).default === 'function'
        ? (loaded as { default: unknown }).default
        : undefined;
  if (typeof candidate !== 'function') {
    throw new HandlerLoadError(modulePath, `handler ${modulePath} has no default export function`);
  }
  return { path: modulePath, fn: candidate as UserHandler };
}

/** A thrown value's stack (V8 puts the source position of a syntax error in it), if it has one. */
export function errorStack(error: unknown): string | undefined {
  return error instanceof Error && typeof error.stack === 'string' ? error.stack : undefined;
}

/** A thrown value as a one-line message. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  try {
    return String(error);
  } catch {
    return 'unprintable error';
  }
}
