// What the SSD1306 receives from the port's canvas on the real interpreter:
// I2C1.writeTo is replaced to catch the data write, and the panel bytes are
// printed as `PANEL <name> <hex> <cellW>x<cellH>`: once with rectangles only,
// then text in each board's built-in font (ESP32 "6x8", Pico "4x6").
// Espruino subset.
import { espruinoEsp32Ssd1306 as esp32 } from '../../boards/espruino-esp32-ssd1306.ts';
import { espruinoPicoSsd1306 as pico } from '../../boards/espruino-pico-ssd1306.ts';
import type { EspruinoBoardProfile } from '../../boards/espruino-profile.ts';
import { ssd1306Canvas } from '../../firmware/ports/espruino/ssd1306.ts';

declare const I2C1: { writeTo: (address: number, first: unknown, data?: Uint8Array) => void };
declare function print(text: string): void;

let panel = '';
I2C1.writeTo = (_address: number, first: unknown, data?: Uint8Array) => {
  if (first !== 0x40 || !data) return;
  panel = '';
  for (let i = 0; i < data.length; i++) panel += (data[i] < 16 ? '0' : '') + data[i].toString(16);
};

function draw(name: string, board: EspruinoBoardProfile, withText: boolean): void {
  const c = ssd1306Canvas(board);
  c.clear();
  if (withText) {
    c.text(8, 8, '0!', 2);
  } else {
    c.fillRect(0, 0, 1, 1);
    c.fillRect(100, 40, 20, 4);
  }
  c.flip();
  print('PANEL ' + name + ' ' + panel + ' ' + c.cellW + 'x' + c.cellH);
}

draw('rects', esp32, false);
draw('esp32', esp32, true);
draw('pico', Object.assign({}, pico, { espruino: Object.assign({}, pico.espruino, { i2c: esp32.espruino.i2c }) }) as EspruinoBoardProfile, true);
