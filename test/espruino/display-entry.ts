// What the SSD1306 receives from the port's canvas on the real interpreter:
// I2C1.writeTo is replaced to catch the data write, and the panel bytes are
// printed as `PANEL <hex>`, once with the bundled custom font and once with
// the firmware's 6x8 font. Espruino subset.
import { espruinoEsp32Ssd1306 as esp32 } from '../../boards/espruino-esp32-ssd1306.ts';
import { font6x8 } from '../../firmware/ports/espruino/font.ts';
import { ssd1306Canvas } from '../../firmware/ports/espruino/ssd1306.ts';

declare const I2C1: { writeTo: (address: number, first: unknown, data?: Uint8Array) => void };
declare function print(text: string): void;

let panel = '';
I2C1.writeTo = (_address: number, first: unknown, data?: Uint8Array) => {
  if (first !== 0x40 || !data) return;
  panel = '';
  for (let i = 0; i < data.length; i++) panel += (data[i] < 16 ? '0' : '') + data[i].toString(16);
};

function draw(name: string, custom: boolean): void {
  const c = ssd1306Canvas(esp32, custom ? font6x8() : null);
  c.clear();
  c.fillRect(0, 0, 1, 1);
  c.fillRect(100, 40, 20, 4);
  c.text(8, 8, '0!', 2);
  c.text(0, 56, 'Ab', 1);
  c.flip();
  print('PANEL ' + name + ' ' + panel);
}

draw('custom', true);
draw('native', false);
