// The app's Storage over Espruino's flash filesystem (require("Storage")).
// A write makes a new file and then drops the old one, so a power cut can
// lose that one key: the account store keeps two slots for exactly this.
// Seeds live in these files only, never in the bundle (.bootcde).
import type { Storage } from '../../ports.ts';
import type { EspruinoStorageModule } from './espruino-api.ts';
import { say } from '../../../protocol/say.ts';

// Reached through `global`: a bare require() of a module esbuild does not
// bundle makes it add a 250-byte shim for runtimes without require.
declare const global: { require(name: 'Storage'): EspruinoStorageModule };

export function espruinoStorage(): Storage {
  const flash = global.require('Storage');
  // Storage's functions are the module's static natives: they need no `this`.
  return {
    read: flash.read,
    write: (key: string, value: string) => {
      if (!flash.write(key, value)) throw new Error(say('flash write of % failed', key));
    },
    erase: flash.erase,
  };
}
