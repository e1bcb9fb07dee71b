import assert from 'node:assert/strict';
import {
  describeError,
  feedStampClock,
  kstStamp,
  kstStampClock,
  Logger,
  MASK,
  maskSecrets,
  type LogChannel,
} from '../../../src/common/logger';

/** A channel that records what reaches it. */
function recordingChannel(): LogChannel & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
  return {
    lines,
    trace: push('trace'),
    debug: push('debug'),
    info: push('info'),
    warn: push('warn'),
    error: push('error'),
  };
}

const APPKEY = 'PSg5dctL9dKPo727J13Ur405OSXXXXXXXXXX';
const APPSECRET = 'yo2t8zS68zpdjGuWvFyM9VikjXE0i0CbgPEamnqPA00G0bIfrdfQb2RUD1xP7SqatQXr1cD1fGUN';
const APPROVAL = 'a2585daf-8c09-4587-9fce-8ab893123456';

describe('logger', () => {
  it('stamps each line with its KST time, labelled, when the machine is in another zone; children too', () => {
    const at = Date.UTC(2026, 11, 4, 1, 2, 3); // 10:02:03 KST
    const clock = kstStampClock(0, () => at); // a machine on UTC
    assert.ok(clock);
    const channel = recordingChannel();
    const log = new Logger(channel, '', undefined, clock);
    log.addSecret(APPKEY);
    log.info('hello');
    log.child('agent').warn(`key ${APPKEY}`);
    assert.deepEqual(channel.lines, ['info [10:02:03 KST] hello', `warn [10:02:03 KST] [agent] key ${MASK}`]);
    assert.equal(kstStamp(Date.UTC(2026, 11, 4, 15, 0, 0)), '[00:00:00 KST] ', 'the KST day turns at 15:00 UTC');
  });

  it("adds no stamp on a machine in KST: VS Code's own time stamp is already the UI's zone", () => {
    assert.equal(kstStampClock(-540), undefined);
    assert.ok(kstStampClock(-480) !== undefined, 'UTC+8 is not KST');
    const channel = recordingChannel();
    new Logger(channel, '', undefined, kstStampClock(-540)).info('hello');
    assert.deepEqual(channel.lines, ['info hello']);
  });

  it("stamps lines with the feed clock when it is simulated, even on a machine in KST; not when it is the machine's", () => {
    const machine = Date.UTC(2026, 11, 6, 20, 52, 37); // 05:52:37 KST
    const simulated = Date.parse('2026-12-12T11:00:00+09:00');
    const channel = recordingChannel();
    new Logger(
      channel,
      '',
      undefined,
      feedStampClock(
        -540,
        () => simulated,
        () => machine,
      ),
    ).info('hello');
    new Logger(
      channel,
      '',
      undefined,
      feedStampClock(
        -540,
        () => machine,
        () => machine,
      ),
    ).info('real');
    new Logger(
      channel,
      '',
      undefined,
      feedStampClock(
        0,
        () => machine,
        () => machine,
      ),
    ).info('utc');
    assert.deepEqual(channel.lines, ['info [11:00:00 KST] hello', 'info real', 'info [05:52:37 KST] utc']);
  });

  it('masks registered secrets wherever they appear', () => {
    const channel = recordingChannel();
    const log = new Logger(channel);
    log.addSecret(APPKEY);
    log.addSecret(APPSECRET);
    log.info(`using ${APPKEY} and ${APPSECRET}`);
    assert.deepEqual(channel.lines, [`info using ${MASK} and ${MASK}`]);
  });

  it('masks secret-named fields even when the value was never registered', () => {
    const body = JSON.stringify({ grant_type: 'client_credentials', appkey: APPKEY, secretkey: APPSECRET });
    const masked = maskSecrets(body, []);
    assert.ok(!masked.includes(APPKEY) && !masked.includes(APPSECRET), masked);
    assert.ok(masked.includes('"grant_type":"client_credentials"'));
    const header = `{"header":{"approval_key":"${APPROVAL}","custtype":"P"}}`;
    assert.equal(maskSecrets(header, []), `{"header":{"approval_key":"${MASK}","custtype":"P"}}`);
    assert.equal(maskSecrets(`appsecret=${APPSECRET}&x=1`, []), `appsecret=${MASK}&x=1`);
  });

  it('shares secrets with child loggers and prefixes their component', () => {
    const channel = recordingChannel();
    const root = new Logger(channel);
    const child = root.child('agent');
    root.addSecret(APPROVAL);
    child.warn(`subscribe with ${APPROVAL}`);
    child.error('failed', Object.assign(new Error(`bad key ${APPROVAL}`), { code: 'BAD_CREDENTIALS' }));
    assert.deepEqual(channel.lines, [
      `warn [agent] subscribe with ${MASK}`,
      `error [agent] failed: Error [BAD_CREDENTIALS]: bad key ${MASK}`,
    ]);
  });

  it('ignores values too short to mask safely', () => {
    const channel = recordingChannel();
    const log = new Logger(channel);
    log.addSecret('1');
    log.addSecret(undefined);
    log.log('debug', 'tr_type 1');
    assert.deepEqual(channel.lines, ['debug tr_type 1']);
  });

  it('survives a channel that throws (closed after deactivate)', () => {
    const log = new Logger({
      ...recordingChannel(),
      info: () => {
        throw new Error('channel closed');
      },
    });
    assert.doesNotThrow(() => log.info('late line'));
  });

  it('describes errors and non-errors', () => {
    assert.equal(describeError(new TypeError('x')), 'TypeError: x');
    assert.equal(describeError('plain'), 'plain');
  });
});
