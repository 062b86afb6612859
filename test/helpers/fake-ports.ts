// In-memory Ports for running the token app in a test: a manual clock and
// timers, storage that can be told to lose power mid-write, a framebuffer,
// and a serial link that collects reply frames.
import { randomBytes } from 'node:crypto';
import { createFrameReader, encodeFrame, REPLY_MARKER, REQUEST_MARKER } from '../../protocol/frame.ts';
import { COMMANDS, decodeReply, encodeRequest, STATUS_OK, STATUS_WAITING } from '../../protocol/messages.ts';
import type { Reply } from '../../protocol/messages.ts';
import type { Fields } from '../../protocol/tlv.ts';
import type { Algorithm } from '../../protocol/hash.ts';
import { startToken } from '../../firmware/app.ts';
import { SETTLE_MS } from '../../firmware/presence.ts';
import type { TokenApp } from '../../firmware/app.ts';
import type { ButtonRole, Storage } from '../../firmware/ports.ts';
import { createFramebuffer } from '../../firmware/ui/framebuffer.ts';
import type { Framebuffer } from '../../firmware/ui/framebuffer.ts';
import { nodeHashes } from '../../host/lib/hashes/node-hashes.ts';

export class PowerCut extends Error {}

/** Storage whose writes happen in 16-character steps; `cutAfter` steps, power fails. */
export class SteppedStorage implements Storage {
  data = new Map<string, string>();
  steps = 0;
  cutAfter = Infinity;
  /** 'overwrite': a torn write leaves new prefix + old tail; 'truncate': only the new prefix. */
  tear: 'overwrite' | 'truncate' = 'overwrite';

  private step(): void {
    this.steps++;
    if (this.steps > this.cutAfter) throw new PowerCut('power cut at step ' + this.steps);
  }
  read(key: string): string | undefined {
    return this.data.get(key);
  }
  write(key: string, value: string): void {
    const old = this.data.get(key) ?? '';
    for (let done = 16; ; done += 16) {
      try {
        this.step();
      } catch (e) {
        const prefix = value.slice(0, done - 16);
        this.data.set(key, this.tear === 'overwrite' ? prefix + old.slice(prefix.length) : prefix);
        throw e;
      }
      if (done >= value.length) break;
    }
    this.data.set(key, value);
  }
  erase(key: string): void {
    this.step();
    this.data.delete(key);
  }
}

/** The id the fake host's pings use (its requests use 1..254): their OK replies are not collected. */
export const PING_ID = 255;

export interface FakeToken {
  app: TokenApp;
  fb: Framebuffer;
  storage: SteppedStorage;
  clock: { now: number; set: boolean };
  replies: Reply[];
  rawOut: string[];
  /** The session id of the last HELLO reply; send() adds it to every other request unless `fields.session` is given. */
  session: Uint8Array | undefined;
  send(command: number, fields: Fields): Reply[];
  sendRaw(text: string): Reply[];
  /**
   * A finger: a confirm press comes SETTLE_MS after the screen changed (the
   * clock moves on that much first), as no person presses sooner; then the
   * host pings, as host/lib/link.ts does, to collect the outcome.
   */
  press(role: ButtonRole): Reply[];
  /** Time passes a second at a time; the host pings each second (keeping its session) unless `silent`. */
  tick(ms: number, silent?: boolean): Reply[];
  /** A PING with the session: collects an outcome the token holds. */
  ping(): Reply[];
}

