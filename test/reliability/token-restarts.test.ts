/**
 * A REST access token outlives restarts: KIS issues one a minute per app key (and a user's key is shared
 * with their other tools), so five restarts of the extension within a minute must reuse the token in the
 * store (SecretStorage in VS Code; a file store here) and never hit TOKEN_TOO_SOON. Against the real
 * simulator on port 0, which counts the tokens it issued.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MarketFeed, type WatchlistStore } from '../../src/feed';
import { FileTokenStore } from '../../src/rest';
import { KisSimulator } from '../../src/simulator';
import { Logger } from '../../src/common/logger';
import { parseSettings, type RawSettings } from '../../src/settings';
import { quiet } from '../unit/support/feedWait';
import { until } from '../support/wait';

const APPKEY = 'PStokenRestartsAppkey000000000000000';
const APPSECRET = `SECRET${'t0kenRestart'.repeat(14)}`;
const store = (): WatchlistStore => ({ load: () => ['005930'], save: async () => undefined });

describe('REST token across restarts (against the simulator)', function () {
  this.timeout(60_000);
  let dir: string;
  const sims: KisSimulator[] = [];
  beforeEach(async () => (dir = await mkdtemp(path.join(tmpdir(), 'kis-token-'))));
  afterEach(async () => {
    for (const sim of sims.splice(0)) await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** One run of the extension on `sim` with the token store of `dir`: connect, a REST price, dispose. */
  async function run(sim: KisSimulator): Promise<{ issued: number; fromStore: number; tooSoon: number }> {
    const raw: RawSettings = { dataSource: 'real', 'advanced.wsUrl': sim.wsUrl, 'advanced.restUrl': sim.restUrl };
    const feed = new MarketFeed({
      settings: () => parseSettings(raw).settings,
      credentials: async () => ({ appkey: APPKEY, appsecret: APPSECRET }),
      store: store(),
      log: new Logger(quiet),
      tokenStore: new FileTokenStore(dir),
    });
    try {
      await feed.connect();
      await until(
        () =>
          (feed.model.quote('005930')?.last ?? 0) > 0 ||
          (feed.restStats()?.requests ?? 0) > (feed.restStats()?.ok ?? 0),
        feed.onRestQuotes,
        'a REST answer',
      );
      const stats = feed.restStats()!;
      return { issued: stats.tokensIssued, fromStore: stats.tokensFromStore, tooSoon: stats.errors.TOKEN_TOO_SOON };
    } finally {
      await feed.dispose();
    }
  }

  it('five restarts within a minute: one token issued, four taken from the store, no TOKEN_TOO_SOON', async () => {
    const sim = await KisSimulator.start({ port: 0 });
    sims.push(sim);
    const runs = [];
    for (let i = 0; i < 5; i++) runs.push(await run(sim));
    assert.equal(sim.restApi.tokenRequests, 1, 'the simulator issued one token');
    assert.deepEqual(
      runs.map((r) => r.tooSoon),
      [0, 0, 0, 0, 0],
    );
    assert.deepEqual(
      runs.map((r) => r.issued),
      [1, 0, 0, 0, 0],
    );
    assert.deepEqual(
      runs.map((r) => r.fromStore),
      [0, 1, 1, 1, 1],
    );
  });

  it('a restart on another server (a simulator on a new port) issues its own token at once, never TOKEN_TOO_SOON', async () => {
    const first = await KisSimulator.start({ port: 0 });
    sims.push(first);
    await run(first);
    const second = await KisSimulator.start({ port: 0 });
    sims.push(second);
    const again = await run(second);
    assert.equal(again.tooSoon, 0, "the first server's token is not tried on the second");
    assert.equal(second.restApi.tokenRequests, 1);
    assert.equal(second.restApi.uapiRequests > 0, true);
  });
});
