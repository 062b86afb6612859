// The Moddable XS port: builds the app's Ports from the board's data and the
// SDK's modules, then starts the same token app every board runs. Each board
// has a three-line entry beside this file that picks its display.
import { startToken } from '../../app.ts';
import { migrateStorage } from '../../migrate.ts';
import type { TokenApp } from '../../app.ts';
import type { Canvas, Ports } from '../../ports.ts';
import { drawMessage, wrapText } from '../../ui/screen.ts';
import type { ModdableBoardProfile } from '../../../boards/moddable-profile.ts';
import { moddableButtons } from './buttons.ts';
import { moddableClock } from './clock.ts';
import { moddableHashes } from './hashes.ts';
import { moddableSerial } from './serial.ts';
import { hardwareRandom } from './random.ts';
import { preferenceStorage } from './storage.ts';
import type { PreferenceLimits } from './storage.ts';
import type { Storage } from '../../ports.ts';
import { moddableTimers } from './timers.ts';

/**
 * A board whose profile says 'moddable-flash' (the Pico) passes its storage
 * from its entry (pico-flash.ts), so the other boards' bundles do not carry
 * the flash store; the rest keep their records in Preference (NVS on ESP32).
 */
export type StorageFactory = (limits: PreferenceLimits) => Storage;

function boardStorage(kind: string, limits: PreferenceLimits, make: StorageFactory | undefined): Storage {
  if (make) return make(limits);
  if (kind === 'moddable-flash') throw new Error('this board keeps its records in flash: its entry must pass the flash storage');
  return preferenceStorage(limits);
}

export function startModdableToken(board: ModdableBoardProfile, canvas: Canvas, storage?: StorageFactory): TokenApp {
  const m = board.moddable;
  try {
    const timers = moddableTimers();
    const store = boardStorage(board.storage.kind, m.preference, storage);
    // Records older firmware stored are converted at every start (no REPL to run it once, as the Espruino flasher does);
    // one it cannot read stays, and the checked storage loads it as damaged: the token starts and WIPE on the device stays possible.
    migrateStorage(store);
    const ports: Ports = {
      serial: moddableSerial(m.serial),
      canvas: canvas,
      storage: store,
      clock: moddableClock(),
      timers: timers,
      hashes: moddableHashes(board.nativeHashes),
      onButton: moddableButtons(board.buttons, m.buttonPull, timers),
      random: hardwareRandom,
      board: { id: board.id, algorithms: board.algorithms, maxAccounts: board.storage.maxAccounts, typicalDriftPpm: board.clock.typicalDriftPpm },
    };
    return startToken(ports, m.confirmHint);
  } catch (e) {
    // Say why on the display: a debug build (mcconfig -d) holds the USB UART for xsbug, say.
    const message = String((e as Error).message);
    drawMessage(canvas, ['totp-token cannot start:'].concat(wrapText(canvas, message, 5)));
    throw e;
  }
}
