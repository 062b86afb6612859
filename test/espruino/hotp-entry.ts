// HOTP through the token app's CODE path on the real Espruino interpreter:
// the app with the interpreter's own Storage and native SHA1, fed request
// frames, its confirm button pressed from here (the Linux build has no
// button to hold). Prints `HOTP <counter> <code>` for each CODE reply,
// `PRESS <stored counter>` after a press on the account's screen, and
// `RESTART <stored counter>` after a second app opens the same Storage.
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
  const reader = createFrameReader('<', (b) => replies.push(decodeReply(b)), () => print('BAD FRAME'));
  const ports: Ports = {
    serial: { write: (t: string) => reader.push(t), onData: (h: (chunk: string) => void) => (feed = h) },
    canvas: { width: 128, height: 64, cellW: 6, cellH: 8, clear: () => {}, text: () => {}, fillRect: () => {}, flip: () => {} },
    storage: espruinoStorage(),
    clock: { nowMs: () => 0, setMs: () => {}, isSet: () => false },
    timers: { setInterval: () => 0, setTimeout: () => 0, clearTimeout: () => {} }, // no timers: the script must end
    hashes: espruinoNativeHashes(['SHA1']),
    onButton: (h: (role: ButtonRole) => void) => (press = h),
    random: (n: number) => new Uint8Array(n),
    board: { id: 'linux-hotp', algorithms: ['SHA1'], maxAccounts: 8 },
  };
  startToken(ports, 'Press');
  let id = 1;
  return {
    send(command: number, fields: Fields): Reply {
      const from = replies.length;
      feed(encodeFrame('>', encodeRequest({ id: id++, command: command, fields: fields })));
      return replies[from];
    },
    press(): Reply {
      const from = replies.length;
      press('confirm');
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