/** hostPings: false leaves the pings of press() and tick() to the caller (the fuzz harness models every byte on the link). */
export function fakeToken(opts: { storage?: SteppedStorage; algorithms?: Algorithm[]; slots?: number; clockSet?: boolean; typicalDriftPpm?: number; hostPings?: boolean } = {}): FakeToken {
  const storage = opts.storage ?? new SteppedStorage();
  const clock = { now: 1767225600000, set: false }; // 2026-01-01
  const replies: Reply[] = [];
  const rawOut: string[] = [];
  let onData: (s: string) => void = () => {};
  let button: (r: ButtonRole) => void = () => {};
  let interval: (() => void) | null = null;
  // setTimeout on the fake's own elapsed time (not its clock, which TIME_SET moves): press() and tick() run what is due.
  let elapsed = 0;
  let timeouts: { at: number; fn: () => void }[] = [];
  const advance = (ms: number) => {
    elapsed += ms;
    const due = timeouts.filter((t) => t.at <= elapsed);
    timeouts = timeouts.filter((t) => t.at > elapsed);
    for (const t of due) t.fn();
  };
  let session: Uint8Array | undefined;
  const reader = createFrameReader(
    REPLY_MARKER,
    (b) => {
      const r = decodeReply(b);
      if (r.status === STATUS_OK && r.fields.session instanceof Uint8Array) session = r.fields.session;
      if (r.id === PING_ID && r.status === STATUS_OK && opts.hostPings !== false) return;
      replies.push(r);
    },
    () => replies.push({ id: -1, status: -1, fields: {} }),
  );
  const fb = createFramebuffer(128, 64, () => {});
  const algorithms = opts.algorithms ?? ['SHA1', 'SHA256', 'SHA512'];
  const app = startToken(
    {
      serial: {
        write: (t) => {
          rawOut.push(t);
          reader.push(t);
        },
        onData: (h) => (onData = h),
      },
      canvas: fb,
      storage,
      clock: { nowMs: () => clock.now, setMs: (ms) => ((clock.now = ms), (clock.set = true)), isSet: () => clock.set },
      timers: {
        setInterval: (fn) => (interval = fn),
        setTimeout: (fn, ms) => {
          const t = { at: elapsed + ms, fn };
          timeouts.push(t);
          return t;
        },
        clearTimeout: (t) => {
          timeouts = timeouts.filter((x) => x !== t);
        },
      },
      hashes: nodeHashes(),
      onButton: (h) => (button = h),
      random: (n) => new Uint8Array(randomBytes(n)),
      board: { id: 'fake', algorithms, maxAccounts: opts.slots ?? 32, typicalDriftPpm: opts.typicalDriftPpm },
    },
    'Press confirm',
  );
  let nextId = 1;
  const drain = (from: number) => replies.slice(from);
  const token: FakeToken = {
    app, fb, storage, clock, replies, rawOut,
    get session() {
      return session;
    },
    set session(s) {
      session = s;
    },
    send(command, fields) {
      const from = replies.length;
      const all = command === COMMANDS.HELLO || 'session' in fields || !session ? fields : { ...fields, session };
      onData(encodeFrame(REQUEST_MARKER, encodeRequest({ id: nextId++ % 255 || 1, command, fields: all })));
      return drain(from);
    },
    ping() {
      const from = replies.length;
      if (session) onData(encodeFrame(REQUEST_MARKER, encodeRequest({ id: PING_ID, command: COMMANDS.PING, fields: { session } })));
      return drain(from);
    },
    sendRaw(text) {
      const from = replies.length;
      onData(text);
      return drain(from);
    },
    press(role) {
      const from = replies.length;
      if (role === 'confirm') {
        clock.now += SETTLE_MS;
        advance(SETTLE_MS);
      }
      button(role);
      if (opts.hostPings !== false) token.ping();
      return drain(from);
    },
    tick(ms, silent) {
      const from = replies.length;
      for (let t = 0; t < ms; t += 1000) {
        clock.now += 1000;
        advance(1000);
        interval?.();
        if (!silent && opts.hostPings !== false) token.ping();
      }
      return drain(from);
    },
  };
  // A token fresh from the host has been synced once (clockSet: false models one that never was).
  // The fake's raw clock starts unset, so on stored state that was synced before this is the
  // first sync after a power loss, which waits for the button: pressed here, as a user would.
  token.send(COMMANDS.HELLO, {}); // a host's session, as every host starts one
  replies.length = 0;
  if (opts.clockSet ?? true) {
    const [r] = token.send(COMMANDS.TIME_SET, { timeMs: clock.now });
    if (r?.status === STATUS_WAITING) token.press('confirm');
  }
  return token;
}
