/**
 * Fake credentials the suite stores, shared with runTest.ts, which searches the files VS Code left behind
 * for them after the run. Distinctive strings, so a match can only be a leak.
 */

/** A made-up app key. */
export const TEST_APPKEY = 'PSkisTESTappkeyQ9x2Lm7Vt4Rz8Wn3Hc6Yb';
/** A made-up app secret. */
export const TEST_APPSECRET = 'kisTESTsecretZ7q1Xp4Kd8Jf2Mv6Ns0Gh3Tb5Wc9Ly';
