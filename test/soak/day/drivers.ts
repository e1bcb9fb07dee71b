/**
 * What each fault of the schedule does to the running day, and the deliberate bugs (bugs.ts) the harness
 * can apply. Faults that last (a stall, REST down, a stopped follower) end after a few real seconds: the
 * timers here are the load profile, not waits for something to happen.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import WebSocket from 'ws';
import { MALFORMED_KINDS } from '../../../src/simulator/faults';
import { EGW_BODIES } from '../../../src/kis/rest/errorCodes';
import { PRICE_PATH } from '../../../src/kis/rest/endpoints';
import type { DayRig } from './rig';
import { FEED_APPKEY, FEED_SYMBOLS } from './rig';
import type { DayEventKind, FaultKind } from './schedule';
import type { BugName } from './bugs';

export class Drivers {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly sockets = new Set<WebSocket>();
  private malformed = 0;
  /** Fault kinds injected so far (the summary's faultKinds). */
  readonly injected = new Set<string>();

  constructor(
    private readonly rig: DayRig,
    private readonly say: (line: string) => void,
  ) {}

  private later(ms: number, action: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      action();
    }, ms);
    this.timers.add(t);
  }

  private touch(name: string): void {
    fs.writeFileSync(path.join(this.rig.handlerDir, name), '');
  }

  /** Applies one fault or day event now; a fault that found nothing to act on is not counted as injected. */
  async inject(kind: FaultKind | DayEventKind): Promise<void> {
    if (await this.apply(kind)) this.injected.add(kind);
  }

  private async apply(kind: FaultKind | DayEventKind): Promise<boolean> {
    const { sim } = this.rig;
    const api = sim.restApi;
    switch (kind) {
      case 'server-close':
        sim.closeAll(1001, 'soak: going away');
        return true;
      case 'silent-stall':
        sim.stall();
        this.later(4000, () => sim.resume());
        return true;
      case 'opsp8996-on-reconnect': {
        const feedKeys = new Set(FEED_SYMBOLS);
        sim.refuseNext('OPSP8996', (r) => r.trType === '1' && feedKeys.has(r.trKey));
        sim.dropAll();
        return true;
      }
      case 'rest-5xx':
        api.faults.down = '503';
        this.later(2000, () => (api.faults.down = undefined));
        return true;
      case 'rest-timeout':
        // Longer than the client's 10 s request timeout; only the requests of the next 1.5 s are held.
        api.faults.delayMs = 11_000;
        this.later(1500, () => (api.faults.delayMs = 0));
        return true;
      case 'egw00201': {
        const handle = api.handle.bind(api);
        api.handle = async (
          req: IncomingMessage,
          res: ServerResponse,
          p: string,
          body: () => Promise<string | undefined>,
        ): Promise<void> => {
          if (!p.startsWith('/uapi/')) return handle(req, res, p, body);
          req.resume();
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify(EGW_BODIES.rateLimited));
        };
        this.later(2000, () => (api.handle = handle));
        return true;
      }
      case 'token-expiry':
        api.expireTokens();
        return true;
      case 'leader-kill-9': {
        const leader = this.rig.leader();
        if (leader === undefined) {
          this.say('leader-kill-9: no hub process leads right now; nothing killed');
          return false;
        }
        await leader.member.stop('SIGKILL');
        this.rig.replace(leader);
        return true;
      }
      case 'worker-crash':
        this.touch('crash');
        return true;
      case 'throwing-handler':
        this.touch('throw');
        this.later(2000, () => fs.rmSync(path.join(this.rig.handlerDir, 'throw'), { force: true }));
        return true;
      case 'slow-handler':
        this.touch('slow');
        return true;
      case 'malformed-frame':
        // Two kinds each time, rotating through all of them over the days. (Not the invalid-UTF-8 frame:
        // it carries a well-formed record the send log never saw, which the loss check would rightly flag.)
        sim.sendMalformed(MALFORMED_KINDS[this.malformed++ % MALFORMED_KINDS.length]);
        sim.sendMalformed(MALFORMED_KINDS[this.malformed++ % MALFORMED_KINDS.length]);
        return true;
      case 'unknown-width-frame': {
        // A real record of a watched symbol with four columns more than any layout of its TR knows.
        const reg = sim.registrations().find((r) => r.acked && r.trId === 'H0UNCNT0');
        const sample = reg === undefined ? undefined : sim.sentRecords(reg.trId, reg.trKey).at(-1);
        if (reg === undefined || sample === undefined) {
          this.say('unknown-width-frame: no unified trade stream yet; sent on H0STCNT0');
        }
        const trId = reg?.trId ?? 'H0STCNT0';
        const fields = (sample ?? FEED_SYMBOLS[0]).split('^');
        sim.sendRaw(`0|${trId}|001|${[...fields, 'X', 'Y', 'Z', 'W'].join('^')}`);
        return true;
      }
      case 'follower-stops-reading': {
        const follower = this.rig.hub.find((h) => h.member.role() === 'follower');
        const pid = follower?.member.child.pid;
        if (follower === undefined || pid === undefined) {
          this.say('follower-stops-reading: no follower right now');
          return false;
        }
        process.kill(pid, 'SIGSTOP');
        this.later(3000, () => {
          if (follower.member.child.exitCode === null) process.kill(pid, 'SIGCONT');
        });
        return true;
      }
      case 'vi':
        for (const code of FEED_SYMBOLS.slice(0, 2)) sim.day.startVi(code, 'KRX', this.rig.now());
        return true;
      case 'halt':
      case 'halt-end': {
        // A market-status record with TRHT_YN set (or cleared) on each status stream the feed holds.
        const flag = kind === 'halt' ? 'Y' : 'N';
        let sent = 0;
        for (const r of sim
          .registrations()
          .filter((x) => x.acked && /^H0(ST|NX|UN)MKO0$/.test(x.trId) && x.trKey === FEED_SYMBOLS[2])) {
          const body = [flag, '(null)', '', '', '', '', '55', 'N', 'N'];
          const record = r.trId === 'H0UNMKO0' ? [...body, '1'] : [r.trKey, ...body, r.trId === 'H0NXMKO0' ? '2' : '1'];
          sim.sendRaw(`0|${r.trId}|001|${record.join('^')}`);
          sent++;
        }
        return sent > 0;
      }
    }
  }

  /** Applies a deliberate bug (bugs.ts) that the harness itself can do; the others are applied where they are read. */
  async applyBug(bug: BugName): Promise<void> {
    const { sim } = this.rig;
    this.say(`deliberate bug applied: ${bug}`);
    switch (bug) {
      case 'registration-42': {
        // A client that asks one session for a 42nd registration.
        const ws = await this.rawSession('soak-bug-appkey');
        for (let i = 0; i < 42; i++) ws.send(subscribe(this.approval, 'H0STCNT0', String(300_000 + i * 10)));
        return;
      }
      case 'second-session': {
        // A second WebSocket session with the feed's app key while its own is open.
        const ws = await this.rawSession(FEED_APPKEY);
        ws.send(subscribe(this.approval, 'H0STCNT0', FEED_SYMBOLS[0]));
        return;
      }
      case 'rest-21': {
        // 21 REST requests of one app key within one second.
        const token = await restToken(sim.restUrl, 'soak-bug-appkey');
        await Promise.all(
          Array.from({ length: 21 }, () =>
            fetch(`${sim.restUrl}${PRICE_PATH}?FID_COND_MRKT_DIV_CODE=J&FID_INPUT_ISCD=${FEED_SYMBOLS[0]}`, {
              headers: {
                appkey: 'soak-bug-appkey',
                appsecret: 'soak-bug-secret',
                authorization: `Bearer ${token}`,
                tr_id: 'FHKST01010100',
                custtype: 'P',
              },
            }).then((r) => r.arrayBuffer()),
          ),
        );
        return;
      }
      case 'stale-view': {
        // One hub process's view stops following its snapshots: a follower, which no fault kills, so it
        // is still there at the close.
        const p = this.rig.hub.find((h) => h.member.role() === 'follower');
        if (p !== undefined) p.frozen = true;
        else this.say('stale-view: no follower to freeze');
        return;
      }
      case 'drop-record':
        return; // applied where the records are read (records.ts)
    }
  }

  private approval = '';

  private async rawSession(appkey: string): Promise<WebSocket> {
    const res = await fetch(`${this.rig.sim.restUrl}/oauth2/Approval`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', appkey, secretkey: 'soak-bug-secret' }),
    });
    this.approval = ((await res.json()) as { approval_key: string }).approval_key;
    const ws = new WebSocket(this.rig.sim.wsUrl);
    this.sockets.add(ws);
    ws.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return ws;
  }

  /** Ends every lasting fault and closes the harness's own sockets. */
  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const ws of this.sockets) ws.terminate();
    this.sockets.clear();
    fs.rmSync(path.join(this.rig.handlerDir, 'throw'), { force: true });
  }
}

function subscribe(approvalKey: string, trId: string, trKey: string): string {
  return JSON.stringify({
    header: { approval_key: approvalKey, custtype: 'P', tr_type: '1', 'content-type': 'utf-8' },
    body: { input: { tr_id: trId, tr_key: trKey } },
  });
}

async function restToken(restUrl: string, appkey: string): Promise<string> {
  const res = await fetch(`${restUrl}/oauth2/tokenP`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', appkey, appsecret: 'soak-bug-secret' }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}
