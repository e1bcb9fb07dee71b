/**
 * `kis-monitor sim-order --side buy|sell CODE QTY [--price P]`: places an order on the simulator's paper
 * account through KIS's order-cash (paper tr_id), to drive fills in tests and demos. It talks only to a
 * simulator on this machine: the extension and this CLI place no orders at KIS.
 */
import { randomUUID } from 'node:crypto';
import { isKrxCode } from '../market';
import {
  ORDER_CASH_PATH,
  ORDER_CASH_TR_IDS,
  ORDER_REVISE_PATH,
  ORDER_REVISE_TR_IDS,
  orderCancelBody,
  orderCashBody,
  type OrderSide,
} from '../kis';
import { SIM_ACCOUNT, SIM_BRANCH } from '../simulator';
import { command, EXIT, integerIn, UsageError, type ParsedArgs } from './args';
import type { CliIo } from './io';
import { checkUrl, credentialsFor } from './source';

export const SIM_ORDER_USAGE = `Usage: kis-monitor sim-order --side buy|sell CODE QTY [options]
       kis-monitor sim-order --cancel ORDER_NO [QTY] [options]
Places an order on the simulator's paper account (order-cash, tr_id VTTC0012U/VTTC0011U). Its acceptance
and fills arrive as H0STCNI9 notices: kis-monitor watch --tr H0STCNI9 <HTS ID> --url ws://127.0.0.1:PORT

  --side buy|sell        required
  --price P              a limit order at P (on the tick grid); without it, a market order
  --cancel ORDER_NO      cancel QTY shares of that order, or all that is left (order-rvsecncl, VTTC0013U)
  --url http://HOST:PORT the simulator (default http://127.0.0.1:21000); only this machine's
  --account 12345678-01  the paper account (default ${SIM_ACCOUNT})
  -h, --help             this text
  --version              the version

  The simulator's credentials: KIS_APPKEY/KIS_APPSECRET when it was started with --appkey/--secret.
  Output: one JSON line {"type":"order",...}. Exit: 0 accepted, 1 refused or unreachable, 2 bad input.
`;

const OPTIONS = {
  side: { type: 'string' },
  price: { type: 'string' },
  url: { type: 'string' },
  account: { type: 'string' },
  cancel: { type: 'string' },
} as const;

/** What `sim-order` will send, from its flags. */
interface SimOrderPlan {
  url: string;
  /** The order to cancel (then `quantity` 0 means all that is left). */
  cancel?: string;
  side: OrderSide;
  code: string;
  quantity: number;
  price?: number;
  cano: string;
  product: string;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Reads and checks the flags. @throws UsageError */
function planOrder({ values, positionals }: ParsedArgs<typeof OPTIONS>): SimOrderPlan {
  if (values.cancel !== undefined) return planCancel(values, positionals);
  const side = values.side;
  if (side !== 'buy' && side !== 'sell') throw new UsageError('--side must be buy or sell');
  if (positionals.length !== 2) throw new UsageError('give a KRX code and a quantity, e.g. 005930 10');
  const [code, qty] = positionals;
  if (!isKrxCode(code)) throw new UsageError(`"${code}" is not a KRX code (six characters, e.g. 005930)`);
  const quantity = integerIn('QTY', qty, 1, 1_000_000);
  const price = values.price === undefined ? undefined : integerIn('--price', values.price, 1, 100_000_000);
  return { ...whereOf(values), side, code, quantity, price };
}

/** `--cancel ORDER_NO [QTY]`. @throws UsageError */
function planCancel(values: ParsedArgs<typeof OPTIONS>['values'], positionals: readonly string[]): SimOrderPlan {
  const cancel = values.cancel ?? '';
  if (!/^\d{1,10}$/.test(cancel)) throw new UsageError('--cancel takes an order number, e.g. 0000000001');
  if (positionals.length > 1) throw new UsageError('--cancel takes at most a quantity, e.g. --cancel 0000000001 5');
  const quantity = positionals.length === 1 ? integerIn('QTY', positionals[0], 1, 1_000_000) : 0;
  return { ...whereOf(values), cancel: cancel.padStart(10, '0'), side: 'buy', code: '', quantity };
}

/** The simulator's URL and the account. @throws UsageError */
function whereOf(values: ParsedArgs<typeof OPTIONS>['values']): Pick<SimOrderPlan, 'url' | 'cano' | 'product'> {
  const url = values.url ?? 'http://127.0.0.1:21000';
  checkUrl('--url', url, ['http:']);
  if (!LOCAL_HOSTS.has(new URL(url).hostname))
    throw new UsageError(
      '--url must be a simulator on this machine (127.0.0.1 or localhost): sim-order places no orders at KIS',
    );
  const account = /^(\d{8})-?(\d{2})$/.exec(values.account ?? SIM_ACCOUNT);
  if (account === null) throw new UsageError('--account is 8 digits and a 2-digit product code, e.g. 12345678-01');
  return { url: url.replace(/\/$/, ''), cano: account[1], product: account[2] };
}

async function postJson(url: string, headers: Record<string, string>, body: object): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  });
  const parsed: unknown = await response.json();
  if (typeof parsed !== 'object' || parsed === null)
    throw new Error(`${url} answered ${response.status} with no JSON object`);
  return parsed as Record<string, unknown>;
}

