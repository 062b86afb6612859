// Physical presence: a command that reveals a code or destroys data waits
// for the confirm button on the device. Only the button handler (wired by the
// port to a pin or key) can run it; nothing on the serial link can.
import type { Fields } from '../protocol/tlv.ts';

export const PRESENCE_TIMEOUT_MS = 30000;
/** A press counts only once the screen has shown the request this long: a request swapped in just before the press is not released. */
export const SETTLE_MS = 1000;
/** A session with no frame for this many of the app's 1 s ticks ends (the host pings while it waits). */
export const SESSION_IDLE_TICKS = 10;

export interface PendingConfirm {
  id: number;
  action: string;
  /** The screen has shown it for SETTLE_MS: a press counts. */
  settled: boolean;
  deadlineMs: number;
  run: () => Fields;
}

/** A confirmation's outcome, held until its session's next frame collects it. */
export interface Outcome {
  id: number;
  status: number;
  fields: Fields;
}
