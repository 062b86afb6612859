// Firmware entry for an ESP32 dev board with an SSD1306 OLED on I2C.
import { moddableEsp32Ssd1306 as board } from '../../../boards/moddable-esp32-ssd1306.ts';
import { boardSsd1306 } from './ssd1306.ts';
import { startModdableToken } from './token.ts';

startModdableToken(board, boardSsd1306(board));
