import { strict as assert } from 'node:assert';
import { formatMessage as t } from '../../../src/common/translate';
import {
  MAX_GROUPS,
  MAX_GROUP_NAME,
  WatchlistGroups,
  applyDrop,
  groupElement,
  groupIdOf,
  isSortKey,
  parseStoredGroups,
  stepsToPlace,
} from '../../../src/views/watchlist/watchlistGroups';
import { groupRowText, sortFacts, sortSymbols, type SortFacts } from '../../../src/views/watchlist/watchlistSort';
import type { Holding } from '../../../src/market/portfolio';

const WATCHLIST = ['005930', '000660', '035420', '035720', 'AAPL'];

/** Groups with predictable ids g1, g2, … */
function groups(stored?: unknown): WatchlistGroups {
  let n = 0;
  return new WatchlistGroups(stored, () => `g${++n}`);
}

function okId(r: ReturnType<WatchlistGroups['createGroup']>): string {
  assert.ok(r.ok, JSON.stringify(r));
  return r.id;
}

describe('watchlist groups', () => {
  it('shows every listed symbol at the root until a group places it', () => {
    const g = groups();
    assert.deepEqual(g.layout(WATCHLIST), { groups: [], root: WATCHLIST });
    const tech = okId(g.createGroup('  Tech  '));
    assert.deepEqual(g.layout(WATCHLIST).groups, [{ id: tech, name: 'Tech', builtIn: false, symbols: [] }]);
  });

  it('moves symbols between groups and to the root, each shown exactly once', () => {
    const g = groups();
    const a = okId(g.createGroup('A'));
    const b = okId(g.createGroup('B'));
    g.moveSymbol('000660', { group: a });
    g.moveSymbol('005930', { group: a });
    assert.deepEqual(g.layout(WATCHLIST).groups[0].symbols, ['000660', '005930']);
    assert.deepEqual(g.layout(WATCHLIST).root, ['035420', '035720', 'AAPL']);
    g.moveSymbol('000660', { group: b });
    const moved = g.layout(WATCHLIST);
    assert.deepEqual(
      moved.groups.map((x) => x.symbols),
      [['005930'], ['000660']],
    );
    g.moveSymbol('005930', { group: undefined });
    const back = g.layout(WATCHLIST);
    assert.deepEqual(back.groups[0].symbols, []);
    // The root follows the watchlist's order, not the order of arrival.
    assert.deepEqual(back.root, ['005930', '035420', '035720', 'AAPL']);
    assert.equal(g.groupOf('000660'), b);
    assert.equal(g.groupOf('005930'), undefined);
  });

  it('reorders inside a group: before a row, at the end, and not at all onto itself', () => {
    const g = groups();
    const a = okId(g.createGroup('A'));
    for (const s of ['005930', '000660', '035420']) g.moveSymbol(s, { group: a });
    g.moveSymbol('035420', { group: a, before: '005930' });
    assert.deepEqual(g.layout(WATCHLIST).groups[0].symbols, ['035420', '005930', '000660']);
    g.moveSymbol('035420', { group: a });
    assert.deepEqual(g.layout(WATCHLIST).groups[0].symbols, ['005930', '000660', '035420']);
    g.moveSymbol('000660', { group: a, before: '000660' });
    assert.deepEqual(g.layout(WATCHLIST).groups[0].symbols, ['005930', '000660', '035420']);
  });

  it('deleting a group keeps its symbols in the watchlist, back at the root', () => {
    const g = groups();
    const a = okId(g.createGroup('A'));
    g.moveSymbol('AAPL', { group: a });
    g.moveSymbol('005930', { group: a });
    assert.ok(g.deleteGroup(a).ok);
    assert.deepEqual(g.layout(WATCHLIST), { groups: [], root: WATCHLIST });
    assert.equal(g.deleteGroup(a).ok, false);
  });

  it('renames, refusing empty, too long and duplicate names with a stable code', () => {
    const g = groups();
    const a = okId(g.createGroup('Tech'));
    okId(g.createGroup('Banks'));
    assert.deepEqual(g.renameGroup(a, 'Chips'), { ok: true, id: a });
    assert.equal(g.nameOf(a), 'Chips');
    const codes = [
      g.renameGroup(a, '  '),
      g.renameGroup(a, 'x'.repeat(MAX_GROUP_NAME + 1)),
      g.renameGroup(a, 'banks'),
      g.createGroup('CHIPS'),
      g.renameGroup('g99', 'New'),
    ].map((r) => (r.ok ? 'ok' : r.code));
    assert.deepEqual(codes, ['EMPTY_NAME', 'NAME_TOO_LONG', 'DUPLICATE_NAME', 'DUPLICATE_NAME', 'NO_SUCH_GROUP']);
    // Renaming to its own name in another case is fine.
    assert.ok(g.renameGroup(a, 'CHIPS').ok);
  });

  it('reorders groups', () => {
    const g = groups();
    const [a, b, c] = ['A', 'B', 'C'].map((n) => okId(g.createGroup(n)));
    g.moveGroup(c, a);
    assert.deepEqual(
      g.layout([]).groups.map((x) => x.name),
      ['C', 'A', 'B'],
    );
    g.moveGroup(c, undefined);
    assert.deepEqual(
      g.layout([]).groups.map((x) => x.name),
      ['A', 'B', 'C'],
    );
    assert.ok(g.moveGroup(b, b).ok);
    assert.deepEqual(
      g.layout([]).groups.map((x) => x.id),
      [a, b, c],
    );
  });

  it('shows built-in groups first; they cannot be renamed, deleted, dropped into or moved', () => {
    const g = groups();
    const a = okId(g.createGroup('A'));
    g.moveSymbol('005930', { group: a });
    g.setBuiltIns([{ id: 'indices', name: 'Indices', symbols: ['0001', '005930'] }]);
    const layout = g.layout(['0001', ...WATCHLIST]);
    assert.deepEqual(
      layout.groups.map((x) => [x.name, x.builtIn, x.symbols]),
      [
        ['Indices', true, ['0001']],
        ['A', false, ['005930']],
      ],
    );
    assert.ok(!layout.root.includes('0001'));
    const refused = [
      g.renameGroup('indices', 'X'),
      g.deleteGroup('indices'),
      g.moveSymbol('000660', { group: 'indices' }),
      g.moveGroup('indices', a),
      g.createGroup('indices'),
    ];
    assert.deepEqual(
      refused.map((r) => (r.ok ? 'ok' : r.code)),
      ['BUILT_IN', 'BUILT_IN', 'BUILT_IN', 'BUILT_IN', 'DUPLICATE_NAME'],
    );
    assert.ok(g.isBuiltIn('indices') && g.has('indices') && g.has(a) && !g.has('nope'));
    assert.deepEqual(
      g.toJSON().groups.map((x) => x.id),
      [a],
      'built-in groups are never stored',
    );
  });

  it('round-trips through its stored form, sort included', () => {
    const g = groups();
    const a = okId(g.createGroup('A'));
    okId(g.createGroup('B'));
    g.moveSymbol('035720', { group: a });
    g.sort = 'pnl';
    const stored = JSON.parse(JSON.stringify(g.toJSON())) as unknown;
    const again = groups(stored);
    assert.deepEqual(again.toJSON(), g.toJSON());
    assert.deepEqual(again.layout(WATCHLIST), g.layout(WATCHLIST));
    assert.equal(again.sort, 'pnl');
    const other = groups();
    other.load(stored);
    assert.deepEqual(other.toJSON(), g.toJSON());
  });

  it('keeps a group entry of a symbol not listed (yet) without showing it', () => {
    const g = groups({ version: 1, sort: 'manual', groups: [{ id: 'g1', name: 'A', symbols: ['005930', '000660'] }] });
    assert.deepEqual(g.layout(['000660']).groups[0].symbols, ['000660']);
    assert.deepEqual(g.toJSON().groups[0].symbols, ['005930', '000660']);
  });

  it('reads untrusted stored values without throwing, dropping what is malformed', () => {
    for (const bad of [undefined, null, 42, 'x', [], { groups: 'no' }])
      assert.deepEqual(parseStoredGroups(bad), { version: 1, groups: [], sort: 'manual' });
    const parsed = parseStoredGroups({
      sort: 'sideways',
      groups: [
        { id: 'g1', name: 'A', symbols: ['005930', 'not a code', 7, '005930'] },
        { id: 'g1', name: 'Dup id', symbols: [] },
        { id: 'BAD ID', name: 'B', symbols: [] },
        { id: 'g2', name: 'a', symbols: [] },
        { id: 'g3', name: '', symbols: [] },
        { id: 'g4', name: 'C', symbols: ['005930', '000660'] },
        { id: 'g5', name: 'D' },
        null,
      ],
    });
    assert.deepEqual(parsed, {
      version: 1,
      sort: 'manual',
      groups: [
        { id: 'g1', name: 'A', symbols: ['005930'] },
        { id: 'g4', name: 'C', symbols: ['000660'] },
        { id: 'g5', name: 'D', symbols: [] },
      ],
    });
    const many = parseStoredGroups({
      groups: Array.from({ length: MAX_GROUPS + 5 }, (_, i) => ({ id: `g${i}`, name: `N${i}`, symbols: [] })),
    });
    assert.equal(many.groups.length, MAX_GROUPS);
    assert.equal(groups(many).createGroup('one more').ok, false);
  });

  it('checks a name before it is typed in full (the input box)', () => {
    const g = groups();
    const a = okId(g.createGroup('Tech'));
    assert.equal(g.probeName('tech', undefined), 'There is already a group named "tech".');
    assert.equal(g.probeName('tech', a), undefined);
    assert.equal(g.probeName(' ', undefined), 'A group needs a name.');
    assert.equal(g.nameOf('nope'), undefined);
  });

  it('refuses to move something that is not a symbol', () => {
    const g = groups();
    const a = okId(g.createGroup('A'));
    assert.equal(g.moveSymbol('group:g1', { group: a }).ok, false);
    assert.deepEqual(g.layout(WATCHLIST).groups[0].symbols, []);
  });

  it('makes fresh ids that never collide with an existing group', () => {
    const ids = ['g1', 'g1', 'g2'];
    const g = new WatchlistGroups(undefined, () => ids.shift() ?? 'g9');
    assert.deepEqual([okId(g.createGroup('A')), okId(g.createGroup('B'))], ['g1', 'g2']);
    assert.match(okId(new WatchlistGroups(undefined).createGroup('Z')), /^g[0-9a-z]+$/);
  });
});

