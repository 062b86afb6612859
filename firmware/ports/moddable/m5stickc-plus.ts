// Firmware entry for the M5StickC Plus: the target's ST7789 driver shows the canvas.
import { moddableM5stickcPlus as board } from '../../../boards/moddable-m5stickc-plus.ts';
import { screenCanvas } from './screen.ts';
import { startModdableToken } from './token.ts';

startModdableToken(board, screenCanvas(board.moddable.canvas));
