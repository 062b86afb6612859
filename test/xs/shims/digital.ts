// Shim of ECMA-419 `embedded:io/digital` inputs. The host sets a pin's level
// (IN.PIN); an input whose edge matches gets onReadable() with `this` the
// instance, as DigitalBank calls it. A plain Input on a pin without a pull
// resistor fitted on the board (config.externalPulls) floats, so it throws.
// Errors as modules/io/digital/pico/digitalbank.c and esp32/digitalbank.c
// raise them: a pin another IO object holds is "in use" (host.ts usePin).
import { config, IN, onHost, usePin } from './host.ts';

interface DigitalOptions {
  pin: number;
  mode: number;
  edge?: number;
  onReadable?: (this: Digital) => void;
}

const inputs = new Map<number, Digital>();

export default class Digital {
  static Input = 0;
  static InputPullUp = 1;
  static InputPullDown = 2;
  static InputPullUpDown = 3;
  static Output = 8;
  static OutputOpenDrain = 9;
  static Rising = 1;
  static Falling = 2;

  #options: DigitalOptions;
  level: 0 | 1;
  constructor(options: DigitalOptions) {
    if (options.pin === undefined) throw new Error('invalid');
    if (options.mode !== Digital.Input && options.mode !== Digital.InputPullUp && options.mode !== Digital.InputPullDown)
      throw new RangeError('shim supports input modes only (mode ' + options.mode + ')');
    const fitted = config.externalPulls[options.pin];
    if (options.mode === Digital.Input && fitted === undefined) throw new Error('pin ' + options.pin + ': Input without a pull-up or pull-down floats');
    usePin(options.pin, 'digital input');
    this.#options = options;
    this.level = options.mode === Digital.InputPullUp ? 1 : options.mode === Digital.InputPullDown ? 0 : fitted!;
    inputs.set(options.pin, this);
  }
  read(): number {
    return this.level;
  }
  close(): void {
    inputs.delete(this.#options.pin);
  }
  set(level: 0 | 1): void {
    if (level === this.level) return;
    const edge = level ? Digital.Rising : Digital.Falling;
    this.level = level;
    if ((this.#options.edge ?? 0) & edge) this.#options.onReadable?.call(this);
  }
}

onHost(IN.PIN, (body) => {
  const input = inputs.get(body[0]!);
  if (!input) throw new Error('digital: no input on pin ' + body[0]);
  input.set(body[1] ? 1 : 0);
  return undefined;
});
