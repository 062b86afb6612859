// A host on a bundle's link in the Espruino harness, speaking sessions as
// host/lib/link.ts does (wire-protocol.md "Sessions"): it keeps the session
// id a HELLO gave and sends it with every other request; after a press it
// pings, to collect the outcome the token holds for its session. Its pings
// use their own id, and their OK replies are not collected.
import { SETTLE_MS } from '../../firmware/presence.ts';
import { createFrameReader, encodeFrame } from '../../protocol/frame.ts';
import { COMMANDS, decodeReply, encodeRequest, STATUS_OK } from '../../protocol/messages.ts';
import type { Reply } from '../../protocol/messages.ts';
import type { Fields } from '../../protocol/tlv.ts';
import type { EspruinoVm } from './harness.ts';

const PING_ID = 255;

export interface HarnessHost {
  /** Every reply collected (a frame the reader refused shows as status -1). */
  replies: Reply[];
  /** The id of the last HELLO's session, if any. */
  session(): Uint8Array | undefined;
  /** One request (the session id added unless HELLO, or `fields.session` is given); its reply, if one came. */
  send(command: number, fields: Fields): Reply | undefined;
  /**
   * The person at the device: waits the settle time (a press sooner does
   * not count), holds `pin` for `holdMs` (long enough for a long press:
   * confirm), then pings; the outcome collected, if one came.
   */
  confirm(pin: string, holdMs?: number): Reply | undefined;
  /** A PING with the session: the outcome the token held, if any. */
  ping(): Reply | undefined;
}

export function hostOn(vm: EspruinoVm, device: string): HarnessHost {
  const replies: Reply[] = [];
  let session: Uint8Array | undefined;
  const reader = createFrameReader(
    '<',
    (b) => {
      const r = decodeReply(b);
      if (r.status === STATUS_OK && r.fields.session instanceof Uint8Array) session = r.fields.session;
      if (r.id !== PING_ID || r.status !== STATUS_OK) replies.push(r);
    },
    () => replies.push({ id: -1, status: -1, fields: {} }),
  );
  let seen = 0;
  let id = 1;
  /** What came since reply `from`: the last of it. */
  const drain = (from: number): Reply | undefined => {
    const text = vm.written[device] ?? '';
    reader.push(text.slice(seen));
    seen = text.length;
    return replies.length > from ? replies[replies.length - 1] : undefined;
  };
  const host: HarnessHost = {
    replies,
    session: () => session,
    send(command, fields) {
      const from = replies.length;
      const all = command === COMMANDS.HELLO || 'session' in fields || !session ? fields : { ...fields, session };
      vm.send(encodeFrame('>', encodeRequest({ id: id++ % PING_ID || 1, command, fields: all })), device);
      return drain(from);
    },
    ping() {
      const from = replies.length;
      if (session) vm.send(encodeFrame('>', encodeRequest({ id: PING_ID, command: COMMANDS.PING, fields: { session } })), device);
      return drain(from);
    },
    confirm(pin, holdMs = 1500) {
      const from = replies.length;
      vm.advance(SETTLE_MS);
      vm.press(pin, holdMs);
      host.ping();
      return drain(from);
    },
  };
  return host;
}
