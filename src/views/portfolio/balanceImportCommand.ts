/**
 * "KIS: Import Holdings from Account": reads every page of inquire-balance (src/rest/balance.ts) for the
 * account of the current data source and replaces the imported holdings with it. The account number is
 * asked once (its shape checked as it is typed) and kept in SecretStorage next to the app key; it is
 * stored only after KIS answered for it, so a refused call or a wrong account stores nothing. While an
 * account is stored, each session start refreshes the imported holdings from KIS (quietly: a failure is
 * logged, the last import stays); a source with no stored account shows no imported holdings.
 */
import * as vscode from 'vscode';
import { Command, SECRET_ACCOUNT } from '../../constants';
import type { Config } from '../../config';
import type { Logger } from '../../common/logger';
import {
  formatAccountNumber,
  importBalance,
  maskAccountNumber,
  parseAccountNumber,
  type AccountNumber,
  type BalanceEndpoint,
  type MarketFeed,
  type TokenStore,
} from '../../feed';
import { endpointsFor } from '../../settings';
import type { DataSource } from '../../market/sources';
import type { PortfolioState } from './portfolioState';
import { readCredentials } from '../commands';

/** What the import needs. */
export interface BalanceImportDeps {
  secrets: vscode.SecretStorage;
  tokenStore: TokenStore;
  config: Config;
  feed: MarketFeed;
  state: PortfolioState;
  log: Logger;
}

/** What the command returns (the integration tests read it): the count imported, or why not. */
export type ImportResult = { ok: true; count: number; pages: number } | { ok: false; code: string; message: string };

/** The embedded simulator accepts any non-empty pair (src/feed/source/source.ts). */
const SIMULATOR_CREDENTIALS = { appkey: 'simulator-appkey', appsecret: 'simulator-appsecret' };

/** The REST host and credentials of `source`, or the reason there are none (the Fills view reads them too). */
export async function endpointOf(
  deps: BalanceImportDeps,
  source: Exclude<DataSource, 'replay'>,
): Promise<BalanceEndpoint | string> {
  const log = (line: string): void => deps.log.info(line);
  if (source === 'simulator') {
    const sim = deps.feed.embeddedSimulator;
    if (sim === undefined) return vscode.l10n.t('Start the simulator first (connect), then import again.');
    // The feed's own env for the simulator ('real'): the same key state, so its token is shared, not re-issued.
    return { baseUrl: sim.restUrl, env: 'real', credentials: SIMULATOR_CREDENTIALS, log };
  }
  const credentials = await readCredentials(deps.secrets, source);
  if (credentials === undefined) return vscode.l10n.t('Set the app key and app secret first (KIS: Set Credentials).');
  return {
    baseUrl: endpointsFor(source, deps.config.current).restUrl,
    env: source,
    credentials,
    store: deps.tokenStore,
    log,
  };
}

/** Imports the holdings of `account` on the current source; stores the account only when KIS answered. */
export async function importHoldings(deps: BalanceImportDeps, account: AccountNumber): Promise<ImportResult> {
  const source = deps.config.current.dataSource;
  if (source === 'replay')
    return {
      ok: false,
      code: 'NOT_READY',
      message: vscode.l10n.t('A replay has no account: switch the data source to Paper or Real to import holdings.'),
    };
  const endpoint = await endpointOf(deps, source);
  if (typeof endpoint === 'string') return { ok: false, code: 'NOT_READY', message: endpoint };
  const outcome = await importBalance(endpoint, account);
  if (!outcome.ok) {
    deps.log.warn(`Balance import from ${maskAccountNumber(account)} failed: ${outcome.message}`);
    return outcome;
  }
  await deps.state.setImported(outcome.holdings);
  await deps.secrets.store(SECRET_ACCOUNT(source), formatAccountNumber(account));
  deps.log.info(
    `Imported ${outcome.holdings.length} holdings from account ${maskAccountNumber(account)} (${outcome.pages} pages)`,
  );
  return { ok: true, count: outcome.holdings.length, pages: outcome.pages };
}

/** The stored account of `source`, if any (a stored value is re-checked: SecretStorage is outside our code). */
export async function storedAccount(
  secrets: vscode.SecretStorage,
  source: DataSource,
): Promise<AccountNumber | undefined> {
  const text = await secrets.get(SECRET_ACCOUNT(source));
  if (text === undefined) return undefined;
  const r = parseAccountNumber(text);
  return r.ok ? r.account : undefined;
}

/** Registers the command and the refresh at each session start. */
export function registerBalanceImport(deps: BalanceImportDeps): vscode.Disposable[] {
  const t = vscode.l10n.t;
  const command = vscode.commands.registerCommand(
    Command.ImportHoldings,
    async (arg?: unknown): Promise<ImportResult | undefined> => {
      const source = deps.config.current.dataSource;
      let account = typeof arg === 'string' ? undefined : await storedAccount(deps.secrets, source);
      if (account === undefined) {
        const text =
          typeof arg === 'string'
            ? arg
            : await vscode.window.showInputBox({
                title: t('KIS account number'),
                prompt: t(
                  '8 digits and the 2-digit product code (01 for a 종합 account). Kept in the secret storage with your app key.',
                ),
                placeHolder: '12345678-01',
                ignoreFocusOut: true,
                validateInput: (v) => {
                  const r = parseAccountNumber(v);
                  return r.ok ? undefined : t(r.message);
                },
              });
        if (text === undefined) return undefined;
        const r = parseAccountNumber(text);
        if (!r.ok) {
          void vscode.window.showErrorMessage(t(r.message));
          return { ok: false, code: r.code, message: r.message };
        }
        account = r.account;
      }
      const chosen = account;
      const outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: t('Importing holdings from KIS…') },
        () => importHoldings(deps, chosen),
      );
      if (outcome.ok)
        void vscode.window.showInformationMessage(
          t('Imported {0} holdings from account {1}.', String(outcome.count), maskAccountNumber(chosen)),
        );
      else void vscode.window.showErrorMessage(t('Could not import holdings: {0}', outcome.message));
      return outcome;
    },
  );
  // Each session start: refresh from the account stored for this source; with none (another source, whose
  // account this is not), drop the imported holdings rather than show another account's positions.
  const refresh = deps.feed.onDidChangeState((state) => {
    if (state !== 'running') return;
    const source = deps.config.current.dataSource;
    void storedAccount(deps.secrets, source).then(async (account) => {
      if (account !== undefined) await importHoldings(deps, account);
      else if (deps.state.imported.length > 0) await deps.state.setImported([]);
    });
  });
  return [command, refresh];
}
