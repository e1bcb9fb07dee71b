import * as assert from 'node:assert/strict';
import { KisRestClient, routedPrices } from '../../../src/rest';
import { KisSimulator } from '../../../src/simulator';
import { dailyBars, indexMinuteRows } from '../../../src/simulator/rest/restBars';

const SATURDAY_11 = Date.parse('2026-12-05T11:00:00+09:00');
const CHRISTMAS_11 = Date.parse('2026-12-25T11:00:00+09:00');
const TUESDAY_0855 = Date.parse('2026-12-08T08:55:00+09:00');

describe('simulator: inquire-price on a closed day answers the last trading day, as KIS does', () => {
  let sim: KisSimulator;
  let client: KisRestClient;
  let clock = SATURDAY_11;

  beforeEach(async () => {
    sim = await KisSimulator.start({ port: 0, now: () => clock, calendar: true, market: 'own' });
    client = new KisRestClient({
      baseUrl: sim.restUrl,
      env: 'real',
      appkey: 'PSclosedDayKey',
      appsecret: 'secret',
      now: () => clock,
    });
  });
  afterEach(async () => {
    client.close();
    await sim.close();
  });

  it('Saturday 11:00: Samsung at Friday’s close with Friday’s change against Thursday’s close, and Friday’s range and volume', async () => {
    clock = SATURDAY_11;
    const q = await client.price('005930');
    const [friday, thursday] = dailyBars(sim.market('005930'), clock, '99999999', 2);
    assert.equal(friday.stck_bsop_date, '20261204');
    assert.equal(q.price, Number(friday.stck_clpr));
    assert.equal(q.change, Number(friday.stck_clpr) - Number(thursday.stck_clpr));
    assert.notEqual(q.change, 0, 'Friday moved (the seeded walk), so its change is not 0');
    assert.equal(q.changeRate, Number(((q.change / Number(thursday.stck_clpr)) * 100).toFixed(2)));
    assert.deepEqual(
      [q.open, q.high, q.low, q.volume],
      [friday.stck_oprc, friday.stck_hgpr, friday.stck_lwpr, friday.acml_vol].map(Number),
    );
  });

  it('Christmas (a Friday holiday): Thursday’s close and change', async () => {
    clock = CHRISTMAS_11;
    const q = await client.price('000660');
    const [thursday, wednesday] = dailyBars(sim.market('000660'), clock, '99999999', 2);
    assert.equal(thursday.stck_bsop_date, '20261224');
    assert.equal(q.change, Number(thursday.stck_clpr) - Number(wednesday.stck_clpr));
  });

  it('a trading day before its first trade: the previous close with change 0 (the day’s base is set)', async () => {
    clock = TUESDAY_0855;
    const q = await client.price('005930');
    assert.equal(q.change, 0);
    assert.equal(q.price, sim.market('005930').prevClose);
  });

  it('Saturday 11:00: KOSPI at Friday’s close with Friday’s change (its minute bars’), not 0.00', async () => {
    clock = SATURDAY_11;
    const q = await routedPrices(client).price('0001');
    // KOSPI's walk base is its previous close (2,650.00); on a Saturday its members have not moved from theirs.
    const rows = indexMinuteRows('0001', { base: 2650, price: 2650, open: 2650 }, clock);
    const friday = rows.filter((r) => r.stck_bsop_date === '20261204');
    const thursdayClose = Number(rows.find((r) => r.stck_bsop_date === '20261203')?.bstp_nmix_prpr);
    assert.equal(q.price, 2650, 'Friday closed where the live day starts');
    assert.equal(Number(friday[0].bstp_nmix_prpr), 2650);
    assert.equal(q.change, Math.round((q.price - thursdayClose) * 100) / 100);
    assert.notEqual(q.change, 0);
    assert.equal(q.open, Number(friday.at(-1)?.bstp_nmix_oprc));
  });
});
