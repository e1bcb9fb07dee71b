import { strict as assert } from 'node:assert';
import {
  BodyError,
  balanceHasMore,
  balanceQuery,
  formatAccountNumber,
  maskAccountNumber,
  parseAccountNumber,
  parseBalancePage,
  parseEnvelope,
  type AccountNumber,
  type Envelope,
} from '../../../src/kis/rest';
import { BalanceError, fetchBalance, type BalancePager } from '../../../src/rest';

const ACCOUNT: AccountNumber = { cano: '12345678', product: '01' };

function env(body: Record<string, unknown>): Envelope {
  const e = parseEnvelope({ rt_cd: '0', msg_cd: 'KIOK0510', msg1: '', ...body });
  assert.ok(e);
  return e;
}

const row = (pdno: string, qty = '10', avg = '68000.0000'): Record<string, string> => ({
  pdno,
  prdt_name: `name ${pdno}`,
  hldg_qty: qty,
  pchs_avg_pric: avg,
  prpr: '70500',
});

describe('inquire-balance on the wire', () => {
  it('reads an account number of 8 + 2 digits in its usual spellings', () => {
    for (const text of ['12345678-01', '1234567801', ' 12345678 01 '])
      assert.deepEqual(parseAccountNumber(text), { ok: true, account: ACCOUNT });
  });

  it('refuses any other shape with a stable code and without echoing the input', () => {
    for (const text of [
      '',
      '1234567-01',
      '123456789-01',
      '12345678-1',
      '12345678-012',
      'abcdefgh-01',
      '12345678--01',
      '12345678_01',
    ]) {
      const r = parseAccountNumber(text);
      assert.equal(r.ok, false, text);
      if (!r.ok) {
        assert.equal(r.code, 'BAD_ACCOUNT');
        if (text.trim() !== '') assert.ok(!r.message.includes(text.trim()), r.message);
      }
    }
  });

  it('formats and masks an account', () => {
    assert.equal(formatAccountNumber(ACCOUNT), '12345678-01');
    assert.equal(maskAccountNumber(ACCOUNT), '1234****-01');
  });

  it('builds the query of the first page and of the next ones, keys sent back untouched', () => {
    const first = balanceQuery(ACCOUNT);
    assert.equal(first.CANO, '12345678');
    assert.equal(first.ACNT_PRDT_CD, '01');
    assert.equal(first.INQR_DVSN, '02');
    assert.equal(first.CTX_AREA_FK100, '');
    assert.equal(first.CTX_AREA_NK100, '');
    const next = balanceQuery(ACCOUNT, { fk100: '12345678   ', nk100: '20   ' });
    assert.equal(next.CTX_AREA_FK100, '12345678   ');
    assert.equal(next.CTX_AREA_NK100, '20   ');
  });

  it('continues on F and M only', () => {
    assert.deepEqual(['F', 'M', 'm ', 'D', 'E', '', 'N'].map(balanceHasMore), [
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });

  it('validates a page: numbers, padding rows dropped, keys kept', () => {
    const page = parseBalancePage(
      env({
        output1: [row('005930'), Object.fromEntries(Object.keys(row('x')).map((k) => [k, '']))],
        ctx_area_fk100: 'A ',
        ctx_area_nk100: 'B ',
      }),
    );
    assert.deepEqual(page, {
      positions: [{ symbol: '005930', name: 'name 005930', quantity: 10, averageCost: 68000, price: 70500 }],
      cursor: { fk100: 'A ', nk100: 'B ' },
    });
    assert.deepEqual(parseBalancePage(env({ output1: [] })).cursor, { fk100: '', nk100: '' });
  });

  it('refuses a malformed page naming the field, never its value', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{}, 'output1'],
      [{ output1: {} }, 'output1'],
      [{ output1: [null] }, 'output1'],
      [{ output1: [[]] }, 'output1'],
      [{ output1: [{ ...row('005930'), hldg_qty: 'ten' }] }, 'hldg_qty'],
      [{ output1: [{ ...row('005930'), hldg_qty: '-1' }] }, 'hldg_qty'],
      [{ output1: [{ ...row('005930'), pchs_avg_pric: 5 }] }, 'pchs_avg_pric'],
      [{ output1: [row('00593')] }, 'pdno'],
      [{ output1: [{ ...row('005930'), prdt_name: undefined }] }, 'prdt_name'],
    ];
    for (const [body, fieldName] of cases) {
      assert.throws(
        () => parseBalancePage(env(body)),
        (e: unknown) => e instanceof BodyError && e.field === fieldName,
        fieldName,
      );
    }
  });
});

/** A pager answering from a list of pages and recording what it was asked. */
function pager(
  pages: { rows: Record<string, string>[]; trCont: string; fk?: string; nk?: string }[],
): BalancePager & { asked: { query: Record<string, string>; trCont: string }[] } {
  const asked: { query: Record<string, string>; trCont: string }[] = [];
  return {
    asked,
    page: <T>(_e: unknown, query: Record<string, string>, trCont: '' | 'N', parse: (e: Envelope) => T) => {
      const p = pages[asked.length];
      asked.push({ query, trCont });
      return Promise.resolve({
        value: parse(env({ output1: p.rows, ctx_area_fk100: p.fk ?? '', ctx_area_nk100: p.nk ?? '' })),
        trCont: p.trCont,
      });
    },
  };
}

describe('fetchBalance', () => {
  it('follows the pages with tr_cont N and the keys of the previous page', async () => {
    const p = pager([
      { rows: [row('005930'), row('000660')], trCont: 'F', fk: 'K ', nk: '2 ' },
      { rows: [row('035420')], trCont: 'M', fk: 'K ', nk: '3 ' },
      { rows: [row('035720')], trCont: 'D' },
    ]);
    const balance = await fetchBalance(p, ACCOUNT);
    assert.equal(balance.pages, 3);
    assert.deepEqual(
      balance.positions.map((x) => x.symbol),
      ['005930', '000660', '035420', '035720'],
    );
    assert.deepEqual(
      p.asked.map((a) => [a.trCont, a.query.CTX_AREA_FK100, a.query.CTX_AREA_NK100]),
      [
        ['', '', ''],
        ['N', 'K ', '2 '],
        ['N', 'K ', '3 '],
      ],
    );
  });

  it('leaves out positions sold out today (quantity 0)', async () => {
    const balance = await fetchBalance(pager([{ rows: [row('005930', '0'), row('000660')], trCont: 'E' }]), ACCOUNT);
    assert.deepEqual(
      balance.positions.map((x) => x.symbol),
      ['000660'],
    );
  });

  it('stops with a stable code on a server that repeats its keys or pages forever', async () => {
    const stuck = pager([
      { rows: [], trCont: 'M', fk: 'K', nk: '1' },
      { rows: [], trCont: 'M', fk: 'K', nk: '1' },
    ]);
    await assert.rejects(
      fetchBalance(stuck, ACCOUNT),
      (e: unknown) => e instanceof BalanceError && e.code === 'PAGING_STUCK',
    );
    const endless = pager(Array.from({ length: 5 }, (_, i) => ({ rows: [], trCont: 'M', fk: 'K', nk: String(i + 1) })));
    await assert.rejects(
      fetchBalance(endless, ACCOUNT, 3),
      (e: unknown) => e instanceof BalanceError && e.code === 'TOO_MANY_PAGES',
    );
    assert.equal(endless.asked.length, 3);
  });
});
