// The Espruino port: builds the app's Ports from the board's data and
// Espruino's built-ins, takes the serial link away from the REPL, and starts
// the same token app every board runs. Each board has a three-line entry
// beside this file.
//
// While the token runs, the link carries only the token protocol: the REPL
// is detached (E.setConsole(null, {force: true}), so plugging USB in or a
// Bluetooth/Telnet connection cannot bring it back), and nothing on the wire
// can read Storage. A button held at power-up skips the token and leaves the
// REPL where it was, for reflashing (boards/espruino-*.ts say how, per board).
import { startToken } from '../../app.ts';
import { hasOldRecords, OLD_RECORDS } from '../../checked-storage.ts';
import type { Canvas, Ports, SerialPort } from '../../ports.ts';
import { drawMessage } from '../../ui/screen.ts';
import type { EspruinoBoardProfile } from '../../../boards/espruino-profile.ts';
import type { EspruinoE, EspruinoSerial } from './espruino-api.ts';
import { buttonHeld, espruinoButtons } from './buttons.ts';
import { espruinoClock } from './clock.ts';
import { espruinoNativeHashes } from './hashes.ts';
import { ssd1306Canvas } from './ssd1306.ts';
import { espruinoStorage } from './storage.ts';

declare const E: EspruinoE;
declare const global: { [name: string]: unknown };
declare function setInterval(fn: () => void, ms: number): unknown;
declare function setTimeout(fn: () => void, ms: number): unknown;

declare function peek32(address: number): number;
declare function getTime(): number;

/**
 * setInterval that runs `fn` at most once per half period of getTime(): after
 * setTime() Espruino's JS timers catch up in a burst (measured on the 2v29
 * Linux build: a 1 s interval fired 33,953 times within 0.2 s of one setTime),
 * and the app counts its ticks (a session ends after 10 silent ones).
 */
function steadyInterval(fn: () => void, ms: number): unknown {
  let last = -1e9;
  return setInterval(() => {
    const now = getTime() * 1000;
    if (now >= last && now - last < ms / 2) return;
    last = now;
    fn();
  }, ms);
}

/** The board's random source (EspruinoTarget.rng); without one the app refuses to start rather than fall back. */
export function espruinoRandom(rng: 'hwRand' | number | ((n: number) => Uint8Array)): (n: number) => Uint8Array {
  if (typeof rng === 'function') return rng; // the Linux test variant's (EspruinoTarget.rng)
  // One byte per hardware word, its low one (a Uint8Array keeps the low byte,
  // measured on 2v29): salts and challenges are 8 to 20 bytes.
  const word = typeof rng === 'number' ? () => peek32(rng) : () => E.hwRand();
  return (n: number) => new Uint8Array(n).map(word);
}

function serialLink(board: EspruinoBoardProfile): SerialPort {
  const device = global[board.espruino.link] as EspruinoSerial;
  if (board.espruino.baud && device.setup) device.setup(board.espruino.baud);
  return {
    write: (text: string) => device.write(text),
    onData: (handler: (chunk: string) => void) => device.on('data', handler),
  };
}

/** The Ports of an Espruino board. */
export function espruinoPorts(board: EspruinoBoardProfile, canvas: Canvas): Ports {
  const storage = espruinoStorage();
  return {
    serial: serialLink(board),
    canvas: canvas,
    storage: storage,
    clock: espruinoClock(storage),
    timers: { setInterval: steadyInterval, setTimeout: setTimeout },
    // The algorithms it offers, all native on Espruino boards (the pure hashes are not bundled).
    hashes: espruinoNativeHashes(board.algorithms),
    onButton: espruinoButtons(board.buttons),
    random: board.espruino.rng ? espruinoRandom(board.espruino.rng) : (undefined as never),
    board: { id: board.id, algorithms: board.algorithms, maxAccounts: board.storage.maxAccounts, typicalDriftPpm: board.clock.typicalDriftPpm },
  };
}

/**
 * Start the token, or (button held at power-up) leave the REPL and say so on
 * the display. Nothing on a board uses the app's handle (TokenApp, for tests
 * and the simulator), so it is not returned: the bundle then drops it.
 */
export function startEspruinoToken(board: EspruinoBoardProfile): void {
  const canvas = ssd1306Canvas(board);
  if (buttonHeld(board.buttons)) {
    drawMessage(canvas, ['REPL mode: token off', 'totp-token flash,', 'or reset to run it']);
    return;
  }
  E.setConsole(null, { force: true });
  try {
    const ports = espruinoPorts(board, canvas);
    // Records of older firmware are converted by `totp-token flash` (firmware/migrate.ts over the REPL), never here:
    // their data is kept, never taken for damaged.
    if (hasOldRecords(ports.storage)) throw new Error(OLD_RECORDS);
    startToken(ports, board.espruino.confirmHint);
  } catch (e) {
    // The REPL stays off (it could read Storage): say why on the display instead.
    drawMessage(canvas, ['Cannot start:', String((e as Error)['message']), 'Reflash in REPL mode']);
    throw e;
  }
}