describe('watchlist drag and drop', () => {
  function setup(): { g: WatchlistGroups; a: string; b: string } {
    const g = groups();
    const a = okId(g.createGroup('A'));
    const b = okId(g.createGroup('B'));
    g.moveSymbol('005930', { group: a });
    g.moveSymbol('000660', { group: a });
    return { g, a, b };
  }

  it('drops symbols on a group: they go to its end, several at once', () => {
    const { g, b } = setup();
    const out = applyDrop(g, WATCHLIST, ['005930', '035420'], groupElement(b));
    assert.deepEqual(out, { moved: 2, refused: [], rootMoves: [] });
    assert.deepEqual(
      g.layout(WATCHLIST).groups.map((x) => x.symbols),
      [['000660'], ['005930', '035420']],
    );
  });

  it('drops a symbol on a grouped symbol: before it, in its group', () => {
    const { g } = setup();
    applyDrop(g, WATCHLIST, ['AAPL'], '005930');
    assert.deepEqual(g.layout(WATCHLIST).groups[0].symbols, ['AAPL', '005930', '000660']);
    applyDrop(g, WATCHLIST, ['000660'], '005930');
    assert.deepEqual(g.layout(WATCHLIST).groups[0].symbols, ['AAPL', '000660', '005930']);
  });

  it('drops a symbol at the root: out of its group, and asks the watchlist to reorder', () => {
    const { g } = setup();
    assert.deepEqual(applyDrop(g, WATCHLIST, ['000660'], '035720'), {
      moved: 1,
      refused: [],
      rootMoves: [{ symbol: '000660', before: '035720' }],
    });
    assert.equal(g.groupOf('000660'), undefined);
    assert.deepEqual(applyDrop(g, WATCHLIST, ['035420'], undefined).rootMoves, [
      { symbol: '035420', before: undefined },
    ]);
    // Onto itself: nothing to reorder.
    assert.deepEqual(applyDrop(g, WATCHLIST, ['AAPL'], 'AAPL').rootMoves, []);
  });

  it('ignores symbols no longer listed and refuses drops into a built-in group', () => {
    const { g } = setup();
    g.setBuiltIns([{ id: 'indices', name: 'Indices', symbols: ['0001'] }]);
    assert.deepEqual(applyDrop(g, WATCHLIST, ['999999'], undefined), { moved: 0, refused: [], rootMoves: [] });
    assert.deepEqual(applyDrop(g, WATCHLIST, ['035420'], groupElement('indices')), {
      moved: 0,
      refused: ['BUILT_IN'],
      rootMoves: [],
    });
    assert.equal(g.groupOf('035420'), undefined);
  });

  it("drops a group before another group, before a symbol's group, or last", () => {
    const { g, a, b } = setup();
    const c = okId(g.createGroup('C'));
    applyDrop(g, WATCHLIST, [groupElement(c)], groupElement(a));
    assert.deepEqual(
      g.layout(WATCHLIST).groups.map((x) => x.name),
      ['C', 'A', 'B'],
    );
    applyDrop(g, WATCHLIST, [groupElement(b)], '005930');
    assert.deepEqual(
      g.layout(WATCHLIST).groups.map((x) => x.name),
      ['C', 'B', 'A'],
    );
    applyDrop(g, WATCHLIST, [groupElement(c)], 'AAPL');
    assert.deepEqual(
      g.layout(WATCHLIST).groups.map((x) => x.name),
      ['B', 'A', 'C'],
    );
    applyDrop(g, WATCHLIST, [groupElement(b)], undefined);
    assert.deepEqual(
      g.layout(WATCHLIST).groups.map((x) => x.name),
      ['A', 'C', 'B'],
    );
    g.setBuiltIns([{ id: 'indices', name: 'Indices', symbols: ['0001'] }]);
    assert.deepEqual(applyDrop(g, ['0001'], [groupElement('indices')], undefined).refused, ['BUILT_IN']);
    applyDrop(g, ['0001', ...WATCHLIST], [groupElement(a)], '0001');
    assert.deepEqual(
      g.toJSON().groups.map((x) => x.name),
      ['C', 'B', 'A'],
    );
  });

  it('encodes group elements apart from symbol codes', () => {
    assert.equal(groupIdOf(groupElement('g7')), 'g7');
    assert.equal(groupIdOf('005930'), undefined);
  });

  it('counts the one-place moves that put a symbol before another, or last', () => {
    const list = ['A', 'B', 'C', 'D'];
    const apply = (symbol: string, before: string | undefined): string[] => {
      const out = list.slice();
      let i = out.indexOf(symbol);
      const steps = stepsToPlace(list, symbol, before);
      for (let k = 0; k < Math.abs(steps); k++) {
        const j = i + Math.sign(steps);
        [out[i], out[j]] = [out[j], out[i]];
        i = j;
      }
      return out;
    };
    assert.deepEqual(apply('D', 'B'), ['A', 'D', 'B', 'C']);
    assert.deepEqual(apply('A', 'D'), ['B', 'C', 'A', 'D']);
    assert.deepEqual(apply('B', undefined), ['A', 'C', 'D', 'B']);
    assert.deepEqual(apply('C', 'C'), list);
    assert.equal(stepsToPlace(list, 'Z', 'A'), 0);
    assert.equal(stepsToPlace(list, 'A', 'Z'), 0);
  });
});

