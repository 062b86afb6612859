// Push buttons over ECMA-419 Digital inputs: an edge starts a debounce timer,
// and the level that is still there when it fires counts. A board with one
// button gives it both roles: a short press is "next", a long one "confirm".
import Digital from 'embedded:io/digital';
import Time from 'time';
import type { ButtonRole, Timers } from '../../ports.ts';
import type { ButtonProfile } from '../../../boards/profile.ts';

export const DEBOUNCE_MS = 30;
export const LONG_PRESS_MS = 800;

export function moddableButtons(buttons: ButtonProfile[], pull: 'internal' | 'external', timers: Required<Timers>): (handler: (role: ButtonRole) => void) => void {
  let handler: (role: ButtonRole) => void = () => {};
  // ECMA-419 keeps objects with callbacks alive; a reference here says so in JS too.
  const inputs: Digital[] = [];

  function watch(b: ButtonProfile): void {
    let pressed = false;
    let pressedAt = 0;
    let check: unknown = null;

    function settle(io: Digital): void {
      check = null;
      const now = io.read() === (b.activeLow ? 0 : 1);
      if (now === pressed) return;
      pressed = now;
      if (b.role !== 'next+confirm') {
        if (pressed) handler(b.role);
        return;
      }
      if (pressed) pressedAt = Time.ticks;
      else handler(Time.delta(pressedAt) >= LONG_PRESS_MS ? 'confirm' : 'next');
    }

    let mode = Digital.Input;
    if (pull === 'internal') mode = b.activeLow ? Digital.InputPullUp : Digital.InputPullDown;
    // Construction fails fast ("in use", "invalid pin") with the pin in the message.
    try {
      inputs.push(new Digital({
        pin: Number(b.pin),
        mode: mode,
        edge: Digital.Rising | Digital.Falling,
        onReadable: function (this: Digital) {
          const io = this;
          timers.clearTimeout(check);
          check = timers.setTimeout(() => settle(io), DEBOUNCE_MS);
        },
      }));
    } catch (e) {
      throw new Error('button on pin ' + b.pin + ': ' + (e as Error).message);
    }
  }

  for (let i = 0; i < buttons.length; i++) watch(buttons[i]);
  return (h: (role: ButtonRole) => void) => {
    handler = h;
  };
}
