// Firmware entry for an ESP32 dev board running Espruino, with an SSD1306 OLED.
import { espruinoEsp32Ssd1306 as board } from '../../../boards/espruino-esp32-ssd1306.ts';
import { startEspruinoToken } from './token.ts';

startEspruinoToken(board);
