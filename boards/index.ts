// Every board the host knows, by id. Each board is one small data file.
import type { BoardProfile } from './profile.ts';
import { espruinoEsp32Ssd1306 } from './espruino-esp32-ssd1306.ts';
import { espruinoPicoSsd1306 } from './espruino-pico-ssd1306.ts';
import { rpiZeroLcd1602 } from './rpi-zero-lcd1602.ts';
import { sim } from './sim.ts';
import { moddableM5stickcPlus } from './moddable-m5stickc-plus.ts';
import { moddableEsp32Ssd1306 } from './moddable-esp32-ssd1306.ts';
import { moddablePicoSsd1306 } from './moddable-pico-ssd1306.ts';

export const BOARDS: BoardProfile[] = [sim, rpiZeroLcd1602, moddableM5stickcPlus, moddableEsp32Ssd1306, moddablePicoSsd1306, espruinoPicoSsd1306, espruinoEsp32Ssd1306];

export function findBoard(id: string): BoardProfile | undefined {
  return BOARDS.find((b) => b.id === id);
}
