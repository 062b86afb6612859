// Firmware entry for the Espruino Pico with an SSD1306 OLED (no native 6x8 font: the bundle carries one).
import { espruinoPicoSsd1306 as board } from '../../../boards/espruino-pico-ssd1306.ts';
import { font6x8 } from './font.ts';
import { startEspruinoToken } from './token.ts';

startEspruinoToken(board, font6x8());
