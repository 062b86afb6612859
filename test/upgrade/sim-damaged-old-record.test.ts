// Attack: a password record firmware 0.1 left damaged (its JSON cut short by
// a power cut mid-write) on a token that has no Espruino flasher to run the
// migration and stop: the simulator (and the Moddable boards, whose start
// runs the same firmware/migrate.ts and then the same checked storage).
// Firmware before the migration moved out of the bundle (248a1f1) started
// over it locked with a key nothing matches, and WIPE with the button made
// the token fresh. Today migrate.ts leaves the damaged record as it is, and
// the checked storage refused to start over it ("run totp-token flash"),
// which these tokens cannot do: no HELLO, so no WIPE either (seen failing).
// Now the refusal is the Espruino port's alone (its flasher converts), and
// the checked storage loads a record of older firmware left after the
// conversion as damaged: the token starts as it did. (A bare record that
// counted as no record at all would leave the token open: seen failing.)
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTLE_MS } from '../../firmware/presence.ts';
import { startSimToken } from '../../firmware/ports/node/sim-token.ts';
import { TokenClient } from '../../host/lib/client.ts';
import { checkedStorage } from '../../firmware/checked-storage.ts';
import { decodeRecord } from '../../firmware/accounts.ts';
import { readRecord as readAccess } from '../../firmware/access.ts';
import { migrateStorage } from '../../firmware/migrate.ts';
import { latin1Text } from '../../protocol/latin1.ts';
import { SteppedStorage } from '../helpers/fake-ports.ts';
import { openTransport } from '../../host/lib/transport/index.ts';
import { upgradeFixture } from './fixture-spec.ts';

const files = upgradeFixture('sim');

describe('a damaged password record of firmware 0.1 on the simulator', () => {
  it('the token still starts, so HELLO answers and WIPE on the device stays possible', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'tt-damaged-old-'));
    const accessFile = Object.keys(files).find((n) => n.endsWith('tt.access'))!;
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(stateDir, name)), { recursive: true });
      writeFileSync(join(stateDir, name), name === accessFile ? text.slice(0, 12) : text, 'latin1');
    }
    const sim = await startSimToken({ stateDir, link: 'tcp' });
    try {
      const client = new TokenClient(await openTransport(sim.address));
      const info = await client.hello();
      expect(info.locked).toBe(true); // a damaged password record never opens the token
      const confirm = setTimeout(() => sim.press('confirm'), SETTLE_MS + 300);
      await client.wipe(() => {});
      clearTimeout(confirm);
      expect((await client.hello()).locked).toBe(false); // WIPE on the device made it fresh
      expect(await client.list()).toEqual([]);
      await client.close();
    } finally {
      await sim.close();
    }
    // Started again: still fresh. The damaged record stayed beside the new copies until this start's conversion took them.
    const again = await startSimToken({ stateDir, link: 'tcp' });
    try {
      const client = new TokenClient(await openTransport(again.address));
      const info = await client.hello();
      expect([info.locked, info.storageHealth]).toEqual([false, 0]);
      await client.close();
    } finally {
      await again.close();
    }
    expect(readdirSync(join(stateDir, 'storage')).filter((n) => n.startsWith('tt.access'))).toEqual(['tt.access.0', 'tt.access.1']);
  }, 30_000);
});

describe('a damaged record of firmware 0.1 after the conversion the simulator and Moddable run at start', () => {
  const espruino = upgradeFixture('espruino');
  it('is left as it is and counted (nothing written in its place); the checked storage loads it as damaged, never as empty', () => {
    const raw = new SteppedStorage();
    raw.data.set('tt.access', '{"k":5');
    raw.data.set('tt.acc.1', espruino['tt.acc.1'].replace('eQIAAwEC', 'eQIAAwED')); // a bit of the value flipped: its CRC fails
    const before = new Map(raw.data);
    expect(migrateStorage(raw)).toEqual([0, 2]);
    expect(raw.data).toEqual(before);
    const cs = checkedStorage(raw);
    expect(() => cs.load('tt.access', (b) => readAccess(latin1Text(b)))).toThrow(); // damaged: locked with a key nothing matches (access.ts)
    expect(() => cs.load('tt.acc', (b) => decodeRecord(b, 10))).toThrow(); // damaged: health 2, not an empty list
    expect(cs.health()).toBe(2);
  });
});
