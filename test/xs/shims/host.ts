// XS side of the Moddable shims: the simulated clock and timers, the pin
// registry, and the bridge to the host. Messages are ArrayBuffers whose first
// byte is a tag. XS -> host goes through issueCommand (tag 0 is print());
// host -> XS arrives at globalThis.handleCommand. See test/xs/README.md.
import type { ShimConfig } from './config.ts';

declare const issueCommand: (message: ArrayBuffer) => ArrayBuffer;

/** XS -> host. */
export const OUT = { SERIAL_TX: 1, DIGEST: 2, RANDOM: 3 } as const;
/** Host -> XS. */
export const IN = { SERIAL_RX: 1, TICK: 2, PIN: 3, DISPLAY: 4, PREFERENCES: 5, STATUS: 6 } as const;

export const config: ShimConfig = (globalThis as { __moddableShim?: ShimConfig }).__moddableShim ?? (() => {
  throw new Error('shim: set globalThis.__moddableShim before loading the bundle');
})();

/** The board's system clock (what Date.now returns) and its millisecond tick counter. */
export const clock = { nowMs: config.bootTimeMs, ticks: 0 };
Date.now = () => clock.nowMs;

interface PendingTimer {
  id: object;
  due: number;
  interval: number;
  callback: (id: object) => void;
}
const timers: PendingTimer[] = [];

export function addTimer(callback: (id: object) => void, delay: number, interval: number): object {
  const id = {};
  timers.push({ id, due: clock.ticks + Math.max(0, delay), interval, callback });
  return id;
}

export function clearTimer(id: unknown): void {
  const i = timers.findIndex((t) => t.id === id);
  if (i >= 0) timers.splice(i, 1);
}

/** Moves both clocks forward, firing every timer that falls due on the way, in order. */
export function advance(ms: number): void {
  const target = clock.ticks + ms;
  for (;;) {
    let next: PendingTimer | undefined;
    for (const t of timers) if (t.due <= target && (!next || t.due < next.due)) next = t;
    if (!next) break;
    clock.nowMs += next.due - clock.ticks;
    clock.ticks = next.due;
    if (next.interval > 0) next.due += next.interval;
    else clearTimer(next.id);
    next.callback(next.id);
  }
  clock.nowMs += target - clock.ticks;
  clock.ticks = target;
}

export function pendingTimers(): number {
  return timers.length;
}

// ECMA-419 hosts refuse a pin that another IO object holds ("in use").
const pinsInUse = new Map<number, string>();
export function usePin(pin: number, by: string): void {
  if (!Number.isInteger(pin) || pin < 0 || pin > 47) throw new Error('invalid pin ' + pin);
  if (pinsInUse.has(pin)) throw new Error('in use (pin ' + pin + ' is held by ' + pinsInUse.get(pin) + ')');
  pinsInUse.set(pin, by);
}

export function toHost(tag: number, body: Uint8Array): Uint8Array {
  const message = new Uint8Array(body.length + 1);
  message[0] = tag;
  message.set(body, 1);
  return new Uint8Array(issueCommand(message.buffer));
}

type Handler = (body: Uint8Array) => ArrayBuffer | undefined;
const handlers = new Map<number, Handler>();
export function onHost(tag: number, handler: Handler): void {
  handlers.set(tag, handler);
}

export function textReply(text: string): ArrayBuffer {
  return new TextEncoder().encode(text).buffer as ArrayBuffer;
}

(globalThis as { handleCommand?: (b: ArrayBuffer) => ArrayBuffer | undefined }).handleCommand = (buffer) => {
  const bytes = new Uint8Array(buffer);
  const handler = handlers.get(bytes[0]!);
  if (!handler) throw new Error('shim: nothing handles host message tag ' + bytes[0]);
  return handler(bytes.subarray(1));
};

onHost(IN.TICK, (body) => {
  advance(new DataView(body.buffer, body.byteOffset, 4).getUint32(0));
  return undefined;
});
