/** KIS REST wire formats: endpoints, response validators, error codes, unconfirmed facts. Pure, no I/O. */
export * from './endpoints';
export * from './intlEndpoints';
export * from './responses';
export * from './errorCodes';
export * from './facts';
export * from './balance';
export * from './minuteHistory';
export * from './dailyCcld';
