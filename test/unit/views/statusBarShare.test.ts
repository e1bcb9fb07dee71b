import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ShareStatus } from '../../../src/feed';
import { formatMessage } from '../../../src/common/translate';
import { shareText, statusKind, statusView, type StatusInput } from '../../../src/views/status/statusBarModel';
import { renderDetails } from '../../../src/views/status/detailsModel';

const NOW = Date.UTC(2026, 10, 25, 1, 0, 0);

function input(over: Partial<StatusInput> = {}): StatusInput {
  return {
    source: 'paper',
    session: 'running',
    marketOpen: true,
    phase: 'regular session',
    watchlistSize: 2,
    now: NOW,
    staleAfterMs: 30_000,
    t: formatMessage,
    ...over,
  };
}

const follower = (over: Partial<ShareStatus> = {}): ShareStatus => ({
  role: 'follower',
  windows: 3,
  leaderName: 'kis-app (4242)',
  state: 'open',
  overBudget: [],
  ...over,
});

describe('status bar: the session shared between windows', () => {
  it('says "via window <name>" in a follower window, live on the leader\'s state without an agent of its own', () => {
    const view = statusView(input({ share: follower() }));
    assert.equal(view.kind, 'live');
    assert.equal(view.text, '$(pulse) KIS live $(link) via window kis-app (4242)');
    assert.ok(view.tooltipPlain.includes('Shared session: via window kis-app (4242)'));
  });

  it("follows the leader's connection state", () => {
    assert.equal(statusKind(input({ share: follower({ state: 'reconnecting' }) })), 'reconnecting');
    assert.equal(statusKind(input({ share: follower({ state: 'connecting' }) })), 'connecting');
    assert.equal(statusKind(input()), 'connecting', 'neither agent nor share: still connecting');
  });

  it('says "shared with N windows" in the leading window, and nothing while no other window joined', () => {
    const t = formatMessage;
    assert.equal(shareText({ ...follower(), role: 'leader', windows: 3 }, t), 'shared with 2 windows');
    assert.equal(shareText({ ...follower(), role: 'leader', windows: 2 }, t), 'shared with 1 window');
    assert.equal(shareText({ ...follower(), role: 'leader', windows: 1 }, t), undefined);
    assert.equal(shareText(undefined, t), undefined);
    const alone = statusView(input({ share: { ...follower(), role: 'leader', windows: 1 } }));
    assert.ok(!alone.text.includes('$(link)'));
    assert.ok(alone.tooltipPlain.includes('Shared session: not shared (no other window)'));
  });

  it('lists the wants over the 41-registration budget in the connection details', () => {
    const doc = renderDetails(input({ share: follower({ overBudget: ['000660', '035420'] }) }), (s) => s);
    assert.match(doc, /\| Over the 41-registration budget \| 000660, 035420 \|/);
    assert.match(doc, /\| Shared session \| via window kis-app \(4242\) \|/);
    assert.ok(!renderDetails(input({ share: follower() }), (s) => s).includes('Over the 41'));
    assert.match(
      renderDetails(input({ simulatorSessions: { live: 1, served: 2 } }), (s) => s),
      /\| Simulator sessions \| 1 live, 2 served \|/,
    );
  });

  it('has every sharing string in Korean', () => {
    const ko = JSON.parse(
      fs.readFileSync(path.join(__dirname, '../../../../l10n/bundle.l10n.ko.json'), 'utf8'),
    ) as Record<string, string>;
    for (const key of [
      'via window {0}',
      'shared with 1 window',
      'shared with {0} windows',
      'Shared session',
      'not shared (no other window)',
      'Over the 41-registration budget',
      'Simulator sessions',
      '{0} live, {1} served',
    ]) {
      assert.ok(ko[key], key);
    }
  });
});
