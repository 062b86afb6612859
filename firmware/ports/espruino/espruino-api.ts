// Types of the Espruino built-ins the port uses, as documented at
// espruino.com/Reference. Types only: each file declares the globals it
// touches with these, so nothing here reaches a bundle.

export interface EspruinoSerial {
  write(data: string): void;
  on(event: 'data', handler: (chunk: string) => void): void;
  setup?(baud: number): void;
}

export interface EspruinoI2C {
  setup(options: { scl: string; sda: string; bitrate: number }): void;
  /** Each data item's bytes in turn: a number is one byte, a string's characters are bytes. */
  writeTo(address: number, ...data: (number | number[] | string | Uint8Array)[]): void;
}

export interface EspruinoGraphics {
  buffer: ArrayBuffer;
  clear(): EspruinoGraphics;
  setFont(name: string, scale: number): EspruinoGraphics;
  setFontCustom(bitmap: string, firstChar: number, width: number, height: number): EspruinoGraphics;
  drawString(text: string, x: number, y: number): EspruinoGraphics;
  /** Corners are inclusive: (x1, y1) to (x2, y2). */
  fillRect(x1: number, y1: number, x2: number, y2: number): EspruinoGraphics;
}

export interface EspruinoGraphicsClass {
  createArrayBuffer(width: number, height: number, bpp: number, options: { vertical_byte: boolean; msb: boolean }): EspruinoGraphics;
}

export interface EspruinoE {
  setConsole(device: string | null, options: { force: boolean }): void;
  /**
   * jshGetRandomNumber(): Vref noise on STM32F1/F4, the RNG peripheral on
   * nRF5x and RP2040, but Espruino's own rand() (src/jsutils.c, fixed seeds,
   * 31 bits) on ESP32, ESP8266 and Linux: the same numbers after every boot.
   */
  hwRand(): number;
  /** A file of the Linux build's filesystem (libs/filesystem/jswrap_file.c); read(n) gives n bytes as a string. */
  openFile(path: string, mode: string): { read(n: number): string };
  toUint8Array(data: string): Uint8Array;
}

export interface WatchEvent {
  /** Pin level after the edge. */
  state: boolean;
  /** Seconds (getTime()) of this edge. */
  time: number;
}

export interface EspruinoStorageModule {
  /** A file's contents (from flash, no copy), or undefined if there is none. */
  read(name: string): string | undefined;
  /** Create (or replace) a file; false if it could not be written. */
  write(name: string, data: string): boolean;
  erase(name: string): void;
}
