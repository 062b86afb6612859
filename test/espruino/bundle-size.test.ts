// The Espruino budget: the full token app, minified, at most ESPRUINO_BUDGET_BYTES
// per board (19 KB now; see boards-build.ts for why it is no longer 16 KB). A
// size budget, like size-limit's: the build is fixed, so the number is too -
// this is not a timing.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BOARDS } from '../../boards/index.ts';
import { buildFirmwareBundle } from '../../host/lib/build/esbuild-firmware.ts';
import { ESPRUINO_BUDGET_BYTES } from '../../host/lib/build/boards-build.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('Espruino bundle size', () => {
  const boards = BOARDS.filter((b) => b.runtime === 'espruino' && b.firmwareEntry);

  it('covers every Espruino board', () => {
    expect(boards.map((b) => b.id).sort()).toEqual(['espruino-esp32-ssd1306', 'espruino-pico-ssd1306']);
  });

  for (const board of boards) {
    it(`${board.id}: at most ${ESPRUINO_BUDGET_BYTES} bytes minified`, async () => {
      const out = join(mkdtempSync(join(tmpdir(), 'tt-size-')), board.id + '.js');
      const bytes = await buildFirmwareBundle(join(root, board.firmwareEntry!), out, true);
      console.info(`${board.id}: ${bytes} bytes (${ESPRUINO_BUDGET_BYTES - bytes} under the budget)`);
      expect(bytes).toBeLessThanOrEqual(ESPRUINO_BUDGET_BYTES);
    }, 60_000); // a build under load can take longer than vitest's 5 s
  }
});
