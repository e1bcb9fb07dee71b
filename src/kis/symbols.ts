/** Symbol-code checks shared by the CLI, the settings and the UI. */

const KRX_CODE = /^(?:[0-9A-Z]{6}|Q[0-9]{6})$/;

/**
 * True for a KRX short code as KIS takes it in `tr_key`: six digits/capitals (e.g. `005930`, `0088M0`)
 * or an ETN code `Q` + six digits (e.g. `Q500001`).
 */
export function isKrxCode(s: string): boolean {
  return KRX_CODE.test(s);
}
