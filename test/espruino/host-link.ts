// A host on a harness-booted token's link device (harness.ts), for the
// Espruino suites: it says HELLO first and carries the session id with every
// later request (wire-protocol.md "Sessions"); after a press it pings, as
// host/lib/link.ts does, to collect the outcome the token holds for its session.
import { createFrameReader, encodeFrame } from '../../protocol/frame.ts';
import { COMMANDS, decodeReply, encodeRequest, STATUS_OK } from '../../protocol/messages.ts';
import type { Reply } from '../../protocol/messages.ts';
import type { Fields } from '../../protocol/tlv.ts';
import type { EspruinoVm } from './harness.ts';

const PING_ID = 255;

export interface HostLink {
  /** Every reply so far, except the pings' own OKs. */
  replies: Reply[];
  /** A request (with the session id unless it is HELLO); the replies it drew at once. */
  send(command: number, fields: Fields): Reply[];
  /** Run `fn` (a press, time passing), then ping: the replies that came, a held outcome among them. */
  after(fn: () => void): Reply[];
}

export function talk(vm: EspruinoVm, device: string): HostLink {
  const replies: Reply[] = [];
  let seen = 0;
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
  let id = 1;
  const drain = () => {
    const text = vm.written[device] ?? '';
    reader.push(text.slice(seen));
    seen = text.length;
  };
  const t: HostLink = {
    replies,
    send(command, fields) {
      const from = replies.length;
      vm.send(encodeFrame('>', encodeRequest({ id: id++, command, fields: command === COMMANDS.HELLO || !session ? fields : { ...fields, session } })), device);
      drain();
      return replies.slice(from);
    },
    after(fn) {
      const from = replies.length;
      fn();
      if (session) vm.send(encodeFrame('>', encodeRequest({ id: PING_ID, command: COMMANDS.PING, fields: { session } })), device);
      drain();
      return replies.slice(from);
    },
  };
  t.send(COMMANDS.HELLO, {});
  replies.length = 0;
  return t;
}
