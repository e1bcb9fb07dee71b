/**
 * Shared test data for the kis-*.test.ts suites: the fixture messages of test/fixtures and the
 * examples of kis-protocol.md §8.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The folder holding package.json, found by walking up (works from test/unit and from out/test/unit). */
export function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

/** One fixture message with the comment line that names it. */
export interface FixtureMessage {
  title: string;
  text: string;
}

/** Every message of test/fixtures/kis-messages.txt, in order. */
export function loadFixtureMessages(): FixtureMessage[] {
  const file = path.resolve(projectRoot(), 'test', 'fixtures', 'kis-messages.txt');
  const out: FixtureMessage[] = [];
  let title = '';
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    if (line.startsWith('#')) title = line.slice(1).trim();
    else if (line.length > 0) out.push({ title, text: line });
  }
  return out;
}

/** The fixture whose naming comment starts with `prefix`. */
export function fixture(prefix: string): string {
  const found = loadFixtureMessages().find((m) => m.title.startsWith(prefix));
  if (found === undefined) throw new Error(`no fixture titled ${prefix}…`);
  return found.text;
}

/** The portal's 46-field H0STCNT0 record (kis-protocol.md §8.1). */
export const TRADE_RECORD =
  '005930^093354^71900^5^-100^-0.14^72023.83^72100^72400^71700^71900^71800^1^3052507^219853241700^5105^6937^1832^84.90^1366314^1159996^1^0.39^20.28^090020^5^-200^090820^5^-500^092619^2^200^20230612^20^N^65945^216924^1118750^2199206^0.05^2424142^125.92^0^^72100';

/** The portal's 59-field H0STASP0 record (kis-protocol.md §8.2). */
export const BOOK_RECORD =
  '005930^093730^0^71900^72000^72100^72200^72300^72400^72500^72600^72700^72800^71800^71700^71600^71500^71400^71300^71200^71100^71000^70900^91918^117942^92673^79708^106729^141988^176192^113906^134077^104229^95221^159371^220746^284657^212742^195370^182710^209747^376432^158171^1159362^2095167^0^0^0^0^525579^-72000^5^-100.00^3159115^0^8^0^0^0';

/** The 26-field H0STCNI0 plaintext of kis-protocol.md §8.3. */
export const NOTICE_RECORD_26 =
  'HTSUSER^50199202^0000012345^0000000000^02^0^00^0^005930^3^250000^105531^0^2^2^00950^3^홍길동^0^^N^^^^삼성전자^250000';

/** The 23-field legacy fill notice of kis-protocol.md §8.3 ("HTS ID" stands for the id). */
export const NOTICE_RECORD_23 =
  'HTS ID^1234567801^0000002891^^02^0^00^0^136480^0000000001^000003190^094941^0^2^2^06010^000000001^김한투^하림^10^^하림^000000000';

/** key / iv of the fixture's SUBSCRIBE SUCCESS ack. */
export const ACK_KEY = 'abcdefghijklmnopabcdefghijklmnop';
export const ACK_IV = '0123456789abcdef';

/** A record of `width` fields: the given record padded with `extra` fields or cut to `width`. */
export function withWidth(record: string, width: number, extra = 'X'): string {
  const fields = record.split('^');
  while (fields.length < width) fields.push(extra);
  return fields.slice(0, width).join('^');
}
