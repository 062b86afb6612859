// The ESP32 board's firmware, as a variant for Espruino's Linux build: the
// token link is stdin/stdout (the Linux build calls it USB) and the button
// reads high when pressed (Linux GPIO reads 0, which must not look like a
// button held at power-up). Everything else - port, app, display driver over
// the Linux build's I2C stub - is the ESP32 bundle's code, but for its random
// source (/dev/urandom: Linux has no ESP32 RNG register). Test-only extra:
// a line "?mem" (no frame marker, so the token ignores it) is answered with
// "#mem <process.memory().usage>", for the memory figure in the report.
import { espruinoEsp32Ssd1306 as esp32 } from '../../boards/espruino-esp32-ssd1306.ts';
import type { EspruinoBoardProfile } from '../../boards/espruino-profile.ts';
import { startEspruinoToken } from '../../firmware/ports/espruino/token.ts';

declare const USB: { on(event: 'data', fn: (chunk: string) => void): void; write(text: string): void };
declare const process: { memory(): { usage: number; total: number } };

const board: EspruinoBoardProfile = Object.assign({}, esp32, {
  // No ESP32 RNG register on Linux (peek32 there would crash): the build's filesystem gives /dev/urandom.
  espruino: Object.assign({}, esp32.espruino, { link: 'USB', baud: 0, firmwareBoards: ['LINUX'], rng: '/dev/urandom' }),
  buttons: [{ role: 'next+confirm', pin: 'D13', activeLow: false }],
}) as EspruinoBoardProfile;

startEspruinoToken(board);
let line = '';
USB.on('data', (chunk: string) => {
  line = (line + chunk).slice(-8);
  if (line.indexOf('?mem\n') >= 0) {
    line = '';
    const m = process.memory();
    USB.write('#mem ' + m.usage + ' ' + m.total + '\n');
  }
});
