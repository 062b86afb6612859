// HOTP through the token app's CODE path on the real Espruino interpreter:
// the app with the interpreter's own Storage and native SHA1, fed request
// frames, its confirm button pressed from here (the Linux build has no
// button to hold). Prints `HOTP <counter> <code>` for each CODE reply,
// `PRESS <stored counter>` after a press on the account's screen, and
// `RESTART <stored counter>` after a second app opens the same Storage.
// It speaks sessions as a host does (wire-protocol.md "Sessions"): HELLO,
// the session id on every request, the settle time passed (the timeouts the
// app set run before a press: time went by), a PING to collect the outcome.
// Espruino subset.
import { startToken } from '../../firmware/app.ts';
import type { ButtonRole, Ports } from '../../firmware/ports.ts';
import { espruinoNativeHashes } from '../../firmware/ports/espruino/hashes.ts';
import { espruinoStorage } from '../../firmware/ports/espruino/storage.ts';
import { createFrameReader, encodeFrame } from '../../protocol/frame.ts';
import { COMMANDS, decodeReply, encodeRequest, TYPE_HOTP } from '../../protocol/messages.ts';
import type { Reply } from '../../protocol/messages.ts';
import type { Fields } from '../../protocol/tlv.ts';

declare function print(text: string): void;

const secret = new Uint8Array(20);
for (let i = 0; i < 20; i++) secret[i] = 0x31 + (i % 10 === 9 ? -1 : i % 10); // "12345678901234567890"

function boot() {
  let feed: (chunk: string) => void = () => {};
  let press: (role: ButtonRole) => void = () => {};
  const replies: Reply[] = [];
  const timeouts: (() => void)[] = [];
  let session: Uint8Array | undefined;
  const reader = createFrameReader('<', (b) => replies.push(decodeReply(b)), () => print('BAD FRAME'));
  const ports: Ports = {
    serial: { write: (t: string) => reader.push(t), onData: (h: (chunk: string) => void) => (feed = h) },
    canvas: { width: 128, height: 64, cellW: 6, cellH: 8, clear: () => {}, text: () => {}, fillRect: () => {}, flip: () => {} },
    storage: espruinoStorage(),
    clock: { nowMs: () => 0, setMs: () => {}, isSet: () => false },
    // No timers left behind (the script must end): timeouts wait in a list and run when a press says time went by.
    timers: { setInterval: () => 0, setTimeout: (fn: () => void) => timeouts.push(fn), clearTimeout: () => {} },
    hashes: espruinoNativeHashes(['SHA1']),
    onButton: (h: (role: ButtonRole) => void) => (press = h),
    random: (n: number) => new Uint8Array(n),
    board: { id: 'linux-hotp', algorithms: ['SHA1'], maxAccounts: 8 },
  };
  startToken(ports, 'Press');
  let id = 1;
  function send(command: number, fields: Fields): Reply {
    const from = replies.length;
    if (session) fields.session = session;
    feed(encodeFrame('>', encodeRequest({ id: id++, command: command, fields: fields })));
    return replies[from];
  }
  session = send(COMMANDS.HELLO, {}).fields.session as Uint8Array;
  return {
    send: send,
    press(): Reply {
      while (timeouts.length) (timeouts.shift() as () => void)(); // the settle time went by
      const from = replies.length;
      press('confirm');
      send(COMMANDS.PING, {}); // the outcome is held for the session's next frame
      return replies[from];
    },
  };
}

function storedCounter(t: { send(c: number, f: Fields): Reply }): number {
  return ((t.send(COMMANDS.LIST, { type: TYPE_HOTP }).fields.account as Fields[])[0].counter as number);
}

const t = boot();
const added = t.send(COMMANDS.ADD, { name: 'rfc', algorithm: 1, digits: 6, secret: secret, type: TYPE_HOTP, counter: 0 });
print('ADD ' + added.status);
for (let i = 0; i < 10; i++) {
  const waiting = t.send(COMMANDS.CODE, { name: 'rfc', type: TYPE_HOTP });
  if (waiting.status !== 0x80) print('NOT WAITING ' + waiting.status);
  const r = t.press();
  print('HOTP ' + r.fields.counter + ' ' + r.fields.code);
}
t.press(); // nothing waiting: the press on the account's screen makes counter 10's code
print('PRESS ' + storedCounter(t));
print('RESTART ' + storedCounter(boot()));
