// Firmware entry for a Raspberry Pi Pico with an SSD1306 OLED on I2C0.
import { moddablePicoSsd1306 as board } from '../../../boards/moddable-pico-ssd1306.ts';
import { picoFlashStorage } from './pico-flash.ts';
import { boardSsd1306 } from './ssd1306.ts';
import { startModdableToken } from './token.ts';

startModdableToken(board, boardSsd1306(board), picoFlashStorage);
