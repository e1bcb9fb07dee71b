/**
 * Every REST fact the fact sheet (`kis-rest.md`) marks UNCONFIRMED or only [REPORTED], kept as data in one
 * place with its source, so code that depends on one says so by name. Code accepts every variant named here.
 */

/** One fact that is not confirmed by KIS's official samples. */
export interface RestFact {
  /** What the code assumes. */
  readonly value: string;
  /** Where it comes from (source key of kis-rest.md and its section). */
  readonly source: string;
}

/** The UNCONFIRMED / [REPORTED] REST facts the client and the simulator rely on. */
export const REST_FACTS = {
  ratePerSecondReal: {
    value: '20 (18 portal notice, 19 pykis): the client uses 18',
    source: 'kis-rest.md §8.1 [REPORTED]/[LIB]; kis-protocol.md §9',
  },
  ratePerSecondPaper: {
    value: '2 (reports of 1 and 5): the client uses 2',
    source: 'kis-rest.md §8.1 [REPORTED]/[LIB]',
  },
  rateLimitStatus: {
    value: 'EGW00201 arrives with HTTP 500 or 200: match on msg_cd, not on status',
    source: 'kis-rest.md §8.2 X2',
  },
  expiredTokenStatus: {
    value: 'EGW00123 arrives with HTTP 500, 200 or 401: match on msg_cd',
    source: 'kis-rest.md §8.2 X2',
  },
  invalidTokenCode: {
    value: 'EGW00121 (invalid token) is handled like EGW00123',
    source: 'kis-rest.md §8.2 [REPORTED]',
  },
  tokenIssuanceBody: {
    value: '403 {"error_code":"EGW00133",...}; key order not relied on',
    source: 'kis-rest.md §2.1 X2',
  },
  badAppkeyBody: { value: '403 {"error_code":"EGW00103",...}', source: 'kis-rest.md §2.1 [REPORTED]' },
  paperKeyOnReal: { value: 'rt_cd 1, msg_cd EGW02004', source: 'kis-rest.md §2.1 X2' },
  successMessage: {
    value: 'msg_cd MCA00000 and its text are not matched on; only rt_cd "0"',
    source: 'kis-rest.md §1.3 X3',
  },
  minuteBarsOrder: { value: 'newest first; the client sorts anyway', source: 'kis-rest.md §4.1 [REPORTED]' },
  minuteBarsBoundary: {
    value: 'whether the boundary bar repeats when paging: dedupe on (date, time)',
    source: 'kis-rest.md §4.1 UNCONFIRMED',
  },
  minuteBarLabel: {
    value: 'stck_cntg_hour taken as the minute the bar covers (HHMM00)',
    source: 'kis-rest.md §4.1 UNCONFIRMED',
  },
  paperMarketCodes: {
    value: 'paper may refuse NX/UN: the client passes what it is given',
    source: 'kis-rest.md §3 UNCONFIRMED',
  },
  absentPriceFields: {
    value: 'apprch_rate, mang_issu_cls_code can be absent: only the fields the app shows are required',
    source: 'kis-rest.md §3 X3',
  },
  unknownSymbol: {
    value:
      'an unknown code is answered rt_cd 0 with empty output fields (as for overseas price): no base price = UNKNOWN_SYMBOL',
    source: 'kis-rest.md §7.1 [REPORTED]; domestic behaviour UNCONFIRMED',
  },
  indexPricePaper: {
    value: 'inquire-index-price is not in the paper Postman: asked on paper as on real, a refusal is a KIS_ERROR',
    source: 'kis-rest.md §5.1 UNCONFIRMED',
  },
  overseasPriceFields: {
    value: 'price (HHDFS00000300) carries no open/high/low; rate may carry +/-; diff taken unsigned and signed by sign',
    source: 'kis-rest.md §7.1 [OFFICIAL] R8; diff sign UNCONFIRMED',
  },
  holidayOncePerDay: { value: 'chk-holiday at most once a day', source: 'kis-rest.md §8.1 X1' },
  tokenReissueSame: {
    value: 'a reissue within 6 h returns the same token',
    source: 'kis-rest.md §2.1 [OFFICIAL] R1 comment, X1',
  },
} as const satisfies Record<string, RestFact>;
