/**
 * The lint rule that keeps Seoul's offset in src/market: the repository's own ESLint configuration is run
 * on snippets placed (by name) in a view and in src/market.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ESLint } from 'eslint';

const repoRoot = path.resolve(__dirname, '../../../..');

/** The no-restricted-syntax findings for `code` as if it were the file `file` of the repository. */
async function offsetFindings(eslint: ESLint, file: string, code: string): Promise<number[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(repoRoot, file) });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.line);
}

describe('lint: the KST offset lives in src/market', () => {
  let eslint: ESLint;
  before(() => {
    eslint = new ESLint({ cwd: repoRoot });
  });

  const reDerivations = [
    'export const a = 32_400_000;',
    'export const b = -540;',
    "export const c = '+09:00';",
    "export const d = 'Asia/Seoul';",
    'export const e = (day: string): number => Date.parse(`${day}T10:00:00+09:00`);',
    'export const f = 9 * 60 * 60 * 1000;',
    'export const g = 9 * 3_600_000;',
    'export const h = (x: Date): number => x.getUTCHours() + 9;',
    'export const i = Date.UTC(2026, 0, 1, 10 - 9);',
  ];

  it('refuses each shape of the offset outside src/market', async () => {
    const lines = await offsetFindings(eslint, 'src/views/probe.ts', reDerivations.join('\n'));
    assert.deepEqual(lines, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('allows them in src/market, where the offset is defined', async () => {
    assert.deepEqual(await offsetFindings(eslint, 'src/market/probe.ts', reDerivations.join('\n')), []);
  });

  it('leaves alone what only looks like it: nine minutes, a fixed instant, an example in a message', async () => {
    const innocent = [
      'export const a = 9 * 60_000;',
      "export const b = Date.parse('2026-12-07T11:00:00+09:00');",
      'export const c = (v: string): string => `e.g. 2026-12-07T17:30:00+09:00, got ${v}`;',
      'export const d = 90 * 60;',
    ];
    assert.deepEqual(await offsetFindings(eslint, 'src/views/probe.ts', innocent.join('\n')), []);
  });
});
