/**
 * The paper account on the wire, seen by a client that shares nothing with the product: it speaks HTTP
 * and WebSocket itself, builds the subscribe JSON by hand, decrypts with node:crypto directly and splits
 * the plaintext on '^' itself. Column positions and flag values are written out here as KIS's sample
 * (examples_llm/domestic_stock/ccnl_notice) lists them, not read from src/kis.
 */
import { strict as assert } from 'node:assert';
import { createDecipheriv } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { WebSocket } from 'ws';
import { KisSimulator } from '../../../src/simulator';
import { emitted, until } from '../../support/wait';

/** Positions of the 26-column H0STCNI9 record (the official sample's list). */
const COL = {
  CUST_ID: 0,
  ACNT_NO: 1,
  ODER_NO: 2,
  OODER_NO: 3,
  SELN_BYOV_CLS: 4,
  RCTF_CLS: 5,
  ODER_KIND: 6,
  STCK_SHRN_ISCD: 8,
  CNTG_QTY: 9,
  CNTG_UNPR: 10,
  RFUS_YN: 12,
  CNTG_YN: 13,
  ACPT_YN: 14,
  ODER_QTY: 16,
  CNTG_ISNM40: 24,
  ODER_PRC: 25,
} as const;

const HTS_ID = 'trader01';
const ACCOUNT = { CANO: '50012345', ACNT_PRDT_CD: '01' };

interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

