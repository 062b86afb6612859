// Push buttons through setWatch, whose debounce filters the contact bounce.
// A board with one button gives it both roles: a short press is "next", and
// holding it LONG_PRESS_MS is "confirm" (it fires while still held, so the
// display answers at once; the release then does nothing).
import type { ButtonRole } from '../../ports.ts';
import type { ButtonProfile } from '../../../boards/profile.ts';
import type { WatchEvent } from './espruino-api.ts';

declare function setWatch(fn: (e: WatchEvent) => void, pin: string, options: { repeat: boolean; edge: string; debounce: number }): number;
declare function pinMode(pin: string, mode: string): void;
declare function digitalRead(pin: string): number;
declare function setTimeout(fn: () => void, ms: number): number;
declare function clearTimeout(id: number): void;

export const DEBOUNCE_MS = 25;
export const LONG_PRESS_MS = 1000;

function setUp(b: ButtonProfile): string {
  const pin = String(b.pin);
  pinMode(pin, 'input_pull' + (b.activeLow ? 'up' : 'down')); // input_pullup / input_pulldown
  return pin;
}

/** Whether any button is held now (read once at power-up: that starts the REPL instead of the token). */
export function buttonHeld(buttons: ButtonProfile[]): boolean {
  for (const b of buttons) {
    if (digitalRead(setUp(b)) === (b.activeLow ? 0 : 1)) return true;
  }
  return false;
}

export function espruinoButtons(buttons: ButtonProfile[]): (handler: (role: ButtonRole) => void) => void {
  let handler: (role: ButtonRole) => void = () => {};

  function watch(b: ButtonProfile): void {
    let longPress = -1;
    setWatch(
      (e: WatchEvent) => {
        const pressed = e.state !== b.activeLow;
        if (b.role !== 'next+confirm') {
          if (pressed) handler(b.role);
        } else if (pressed) {
          longPress = setTimeout(() => {
            longPress = -1;
            handler('confirm');
          }, LONG_PRESS_MS);
        } else if (longPress >= 0) {
          clearTimeout(longPress);
          longPress = -1;
          handler('next');
        }
      },
      setUp(b),
      { repeat: true, edge: 'both', debounce: DEBOUNCE_MS },
    );
  }

  for (const b of buttons) watch(b);
  return (h: (role: ButtonRole) => void) => {
    handler = h;
  };
}
