import { describe, expect, it } from 'vitest';
import { createFramebuffer } from '../../firmware/ui/framebuffer.ts';
import { drawCodeView, drawMessage } from '../../firmware/ui/screen.ts';
import { readCode, readLabel, readMessageLine, readSublabel } from '../helpers/ocr.ts';

// The OCR helper itself: what the screen code draws, it reads back.
describe('display OCR helper', () => {
  it('reads 6-, 8- and 10-digit codes at whatever scale they were drawn, and the label', () => {
    const fb = createFramebuffer(128, 64, () => {});
    for (const code of ['012345', '98765432', '1029384756']) {
      drawCodeView(fb, { label: 'AWS', sublabel: 'root@123', code, secondsLeft: 12, period: 30, index: 0, count: 1, warning: '' });
      expect(readCode(fb)).toBe(code);
      expect(readLabel(fb)).toBe('AWS');
      expect(readSublabel(fb)).toBe('root@123');
    }
    drawMessage(fb, ['Clock not set', 'No codes until synced.']);
    expect(readCode(fb)).toBeNull();
    expect(readMessageLine(fb, 0)).toBe('Clock not set');
  });
});
