/**
 * Localisation seam for vscode-free models. The views pass `vscode.l10n.t`; tests and the CLI pass
 * `formatMessage`, which only substitutes `{0}`, `{1}`… exactly as `l10n.t` does for English.
 */

/** Same call shape as `vscode.l10n.t(message, ...args)`. */
export type Translate = (message: string, ...args: Array<string | number>) => string;

/** Substitutes `{n}` placeholders with the n-th argument; unknown placeholders are left as they are. */
export const formatMessage: Translate = (message, ...args) =>
  message.replace(/\{(\d+)\}/g, (match, index: string) => {
    const value = args[Number(index)];
    return value === undefined ? match : String(value);
  });