describe('watchlist sorting', () => {
  const facts: Record<string, SortFacts> = {
    '005930': { name: '삼성전자', rate: -0.5, volume: 900, pnlPercent: 2 },
    '000660': { name: 'SK하이닉스', rate: 3.1, volume: 100 },
    '035420': { name: 'NAVER', rate: 1, volume: 5000, pnlPercent: -4 },
    '035720': { name: '카카오' },
    AAPL: { name: 'Apple', rate: 3.1, volume: 10, pnlPercent: 9 },
  };
  const of = (s: string): SortFacts => facts[s];

  it('keeps the manual order', () => {
    assert.deepEqual(sortSymbols(WATCHLIST, 'manual', of), WATCHLIST);
  });

  it('sorts by name ascending', () => {
    assert.deepEqual(sortSymbols(WATCHLIST, 'name', of), ['AAPL', '035420', '000660', '005930', '035720']);
  });

  it('sorts by change, volume and P&L descending, ties stable, unknowns last', () => {
    assert.deepEqual(sortSymbols(WATCHLIST, 'change', of), ['000660', 'AAPL', '035420', '005930', '035720']);
    assert.deepEqual(sortSymbols(WATCHLIST, 'volume', of), ['035420', '005930', '000660', 'AAPL', '035720']);
    assert.deepEqual(sortSymbols(WATCHLIST, 'pnl', of), ['AAPL', '005930', '035420', '000660', '035720']);
  });

  it('takes no change, volume or P&L from a price of 0 (no trade yet)', () => {
    const holding: Holding = { symbol: '005930', quantity: 10, averageCost: 70000, currency: 'KRW' };
    assert.deepEqual(sortFacts('S', { last: 0, change: 0, rate: 0, volume: 0 }, holding), { name: 'S' });
    assert.deepEqual(sortFacts('S', undefined, holding), { name: 'S' });
    const f = sortFacts('S', { last: 77000, change: 700, rate: 0.92, volume: 12 }, holding);
    assert.equal(f.rate, 0.92);
    assert.equal(f.volume, 12);
    assert.equal(f.pnlPercent, 10);
    assert.equal(sortFacts('S', { last: 77000, change: 700, rate: 0.92, volume: 12 }, undefined).pnlPercent, undefined);
  });

  it('knows its sort keys', () => {
    assert.ok(isSortKey('pnl') && !isSortKey('price') && !isSortKey(3));
  });
});

