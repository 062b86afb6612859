// The Moddable XS port: builds the app's Ports from the board's data and the
// SDK's modules, then starts the same token app every board runs. Each board
// has a three-line entry beside this file that picks its display.
import { startToken } from '../../app.ts';
import type { TokenApp } from '../../app.ts';
import type { Canvas, Ports } from '../../ports.ts';
import { drawMessage, wrapText } from '../../ui/screen.ts';
import type { ModdableBoardProfile } from '../../../boards/moddable-profile.ts';
import { moddableButtons } from './buttons.ts';
import { moddableClock } from './clock.ts';
import { moddableHashes } from './hashes.ts';
import { moddableSerial } from './serial.ts';
import { preferenceStorage } from './storage.ts';
import { moddableTimers } from './timers.ts';

/**
 * XS's Math.random is its c_rand: esp_random(), the hardware RNG, on ESP32.
 * Boards without one (the profile's hardwareRandom: false) get the same call,
 * and their salts and challenges are only as good as XS's generator there.
 */
function mathRandomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(Math.random() * 256);
  return out;
}

export function startModdableToken(board: ModdableBoardProfile, canvas: Canvas): TokenApp {
  const m = board.moddable;
  try {
    const timers = moddableTimers();
    const ports: Ports = {
      serial: moddableSerial(m.serial),
      canvas: canvas,
      storage: preferenceStorage(m.preference),
      clock: moddableClock(),
      timers: timers,
      hashes: moddableHashes(board.nativeHashes),
      onButton: moddableButtons(board.buttons, m.buttonPull, timers),
      random: mathRandomBytes,
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
