// The host end of the wire protocol: one request in flight at a time, ids
// 1..255, a timeout per request, one retransmission when the device says
// the frame arrived damaged, and WAITING interim replies (the device waits
// for its button) that stretch the deadline. Replies with another id are
// stale (an earlier, abandoned request) and are ignored.
//
// Sessions (wire-protocol.md, "Sessions"): a HELLO reply's session id goes
// with every later request, and while the session is open the link pings
// the token every KEEPALIVE_MS, so the token neither ends it for silence
// nor holds back a confirmation's outcome, which it sends only when this
// session next speaks. A token without sessions sends no id: nothing is
// added and nothing pinged.
import { deviceText } from './device-text.ts';
import { createFrameReader, encodeFrame, REPLY_MARKER, REQUEST_MARKER } from '../../protocol/frame.ts';
import { COMMANDS, decodeReply, encodeRequest, ERRORS, errorName, STATUS_OK, STATUS_WAITING } from '../../protocol/messages.ts';
import type { Fields } from '../../protocol/tlv.ts';
import { TokenError } from './errors.ts';
import { textFromWire } from './text.ts';
import type { Transport } from './transport/transport.ts';

export interface Waiting {
  /** What the device display asks to confirm, e.g. "WIPE all 3 accounts". */
  action: string;
  /** How long the device waits for the button. */
  timeoutS: number;
}

/** How often an open session is pinged: well inside the token's 10 s silence limit. */
export const KEEPALIVE_MS = 1000;

export interface LinkOptions {
  /** Per-request timeout without a WAITING reply (default 5000 ms: flash writes on a board are slow). */
  timeoutMs?: number;
  /** Extra time granted after the device's own presence timeout (default 5000 ms). */
  presenceGraceMs?: number;
  /** Called on a WAITING reply: the caller should tell the user to press the button. */
  onWaiting?: (w: Waiting) => void;
  /** Sees every chunk received, for debugging and leak tests. Sent data is never traced: it can hold a seed. */
  traceReceived?: (chunk: string) => void;
}

interface InFlight {
  id: number;
  frame: string;
  retransmitted: boolean;
  /** The device said WAITING: it shows a confirmation prompt. */
  waiting: boolean;
  timer: NodeJS.Timeout | null;
  resolve(fields: Fields): void;
  reject(err: Error): void;
}

export class HostLink {
  private nextId = 1;
  private inflight: InFlight | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private corruptReplies = 0;
  private waitingHook: ((w: Waiting) => void) | undefined;
  /** This session's id from the token's HELLO reply; null before, or with a token that has none. */
  private session: Uint8Array | null = null;
  /** Ids of pings sent, and of a HELLO sent to cancel (interrupt). */
  private pings = new Set<number>();
  private cancelId = -1;
  private keepalive: ReturnType<typeof setInterval>;
  private readonly opts: Required<Omit<LinkOptions, 'onWaiting' | 'traceReceived'>> & LinkOptions;

  constructor(
    private readonly transport: Transport,
    opts: LinkOptions = {},
  ) {
    this.opts = { timeoutMs: 5000, presenceGraceMs: 5000, ...opts };
    const reader = createFrameReader(
      REPLY_MARKER,
      (body) => this.onBody(body),
      () => this.corruptReplies++, // a damaged reply: the request times out, with a hint why
    );
    transport.onData((chunk) => {
      this.opts.traceReceived?.(chunk);
      reader.push(chunk);
    });
    this.keepalive = setInterval(() => this.ping(), KEEPALIVE_MS);
    // Node: the keepalive alone does not hold the process open. A browser's timer id is a number, without unref.
    (this.keepalive as { unref?: () => void }).unref?.();
    transport.onClose(() => {
      this.closed = true;
      clearInterval(this.keepalive);
      this.settle(new TokenError('DISCONNECTED', `the link to ${transport.address} closed while waiting for a reply`));
    });
  }

  /** Send one request and wait for its final reply; requests queue behind each other. */
  request(command: number, fields: Fields, onWaiting?: (w: Waiting) => void): Promise<Fields> {
    const run = this.queue.then(() => this.send(command, fields, onWaiting));
    this.queue = run.catch(() => {});
    return run;
  }

  private allocateId(): number {
    const id = this.nextId;
    this.nextId = id === 255 ? 1 : id + 1; // 0 is reserved for fault replies
    return id;
  }

  private send(command: number, fields: Fields, onWaiting?: (w: Waiting) => void): Promise<Fields> {
    if (this.closed) return Promise.reject(new TokenError('DISCONNECTED', `the link to ${this.transport.address} is closed`));
    const id = this.allocateId();
    if (command === COMMANDS.HELLO) this.session = null;
    else if (this.session) fields = { ...fields, session: this.session };
    const body = encodeRequest({ id, command, fields });
    const frame = encodeFrame(REQUEST_MARKER, body);
    body.fill(0); // the body of an ADD holds the seed; the frame string cannot be wiped, only dropped
    this.corruptReplies = 0;
    return new Promise<Fields>((resolve, reject) => {
      const keep = (f: Fields): void => {
        if (command === COMMANDS.HELLO && f.session instanceof Uint8Array) this.session = f.session;
        resolve(f);
      };
      const req: InFlight = { id, frame, retransmitted: false, waiting: false, timer: null, resolve: keep, reject };
      this.inflight = req;
      this.waitingHook = onWaiting ?? this.opts.onWaiting;
      this.arm(this.opts.timeoutMs);
      this.transport.write(frame).catch((e: Error) => this.settle(e));
    });
  }

