/**
 * The follower's end of the hub: connects to the leader's socket, says hello with the token, sends its
 * wants and receives snapshots and status. It holds no KIS credentials.
 */
import * as net from 'node:net';
import { EventSource } from '../common/lifecycle';
import {
  HUB_PROTOCOL_VERSION,
  type FollowerMessage,
  type HubStatus,
  type HubWant,
  type HubWelcome,
} from '../shared/hubProtocol';
import type { Snapshot } from '../shared/snapshot';
import { HubError } from './errors';
import { encodeFrame, FrameDecoder, MAX_FRAME_BYTES, type Decoded } from './framing';

/** Options of `HubFollower.connect`. */
export interface HubFollowerOptions {
  socketPath: string;
  token: string;
  name: string;
  wants: readonly HubWant[];
  /** Sent as the hello's version (tests send a wrong one). Default HUB_PROTOCOL_VERSION. */
  version?: number;
  maxFrameBytes?: number;
  log?: (level: 'info' | 'warn', message: string) => void;
}

/** Events of the follower end. */
export interface HubFollowerEvents {
  snapshot: [Snapshot];
  status: [HubStatus];
  /** The leader is gone (its socket closed); `reason` is a sentence for the log. */
  lost: [string];
}

/** A connected, welcomed follower. */
export class HubFollower extends EventSource<HubFollowerEvents> {
  private closedByUs = false;
  private lostReported = false;
  /** Epoch ms of the last message from the leader (the start of a hand-over gap). */
  lastMessageAt = Date.now();

  private constructor(
    private readonly socket: net.Socket,
    /** The leader's welcome (its name and pid). */
    readonly welcome: HubWelcome,
  ) {
    super();
  }

  /**
   * Connects and completes the hello. Rejects with HUB_UNREACHABLE (nothing listening; the error's
   * `cause` has the errno code, ENOENT or ECONNREFUSED for a stale socket) or HUB_REFUSED (the leader said no).
   */
  static connect(options: HubFollowerOptions): Promise<HubFollower> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(options.socketPath);
      const decoder = new FrameDecoder(options.maxFrameBytes ?? MAX_FRAME_BYTES);
      let follower: HubFollower | undefined;
      let settled = false;
      const fail = (error: HubError): void => {
        if (settled) return;
        settled = true;
        socket.destroy();
        reject(error);
      };
      const write = (message: FollowerMessage): void => void socket.write(encodeFrame(message));
      socket.once('connect', () => {
        write({
          type: 'hello',
          version: options.version ?? HUB_PROTOCOL_VERSION,
          token: options.token,
          name: options.name,
          pid: process.pid,
        });
        write({ type: 'wants', wants: [...options.wants] });
      });
      socket.on('error', (error: NodeJS.ErrnoException) => {
        fail(
          new HubError('HUB_UNREACHABLE', `hub at ${options.socketPath}: ${error.code ?? error.message}`, error.code),
        );
      });
      socket.on('close', () => {
        fail(new HubError('HUB_UNREACHABLE', `hub at ${options.socketPath} closed the connection during the hello`));
        follower?.reportLost('the leader closed the hub connection');
      });
      const handle = (decoded: Decoded): void => {
        if (decoded.kind === 'error') {
          options.log?.(
            'warn',
            `the hub leader sent a ${decoded.code === 'HUB_OVERSIZED' ? 'message over the size cap' : 'malformed message'} (${decoded.message}): disconnected`,
          );
          fail(new HubError('HUB_UNREACHABLE', `the hub leader sent a malformed message (${decoded.message})`));
          socket.destroy();
          return;
        }
        const message = decoded.message;
        if (follower !== undefined) follower.lastMessageAt = Date.now();
        switch (message.type) {
          case 'welcome':
            if (follower !== undefined) break;
            follower = new HubFollower(socket, message);
            settled = true;
            resolve(follower);
            break;
          case 'refused':
            options.log?.('warn', `the hub leader refused this window: ${message.message} (${message.code})`);
            fail(new HubError('HUB_REFUSED', `${message.message} (${message.code})`, message.code));
            break;
          case 'snapshot':
            follower?.emit('snapshot', message.snapshot);
            break;
          case 'status':
            follower?.emit('status', message);
            break;
          default:
            options.log?.(
              'warn',
              `the hub leader sent a "${message.type}" message, which only followers send: ignored`,
            );
        }
      };
      socket.on('data', (chunk: Buffer) => {
        const all = decoder.push(chunk);
        for (let i = 0; i < all.length; i++) {
          const welcomed = follower === undefined;
          handle(all[i] as Decoded);
          if (welcomed && follower !== undefined) {
            // The status usually shares a chunk with the welcome: deliver the rest after the caller's
            // await has attached its listeners (setImmediate runs before the next chunk is read).
            const rest = all.slice(i + 1);
            setImmediate(() => rest.forEach(handle));
            return;
          }
        }
      });
    });
  }

  /** Replaces this window's wants. */
  setWants(wants: readonly HubWant[]): void {
    if (!this.socket.destroyed) this.socket.write(encodeFrame({ type: 'wants', wants: [...wants] }));
  }

  /** Leaves the hub (no 'lost' event follows) and removes every listener. */
  close(): void {
    this.closedByUs = true;
    this.socket.destroy();
    super.dispose();
  }

  /** The same as `close()`. */
  override dispose(): void {
    this.close();
  }

  private reportLost(reason: string): void {
    if (this.closedByUs || this.lostReported) return;
    this.lostReported = true;
    this.emit('lost', reason);
  }
}
