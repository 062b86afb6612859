// Attack: a password record firmware 0.1 left damaged (its JSON cut short by
// a power cut mid-write) on a token that has no Espruino flasher to run the
// migration and stop: the simulator (and the Moddable boards, whose start
// runs the same firmware/migrate.ts and then the same checked storage).
// Firmware before the migration moved out of the bundle (248a1f1) started
// over it locked with a key nothing matches, and WIPE with the button made
// the token fresh. Today migrate.ts leaves the damaged record as it is, and
// the checked storage refuses to start over it ("run totp-token flash"),
// which these tokens cannot do: no HELLO, so no WIPE either.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'vitest';
import { startSimToken } from '../../firmware/ports/node/sim-token.ts';

const files = JSON.parse(readFileSync(new URL('./fixtures/sim.json', import.meta.url), 'utf8')).files as Record<string, string>;

describe('a damaged password record of firmware 0.1 on the simulator', () => {
  // KNOWN REGRESSION (review, see the report): it.fails documents that the simulator does not start today; make it it() when fixed.
  it.fails('the token still starts, so HELLO answers and WIPE on the device stays possible', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'tt-damaged-old-'));
    const accessFile = Object.keys(files).find((n) => n.endsWith('tt.access'))!;
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(stateDir, name)), { recursive: true });
      writeFileSync(join(stateDir, name), name === accessFile ? text.slice(0, 12) : text, 'latin1');
    }
    const sim = await startSimToken({ stateDir, link: 'tcp' });
    await sim.close();
  }, 30_000);
});
