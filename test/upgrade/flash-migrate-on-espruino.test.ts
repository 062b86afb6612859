// Attack: the storage migration through the real Espruino interpreter's REPL
// (its Linux build on a pty, when ESPRUINO_BIN names one), as `totp-token
// flash` runs it: firmware 0.1's records (test/upgrade's espruino.json) sit in
// the interpreter's Storage, flashEspruino sends the migration script and the
// token bundle over the REPL. Nothing the REPL sends back (echo, results,
// errors, the TTMIG line) may hold a byte of a secret: the password key and
// salt, an account's seed. Also with a damaged password record (its JSON cut
// short, so any error message could quote it).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hasSocat } from '../../firmware/ports/node/serial-links.ts';
import { flashEspruino } from '../../host/lib/flash/espruino-flash.ts';
import { migrationScript } from '../../host/lib/flash/firmware-bundle.ts';
import { createTransport } from '../../host/lib/transport/index.ts';
import { ESPRUINO_BIN, ESPRUINO_SKIP_REASON, startInterpreter } from '../helpers/espruino-bin.ts';
import { bundleEntry } from '../espruino/harness.ts';
import { FIXTURE, upgradeFixture } from './fixture-spec.ts';

if (!ESPRUINO_BIN) console.warn(ESPRUINO_SKIP_REASON);

const files = upgradeFixture('espruino');
const access = JSON.parse(files['tt.access']) as { k: string; s: string };

/** Every form a secret could take in what the REPL prints: base64 as stored, the raw bytes, hex, a JS array. */
function forms(bytes: Buffer): string[] {
  const cut = bytes.subarray(0, 8);
  return [bytes.toString('base64').slice(0, 10), cut.toString('latin1'), cut.toString('hex'), [...cut].join(','), btoaOf(cut)];
}
const btoaOf = (b: Buffer) => b.toString('base64').slice(0, 8);
const SECRETS = [Buffer.from(access.k, 'base64'), Buffer.from(access.s, 'base64'), ...FIXTURE.accounts.map((a) => Buffer.from(a.secretHex, 'hex'))];

/** Storage files written by a one-off run in `dir` (./espruino.flash), then the interpreter started interactive there, on a pty. */
async function interpreterWith(dir: string, stored: Record<string, string>) {
  const b64 = (s: string) => Buffer.from(s, 'latin1').toString('base64');
  const script = Object.entries(stored).map(([k, v]) => `require("Storage").write(${JSON.stringify(k)},atob("${b64(v)}"));`).join('\n');
  writeFileSync(join(dir, 'setup.js'), script, 'latin1');
  spawnSync(ESPRUINO_BIN, ['setup.js'], { cwd: dir, timeout: 60000, stdio: ['pipe', 'pipe', 'pipe'] });
  return startInterpreter(dir);
}

async function flashOver(stored: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'tt-flash-migrate-'));
  const code = await bundleEntry(fileURLToPath(new URL('../espruino/linux-entry.ts', import.meta.url)));
  const esp = await interpreterWith(dir, stored);
  const t = createTransport(esp.link.address);
  await t.open();
  let heard = '';
  // The flasher's REPL takes the transport's one data handler: everything it hears, heard here too.
  const tee = Object.create(t) as typeof t;
  tee.onData = (h) => t.onData((d) => ((heard += d), h(d)));
  try {
    const result = await flashEspruino(tee, new Uint8Array(Buffer.from(code, 'latin1')), { firmwareBoards: ['LINUX'], migration: await migrationScript(), startTimeoutMs: 15000 }).catch((e: Error) => e);
    // Without the started token's reply frames: HELLO carries the salt to any host by design (wire-protocol.md).
    return { result, heard: heard.replace(/^<[A-Za-z0-9+/=]*$/gm, ''), dir };
  } finally {
    await t.close();
    await esp.stop();
  }
}

describe.skipIf(!ESPRUINO_BIN || !hasSocat())("flash converts firmware 0.1's records through the real Espruino REPL", () => {
  it('converts them and starts the token; nothing the REPL sent back holds a secret', async () => {
    const { result, heard } = await flashOver(files);
    expect(result instanceof Error ? result.message : result.migrated).toEqual({ converted: 3, left: 0 });
    expect(result instanceof Error ? null : result.started).toMatchObject({ board: 'espruino-esp32-ssd1306' });
    expect(heard).toMatch(/TTMIG 3 0/);
    for (const s of SECRETS) for (const f of forms(s)) expect(heard.includes(f), `REPL output holds ${JSON.stringify(f)}`).toBe(false);
  }, 180_000);

  it('a damaged password record: flash stops naming --wipe, and neither the REPL nor the error quotes it', async () => {
    const damaged = { ...files, 'tt.access': files['tt.access'].slice(0, -20) };
    const { result, heard } = await flashOver(damaged);
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).message).toMatch(/--wipe/);
    expect(heard).toMatch(/TTMIG 2 1/);
    for (const s of SECRETS) for (const f of forms(s)) {
      expect(heard.includes(f), `REPL output holds ${JSON.stringify(f)}`).toBe(false);
      expect((result as Error).message.includes(f)).toBe(false);
    }
  }, 180_000);

  it('a damaged password record: after the flash stops, the board powered up again does not leave its REPL (which reads every seed) to whatever host it is plugged into', async () => {
    const damaged = { ...files, 'tt.access': files['tt.access'].slice(0, -20) };
    const { result, dir } = await flashOver(damaged);
    expect(result).toBeInstanceOf(Error);
    // Power up again, as the user unplugging and replugging it would (no button held: no REPL mode).
    const esp = await interpreterWith(dir, {});
    const t = createTransport(esp.link.address);
    await t.open();
    let heard = '';
    t.onData((d) => (heard += d));
    try {
      await new Promise((r) => setTimeout(r, 3000)); // boot
      await t.write('\x03\x10print("TT"+"X",require("Storage").read("tt.acc.0"))\n');
      await new Promise((r) => setTimeout(r, 2000));
      expect(heard).not.toMatch(/TTX/);
    } finally {
      await t.close();
      await esp.stop();
    }
  }, 180_000);
});
