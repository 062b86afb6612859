// What the host tells the shims about the board before the bundle runs
// (globalThis.__moddableShim). Built from the board profile by test/xs/moddable-harness.ts.

export interface ShimConfig {
  /** The Moddable platform the shims model (mcconfig -p, before any '/'): what Math.random, serial and flash do there. */
  platform: 'esp32' | 'pico' | 'lin';
  /** System time at power-up, ms since 1970 (0: a board that lost power). */
  bootTimeMs: number;
  preference: { store: 'nvs' | 'sector'; maxKeyChars: number; maxValueBytes: number; capacityBytes: number };
  /** Preferences present at power-up, by domain then key (a restart keeps flash). */
  preferences: Record<string, Record<string, string | number | boolean>>;
  /** Hardware FIFO size of the UART (ESP32: 128 bytes). */
  serialFifo: number;
  /** Level of each input pin when its button is not pressed and the pin has a pull resistor fitted on the board. */
  externalPulls: Record<number, 0 | 1>;
  /** I2C addresses that answer: an SSD1306 at each. */
  ssd1306: number[];
  /** The Pico's flash at power-up (shims/flash.ts: sector byte offset -> hex); a restart keeps it. */
  flash?: Record<string, string>;
  /** Power fails during flash operation cutAfterWrites + 1 (a sector erase, a page program, an NVS set or erase): it is torn, it and every later one throw. */
  cutAfterWrites?: number;
  /** Linux serial only: the device path the port must name (modules/io/serial/lin/serial.c opens options.device). */
  serialDevice?: string;
  /** The target's built-in display (the `screen` global), if it has one. */
  screen?: { width: number; height: number; bytesPerPixel: number };
}
