import assert from 'node:assert/strict';
import type { AgentStats, WorkerHostStats } from '../../src/shared/stats';
import { formatMessage } from '../../src/common/translate';
import { isStalled, lastDataAt, renderDetails, statsRows, statusKind, statusView, type StatusInput } from '../../src/views/statusBarModel';

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

const worker: WorkerHostStats = { running: true, workerRestarts: 0, records: 5000, handlerErrors: 0, parseErrors: 0, dropped: 0, coalesced: 2, queued: 0, snapshots: 40 };

function input(over: Partial<StatusInput> = {}): StatusInput {
  return {
    source: 'simulator',
    session: 'running',
    agent: agent(),
    worker,
    marketOpen: true,
    marketPhase: 'regular',
    watchlistSize: 3,
    now: NOW,
    staleAfterMs: 30_000,
    t: formatMessage,
    ...over,
  };
}

describe('statusBarModel', () => {
  it('shows messages per second and subscriptions while live', () => {
    const view = statusView(input());
    assert.equal(view.kind, 'live');
    assert.equal(view.text, '$(pulse) 1.23k/s 3/41');
    assert.equal(view.background, 'none');
    assert.ok(view.tooltipPlain.startsWith('Streaming from Simulator.'));
    assert.ok(view.tooltipPlain.includes('Subscriptions: 3/41'));
    assert.ok(view.tooltipMarkdown.includes('| Subscriptions | 3/41 |'));
  });

  it('is off without a session and says how to start', () => {
    const view = statusView(input({ session: 'off', agent: undefined, worker: undefined, watchlistSize: 0 }));
    assert.equal(view.kind, 'off');
    assert.equal(view.text, '$(debug-disconnect) KIS not connected');
    assert.match(view.tooltipPlain, /Add a symbol/);
    const disconnected = statusView(input({ session: 'off', agent: undefined }));
    assert.equal(disconnected.text, '$(debug-disconnect) KIS disconnected', 'a watchlist whose prices are no longer live says so in words');
    assert.match(disconnected.tooltipPlain, /KIS: Connect/);
  });

  it('spins while connecting', () => {
    assert.equal(statusView(input({ session: 'starting', agent: undefined })).text, '$(sync~spin) KIS');
    const view = statusView(input({ agent: agent({ state: 'connecting', subscriptionsUsed: 0 }) }));
    assert.equal(view.kind, 'connecting');
    assert.equal(view.text, '$(sync~spin) KIS 0/41');
    assert.equal(statusKind(input({ agent: agent({ state: 'idle' }) })), 'connecting');
  });

  it('counts down to the next attempt while reconnecting, on the warning background', () => {
    const view = statusView(input({ agent: agent({ state: 'reconnecting', nextRetryAt: NOW + 4200, lastError: 'socket closed (1006)' }) }));
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
    assert.equal(isStalled(input({ agent: agent({ lastTickAt: {}, subscriptionsUsed: 0, connectedSince: NOW - 40_000 }) })), false);
  });

  it('says the market is closed instead of stalled outside KRX hours', () => {
    const view = statusView(input({ source: 'real', marketOpen: false, marketPhase: 'closed', nextOpenAt: Date.UTC(2026, 10, 25, 23, 30), agent: agent({ lastTickAt: {} }) }));
    assert.equal(view.kind, 'marketClosed');
    assert.equal(view.text, '$(clock) KIS market closed 3/41');
    assert.match(view.tooltipPlain, /data resumes at 08:30 KST/);
    assert.ok(view.tooltipPlain.includes('Market: closed'));
  });

  it('shows the error background when the agent stopped with an error', () => {
    const view = statusView(input({ agent: agent({ state: 'stopped', lastError: 'The app key is in use by another session.', lastErrorCode: 'APPKEY_IN_USE' }) }));
    assert.equal(view.kind, 'stopped');
    assert.equal(view.text, '$(error) KIS stopped');
    assert.equal(view.background, 'error');
    assert.match(view.tooltipPlain, /Last error: The app key is in use by another session. \(APPKEY_IN_USE\)/);
    const clean = statusView(input({ agent: agent({ state: 'stopped' }) }));
    assert.equal(clean.text, '$(debug-disconnect) KIS stopped');
    assert.equal(clean.background, 'none');
  });

  it('shows a session that failed to start with its reason', () => {
    const view = statusView(input({ session: 'failed', sessionError: 'No credentials for paper trading.', agent: undefined }));
    assert.equal(view.kind, 'failed');
    assert.equal(view.background, 'error');
    assert.equal(view.tooltipPlain.split('\n')[0], 'No credentials for paper trading.');
  });

  it('lists agent and worker statistics', () => {
    const rows = new Map(statsRows(input({ agent: agent({ ackRttP50: 1.4, ackRttP99: 9.6, lastPingEchoMs: 0.3 }) })));
    assert.equal(rows.get('Data source'), 'Simulator');
    assert.equal(rows.get('Market'), 'simulated (always open)');
    assert.equal(rows.get('Records'), '5K');
    assert.equal(rows.get('Ack RTT p50 / p99'), '1 ms / 10 ms');
    assert.equal(rows.get('Worker'), 'running');
    assert.equal(rows.get('Coalesced books'), '2');
    assert.equal(new Map(statsRows(input({ source: 'paper', marketPhase: 'afterMarket' }))).get('Market'), 'after-market');
  });

  it('renders the details document with per-symbol last ticks', () => {
    const text = renderDetails(input(), (s) => (s === '005930' ? '삼성전자' : s));
    const lines = text.split('\n');
    assert.deepEqual(lines.slice(0, 2), ['KIS Market Monitor: connection details', '======================================']);
    assert.ok(!text.includes('|') && !text.includes('`') && !text.includes('$('), `plain text, no Markdown or codicons:\n${text}`);
    assert.ok(lines.includes('Status: 1.23k/s 3/41'), text);
    // The stats: one aligned table, values starting in one column.
    const subs = lines.find((l) => l.startsWith('Subscriptions'));
    const source = lines.find((l) => l.startsWith('Data source'));
    assert.match(subs ?? '', /^Subscriptions +3\/41$/);
    assert.equal(subs?.indexOf('3/41'), source?.indexOf('Simulator'), 'values aligned');
    // The last ticks: a header, a rule, then the rows; 삼성전자 counts as 8 columns, so the time column lines up.
    const header = lines.indexOf('Symbol           Last tick');
    assert.ok(header > 0, text);
    assert.equal(lines[header + 1], '---------------  ------------');
    assert.equal(lines[header + 2], '삼성전자 005930  09:59:59 KST');
    assert.ok(!text.includes('Recent data gaps'), 'no gap section without gaps');
  });

  it('counts invalid requests, stalls and data gaps, and lists the newest gaps in the details document', () => {
    const from = Date.UTC(2026, 10, 25, 1, 0, 5); // 10:00:05 KST
    const withGaps = agent({
      invalidRequests: 2,
      stalls: 1,
      gaps: 2,
      recentGaps: [
        { trId: 'H0STASP0', trKey: '000660', from: from - 60_000, to: from - 57_000, reason: 'Connection closed (code 1000)' },
        { trId: 'H0STCNT0', trKey: '005930', from, to: from + 3000, reason: 'Connection closed (code 1006)' },
      ],
    });
    const rows = new Map(statsRows(input({ agent: withGaps })));
    assert.equal(rows.get('Invalid requests'), '2');
    assert.equal(rows.get('Stalls'), '1');
    assert.equal(rows.get('Data gaps'), '2');
    const text = renderDetails(input({ agent: withGaps }), (s) => (s === '005930' ? '삼성전자' : s));
    const newest = text.indexOf('삼성전자 005930  H0STCNT0  10:00:05 – 10:00:08 KST  Connection closed (code 1006)');
    const older = text.indexOf('000660 000660    H0STASP0  09:59:05 – 09:59:08 KST  Connection closed (code 1000)');
    assert.ok(newest > 0 && older > newest, text);
  });
});
