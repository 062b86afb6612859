// Firmware entry for the Espruino Pico with an SSD1306 OLED (its firmware has no "6x8" font: the profile picks "4x6").
import { espruinoPicoSsd1306 as board } from '../../../boards/espruino-pico-ssd1306.ts';
import { startEspruinoToken } from './token.ts';

startEspruinoToken(board);
