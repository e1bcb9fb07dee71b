// A silent log channel the feed tests share (unit and reliability).
import type { LogChannel } from '../../../src/common/logger';

/** A log channel that drops every line (the tests read state, not logs). */
export const quiet: LogChannel = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
