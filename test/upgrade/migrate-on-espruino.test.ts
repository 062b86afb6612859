// The storage migration on the real Espruino interpreter (its Linux build,
// when ESPRUINO_BIN names one): firmware 0.1's records (test/upgrade's
// espruino.json, made by its own code) are written into the interpreter's
// Storage, the one-shot script the flasher sends (migrationScript(), built
// like the bundle) is eval()ed from a string as the flasher's REPL line does,
// twice, and what Storage holds after is read here by today's readers.
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkedStorage } from '../../firmware/checked-storage.ts';
import { decodeRecord } from '../../firmware/accounts.ts';
import { readRecord as readAccess } from '../../firmware/access.ts';
import { readRecord as readClock } from '../../firmware/clock.ts';
import { latin1Text } from '../../protocol/latin1.ts';
import { migrationScript } from '../../host/lib/flash/firmware-bundle.ts';
import { ESPRUINO_BIN, ESPRUINO_SKIP_REASON, runOnEspruino } from '../helpers/espruino-bin.ts';
import { SteppedStorage } from '../helpers/fake-ports.ts';
import { FIXTURE, upgradeFixture } from './fixture-spec.ts';

if (!ESPRUINO_BIN) console.warn(ESPRUINO_SKIP_REASON);
const b64 = (s: string | Uint8Array) => Buffer.from(s as string, typeof s === 'string' ? 'latin1' : undefined).toString('base64');

describe.skipIf(!ESPRUINO_BIN)('storage migration on the real Espruino interpreter', () => {
  it("converts firmware 0.1's records in place, prints counts only, and a second run converts nothing", async () => {
    const files = upgradeFixture('espruino');
    const script = await migrationScript();
    const lines = [
      'var S=require("Storage");',
      ...Object.entries(files).map(([k, v]) => `S.write(${JSON.stringify(k)},atob("${b64(v)}"));`),
      `var TTM=atob("${b64(script)}");`,
      'eval(TTM);',
      'eval(TTM);',
      'S.list(/^tt\\./).forEach(function(f){print("FILE "+f+" "+btoa(S.read(f)));});',
    ];
    const path = join(mkdtempSync(join(tmpdir(), 'tt-migrate-espruino-')), 'migrate-run.js');
    writeFileSync(path, lines.join('\n'), 'latin1');
    const { stdout } = runOnEspruino(path);
    const status = [...stdout.matchAll(/^TTMIG (.*)$/gm)].map((m) => m[1].trim());
    expect(status, stdout.slice(-800)).toEqual(['3 0', '0 0']);
    // Nothing of a record came back but the files this test asked for.
    expect(stdout.replace(/^FILE .*$/gm, '')).not.toMatch(/eAKRTc6Z|MTIzNDU2/);
    const raw = new SteppedStorage();
    for (const m of stdout.matchAll(/^FILE (\S+) (\S*)$/gm)) raw.data.set(m[1], Buffer.from(m[2], 'base64').toString('latin1'));
    expect([...raw.data.keys()].sort()).toEqual(['tt.acc.0', 'tt.acc.1', 'tt.access.0', 'tt.access.1', 'tt.clock.0', 'tt.clock.1']);
    const cs = checkedStorage(raw);
    const accounts = cs.load('tt.acc', (b) => decodeRecord(b, 10)) as { name: string; secret: Uint8Array }[];
    expect(accounts.map((a) => [a.name, Buffer.from(a.secret).toString('hex')])).toEqual(FIXTURE.accounts.map((a) => [a.name, a.secretHex]));
    expect(cs.load('tt.access', (b) => readAccess(latin1Text(b)))).toEqual(JSON.parse(files['tt.access']));
    const t = FIXTURE.madeAtMs;
    const clock = readClock(cs.read('tt.clock'))!;
    expect([clock.ra, clock.ua, clock.ta, clock.ns, clock.an, clock.tu, clock.tt]).toEqual([t, t, t, 1, [[t, t, 140]], t, t]);
    expect(cs.health()).toBe(0);
  }, 120_000);
});
