/**
 * The simulator's client bookkeeping: the live connections (sessions) and each appkey's single session
 * slot. KIS allows one live session per appkey; after an unclean close (1006) the live server keeps the
 * slot as a "zombie" for a while, so a quick reconnect is refused with OPSP8996 (kis-protocol.md §9).
 */
import type { ResolvedOptions } from '../options';
import { Session } from './session';

/** One registration of a live connection, as `KisSimulator.registrations()` reports it. */
export interface RegistrationRow {
  sessionId: number;
  trId: string;
  trKey: string;
  acked: boolean;
}

/** The live sessions and the appkey slots. */
export class SessionSet implements Iterable<Session> {
  private readonly sessions = new Set<Session>();
  /** appkey → the live session holding it, or the epoch ms until which a zombie holds it. */
  private readonly slots = new Map<string, Session | number>();

  constructor(private readonly options: Pick<ResolvedOptions, 'now' | 'zombieSlotMs'>) {}

  [Symbol.iterator](): Iterator<Session> {
    return this.sessions[Symbol.iterator]();
  }

  /** Live connections. */
  get size(): number {
    return this.sessions.size;
  }

  add(session: Session): void {
    this.sessions.add(session);
  }

  delete(session: Session): void {
    this.sessions.delete(session);
  }

  /** Every session, or the one with `sessionId` (none when it is gone). */
  targets(sessionId?: number): Session[] {
    return [...this.sessions].filter((s) => sessionId === undefined || s.id === sessionId);
  }

  /** Session ids, oldest first. */
  ids(): number[] {
    return [...this.sessions].map((s) => s.id);
  }

  /** (trId, trKey) registered on each live connection. */
  registrations(): RegistrationRow[] {
    const out: RegistrationRow[] = [];
    for (const session of this.sessions) {
      for (const r of session.registrationList())
        out.push({ sessionId: session.id, trId: r.trId, trKey: r.trKey, acked: r.acked });
    }
    return out;
  }

  /** Bytes queued on a connection's socket (0 for an unknown session). */
  bufferedAmount(sessionId: number): number {
    for (const session of this.sessions) if (session.id === sessionId) return session.ws.bufferedAmount;
    return 0;
  }

  /** Closes every connection cleanly with `code` (a close frame; the client sees that code). */
  closeAll(code: number, reason: string): void {
    for (const session of this.sessions) {
      session.ws.close(code, reason);
      // Nothing more goes out on a closing socket, so the send log counts only what the client could get.
      session.dispose();
    }
  }

  /** Drops every connection without a close frame (socket destroyed; the client sees 1006). */
  dropAll(): void {
    for (const session of this.sessions) {
      session.ws.terminate();
      // 'close' comes a turn later; a data tick in between would log records that never left.
      session.dispose();
    }
  }

  /** Takes the appkey's slot for `session`; false while another live session or a zombie holds it. */
  claimSlot(appkey: string, session: Session): boolean {
    const holder = this.slots.get(appkey);
    if (holder instanceof Session && holder !== session && !holder.closed) return false;
    if (typeof holder === 'number' && this.options.now() < holder) return false;
    this.slots.set(appkey, session);
    return true;
  }

  /** Frees the slot `session` holds, or keeps it as a zombie after an unclean close. */
  releaseSlot(appkey: string, session: Session, unclean: boolean): void {
    if (this.slots.get(appkey) !== session) return;
    if (unclean && this.options.zombieSlotMs > 0)
      this.slots.set(appkey, this.options.now() + this.options.zombieSlotMs);
    else this.slots.delete(appkey);
  }
}
