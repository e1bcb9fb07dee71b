/**
 * Where the hub lives: one directory per OS user (owner-only), with per source a socket, leader-epoch
 * files, and per user a channel token and the OPSP8996 hold file.
 *
 * Why the directory is checked and not only created: /tmp is shared, so another user could create
 * `kis-monitor-<uid>` first (with loose modes, or as a symlink) and read our token or plant a socket.
 * We refuse anything not owned by us or reachable by group/others (HUB_UNSAFE_DIR) instead of using it.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HubError } from './errors';

/** The per-user hub directory: $XDG_RUNTIME_DIR/kis-monitor, else <tmpdir>/kis-monitor-<uid>. */
export function defaultHubDir(env: Record<string, string | undefined> = process.env): string {
  const runtime = env.XDG_RUNTIME_DIR;
  if (runtime !== undefined && runtime !== '') return path.join(runtime, 'kis-monitor');
  const who = typeof process.getuid === 'function' ? String(process.getuid()) : os.userInfo().username;
  return path.join(os.tmpdir(), `kis-monitor-${who}`);
}

/**
 * The socket of one source's hub: a Unix socket in `dir`, or on Windows a named pipe (pipes live in
 * their own namespace; the name carries the user and a hash of the directory so users do not meet).
 */
export function socketPath(dir: string, source: string, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') {
    const tag = Buffer.from(dir).toString('hex').slice(-24);
    return `\\\\.\\pipe\\kis-monitor-${os.userInfo().username}-${tag}-${source}`;
  }
  return path.join(dir, `${source}.sock`);
}

/** Throws HUB_UNSAFE_DIR unless `stat` is owned by this user and has no group/other permission bits. */
export function assertOwnerOnly(stat: fs.Stats, what: string, uid: number | undefined = process.getuid?.()): void {
  if (uid !== undefined && stat.uid !== uid) {
    throw new HubError(
      'HUB_UNSAFE_DIR',
      `${what} is owned by uid ${stat.uid}, not by this user (uid ${uid}); refusing to use it`,
    );
  }
  if ((stat.mode & 0o077) !== 0) {
    throw new HubError(
      'HUB_UNSAFE_DIR',
      `${what} is accessible by group or others (mode ${(stat.mode & 0o777).toString(8)}); refusing to use it`,
    );
  }
}

/** Creates the hub directory (0700) if missing and checks it is a real directory, ours, owner-only. */
export function ensureHubDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const stat = fs.lstatSync(dir);
  if (!stat.isDirectory())
    throw new HubError('HUB_UNSAFE_DIR', `${dir} is not a directory (a symlink?); refusing to use it`);
  // Windows has no POSIX modes; the pipe namespace and the profile directory's ACLs stand in.
  if (process.platform !== 'win32') assertOwnerOnly(stat, dir);
}

/**
 * The channel token: created once per user (0600, 32 random bytes as hex), then read by every process.
 * Created under a temporary name and linked into place, so a reader never sees a half-written file.
 */
export function readOrCreateToken(dir: string): string {
  const file = path.join(dir, 'token');
  if (!fs.existsSync(file)) {
    const tmp = path.join(dir, `token.${process.pid}.${randomBytes(4).toString('hex')}`);
    fs.writeFileSync(tmp, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    try {
      fs.linkSync(tmp, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      fs.unlinkSync(tmp);
    }
  }
  const stat = fs.lstatSync(file);
  if (!stat.isFile()) throw new HubError('HUB_UNSAFE_DIR', `${file} is not a regular file; refusing to use it`);
  if (process.platform !== 'win32') assertOwnerOnly(stat, file);
  return fs.readFileSync(file, 'utf8').trim();
}
