/**
 * `npm run soak:day:prove [-- --minutes N]`: proves each invariant can fail. Runs one short day per
 * deliberate bug (bugs.ts) and passes only when every such day exits 1 with its invariant named in the
 * summary's `violated`; prints one line per bug, the summary line of each day last.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { BUG_INVARIANT, BUGS, type BugName } from './bugs';

const MAIN = path.join(__dirname, 'main.js');

function runDay(bug: BugName, minutes: string): Promise<{ code: number | null; summary: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', MAIN, '--minutes', minutes, '--seed', '7', '--bug', bug], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.on('exit', (code) => resolve({ code, summary: out.trim().split('\n').at(-1) ?? '' }));
  });
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { minutes: { type: 'string' } } });
  const minutes = values.minutes ?? '0.5';
  const lines: string[] = [];
  let failed = 0;
  for (const bug of BUGS) {
    const { code, summary } = await runDay(bug, minutes);
    let violated: string[] = [];
    try {
      violated = (JSON.parse(summary) as { violated: string[] }).violated;
    } catch {
      // no summary: reported below
    }
    const caught = code === 1 && violated.includes(BUG_INVARIANT[bug]);
    if (!caught) failed++;
    console.log(
      `${caught ? 'caught' : 'NOT CAUGHT'}: --bug ${bug} → exit ${code}, violated ${JSON.stringify(violated)} (expected ${BUG_INVARIANT[bug]})`,
    );
    lines.push(summary);
  }
  for (const line of lines) console.log(line);
  return failed === 0 ? 0 : 1;
}

main().then((code) => process.exit(code));
