/**
 * What a tap on the agent's receive loop sees (the recorder uses it): every inbound message as received,
 * and each socket session's open and close. Plain data; the agent does not know who listens.
 */

/** One event of the agent's tap. `at` is the agent's clock (epoch ms) when it happened. */
export type TapEvent =
  /** A message as received (UTF-8 decoded). Anything but a data frame arrives with the agent's secrets masked. */
  | { type: 'message'; at: number; text: string }
  /** A socket session opened (the first of a run, or a reconnect). */
  | { type: 'open'; at: number }
  /** A socket session closed, with the close code as the client saw it (1006: no close frame). */
  | { type: 'close'; at: number; code: number; reason: string };

/** Called synchronously from the receive loop: it must only buffer, never block. A throw is counted and ignored. */
export type AgentTap = (event: TapEvent) => void;
