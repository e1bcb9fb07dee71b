import assert from 'node:assert/strict';
import type { AgentStats, WorkerHostStats } from '../../../src/shared/stats';
import { formatMessage } from '../../../src/common/translate';
import {
  isStalled,
  lastDataAt,
  statsRows,
  statusKind,
  statusView,
  type StatusInput,
} from '../../../src/views/status/statusBarModel';
import { detailsDocument, detailsHtml, detailsMarkdown, renderDetails } from '../../../src/views/status/detailsModel';

const NOW = Date.UTC(2026, 10, 25, 1, 0, 0);

function agent(over: Partial<AgentStats> = {}): AgentStats {
  return {
    state: 'open',
    connectedSince: NOW - 60_000,
    reconnects: 0,
    messages: 1000,
    records: 5000,
    bytes: 123456,
    messagesPerSec1s: 1234,
    messagesPerSec10s: 1100,
    parseErrors: 0,
    handlerErrors: 0,
    pingpongs: 1,
    lastTickAt: { '005930': NOW - 100 },
    subscriptionsUsed: 3,
    subscriptionLimit: 41,
    refused: 0,
    ...over,
  };
}

const worker: WorkerHostStats = {
  running: true,
  workerRestarts: 0,
  records: 5000,
  handlerErrors: 0,
  parseErrors: 0,
  dropped: 0,
  coalesced: 2,
  queued: 0,
  snapshots: 40,
};

function input(over: Partial<StatusInput> = {}): StatusInput {
  return {
    source: 'simulator',
    session: 'running',
    agent: agent(),
    worker,
    marketOpen: true,
    phase: 'demo: streams at any hour',
    watchlistSize: 3,
    now: NOW,
    staleAfterMs: 30_000,
    t: formatMessage,
    ...over,
  };
}

