/**
 * KIS REST error codes (kis-rest.md §8.2) and what the client does with each. The gateway sends them either
 * in the `/uapi` envelope (`msg_cd`) or in the `/oauth2` shape (`error_code`); the HTTP status is not
 * trusted (REST_FACTS.rateLimitStatus / expiredTokenStatus).
 */

/** The EGW codes the client acts on. */
export const EGW = {
  rateLimited: 'EGW00201',
  tokenExpired: 'EGW00123',
  tokenInvalid: 'EGW00121',
  tokenTooSoon: 'EGW00133',
  badAppkey: 'EGW00103',
  paperKeyOnReal: 'EGW02004',
} as const;

/** The verbatim bodies (for the simulator and the tests). */
export const EGW_BODIES = {
  rateLimited: { rt_cd: '1', msg_cd: EGW.rateLimited, msg1: '초당 거래건수를 초과하였습니다.' },
  tokenExpired: { rt_cd: '1', msg_cd: EGW.tokenExpired, msg1: '기간이 만료된 token 입니다.' },
  tokenInvalid: { rt_cd: '1', msg_cd: EGW.tokenInvalid, msg1: '유효하지 않은 token 입니다.' },
  tokenTooSoon: { error_code: EGW.tokenTooSoon, error_description: '접근토큰 발급 잠시 후 다시 시도하세요(1분당 1회)' },
  badAppkey: { error_code: EGW.badAppkey, error_description: '유효하지 않은 AppKey입니다.' },
} as const;

/** What a KIS error code means to the client. */
export type KisErrorKind = 'rate' | 'token' | 'tokenTooSoon' | 'credentials' | 'other';

/** Classifies a KIS error code. */
export function classifyKisCode(code: string): KisErrorKind {
  switch (code) {
    case EGW.rateLimited:
      return 'rate';
    case EGW.tokenExpired:
    case EGW.tokenInvalid:
      return 'token';
    case EGW.tokenTooSoon:
      return 'tokenTooSoon';
    case EGW.badAppkey:
    case EGW.paperKeyOnReal:
      return 'credentials';
    default:
      return 'other';
  }
}
