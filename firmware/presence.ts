// Physical presence: a command that reveals a code or destroys data waits
// for the confirm button on the device. Only the button handler (wired by the
// port to a pin or key) can run it; nothing on the serial link can.
import type { Fields } from '../protocol/tlv.ts';

export const PRESENCE_TIMEOUT_MS = 30000;

export interface PendingConfirm {
  id: number;
  action: string;
  deadlineMs: number;
  run: () => Fields;
}
