// Attack: code a board kept from before the token was flashed runs beside it.
// Espruino runs the Storage files ".bootPowerOn" (at power-on, from 2v19: its ChangeLog) and
// ".boot0" to ".boot3" before the saved code ".bootcde" at every boot and
// load() (src/jsflash.c jsfLoadBootCodeFromFlash, Espruino 2v29), not only
// ".bootcde": a board that ran another app (a Bangle-style boot file), or one
// a previous owner prepared, would keep such a file through `totp-token flash`,
// and a timer it sets runs after the token has taken the console off USB. Here
// the implant gives the REPL back to USB four seconds after boot, and a host
// then reads an account record from Storage. The flasher erases every file
// Espruino would run at boot besides the token's.
// A boot file can also hide from Storage.list: a StorageFile's chunks are files named
// after it plus the chunk number as a last character (src/jswrap_storage.c), so the 48th
// chunk of a StorageFile ".boot" is a file named ".boot0", which boot runs as any other
// (jsfFindFile matches the name, not the flags), while Storage.list shows a StorageFile by
// its first chunk only (".boot\x01": jsfBankListFilesHandleFile); erasing what list()
// shows left it. (Chunk 116 of ".bootrs" is a ".bootrst", which runs instead of the token:
// 116 chunks fit in an ESP32's 896 kB Storage, not in this interpreter's 256 kB.)
// On the real interpreter (ESPRUINO_BIN), over its REPL on a pty.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hasSocat } from '../../firmware/ports/node/serial-links.ts';
import { flashEspruino } from '../../host/lib/flash/espruino-flash.ts';
import { createTransport } from '../../host/lib/transport/index.ts';
import { EspruinoRepl } from '../../host/lib/flash/espruino-repl.ts';
import { ESPRUINO_BIN, ESPRUINO_SKIP_REASON, startInterpreter } from '../helpers/espruino-bin.ts';
import { bundleEntry } from '../espruino/harness.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (!ESPRUINO_BIN) console.warn(ESPRUINO_SKIP_REASON);

describe.skipIf(!ESPRUINO_BIN || !hasSocat())('attack: boot files kept from before the token (real Espruino interpreter)', () => {
  const implant = 'setTimeout(function(){E.setConsole(USB,{force:true})},4000);';
  /** REPL code that stores the implant as `file`. */
  const plain = (file: string) => `require("Storage").write("${file}",${JSON.stringify(implant)});`;
  // Chunks of C bytes (the first chunk's size); the implant starts the 48th ('0'), padded with empty statements.
  const hidden =
    'var S=require("Storage"),f=S.open(".boot","w");f.write(";".repeat(500));f.write(";".repeat(500));var C=S.read(".boot\\x01").length,n=47*C-1000;' +
    `while(n>0){f.write(";".repeat(Math.min(500,n)));n-=500;}f.write(${JSON.stringify(implant)}+";".repeat(C));` +
    'if(S.list(/^\\.boot0/).length||S.read(".boot0").indexOf("setTimeout")!==0)throw new Error("not hidden");';
  /** What the case is, the REPL code that stores it, and the name list() shows for it. */
  const cases: [string, string, string][] = [
    ['.boot0', plain('.boot0'), '.boot0'],
    ['.boot3', plain('.boot3'), '.boot3'],
    ['.bootPowerOn', plain('.bootPowerOn'), '.bootPowerOn'],
    ['.boot0 hidden as the 48th chunk of a StorageFile ".boot"', hidden, '.boot\x01'],
  ];
  for (const [file, store, listed] of cases) {
    it(`a ${file} that gives the REPL back to USB is gone after flashing: the running token's link answers no REPL line`, async () => {
      const code = await bundleEntry(join(here, '../espruino/linux-entry.ts'));
      const dir = mkdtempSync(join(tmpdir(), 'tt-bootfiles-'));
      let esp = await startInterpreter(dir);
      let t = createTransport(esp.link.address);
      await t.open();
      let raw = '';
      /** A line that would print the record, sent to the running token: the REPL must not answer it. */
      const probe = async () => {
        t.onData((d) => (raw += d)); // the link's one reader (the flasher's until it returned)
        await sleep(5000); // past the implant's timer
        const from = raw.length;
        await t.write('\x10print("TT"+"X",require("Storage").read("tt.acc.0"))\n');
        await sleep(1500);
        expect(raw.slice(from)).not.toMatch(/TTX|SEED-RECORD/);
      };
      try {
        // The implant, written over the REPL as any app would; the record stands for the token's seeds.
        const repl = new EspruinoRepl(t);
        await repl.settle(200, 1500);
        expect(await repl.command(`${store}require("Storage").write("tt.acc.0","SEED-RECORD");print("TT"+"P",require("Storage").list().join())`, 'TTP', 20000)).toContain(listed);
        const r = await flashEspruino(t, new Uint8Array(Buffer.from(code, 'latin1')), { firmwareBoards: ['LINUX'], startTimeoutMs: 15000 });
        expect(r.started).not.toBeNull();
        await probe(); // started by the flasher's load()
        // Powered up again (.bootPowerOn runs only then).
        await t.close();
        await esp.stop();
        esp = await startInterpreter(dir);
        t = createTransport(esp.link.address);
        await t.open();
        await probe();
      } finally {
        await t.close();
        await esp.stop();
      }
    }, 120_000);
  }
});
