// The host end of the wire protocol: one request in flight at a time, ids
// 1..255, a timeout per request, one retransmission when the device says
// the frame arrived damaged, and WAITING interim replies (the device waits
// for its button) that stretch the deadline. Replies with another id are
// stale (an earlier, abandoned request) and are ignored.
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
    transport.onClose(() => {
      this.closed = true;
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
    const body = encodeRequest({ id, command, fields });
    const frame = encodeFrame(REQUEST_MARKER, body);
    body.fill(0); // the body of an ADD holds the seed; the frame string cannot be wiped, only dropped
    this.corruptReplies = 0;
    return new Promise<Fields>((resolve, reject) => {
      const req: InFlight = { id, frame, retransmitted: false, waiting: false, timer: null, resolve, reject };
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

  /** Is a request waiting for the device's button right now? */
  get awaitingPresence(): boolean {
    return this.inflight !== null && this.inflight.waiting;
  }

  /**
   * Cancel a confirmation the device is waiting for (Ctrl-C on the host): a
   * HELLO out of turn makes the device answer the waiting request with
   * PRESENCE_DENIED, so no wipe or code stays armed after the user gave up.
   */
  async interrupt(): Promise<void> {
    if (!this.inflight || this.closed) return;
    await this.transport.write(encodeFrame(REQUEST_MARKER, encodeRequest({ id: this.allocateId(), command: COMMANDS.HELLO, fields: {} })));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.transport.close();
  }
}
