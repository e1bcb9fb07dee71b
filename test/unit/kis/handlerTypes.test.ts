/**
 * The types users' handlers compile against (media/handler/kis-handler.d.ts, copied beside their handlers)
 * are a self-contained copy of the source's record types. This file holds the copy to the source at compile
 * time: a field added, removed or retyped on either side makes `npm run compile-tests` (and so the suite) fail.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../worker/helpers';
import type * as Shipped from '../../../media/handler/kis-handler';
import type * as Kis from '../../../src/kis/types';
import type { UserHandler, WorkerRecord } from '../../../src/worker/userHandlers';

/** True only when A and B are the same type (readonly and optional modifiers included). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** Each line fails to compile when the shipped type and the source type part. */
const sameTypes: Record<string, true> = {
  Sign: true satisfies Same<Shipped.Sign, Kis.Sign>,
  OrderBookLevel: true satisfies Same<Shipped.OrderBookLevel, Kis.OrderBookLevel>,
  TradeRecord: true satisfies Same<Shipped.TradeRecord, Kis.TradeRecord>,
  OrderBookRecord: true satisfies Same<Shipped.OrderBookRecord, Kis.OrderBookRecord>,
  KisRecord: true satisfies Same<Shipped.KisRecord, WorkerRecord>,
  KisHandler: true satisfies Same<Shipped.KisHandler, UserHandler>,
};

describe('handler types shipped to users', () => {
  it('are the source record types (checked when the tests compile), for every type the file exports', () => {
    const text = fs.readFileSync(path.join(projectRoot(), 'media/handler/kis-handler.d.ts'), 'utf8');
    const exported = [...text.matchAll(/^export (?:type|interface) (\w+)/gm)].map((m) => m[1]).sort();
    assert.deepEqual(exported, Object.keys(sameTypes).sort(), 'every exported type is held to its source above');
  });

  it('stand alone: the file a user gets imports nothing', () => {
    const text = fs.readFileSync(path.join(projectRoot(), 'media/handler/kis-handler.d.ts'), 'utf8');
    assert.doesNotMatch(text, /^\s*import\b|\brequire\(|\/\/\/\s*<reference/m);
  });
});
