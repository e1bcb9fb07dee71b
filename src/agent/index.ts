/**
 * The WebSocket agent (see docs/architecture.md). Import from here, not from the individual modules.
 */
export { KisAgent } from './agent';
export {
  AGENT_EVENTS,
  type AgentOptions,
  type AgentEventMap,
  type AgentErrorEvent,
  type AgentLogEvent,
  type RecordSink,
  type StateChange,
} from './types';
export { AgentError, isAgentError, MAX_SUBSCRIPTIONS_MESSAGE, type AgentErrorCode } from './errors';
export type { SubscribeResult, SubscribeStatus, Subscription } from './subscriptions';
export { nextDelay, BackoffSchedule, BACKOFF_DEFAULTS, type BackoffOptions } from './backoff';
export { TaskTracker, AbortError, type TimerHandle } from './tasks';
export { ApprovalClient, type ApprovalOptions } from './approval';
export { AppkeyHolds } from './appkeyHold';
export { maskAppkey } from '../common/redact';
