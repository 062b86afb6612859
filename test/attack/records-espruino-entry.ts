// Built like the bundle (test/attack/records-on-espruino.test.ts prepends
// `var CASES=[[files, hello frame], ...];`): for each case, today's app
// started over the case's Storage files (the interpreter's real Storage and
// clock port, the ESP32 board's hashes) with an in-memory serial link and
// framebuffer, then one HELLO frame fed in. Prints whether it started and the
// reply frame, so the test decodes what a host would get.
import { espruinoEsp32Ssd1306 as esp32 } from '../../boards/espruino-esp32-ssd1306.ts';
import { startToken } from '../../firmware/app.ts';
import { espruinoPorts } from '../../firmware/ports/espruino/token.ts';
import { createFramebuffer } from '../../firmware/ui/framebuffer.ts';
import type { Ports } from '../../firmware/ports.ts';

declare const CASES: [{ [key: string]: string }, string][];
declare function print(...args: unknown[]): void;
declare const global: { require(name: 'Storage'): { write(k: string, v: string): boolean; erase(k: string): void; list(re: RegExp): string[] } };

const S = global.require('Storage');
for (let i = 0; i < CASES.length; i++) {
  S['list'](/^tt\./).forEach((f: string) => S['erase'](f)); // quoted: the build shortens other property names
  const files = CASES[i][0];
  for (const k in files) S['write'](k, files[k]);
  let out = '';
  let feed: (chunk: string) => void = () => {};
  let said = 'started';
  try {
    // The Linux build's console link and no timers (the script must end); the rest is the ESP32 board's.
    const board = Object.assign({}, esp32, { espruino: Object.assign({}, esp32.espruino, { link: 'USB', baud: 0 }) });
    const ports: Ports = espruinoPorts(board, createFramebuffer(128, 64, () => {}));
    ports.timers = { setInterval: () => 0, setTimeout: () => 0 };
    ports.serial = { write: (t: string) => (out += t) as unknown as void, onData: (h: (chunk: string) => void) => (feed = h) };
    ports.random = (n: number) => new Uint8Array(n).fill(7);
    startToken(ports, 'hint');
    feed(CASES[i][1]);
  } catch (e) {
    said = 'threw ' + (e as Error)['message'];
  }
  print('CASE ' + i + ' ' + said + ' ' + btoa(out));
}