describe('statusBarModel', () => {
  it('says "KIS live" and the registrations in words a newcomer reads; the rate is in the tooltip', () => {
    const view = statusView(input());
    assert.equal(view.kind, 'live');
    assert.equal(view.text, '$(pulse) KIS live 3/41');
    assert.equal(view.background, 'none');
    assert.ok(view.tooltipPlain.startsWith('Streaming from Simulator: demo: streams at any hour.'));
    assert.ok(
      view.tooltipPlain.includes('Live: 3 of 41 registrations (the limit of one KIS session)'),
      view.tooltipPlain,
    );
    assert.ok(view.tooltipPlain.includes('Messages: 1.23k/s now, 1.1k/s over 10 s'), view.tooltipPlain);
    assert.ok(
      !view.tooltipPlain.includes('PINGPONG') && !view.tooltipPlain.includes('Sink errors'),
      'internals stay in Connection Details',
    );
    const day = statusView(input({ calendar: true, phase: 'NXT after-market' }));
    assert.equal(day.text, '$(pulse) KIS live · NXT after-market 3/41', 'on the calendar the item says the phase');
  });

  it('keeps the tooltip to at most 15 lines, with every optional line present', () => {
    const busy = input({
      source: 'replay',
      replay: {
        state: 'playing',
        speed: 10,
        recordingStartedAt: NOW - 60_000,
        recordedAt: NOW,
        frames: 120,
        skipped: 1,
        truncated: false,
      },
      calendar: true,
      dayRows: [
        ['Trading phase', 'x'],
        ['Exchange', 'KRX'],
        ['Next phase change', 'Mon 08:00'],
      ],
      agent: agent({ reconnects: 3, gaps: 2, lastError: 'socket closed', lastErrorCode: 'WS_CLOSED' }),
      share: { role: 'leader', windows: 3, state: 'open', leaderName: 'w', overBudget: ['000660'] },
      rest: {
        refreshed: 20,
        everySeconds: 30,
        unavailable: 2,
        requests: 1,
        ok: 1,
        errors: {},
        limiterWaitMs: 0,
        rateLimitedResponses: 0,
        tokensIssued: 0,
        tokensFromStore: 0,
      } as never,
    });
    for (const view of [
      statusView(busy),
      statusView({
        ...busy,
        session: 'running',
        agent: agent({ state: 'reconnecting', reconnects: 9, gaps: 4, lastError: 'x' }),
      }),
    ]) {
      const markdownLines = view.tooltipMarkdown.split('\n').filter((l) => l.trim() !== '');
      assert.ok(markdownLines.length <= 15, `${markdownLines.length} lines:\n${view.tooltipMarkdown}`);
      assert.ok(view.tooltipPlain.split('\n').length <= 15, view.tooltipPlain);
      assert.match(view.tooltipMarkdown, /Click for connection details/);
    }
  });

  it('says in the tooltip how many sessions the simulator serves when windows share it, and only then', () => {
    const sims = { live: 1, served: 1 };
    const shared = statusView(
      input({
        share: { role: 'leader', windows: 2, state: 'open', leaderName: 'w', overBudget: [] },
        simulatorSessions: sims,
      }),
    );
    assert.match(shared.tooltipPlain, /Simulator sessions: 1 live, 1 served/);
    const alone = statusView(input({ simulatorSessions: sims }));
    assert.doesNotMatch(alone.tooltipPlain, /Simulator sessions/);
  });

  it('is off without a session and says how to start', () => {
    const view = statusView(input({ session: 'off', agent: undefined, worker: undefined, watchlistSize: 0 }));
    assert.equal(view.kind, 'off');
    assert.equal(view.text, '$(debug-disconnect) KIS not connected');
    assert.match(view.tooltipPlain, /Add a symbol/);
    const disconnected = statusView(input({ session: 'off', agent: undefined }));
    assert.equal(
      disconnected.text,
      '$(debug-disconnect) KIS disconnected',
      'a watchlist whose prices are no longer live says so in words',
    );
    assert.match(disconnected.tooltipPlain, /KIS: Connect/);
  });

  it('spins while connecting', () => {
    assert.equal(statusView(input({ session: 'starting', agent: undefined })).text, '$(sync~spin) KIS connecting');
    const view = statusView(input({ agent: agent({ state: 'connecting', subscriptionsUsed: 0 }) }));
    assert.equal(view.kind, 'connecting');
    assert.equal(view.text, '$(sync~spin) KIS connecting');
    assert.equal(statusKind(input({ agent: agent({ state: 'idle' }) })), 'connecting');
  });

  it('counts down to the next attempt while reconnecting, on the warning background', () => {
    const view = statusView(
      input({ agent: agent({ state: 'reconnecting', nextRetryAt: NOW + 4200, lastError: 'socket closed (1006)' }) }),
    );
    assert.equal(view.kind, 'reconnecting');
    assert.equal(view.text, '$(sync~spin) KIS reconnecting in 5s');
    assert.equal(view.background, 'warning');
    assert.match(view.tooltipPlain, /Connection lost: socket closed \(1006\)/);
    assert.equal(statusView(input({ agent: agent({ state: 'reconnecting' }) })).text, '$(sync~spin) KIS reconnecting');
  });

  it('warns when no data arrives during market hours', () => {
    const stale = agent({ lastTickAt: { '005930': NOW - 31_000 } });
    assert.equal(isStalled(input({ agent: stale })), true);
    assert.equal(lastDataAt(stale), NOW - 31_000);
    const view = statusView(input({ agent: stale }));
    assert.equal(view.kind, 'stalled');
    assert.equal(view.text, '$(warning) KIS stalled 3/41');
    assert.equal(view.background, 'warning');
    // Counted from the session start when no frame arrived at all.
    assert.equal(isStalled(input({ agent: agent({ lastTickAt: {}, connectedSince: NOW - 40_000 }) })), true);
    assert.equal(
      isStalled(input({ agent: agent({ lastTickAt: {}, subscriptionsUsed: 0, connectedSince: NOW - 40_000 }) })),
      false,
    );
  });

  it('says the market is closed instead of stalled outside KRX hours', () => {
    const view = statusView(
      input({ source: 'real', marketOpen: false, phase: 'closed until Mon 08:00', agent: agent({ lastTickAt: {} }) }),
    );
    assert.equal(view.kind, 'marketClosed');
    assert.equal(view.text, '$(clock) KIS closed until Mon 08:00');
    assert.match(view.tooltipPlain, /No data is expected now: closed until Mon 08:00 \(KST\)/);
    assert.ok(view.tooltipPlain.includes('Market: closed until Mon 08:00'));
  });

  it('shows the error background when the agent stopped with an error', () => {
    const view = statusView(
      input({
        agent: agent({
          state: 'stopped',
          lastError: 'The app key is in use by another session.',
          lastErrorCode: 'APPKEY_IN_USE',
        }),
      }),
    );
    assert.equal(view.kind, 'stopped');
    assert.equal(view.text, '$(error) KIS stopped');
    assert.equal(view.background, 'error');
    assert.match(view.tooltipPlain, /Last error: The app key is in use by another session. \(APPKEY_IN_USE\)/);
    const clean = statusView(input({ agent: agent({ state: 'stopped' }) }));
    assert.equal(clean.text, '$(debug-disconnect) KIS stopped');
    assert.equal(clean.background, 'none');
  });

  it('shows a session that failed to start with its reason', () => {
    const view = statusView(
      input({ session: 'failed', sessionError: 'No credentials for paper trading.', agent: undefined }),
    );
    assert.equal(view.kind, 'failed');
    assert.equal(view.background, 'error');
    assert.equal(view.tooltipPlain.split('\n')[0], 'No credentials for paper trading.');
  });

  it('lists agent and worker statistics', () => {
    const rows = new Map(statsRows(input({ agent: agent({ ackRttP50: 1.4, ackRttP99: 9.6, lastPingEchoMs: 0.3 }) })));
    assert.equal(rows.get('Data source'), 'Simulator');
    assert.equal(rows.get('Market'), 'demo: streams at any hour');
    assert.equal(rows.get('Unreadable day records'), '0');
    assert.equal(rows.get('Records'), '5K');
    assert.equal(rows.get('Ack RTT p50 / p99'), '1 ms / 10 ms');
    assert.equal(rows.get('Worker'), 'running');
    assert.equal(rows.get('Coalesced books'), '2');
    const paper = new Map(
      statsRows(
        input({ source: 'paper', phase: 'KRX after-market', dayRows: [['Exchange', 'krx (asked unified: paper)']] }),
      ),
    );
    assert.equal(paper.get('Market'), 'KRX after-market');
    assert.equal(paper.get('Exchange'), 'krx (asked unified: paper)');
  });

  it("lists each user handler's calls, errors and time", () => {
    const handlers = [
      { path: '/ws/kis-handlers/signal.ts', version: 3, calls: 12_345, errors: 2, p50Ms: 0.0123, p99Ms: 1.5 },
    ];
    const rows = new Map(statsRows(input({ worker: { ...worker, handlers } })));
    assert.equal(rows.get('Handler signal.ts'), '12.3K calls, 2 errors, p50 0.012 ms / p99 1.500 ms, v3');
    assert.ok(
      ![...rows.keys()].some((k) => k.startsWith('Handler ') && k !== 'Handler errors' && k !== 'Handler signal.ts'),
    );
  });

  it('renders Connection Details as a document: headings, one table per part, per-symbol last ticks', () => {
    const doc = detailsDocument(input(), (s) => (s === '005930' ? '삼성전자' : s));
    const text = detailsMarkdown(doc);
    const lines = text.split('\n');
    assert.equal(lines[0], '# KIS Market Monitor: connection details');
    assert.ok(lines.includes('**KIS live 3/41**: Streaming from Simulator: demo: streams at any hour.'), text);
    assert.ok(!text.includes('$('), 'no codicons in a document');
    for (const heading of ['## Session', '## Connection', '## Worker', '## Last tick per symbol'])
      assert.ok(lines.includes(heading), `${heading} in\n${text}`);
    assert.ok(lines.includes('| Subscriptions | 3/41 |'), text);
    const header = lines.indexOf('| Symbol | Last tick |');
    assert.ok(header > 0, text);
    assert.equal(lines[header + 2], '| 삼성전자 005930 | 09:59:59 KST |');
    assert.ok(!text.includes('Recent data gaps'), 'no gap section without gaps');
    const page = detailsHtml(
      { ...doc, sections: [...doc.sections, { title: 'Registration plan', list: ['H0STCNT0 ×1: <005930>'] }] },
      'n0nce',
      'ko',
    );
    assert.match(page, /<h1>KIS Market Monitor: connection details<\/h1>/);
    assert.match(page, /<h2>Connection<\/h2>/);
    assert.match(page, /<th scope="row">Subscriptions<\/th><td>3\/41<\/td>/);
    assert.match(page, /<td>삼성전자 005930<\/td><td>09:59:59 KST<\/td>/);
    assert.match(page, /<li><code>H0STCNT0 ×1: &#60;005930&#62;<\/code><\/li>/, 'text is escaped, never markup');
    assert.match(page, /Content-Security-Policy" content="default-src 'none'; style-src 'nonce-n0nce';"/);
    assert.ok(!page.includes('## '), 'no raw Markdown heading on the page');
  });

  it('counts invalid requests, stalls and data gaps, and lists the newest gaps in the details document', () => {
    const from = Date.UTC(2026, 10, 25, 1, 0, 5); // 10:00:05 KST
    const withGaps = agent({
      invalidRequests: 2,
      stalls: 1,
      gaps: 2,
      recentGaps: [
        {
          trId: 'H0STASP0',
          trKey: '000660',
          from: from - 60_000,
          to: from - 57_000,
          reason: 'Connection closed (code 1000)',
        },
        { trId: 'H0STCNT0', trKey: '005930', from, to: from + 3000, reason: 'Connection closed (code 1006)' },
      ],
    });
    const rows = new Map(statsRows(input({ agent: withGaps })));
    assert.equal(rows.get('Invalid requests'), '2');
    assert.equal(rows.get('Stalls'), '1');
    assert.equal(rows.get('Data gaps'), '2');
    const text = renderDetails(input({ agent: withGaps }), (s) => (s === '005930' ? '삼성전자' : s));
    const newest = text.indexOf(
      '| 삼성전자 005930 | H0STCNT0 | 10:00:05 – 10:00:08 KST | Connection closed (code 1006) |',
    );
    const older = text.indexOf(
      '| 000660 000660 | H0STASP0 | 09:59:05 – 09:59:08 KST | Connection closed (code 1000) |',
    );
    assert.ok(newest > 0 && older > newest, text);
  });
});