async function runOrder(plan: SimOrderPlan, io: CliIo): Promise<number> {
  const env = io.env ?? process.env;
  // KIS (and the simulator) issue one token a minute per app key: without configured credentials each run
  // takes an app key of its own (the simulator takes any pair), so orders a second apart both go through.
  const { appkey, appsecret } = credentialsFor(
    'simulator',
    env.KIS_APPKEY === undefined ? { ...env, KIS_APPKEY: `SIM-ORDER-${randomUUID()}` } : env,
  );
  let answer: Record<string, unknown>;
  try {
    const token = await postJson(
      `${plan.url}/oauth2/tokenP`,
      {},
      { grant_type: 'client_credentials', appkey, appsecret },
    );
    if (typeof token.access_token !== 'string') {
      const code = String(token.error_code ?? '');
      io.stderr.write(
        code === 'EGW00133'
          ? 'kis-monitor sim-order: one token a minute per app key: wait a minute (or run without KIS_APPKEY)\n'
          : `kis-monitor sim-order: the simulator refused the credentials (${code})\n`,
      );
      return EXIT.failure;
    }
    const headers = (trId: string): Record<string, string> => ({
      authorization: `Bearer ${String(token.access_token)}`,
      appkey,
      appsecret,
      tr_id: trId,
      custtype: 'P',
    });
    answer =
      plan.cancel !== undefined
        ? await postJson(
            `${plan.url}${ORDER_REVISE_PATH}`,
            headers(ORDER_REVISE_TR_IDS.paper),
            orderCancelBody({
              cano: plan.cano,
              product: plan.product,
              branch: SIM_BRANCH,
              orderNo: plan.cancel,
              quantity: plan.quantity === 0 ? undefined : plan.quantity,
            }),
          )
        : await postJson(
            `${plan.url}${ORDER_CASH_PATH}`,
            headers(ORDER_CASH_TR_IDS.paper[plan.side]),
            orderCashBody({
              cano: plan.cano,
              product: plan.product,
              symbol: plan.code,
              quantity: plan.quantity,
              price: plan.price,
            }),
          );
  } catch (error) {
    io.stderr.write(
      `kis-monitor sim-order: cannot reach ${plan.url}: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return EXIT.failure;
  }
  const output = (answer.output ?? {}) as Record<string, unknown>;
  const accepted = answer.rt_cd === '0';
  if (plan.cancel !== undefined) {
    io.stdout.write(
      `${JSON.stringify({
        type: 'cancel',
        accepted,
        msgCd: answer.msg_cd,
        message: answer.msg1,
        ...(accepted ? { orderNo: output.ODNO, time: output.ORD_TMD } : {}),
        original: plan.cancel,
        quantity: plan.quantity === 0 ? 'all' : plan.quantity,
      })}\n`,
    );
    return accepted ? EXIT.ok : EXIT.failure;
  }
  io.stdout.write(
    `${JSON.stringify({
      type: 'order',
      accepted,
      msgCd: answer.msg_cd,
      message: answer.msg1,
      ...(accepted ? { orderNo: output.ODNO, time: output.ORD_TMD } : {}),
      side: plan.side,
      symbol: plan.code,
      quantity: plan.quantity,
      price: plan.price ?? 'market',
    })}\n`,
  );
  return accepted ? EXIT.ok : EXIT.failure;
}

export const simOrderCommand = command({
  name: 'sim-order',
  usage: SIM_ORDER_USAGE,
  options: OPTIONS,
  positionals: true,
  run: (args, io) => runOrder(planOrder(args), io),
});
