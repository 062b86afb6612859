// The Espruino budget: the full token app, minified and stored as the flasher
// writes it (pretokenised, host/lib/flash/espruino-tokens.ts), at most
// ESPRUINO_BUDGET_BYTES per board (see boards-build.ts). A size budget, like
// size-limit's: the build is fixed, so the number is too - this is not a timing.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BOARDS } from '../../boards/index.ts';
import { buildFirmwareBundle, espruinoStoredForm } from '../../host/lib/build/esbuild-firmware.ts';
import { storedForm } from '../../host/lib/flash/espruino-flash.ts';
import { ESPRUINO_BUDGET_BYTES } from '../../host/lib/build/boards-build.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('Espruino bundle size', () => {
  const boards = BOARDS.filter((b) => b.runtime === 'espruino' && b.firmwareEntry);

  it('covers every Espruino board', () => {
    expect(boards.map((b) => b.id).sort()).toEqual(['espruino-esp32-ssd1306', 'espruino-pico-ssd1306']);
  });

  for (const board of boards) {
    it(`${board.id}: at most ${ESPRUINO_BUDGET_BYTES} bytes as stored on the board`, async () => {
      const out = join(mkdtempSync(join(tmpdir(), 'tt-size-')), board.id + '.js');
      const textBytes = await buildFirmwareBundle(join(root, board.firmwareEntry!), out, true);
      const text = readFileSync(out);
      // What the flasher writes to a 2v29 board is what is measured.
      const written = storedForm(new Uint8Array(text), '2v29');
      expect(written.form).toBe('tokens');
      const bytes = written.stored.length;
      expect(bytes).toBe(espruinoStoredForm(text.toString('latin1')).length);
      expect(bytes).toBeLessThan(textBytes);
      console.info(`${board.id}: ${bytes} bytes as stored, ${textBytes} as text (${ESPRUINO_BUDGET_BYTES - bytes} under the budget)`);
      expect(bytes).toBeLessThanOrEqual(ESPRUINO_BUDGET_BYTES);
    }, 60_000); // a build under load can take longer than vitest's 5 s
  }
});