describe('group rows', () => {
  const holdings: Holding[] = [
    { symbol: '005930', quantity: 10, averageCost: 70000, currency: 'KRW' },
    { symbol: 'AAPL', quantity: 2, averageCost: 100, currency: 'USD' },
    { symbol: '000660', quantity: 1, averageCost: 100000, currency: 'KRW' },
  ];
  const prices: Record<string, { last: number; change: number }> = {
    '005930': { last: 71000, change: 500 },
    AAPL: { last: 110, change: -1 },
    '000660': { last: 0, change: 0 },
  };

  it('shows the count and the P&L of the positions it holds, each currency apart', () => {
    const r = groupRowText('Mine', ['005930', 'AAPL', '035420'], holdings, (s) => prices[s], false, t);
    assert.equal(r.description, '3 · +10,000 KRW (+1.43%) · +$20.00 (+10.00%)');
    assert.match(r.tooltip, /KRW P&L total \+10,000 KRW \(\+1\.43%\), today \+5,000 KRW/);
    assert.match(r.tooltip, /USD P&L total \+\$20\.00/);
  });

  it('leaves out holdings outside the group and those without a price', () => {
    assert.equal(groupRowText('G', ['000660', '035420'], holdings, (s) => prices[s], false, t).description, '2');
    assert.equal(groupRowText('G', ['035420'], holdings, (s) => prices[s], false, t).description, '1');
  });

  it('shows only the count in privacy mode', () => {
    const r = groupRowText('Mine', ['005930', 'AAPL'], holdings, (s) => prices[s], true, t);
    assert.equal(r.description, '2');
    assert.doesNotMatch(r.tooltip, /KRW|USD|\d{2},/);
  });
});
