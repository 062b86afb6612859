// The Moddable XS port: builds the app's Ports from the board's data and the
// SDK's modules, then starts the same token app every board runs. Each board
// has a three-line entry beside this file that picks its display.
import { startToken } from '../../app.ts';
import type { TokenApp } from '../../app.ts';
import type { Canvas, Ports } from '../../ports.ts';
import { drawMessage } from '../../ui/screen.ts';
import type { ModdableBoardProfile } from '../../../boards/moddable-profile.ts';
import { moddableButtons } from './buttons.ts';
import { moddableClock } from './clock.ts';
import { moddableHashes } from './hashes.ts';
import { moddableSerial } from './serial.ts';
import { preferenceStorage } from './storage.ts';
import { moddableTimers } from './timers.ts';

/** Math.random is esp_random() on ESP32 (XS's c_rand); boards without a hardware RNG leave `random` unset. */
function mathRandomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(Math.random() * 256);
  return out;
}

/** Splits a message into lines that fit the canvas's 6-pixel cells. */
function wrap(canvas: Canvas, text: string): string[] {
  const width = Math.floor(canvas.width / 6);
  const lines: string[] = [];
  for (let i = 0; i < text.length && lines.length < 5; i += width) lines.push(text.substring(i, i + width));
  return lines;
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
      board: { id: board.id, name: board.name, algorithms: board.algorithms, maxAccounts: board.storage.maxAccounts, typicalDriftPpm: board.clock.typicalDriftPpm },
    };
    if (m.hardwareRandom) ports.random = mathRandomBytes;
    return startToken(ports, m.confirmHint);
  } catch (e) {
    // Say why on the display: a debug build (mcconfig -d) holds the USB UART for xsbug, say.
    const message = String((e as Error).message);
    drawMessage(canvas, ['totp-token cannot start:'].concat(wrap(canvas, message)));
    throw e;
  }
}