  private arm(ms: number): void {
    const req = this.inflight;
    if (!req) return;
    if (req.timer) clearTimeout(req.timer);
    req.timer = setTimeout(() => {
      const hint = this.corruptReplies > 0 ? ` (${this.corruptReplies} damaged reply frame(s) received)` : '';
      this.settle(new TokenError('TIMEOUT', `no reply from the token on ${this.transport.address} within ${Math.round(ms / 100) / 10} s${hint}`));
    }, ms);
  }

  /** Finish the request in flight with a result or an error. */
  private settle(result: Fields | Error): void {
    const req = this.inflight;
    if (!req) return;
    this.inflight = null;
    if (req.timer) clearTimeout(req.timer);
    if (result instanceof Error) req.reject(result);
    else req.resolve(result);
  }

  private onBody(body: Uint8Array): void {
    let reply;
    try {
      reply = decodeReply(body);
    } catch (e) {
      this.corruptReplies++;
      return;
    }
    if (this.pings.delete(reply.id) || reply.id === this.cancelId) {
      this.onPingReply(reply.id, reply.status, reply.fields);
      return;
    }
    const req = this.inflight;
    if (!req) return;
    // Words, even from a firmware that sends its text tokenized (the Espruino build).
    const message = typeof reply.fields.message === 'string' ? deviceText(textFromWire(reply.fields.message)) : '';
    if (reply.id === 0) {
      // Fault replies carry id 0: the device could not read our request's id.
      if (reply.status === ERRORS.BAD_FRAME && !req.retransmitted) {
        req.retransmitted = true;
        this.arm(this.opts.timeoutMs);
        this.transport.write(req.frame).catch((e: Error) => this.settle(e));
        return;
      }
      this.settle(new TokenError(errorName(reply.status), message || errorName(reply.status), message));
      return;
    }
    if (reply.id !== req.id) return; // stale: a reply to an earlier request we gave up on
    if (reply.status === STATUS_WAITING) {
      const timeoutS = typeof reply.fields.timeoutS === 'number' ? reply.fields.timeoutS : 30;
      req.waiting = true;
      this.arm(timeoutS * 1000 + this.opts.presenceGraceMs);
      this.waitingHook?.({ action: typeof reply.fields.action === 'string' ? textFromWire(reply.fields.action) : '', timeoutS });
      return;
    }
    if (reply.status === STATUS_OK) this.settle(reply.fields);
    else this.settle(new TokenError(errorName(reply.status), message || errorName(reply.status), message));
  }

  /** Keep the session alive; also collects a confirmation's outcome the token holds for us. Not while a request is being answered. */
  private ping(): void {
    if (!this.session || this.closed || (this.inflight && !this.inflight.waiting)) return;
    const id = this.allocateId();
    this.pings.add(id);
    if (this.pings.size > 64) this.pings.delete(this.pings.values().next().value as number); // replies lost on the way
    const frame = encodeFrame(REQUEST_MARKER, encodeRequest({ id, command: COMMANDS.PING, fields: { session: this.session } }));
    this.transport.write(frame).catch(() => {});
  }

  private onPingReply(id: number, status: number, fields: Fields): void {
    if (id === this.cancelId) {
      // The token answered the HELLO sent to cancel: the session (and the request waiting in it) is gone.
      this.cancelId = -1;
      if (status === STATUS_OK && fields.session instanceof Uint8Array) this.session = fields.session;
      if (this.inflight?.waiting) this.settle(new TokenError('PRESENCE_DENIED', 'cancelled: a new host session started'));
      return;
    }
    if (status !== ERRORS.NO_SESSION) return;
    // Another host said HELLO, or the token heard nothing from us for too long: what we waited for is void.
    this.session = null;
    this.settle(new TokenError('SESSION_ENDED', `the token ended this session (another host connected to ${this.transport.address}, or the link was silent too long); run the command again`));
  }

  /** Is a request waiting for the device's button right now? */
  get awaitingPresence(): boolean {
    return this.inflight !== null && this.inflight.waiting;
  }

  /**
   * Cancel a confirmation the device is waiting for (Ctrl-C on the host): a
   * HELLO out of turn starts a new session, which drops the waiting request
   * (a token without sessions answers it with PRESENCE_DENIED), so no wipe or
   * code stays armed after the user gave up.
   */
  async interrupt(): Promise<void> {
    if (!this.inflight || this.closed) return;
    this.cancelId = this.allocateId();
    await this.transport.write(encodeFrame(REQUEST_MARKER, encodeRequest({ id: this.cancelId, command: COMMANDS.HELLO, fields: {} })));
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.keepalive);
    await this.transport.close();
  }
}
