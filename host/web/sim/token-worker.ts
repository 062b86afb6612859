// The try-it token: the firmware app (firmware/app.ts, the same code the Node
// simulator runs) in a Web Worker. Its ports here: the serial link is a
// MessagePort from the page, the display a 128x64 framebuffer posted to the
// page after every redraw, storage and clock live in memory only (nothing of
// a seed reaches localStorage; a reload forgets the token), hashes are
// @noble/hashes, randomness crypto.getRandomValues.
import { sim as simBoard } from '../../../boards/sim.ts';
import { startToken } from '../../../firmware/app.ts';
import { SETTLE_MS } from '../../../firmware/presence.ts';
import type { ButtonRole, Clock, Storage } from '../../../firmware/ports.ts';
import { createFramebuffer } from '../../../firmware/ui/framebuffer.ts';
import { nobleHashes } from '../../lib/hashes/noble-hashes.ts';
import type { WorkerRequest, WorkerReport } from './messages.ts';

const scope = self as unknown as { postMessage(m: WorkerReport, transfer?: Transferable[]): void; onmessage: ((ev: MessageEvent<WorkerRequest>) => void) | null };

function memoryStorage(): Storage {
  const values: Record<string, string> = {};
  return {
    read: (key) => (Object.prototype.hasOwnProperty.call(values, key) ? values[key] : undefined),
    write: (key, value) => void (values[key] = value),
    erase: (key) => void delete values[key],
  };
}

/** Like the Node simulator's clock (firmware/ports/node/sim-clock.ts): host time plus the offset the token was set to; unset at start, as after a power loss. */
function memoryClock(): Clock {
  let set = false;
  let offsetMs = 0;
  return {
    nowMs: () => Date.now() + offsetMs,
    setMs: (ms) => {
      set = true;
      offsetMs = ms - Date.now();
    },
    isSet: () => set,
  };
}

// The current host connection; the app's serial port always talks to whichever is open.
let link: MessagePort | null = null;
let receive: (chunk: string) => void = () => {};
let buttonHandler: (role: ButtonRole) => void = () => {};

const framebuffer = createFramebuffer(simBoard.display.width, simBoard.display.height, (fb) => {
  const copy = fb.buffer.slice();
  scope.postMessage({ type: 'display', width: fb.width, height: fb.height, buffer: copy, pending: app ? app.pendingAction() : null, settleMs: SETTLE_MS }, [copy.buffer]);
});

const app = startToken(
  {
    serial: {
      write: (text) => link?.postMessage(text),
      onData: (h) => (receive = h),
    },
    canvas: framebuffer,
    storage: memoryStorage(),
    clock: memoryClock(),
    timers: {
      setInterval: (fn, ms) => setInterval(fn, ms),
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as number),
    },
    hashes: nobleHashes(),
    random: (n) => crypto.getRandomValues(new Uint8Array(n)),
    onButton: (h) => (buttonHandler = h),
    board: { id: simBoard.id, algorithms: simBoard.algorithms, maxAccounts: simBoard.storage.maxAccounts, typicalDriftPpm: simBoard.clock.typicalDriftPpm },
  },
  'Confirm: the button',
);

function hostLeft(): void {
  if (link) link.onmessage = null;
  link = null;
  app.linkClosed();
}

scope.onmessage = (ev) => {
  const m = ev.data;
  if (m.type === 'connect') {
    if (link) hostLeft(); // a new host plugged in: the old session ends, as on a cable swap
    link = m.port;
    link.onmessage = (e: MessageEvent<string | null>) => {
      if (typeof e.data === 'string') receive(e.data);
      else hostLeft();
    };
  } else if (m.type === 'press') {
    buttonHandler(m.role);
  }
};
app.render();
