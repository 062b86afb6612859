// The ESP32 board's firmware, as a variant for Espruino's Linux build: the
// token link is stdin/stdout (the Linux build calls it USB) and the button
// reads high when pressed (Linux GPIO reads 0, which must not look like a
// button held at power-up). Everything else - port, app, display driver over
// the Linux build's I2C stub - is the ESP32 bundle's code, but for its random
// source (/dev/urandom: Linux has no ESP32 RNG register). Test-only extras,
// as lines without a frame marker (the token ignores them): "?mem" is
// answered with "#mem <process.memory().usage>", for the memory figure in the
// report; "?press" holds the button for 2.5 s (a long press: confirm fires at
// 1 s; the margin keeps the release after it on a loaded machine). The
// Linux build has no GPIO to press, so the entry keeps the callbacks the
// port gives setWatch and calls them with the edges a press would make.
import { espruinoEsp32Ssd1306 as esp32 } from '../../boards/espruino-esp32-ssd1306.ts';
import type { EspruinoBoardProfile } from '../../boards/espruino-profile.ts';
import { startEspruinoToken } from '../../firmware/ports/espruino/token.ts';
import { fileRandom } from '../../firmware/ports/espruino/file-random.ts';

declare const USB: { on(event: 'data', fn: (chunk: string) => void): void; write(text: string): void };
declare const process: { memory(): { usage: number; total: number } };
declare const global: { setWatch(fn: (e: { state: boolean; time: number }) => void, pin: string, options: object): number };
declare function getTime(): number;
declare function setTimeout(fn: () => void, ms: number): number;

const watchers: ((e: { state: boolean; time: number }) => void)[] = [];
const realSetWatch = global.setWatch;
global.setWatch = function (fn: (e: { state: boolean; time: number }) => void, pin: string, options: object): number {
  watchers.push(fn);
  return realSetWatch(fn, pin, options);
};

function press(ms: number): void {
  for (let i = 0; i < watchers.length; i++) watchers[i]({ state: true, time: getTime() });
  setTimeout(() => {
    for (let i = 0; i < watchers.length; i++) watchers[i]({ state: false, time: getTime() });
  }, ms);
}

const board: EspruinoBoardProfile = Object.assign({}, esp32, {
  // No ESP32 RNG register on Linux (peek32 there would crash): the build's filesystem gives /dev/urandom.
  espruino: Object.assign({}, esp32.espruino, { link: 'USB', baud: 0, firmwareBoards: ['LINUX'], rng: fileRandom('/dev/urandom') }),
  buttons: [{ role: 'next+confirm', pin: 'D13', activeLow: false }],
}) as EspruinoBoardProfile;

let buf = '';
USB.on('data', (chunk: string) => {
  // Whole lines only, each on its own: a frame line from the host (a ping)
  // may arrive in the same chunk as a '?' line, before or after it.
  buf = (buf + chunk).slice(-400);
  let nl = buf.indexOf('\n');
  while (nl >= 0) {
    const line = buf.substring(0, nl);
    buf = buf.substring(nl + 1);
    nl = buf.indexOf('\n');
    // Dispatched on the letter after '?': two similar string literals compared
    // here misbehaved once flashed over the REPL on the Linux build (2v29+; not
    // isolated: each answered the other's line), while one compare of
    // character codes does not.
    if (line.charCodeAt(0) !== 63) continue;
    const letter = line.charCodeAt(1);
    if (letter === 109) {
      const m = process.memory(); // ?mem
      USB.write('#mem ' + m.usage + ' ' + m['total'] + '\n'); // quoted: the build shortens the wire field key 'total' (ESPRUINO_INTERNAL_PROPS)
    } else if (letter === 112) {
      press(2500); // ?press
    }
  }
});

// After the test hooks, so a start-up error cannot leave them unregistered.
startEspruinoToken(board);