function http(
  url: string,
  method: 'GET' | 'POST',
  headers: Record<string, string>,
  body?: object,
): Promise<HttpAnswer> {
  const payload = body === undefined ? '' : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method, agent: false, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** The independent client: its own socket, its own subscribe JSON, its own decryption. */
class PlainClient {
  readonly messages: string[] = [];
  private ws?: WebSocket;
  private token = '';
  key = '';
  iv = '';

  constructor(private readonly sim: KisSimulator) {}

  async open(htsId: string): Promise<void> {
    const approval = await http(
      `${this.sim.restUrl}/oauth2/Approval`,
      'POST',
      {},
      {
        grant_type: 'client_credentials',
        appkey: 'APPKEY-PLAIN',
        secretkey: 'SECRET-PLAIN',
      },
    );
    const token = await http(
      `${this.sim.restUrl}/oauth2/tokenP`,
      'POST',
      {},
      {
        grant_type: 'client_credentials',
        appkey: 'APPKEY-PLAIN',
        appsecret: 'SECRET-PLAIN',
      },
    );
    this.token = token.body.access_token as string;
    const ws = (this.ws = new WebSocket(`${this.sim.wsUrl}/tryitout/H0STCNI9`));
    ws.on('message', (data: Buffer) => this.messages.push(data.toString('utf8')));
    await until(() => ws.readyState === WebSocket.OPEN, emitted(ws, 'open'), 'the socket open');
    ws.send(
      `{"header":{"approval_key":"${approval.body.approval_key as string}","custtype":"P","tr_type":"1","content-type":"utf-8"},"body":{"input":{"tr_id":"H0STCNI9","tr_key":"${htsId}"}}}`,
    );
    const ack = await this.next((m) => m.startsWith('{') && m.includes('SUBSCRIBE SUCCESS'), 'the subscribe ack');
    const output = (JSON.parse(ack) as { body: { output: { key: string; iv: string } } }).body.output;
    this.key = output.key;
    this.iv = output.iv;
  }

  /** Resolves with the first message (from `from` on) that `match` accepts. */
  next(match: (m: string) => boolean, what: string, from = 0): Promise<string> {
    return until(() => this.messages.slice(from).find(match), emitted(this.ws as WebSocket, 'message'), what);
  }

  /** The decrypted records of every H0STCNI9 frame so far, each split on '^'. */
  notices(): string[][] {
    return this.messages
      .filter((m) => m.startsWith('1|H0STCNI9|'))
      .map((m) => {
        const [, , count, payload] = m.split('|', 4);
        assert.equal(count, '001');
        const decipher = createDecipheriv('aes-256-cbc', Buffer.from(this.key, 'utf8'), Buffer.from(this.iv, 'utf8'));
        const plain = Buffer.concat([decipher.update(Buffer.from(payload, 'base64')), decipher.final()]).toString(
          'utf8',
        );
        return plain.split('^');
      });
  }

  waitNotices(n: number): Promise<string[][]> {
    return until(
      () => (this.notices().length >= n ? this.notices() : undefined),
      emitted(this.ws as WebSocket, 'message'),
      `${n} notices`,
    );
  }

  order(trId: string, body: Record<string, string>): Promise<HttpAnswer> {
    return http(`${this.sim.restUrl}/uapi/domestic-stock/v1/trading/order-cash`, 'POST', this.headers(trId), {
      ...ACCOUNT,
      EXCG_ID_DVSN_CD: 'KRX',
      ...body,
    });
  }

  cancel(body: Record<string, string>): Promise<HttpAnswer> {
    return http(
      `${this.sim.restUrl}/uapi/domestic-stock/v1/trading/order-rvsecncl`,
      'POST',
      this.headers('VTTC0013U'),
      {
        ...ACCOUNT,
        KRX_FWDG_ORD_ORGNO: '00950',
        ORD_DVSN: '00',
        ORD_UNPR: '0',
        EXCG_ID_DVSN_CD: 'KRX',
        ...body,
      },
    );
  }

  dailyCcld(trId: string, fk = '', nk = '', trCont = ''): Promise<HttpAnswer> {
    const query = new URLSearchParams({
      ...ACCOUNT,
      INQR_STRT_DT: '',
      INQR_END_DT: '',
      SLL_BUY_DVSN_CD: '00',
      PDNO: '',
      CCLD_DVSN: '00',
      INQR_DVSN: '00',
      INQR_DVSN_3: '00',
      ORD_GNO_BRNO: '',
      ODNO: '',
      INQR_DVSN_1: '',
      CTX_AREA_FK100: fk,
      CTX_AREA_NK100: nk,
    });
    return http(`${this.sim.restUrl}/uapi/domestic-stock/v1/trading/inquire-daily-ccld?${query.toString()}`, 'GET', {
      ...this.headers(trId),
      tr_cont: trCont,
    });
  }

  private headers(trId: string): Record<string, string> {
    return {
      authorization: `Bearer ${this.token}`,
      appkey: 'APPKEY-PLAIN',
      appsecret: 'SECRET-PLAIN',
      tr_id: trId,
      custtype: 'P',
    };
  }

  close(): void {
    this.ws?.terminate();
  }
}

describe('simulator paper account: order-cash, fills as H0STCNI9 notices, inquire-daily-ccld (independent client)', () => {
  let sim: KisSimulator | undefined;
  let client: PlainClient | undefined;
  afterEach(async () => {
    client?.close();
    await sim?.close();
    sim = client = undefined;
  });

  async function setUp(
    options: { fillLotPerTrade?: number; marketHours?: boolean; now?: () => number } = {},
  ): Promise<{ s: KisSimulator; c: PlainClient }> {
    const s = (sim = await KisSimulator.start({ port: 0, htsId: HTS_ID, orderMatchMs: 0, ...options }));
    const c = (client = new PlainClient(s));
    await c.open(HTS_ID);
    return { s, c };
  }

  it('a paper market buy is accepted by REST, acknowledged and filled by encrypted 26-field notices', async () => {
    const { s, c } = await setUp();
    const answer = await c.order('VTTC0012U', { PDNO: '005930', ORD_DVSN: '01', ORD_QTY: '10', ORD_UNPR: '0' });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.rt_cd, '0');
    assert.equal(answer.body.msg_cd, '40600000');
    const output = answer.body.output as Record<string, string>;
    assert.match(output.ODNO, /^\d{10}$/);
    assert.match(output.ORD_TMD, /^\d{6}$/);
    assert.equal(output.KRX_FWDG_ORD_ORGNO, '00950');
    assert.equal(answer.headers.tr_id, 'VTTC0012U');

    const [ack] = await c.waitNotices(1);
    assert.equal(ack.length, 26);
    assert.equal(ack[COL.CUST_ID], HTS_ID);
    assert.equal(ack[COL.ODER_NO], output.ODNO);
    assert.equal(ack[COL.STCK_SHRN_ISCD], '005930');
    assert.equal(ack[COL.SELN_BYOV_CLS], '02');
    assert.equal(ack[COL.ODER_KIND], '01');
    assert.equal(ack[COL.RFUS_YN], '0');
    assert.equal(ack[COL.CNTG_YN], '1', 'an acknowledgement, not a fill');
    assert.equal(ack[COL.ACPT_YN], '1');
    assert.equal(Number(ack[COL.ODER_QTY]), 10);

    assert.equal(s.matchOrders(), 1);
    const fill = (await c.waitNotices(2))[1];
    assert.equal(fill.length, 26);
    assert.equal(fill[COL.CNTG_YN], '2', 'a fill');
    assert.equal(fill[COL.STCK_SHRN_ISCD], '005930');
    assert.equal(Number(fill[COL.CNTG_QTY]), 10);
    assert.equal(Number(fill[COL.CNTG_UNPR]), s.market('005930').price, 'the price of the trade it filled at');
    assert.equal(fill[COL.CNTG_ISNM40], '삼성전자');
    assert.equal(fill[COL.ACNT_NO], '5001234501');
    assert.equal(s.matchOrders(), 0, 'nothing left to fill');
  });

  it('fills at the next trade: one a stream printed since the order, else one the walk prints then', async () => {
    const { s, c } = await setUp({ fillLotPerTrade: 1 });
    const model = s.market('005930');
    await c.order('VTTC0012U', { PDNO: '005930', ORD_DVSN: '01', ORD_QTY: '2', ORD_UNPR: '0' });
    const before = model.trades;
    s.matchOrders();
    assert.equal(model.trades, before + 1, 'nobody streamed: the walk printed one trade for the order');
    model.nextTrade('100000', '20261207'); // a trade a stream printed
    const streamed = model.price;
    s.matchOrders();
    assert.equal(model.trades, before + 2, 'the streamed trade was the next one: no extra trade');
    const fills = (await c.waitNotices(3)).slice(1);
    assert.equal(Number(fills[1][COL.CNTG_UNPR]), streamed);
  });

  it('a large order fills in parts, one lot per trade, the parts adding up to the order', async () => {
    const { s, c } = await setUp({ fillLotPerTrade: 40 });
    const answer = await c.order('VTTC0011U', { PDNO: '000660', ORD_DVSN: '01', ORD_QTY: '100', ORD_UNPR: '0' });
    assert.equal(answer.body.msg_cd, '40590000');
    const orderNo = (answer.body.output as Record<string, string>).ODNO;
    const prices: number[] = [];
    for (let i = 0; i < 3; i++) {
      assert.equal(s.matchOrders(), 1);
      prices.push(s.market('000660').price);
    }
    assert.equal(s.matchOrders(), 0);
    const fills = (await c.waitNotices(4)).slice(1);
    assert.deepEqual(
      fills.map((f) => [
        f[COL.ODER_NO],
        f[COL.CNTG_YN],
        f[COL.SELN_BYOV_CLS],
        Number(f[COL.CNTG_QTY]),
        Number(f[COL.CNTG_UNPR]),
      ]),
      [
        [orderNo, '2', '01', 40, prices[0]],
        [orderNo, '2', '01', 40, prices[1]],
        [orderNo, '2', '01', 20, prices[2]],
      ],
    );
    assert.ok(fills.every((f) => Number(f[COL.ODER_QTY]) === 100));
  });

  it('a limit buy waits until a trade prints at or below its price', async () => {
    const { s, c } = await setUp();
    const model = s.market('005930');
    const lowerLimit = model.lower;
    await c.order('VTTC0012U', { PDNO: '005930', ORD_DVSN: '00', ORD_QTY: '5', ORD_UNPR: String(lowerLimit) });
    const upperLimit = model.upper;
    await c.order('VTTC0012U', { PDNO: '005930', ORD_DVSN: '00', ORD_QTY: '5', ORD_UNPR: String(upperLimit) });
    await c.waitNotices(2);
    // The walk stays well inside its band over a few trades: the lower-limit bid never fills.
    for (let i = 0; i < 5; i++) s.matchOrders();
    const fills = (await c.waitNotices(3)).filter((n) => n[COL.CNTG_YN] === '2');
    assert.equal(fills.length, 1);
    assert.equal(Number(fills[0][COL.ODER_PRC]), upperLimit);
    assert.ok(Number(fills[0][COL.CNTG_UNPR]) <= upperLimit);
    assert.equal(s.trading.account.list()[0].filled, 0, 'the lower-limit bid is still open');
  });

  it('refuses bad input in the REST answer (no notice) and a price outside the band by a refusal notice', async () => {
    const { c } = await setUp();
    const cases: [Record<string, string>, string][] = [
      [{ PDNO: '000000', ORD_DVSN: '01', ORD_QTY: '1', ORD_UNPR: '0' }, 'SIMORD02'],
      [{ PDNO: '005930', ORD_DVSN: '01', ORD_QTY: '0', ORD_UNPR: '0' }, 'SIMORD03'],
      [{ PDNO: '005930', ORD_DVSN: '00', ORD_QTY: '1', ORD_UNPR: '70050' }, 'SIMORD05'],
      [{ PDNO: '005930', ORD_DVSN: '07', ORD_QTY: '1', ORD_UNPR: '70000' }, 'SIMORD06'],
      [{ PDNO: '005930', ORD_DVSN: '01', ORD_QTY: '1', ORD_UNPR: '0', CANO: '99999999' }, 'SIMACCT1'],
    ];
    for (const [body, code] of cases) {
      const answer = await c.order('VTTC0012U', body);
      assert.equal(answer.status, 200);
      assert.equal(answer.body.rt_cd, '1', code);
      assert.equal(answer.body.msg_cd, code);
      assert.equal(answer.body.output, undefined);
      assert.ok(!JSON.stringify(answer.body).includes('99999999'), 'no account number echoed');
    }
    // 72,000 × 1.3 is outside Samsung's band: accepted with a number, then refused by the exchange.
    const accepted = await c.order('VTTC0012U', { PDNO: '005930', ORD_DVSN: '00', ORD_QTY: '3', ORD_UNPR: '200000' });
    assert.equal(accepted.body.rt_cd, '0');
    const notices = await c.waitNotices(2);
    assert.equal(notices.length, 2, 'only the out-of-band order made notices');
    assert.deepEqual(
      notices.map((n) => [n[COL.RFUS_YN], n[COL.CNTG_YN]]),
      [
        ['0', '1'],
        ['1', '1'],
      ],
    );
  });

  it('refuses an order while the market is closed with KIS paper code 40580000', async () => {
    // Sunday 2026-12-06 12:00 KST.
    const { c } = await setUp({ marketHours: true, now: () => Date.parse('2026-12-06T12:00:00+09:00') });
    const answer = await c.order('VTTC0012U', { PDNO: '005930', ORD_DVSN: '01', ORD_QTY: '1', ORD_UNPR: '0' });
    assert.equal(answer.body.rt_cd, '1');
    assert.equal(answer.body.msg_cd, '40580000');
  });

  it('inquire-daily-ccld lists each order once, 15 a page on paper, with the fills the notices reported', async () => {
    const { s, c } = await setUp({ fillLotPerTrade: 3 });
    for (let i = 0; i < 17; i++)
      await c.order('VTTC0012U', { PDNO: '005930', ORD_DVSN: '01', ORD_QTY: String(1 + (i % 5)), ORD_UNPR: '0' });
    s.matchOrders();
    s.matchOrders();
    // 17 acks, 17 first fills (3 shares at most), 6 second fills (the three orders of 4 and the three of 5).
    const notices = await c.waitNotices(17 + 17 + 6);
    const first = await c.dailyCcld('VTTC0081R');
    assert.equal(first.headers.tr_cont, 'M');
    const rows1 = first.body.output1 as Record<string, string>[];
    assert.equal(rows1.length, 15);
    const second = await c.dailyCcld(
      'VTTC0081R',
      first.body.ctx_area_fk100 as string,
      first.body.ctx_area_nk100 as string,
      'N',
    );
    assert.equal(second.headers.tr_cont, 'D');
    const rows = [...rows1, ...(second.body.output1 as Record<string, string>[])];
    assert.equal(rows.length, 17);
    assert.equal(new Set(rows.map((r) => r.odno)).size, 17, 'no order twice');
    assert.ok(rows[0].odno > rows[16].odno, 'newest first');
    const filledByNotice = new Map<string, number>();
    for (const n of notices.filter((x) => x[COL.CNTG_YN] === '2'))
      filledByNotice.set(n[COL.ODER_NO], (filledByNotice.get(n[COL.ODER_NO]) ?? 0) + Number(n[COL.CNTG_QTY]));
    for (const r of rows) {
      assert.equal(Number(r.tot_ccld_qty), filledByNotice.get(r.odno), `order ${r.odno}`);
      assert.equal(Number(r.tot_ccld_qty) + Number(r.rmn_qty), Number(r.ord_qty));
      assert.equal(r.pdno, '005930');
      assert.equal(r.sll_buy_dvsn_cd, '02');
    }
    // A continuation without tr_cont N is refused, as for inquire-balance.
    const bad = await c.dailyCcld(
      'VTTC0081R',
      first.body.ctx_area_fk100 as string,
      first.body.ctx_area_nk100 as string,
    );
    assert.equal(bad.body.rt_cd, '1');
  });

  it('cancels part, then the rest of an open order by order-rvsecncl, each with an RCTF_CLS 2 notice', async () => {
    const { s, c } = await setUp();
    const lower = s.market('005930').lower;
    const placed = await c.order('VTTC0012U', {
      PDNO: '005930',
      ORD_DVSN: '00',
      ORD_QTY: '10',
      ORD_UNPR: String(lower),
    });
    const orderNo = (placed.body.output as Record<string, string>).ODNO;
    const modify = await c.cancel({ ORGN_ODNO: orderNo, RVSE_CNCL_DVSN_CD: '01', ORD_QTY: '1', QTY_ALL_ORD_YN: 'N' });
    assert.equal(modify.body.msg_cd, 'SIMORD08');
    const part = await c.cancel({ ORGN_ODNO: orderNo, RVSE_CNCL_DVSN_CD: '02', ORD_QTY: '4', QTY_ALL_ORD_YN: 'N' });
    assert.equal(part.body.rt_cd, '0');
    const rest = await c.cancel({ ORGN_ODNO: orderNo, RVSE_CNCL_DVSN_CD: '02', ORD_QTY: '0', QTY_ALL_ORD_YN: 'Y' });
    assert.equal(rest.body.rt_cd, '0');
    const again = await c.cancel({ ORGN_ODNO: orderNo, RVSE_CNCL_DVSN_CD: '02', ORD_QTY: '0', QTY_ALL_ORD_YN: 'Y' });
    assert.equal(again.body.msg_cd, 'SIMORD07', 'nothing left to cancel');
    const cancels = (await c.waitNotices(3)).slice(1);
    assert.deepEqual(
      cancels.map((n) => [n[COL.RCTF_CLS], n[COL.CNTG_YN], n[COL.OODER_NO], Number(n[COL.CNTG_QTY])]),
      [
        ['2', '1', orderNo, 4],
        ['2', '1', orderNo, 6],
      ],
    );
    assert.equal(
      cancels[0][COL.ODER_NO],
      (part.body.output as Record<string, string>).ODNO,
      'a cancel has its own number',
    );
    assert.equal(s.matchOrders(), 0, 'nothing left to fill');
    const row = ((await c.dailyCcld('VTTC0081R')).body.output1 as Record<string, string>[]).find(
      (r) => r.odno === orderNo,
    );
    assert.deepEqual([row?.cnc_cfrm_qty, row?.rmn_qty, row?.tot_ccld_qty], ['10', '0', '0']);
  });

  it('with its match timer on, fills an order by itself (nobody streams the symbol)', async () => {
    const s = (sim = await KisSimulator.start({ port: 0, htsId: HTS_ID, orderMatchMs: 20 }));
    const c = (client = new PlainClient(s));
    await c.open(HTS_ID);
    await c.order('VTTC0012U', { PDNO: '035720', ORD_DVSN: '01', ORD_QTY: '250', ORD_UNPR: '0' });
    const notices = await c.waitNotices(4);
    assert.deepEqual(
      notices.map((n) => [n[COL.CNTG_YN], Number(n[COL.CNTG_QTY])]),
      [
        ['1', 250],
        ['2', 100],
        ['2', 100],
        ['2', 50],
      ],
    );
  });

  it('answers the real tr_ids on its real face: TTTC0012U with APBK0013, 100 rows a page for TTTC0081R', async () => {
    const { c } = await setUp();
    for (let i = 0; i < 16; i++) {
      const answer = await c.order('TTTC0012U', { PDNO: '005930', ORD_DVSN: '01', ORD_QTY: '1', ORD_UNPR: '0' });
      assert.equal(answer.body.msg_cd, 'APBK0013');
    }
    const page = await c.dailyCcld('TTTC0081R');
    assert.equal((page.body.output1 as unknown[]).length, 16);
    assert.equal(page.headers.tr_cont, 'D');
    const wrong = await c.order('FHKST01010100', { PDNO: '005930', ORD_DVSN: '01', ORD_QTY: '1', ORD_UNPR: '0' });
    assert.equal(wrong.body.msg_cd, 'EGW00205');
  });
});
