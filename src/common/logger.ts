/**
 * The extension's log. Wraps a `LogOutputChannel` (created by the caller with `{ log: true }`, so the
 * user picks the level) and masks secrets before anything is written: the app key, the app secret and
 * the approval key must never reach a log file, whatever component produced the line.
 *
 * vscode-free at run time: the channel is passed in as a structural type.
 */
import { formatKstClock, isKstTimezoneOffset } from '../market/time';

/** The part of `vscode.LogOutputChannel` we write to. */
export interface LogChannel {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Log levels, in increasing severity. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** What secrets are replaced with. */
export const MASK = '***';

/**
 * JSON-ish fields whose value is always a secret, whatever it is: `"appkey":"..."`, `secretkey=...`.
 * Covers the approval request body (kis-protocol §2), the subscribe header (§4) and query strings.
 */
const SECRET_FIELD =
  /(["']?(?:appkey|appsecret|secretkey|approval_key|approvalKey|appKey|appSecret)["']?\s*[:=]\s*["']?)([^"'\s,&}]+)/g;

/** Values shorter than this are not registered (masking "1" would garble every line). */
const MIN_SECRET_LENGTH = 6;

/** Replaces every registered secret and every secret-named field value in `text`. */
export function maskSecrets(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_SECRET_LENGTH && out.includes(secret)) out = out.split(secret).join(MASK);
  }
  return out.replace(SECRET_FIELD, (_match, prefix: string) => `${prefix}${MASK}`);
}

/** Formats an error (or anything thrown) as one line, with its stable `code` when it has one. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${error.name} [${code}]: ${error.message}` : `${error.name}: ${error.message}`;
  }
  return String(error);
}

/**
 * The clock to stamp lines with, or undefined when none is needed. VS Code stamps each line of a log
 * channel in the machine's time zone, without naming it; every time in the UI is KST. On a machine in
 * KST the two agree; elsewhere each line also carries its KST time, labelled, so a line can be matched
 * with the status bar, the tooltips and the details document.
 */
export function kstStampClock(timezoneOffsetMinutes: number, now: () => number = Date.now): (() => number) | undefined {
  return isKstTimezoneOffset(timezoneOffsetMinutes) ? undefined : now;
}

/**
 * The stamp clock of a feed: the feed clock's time (simulated, replayed) whenever it is not the machine's,
 * so a simulated 08:56 logs `[08:56:00 KST]` even on a machine in KST; otherwise as `kstStampClock`.
 * Undefined for a line means no stamp.
 */
export function feedStampClock(
  timezoneOffsetMinutes: number,
  feedNow: () => number,
  machineNow: () => number = Date.now,
): () => number | undefined {
  return () => {
    const at = feedNow();
    return !isKstTimezoneOffset(timezoneOffsetMinutes) || Math.abs(at - machineNow()) >= 1_000 ? at : undefined;
  };
}

/** `[10:01:02 KST] ` for epoch ms `at`. */
export function kstStamp(at: number): string {
  return `[${formatKstClock(at)} KST] `;
}

/** A masking logger. One instance per extension; components get a `child(component)`. */
export class Logger {
  private readonly secrets: Set<string>;

  /**
   * @param clock when given, every line starts with its KST time (see `kstStampClock`); children share it.
   */
  constructor(
    private readonly channel: LogChannel,
    private readonly component = '',
    secrets?: Set<string>,
    private readonly clock?: () => number | undefined,
  ) {
    this.secrets = secrets ?? new Set();
  }

  /**
   * Remembers a value to mask from now on (an app key, an app secret, an approval key).
   * Shared with every child logger.
   */
  addSecret(value: string | undefined): void {
    if (value && value.length >= MIN_SECRET_LENGTH) this.secrets.add(value);
  }

  /** A logger that prefixes its lines with `[component]` and shares the secret list. */
  child(component: string): Logger {
    return new Logger(this.channel, component, this.secrets, this.clock);
  }

  trace(message: string): void {
    this.write('trace', message);
  }
  debug(message: string): void {
    this.write('debug', message);
  }
  info(message: string): void {
    this.write('info', message);
  }
  warn(message: string): void {
    this.write('warn', message);
  }
  /** Logs `message`, followed by the error's description when one is given. */
  error(message: string, error?: unknown): void {
    this.write('error', error === undefined ? message : `${message}: ${describeError(error)}`);
  }

  /** Logs at an explicit level (used to forward the agent's `log` events). */
  log(level: LogLevel, message: string): void {
    this.write(level, message);
  }

  private write(level: LogLevel, message: string): void {
    const text = maskSecrets(this.component ? `[${this.component}] ${message}` : message, this.secrets);
    const at = this.clock?.();
    const line = at !== undefined ? `${kstStamp(at)}${text}` : text;
    try {
      this.channel[level](line);
    } catch {
      // A closed channel (after deactivate) must not turn a log line into a crash.
    }
  }
}
