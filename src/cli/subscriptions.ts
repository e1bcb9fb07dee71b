/**
 * The TR ids and symbol codes a streaming command (`watch`, `record`, `watch --join`) subscribes, checked
 * the same way for each: TR ids look like KIS's, codes are KRX codes (HTS IDs for the execution notices),
 * and a session holds at most 41 registrations.
 */
import { noticeTrOf, TR } from '../kis';
import { isKrxCode } from '../market';
import { splitList, UsageError } from './args';

/** KIS's limit of real-time registrations per session (kis-protocol.md §9). */
export const MAX_REGISTRATIONS = 41;

export const SUBSCRIPTION_OPTIONS = { tr: { type: 'string', multiple: true } } as const;

/** The `--tr` values (repeatable, comma lists allowed); H0STCNT0 when none. @throws UsageError */
export function trIdsOf(flags: readonly string[] | undefined): string[] {
  const trIds = splitList(flags ?? [TR.TRADE]);
  for (const trId of trIds) {
    if (!/^[A-Z0-9]{8}$/.test(trId)) throw new UsageError(`--tr "${trId}" is not a TR id (e.g. H0STCNT0, H0STASP0)`);
  }
  return trIds;
}

/** The operands as codes for `trIds`: KRX codes, or HTS IDs when only the notices are asked for. @throws UsageError */
export function codesOf(operands: readonly string[], trIds: readonly string[]): string[] {
  const codes = splitList(operands);
  if (codes.length === 0) throw new UsageError('give at least one symbol code, e.g. 005930');
  const notices = trIds.every((t) => noticeTrOf(t) !== undefined);
  for (const code of codes) {
    const ok = notices ? /^[A-Za-z0-9._-]{1,32}$/.test(code) : isKrxCode(code);
    if (!ok)
      throw new UsageError(`"${code}" is not a ${notices ? 'HTS ID' : 'KRX code (six characters, e.g. 005930)'}`);
  }
  const registrations = codes.length * trIds.length;
  if (registrations > MAX_REGISTRATIONS) {
    throw new UsageError(
      `${codes.length} codes × ${trIds.length} TRs = ${registrations} registrations; KIS allows ${MAX_REGISTRATIONS} real-time registrations per session`,
    );
  }
  return codes;
}
