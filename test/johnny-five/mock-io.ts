// A johnny-five IO plugin of ours for tests: enough of the IO plugin
// interface (https://github.com/rwaldron/io-plugins) for LCD (PCF8574
// controller) and Button, with the same pin names raspi-io takes ("GPIO17").
// I2C writes go to emulated devices by address; buttons are driven from the
// test (press/release), with the pull-ups johnny-five asks for.
import { EventEmitter } from 'node:events';

const MODES = { INPUT: 0, OUTPUT: 1, ANALOG: 2, PWM: 3, SERVO: 4 };
const PIN_COUNT = 28; // GPIO0..GPIO27 on a 40-pin Pi header

export interface I2cDevice {
  /** One byte as the bus delivers it (a PCF8574 takes each byte as its new pin states). */
  writePort(value: number): void;
}

interface PinState {
  supportedModes: number[];
  mode: number;
  value: number;
  report: number;
  analogChannel: number;
  pullUp: boolean;
  grounded: boolean;
}

export class MockIO extends EventEmitter {
  readonly name = 'totp-token mock IO';
  readonly isReady = true;
  readonly MODES = MODES;
  readonly HIGH = 1;
  readonly LOW = 0;
  readonly pins: PinState[] = [];
  readonly analogPins: number[] = [];
  readonly RESOLUTION = { ADC: 1023, DAC: null, PWM: 255 };
  private readonly devices = new Map<number, I2cDevice>();
  private readonly readers = new Map<number, (value: number) => void>();
  private i2cReady = false;
  /** Every byte written on the I2C bus, by address. */
  readonly i2cLog: { address: number; bytes: number[] }[] = [];

  constructor(devices: { [address: number]: I2cDevice } = {}) {
    super();
    for (let i = 0; i < PIN_COUNT; i++) {
      this.pins.push({ supportedModes: [MODES.INPUT, MODES.OUTPUT], mode: MODES.INPUT, value: 0, report: 1, analogChannel: 127, pullUp: false, grounded: false });
    }
    for (const [address, device] of Object.entries(devices)) this.devices.set(Number(address), device);
  }

  /** "GPIO17" or 17 -> 17; johnny-five calls this for every pin it is given. */
  normalize(pin: string | number): number {
    const n = typeof pin === 'number' ? pin : /^GPIO(\d+)$/.exec(pin)?.[1];
    const index = Number(n);
    if (n === undefined || !Number.isInteger(index) || index < 0 || index >= PIN_COUNT) {
      throw new Error(`mock IO: no pin '${pin}' (use GPIO0..GPIO${PIN_COUNT - 1})`);
    }
    return index;
  }

  private pin(pin: string | number): PinState {
    return this.pins[this.normalize(pin)];
  }

  pinMode(pin: number, mode: number): this {
    this.pin(pin).mode = mode;
    return this;
  }

  /** On an input pin, HIGH turns the pull-up on (the Arduino convention johnny-five uses). */
  digitalWrite(pin: number, value: number): this {
    const p = this.pin(pin);
    if (p.mode === MODES.INPUT) {
      p.pullUp = value === this.HIGH;
      this.update(pin);
    } else {
      p.value = value ? 1 : 0;
    }
    return this;
  }

  /** Reports the level now and on every change, as IO plugins do. */
  digitalRead(pin: number, handler: (value: number) => void): this {
    const index = this.normalize(pin);
    this.readers.set(index, handler);
    setImmediate(() => handler(this.pins[index].value));
    return this;
  }

  i2cConfig(): this {
    this.i2cReady = true;
    return this;
  }

  /** i2cWrite(address, byte | bytes) or i2cWrite(address, register, byte | bytes). */
  i2cWrite(address: number, a: number | number[], b?: number | number[]): this {
    const bytes = ([] as number[]).concat(b === undefined ? a : [a as number].concat(b));
    if (!this.i2cReady) throw new Error('mock IO: i2cWrite before i2cConfig');
    const device = this.devices.get(address);
    if (!device) throw new Error(`mock IO: no I2C device at 0x${address.toString(16)} (NACK)`);
    this.i2cLog.push({ address, bytes });
    for (const byte of bytes) device.writePort(byte);
    return this;
  }

  i2cWriteReg(address: number, register: number, value: number): this {
    return this.i2cWrite(address, register, value);
  }

  i2cRead(): this {
    throw new Error('mock IO: i2cRead is not emulated');
  }

  i2cReadOnce(): this {
    throw new Error('mock IO: i2cReadOnce is not emulated');
  }

  /** Test hook: the button on this pin connects it to ground. */
  press(pin: string | number): void {
    this.pin(pin).grounded = true;
    this.update(pin);
  }

  release(pin: string | number): void {
    this.pin(pin).grounded = false;
    this.update(pin);
  }

  private update(pin: string | number): void {
    const index = this.normalize(pin);
    const p = this.pins[index];
    const level = p.grounded ? 0 : p.pullUp ? 1 : 0;
    if (level === p.value) return;
    p.value = level;
    this.readers.get(index)?.(level);
  }
}
