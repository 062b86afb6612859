// Runs an Espruino firmware bundle in a node:vm context that provides the
// Espruino built-ins the port uses and withholds what Espruino lacks, with
// virtual time, pins you can drive, and Storage in memory that survives a
// reboot. See README.md beside this file for what it models and what not.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vm from 'node:vm';
import { fakeEspruinoE } from '../helpers/fake-espruino-e.ts';
import { fakeEspruinoStorage } from '../helpers/fake-espruino-storage.ts';
import { buildFirmwareBundle } from '../../host/lib/build/esbuild-firmware.ts';
import type { FakeReplOptions } from '../helpers/fake-espruino-repl.ts';
import { untokenise } from '../helpers/espruino-untokenise.ts';

/** Built-ins Espruino does not have (DESIGN.md, "Facts measured"); they are undefined in the context. */
export const WITHHELD = [
  'Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'Symbol', 'TextEncoder', 'TextDecoder', 'RangeError',
  'Array.from', 'Math.imul', 'Number.isInteger', 'Object.freeze', 'Object.hasOwn', 'Uint8Array.from', 'Uint8Array.of',
];

/** Bundle a firmware entry with the project's esbuild settings; returns the code. */
export async function bundleEntry(entry: string): Promise<string> {
  const outfile = join(mkdtempSync(join(tmpdir(), 'tt-espruino-')), 'bundle.js');
  await buildFirmwareBundle(entry, outfile, true);
  return readFileSync(outfile, 'latin1');
}

/** Flash that outlives a boot: Storage files as byte strings, the RTC, and the time base. */
export interface Persistent {
  files: Map<string, string>;
  /** Virtual ms since the epoch of the host clock driving the RTC. */
  nowMs: number;
  /** What setTime added to the RTC (seconds). */
  rtcOffsetS: number;
}

export function newFlash(nowMs = Date.UTC(2026, 0, 1)): Persistent {
  return { files: new Map(), nowMs, rtcOffsetS: 0 };
}

export interface BootOptions {
  flash?: Persistent;
  /** Whether Graphics has the "6x8" font (the Pico's firmware does not). Default true. */
  font6x8?: boolean;
  /** Whether setTime changes getTime (true on boards, false on the Linux build). Default true. */
  setTimeWorks?: boolean;
  /** Pins driven at boot (a button held at power-up), name -> level. */
  held?: { [pin: string]: number };
  /** Where device writes go besides being recorded (a pty, for the fake REPL's load()). */
  onWrite?: (device: string, text: string) => void;
  /** Storage space in bytes (default 256 KB). */
  storageBytes?: number;
  /**
   * The chip, for its random sources (Espruino's jshGetRandomNumber per target):
   * 'esp32' (default): E.hwRand is Espruino's own rand() (src/jsutils.c), restarted
   * from its fixed seeds at every boot (targets/esp32/jshardware.c returns rand()),
   * and peek32 of the RNG register (WDEV_RND_REG, 0x60035144 or its DPORT alias
   * 0x3FF75144) gives fresh random words; 'stm32f4' (the Pico): E.hwRand is noise
   * from the voltage reference (targets/stm32/jshardware.c), modelled with node:crypto.
   */
  chip?: 'esp32' | 'stm32f4';
}

/**
 * Espruino's rand() (src/jsutils.c): multiply-with-carry from the seeds
 * 0xDEADBEEF / 0xCAFEBABE, masked to RAND_MAX (0x7FFFFFFF). Its first values,
 * 2002641757 and 1519824769, are what E.hwRand() printed on the real Linux
 * interpreter (2v29) at every start.
 */
export function espruinoRand(): () => number {
  let w = 0xdeadbeef;
  let z = 0xcafebabe;
  return () => {
    z = (36969 * (z & 65535) + (z >>> 16)) >>> 0;
    w = (18000 * (w & 65535) + (w >>> 16)) >>> 0;
    return (((z << 16) >>> 0) + w) & 0x7fffffff;
  };
}

interface Timer {
  id: number;
  at: number;
  every: number;
  fn: () => void;
}

interface Watch {
  id: number;
  pin: string;
  fn: (e: { state: boolean; time: number; lastTime: number }) => void;
  edge: string;
  debounce: number;
  repeat: boolean;
  reported: number;
  lastTime: number;
}

export class EspruinoVm {
  readonly flash: Persistent;
  readonly context: vm.Context;
  /** Text each device wrote, in order. */
  readonly written: { [device: string]: string } = { USB: '', Serial1: '' };
  /** What reached the REPL (data sent to the device that is the console). */
  replInput = '';
  /** Errors thrown by callbacks (Espruino reports them and carries on). */
  readonly errors: Error[] = [];
  /** Strings drawn since the last clear, as of the last flip that reached the panel. */
  screen: string[] = [];
  i2cWrites = 0;
  private consoleDevice: string | null = 'USB';
  private listeners: { [device: string]: ((chunk: string) => void)[] } = { USB: [], Serial1: [] };
  private timers: Timer[] = [];
  private watches: Watch[] = [];
  private nextId = 1;
  private pins: { [pin: string]: { mode: string; driven: number | null } } = {};
  private drawing: string[] = [];
  private readonly opts: BootOptions;

  constructor(opts: BootOptions = {}) {
    this.opts = opts;
    this.flash = opts.flash ?? newFlash();
    for (const pin of Object.keys(opts.held ?? {})) this.pins[pin] = { mode: 'input', driven: opts.held![pin] };
    this.context = vm.createContext(this.globals());
    vm.runInContext(WITHHOLD_PRELUDE, this.context, { filename: 'espruino-prelude.js' });
  }

  /** Run a bundle as Espruino runs .bootcde at boot. */
  boot(code: string): this {
    vm.runInContext(code, this.context, { filename: 'bundle.js' });
    return this;
  }

  /** Evaluate an expression inside the context (for checks on the environment itself). */
  evaluate(js: string): unknown {
    return vm.runInContext(js, this.context);
  }

  /** Bytes arriving on a device: to the REPL if it is the console, else to its 'data' listeners. */
  send(text: string, device = 'USB'): void {
    if (this.consoleDevice === device) {
      this.replInput += text;
      return;
    }
    for (const fn of this.listeners[device] ?? []) this.guard(() => fn(text));
  }

  console(): string | null {
    return this.consoleDevice;
  }

  /** Let virtual time pass, running timers and debounced watches as they fall due. */
  advance(ms: number): void {
    const end = this.flash.nowMs + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.flash.nowMs = Math.max(this.flash.nowMs, due.at);
      if (due.every > 0) due.at += due.every;
      else this.timers.splice(this.timers.indexOf(due), 1);
      this.guard(due.fn);
    }
    this.flash.nowMs = end;
  }

  /** Drive a pin (null: let it float back to its pull). */
  setPin(pin: string, level: number | null): void {
    const p = (this.pins[pin] ??= { mode: 'input', driven: null });
    p.driven = level;
    for (const w of this.watches.filter((x) => x.pin === pin)) {
      this.schedule(() => this.checkWatch(w), w.debounce, 0);
    }
  }

  /** Press a button for `ms` (its active level follows the pull the port chose). */
  press(pin: string, ms: number): void {
    const active = this.pins[pin]?.mode === 'input_pullup' ? 0 : 1;
    this.setPin(pin, active);
    this.advance(ms);
    this.setPin(pin, null);
    this.advance(100);
  }

  private level(pin: string): number {
    const p = this.pins[pin];
    if (!p) return 0;
    if (p.driven !== null) return p.driven;
    return p.mode === 'input_pullup' ? 1 : 0;
  }

  private checkWatch(w: Watch): void {
    if (this.watches.indexOf(w) < 0) return;
    const now = this.level(w.pin);
    if (now === w.reported) return;
    w.reported = now;
    if ((w.edge === 'rising' && !now) || (w.edge === 'falling' && now)) return;
    const time = this.getTime();
    const e = { state: now === 1, time, lastTime: w.lastTime };
    w.lastTime = time;
    if (!w.repeat) this.watches.splice(this.watches.indexOf(w), 1);
    this.guard(() => w.fn(e));
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.errors.push(e as Error);
    }
  }

  private schedule(fn: () => void, ms: number, every: number): number {
    const id = this.nextId++;
    this.timers.push({ id, at: this.flash.nowMs + Math.max(0, ms), every, fn });
    return id;
  }

  private getTime(): number {
    return this.flash.nowMs / 1000 + this.flash.rtcOffsetS;
  }

  private write(device: string, text: unknown): void {
    const s = String(text);
    this.written[device] = (this.written[device] ?? '') + s;
    this.opts.onWrite?.(device, s);
  }

  private globals(): Record<string, unknown> {
    const self = this;
    const files = this.flash.files;
    const serial = (name: string) => ({
      write: (t: unknown) => self.write(name, t),
      print: (t: unknown) => self.write(name, t),
      on: (ev: string, fn: (chunk: string) => void) => {
        if (ev === 'data') self.listeners[name].push(fn);
      },
      setup: () => {},
    });
    // src/jswrap_storage.c and src/jsflash.c: in test/helpers/fake-espruino-storage.ts (shared with the fake REPL).
    const storage = fakeEspruinoStorage(files, () => self.context, { capacity: this.opts.storageBytes });
    const digest = (alg: string) => (data: unknown) => {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : Buffer.from(data as Uint8Array);
      const d = createHash(alg).update(bytes).digest();
      return d.buffer.slice(d.byteOffset, d.byteOffset + d.length);
    };
    const crypto = { SHA1: digest('sha1'), SHA256: digest('sha256'), SHA512: digest('sha512') };
    const graphics = {
      createArrayBuffer: (w: number, h: number) => {
        const g = {
          buffer: new ArrayBuffer((w * h) >> 3),
          clear: () => ((self.drawing = []), g),
          setFont: (name: string, scale: number) => {
            if (name === '6x8' && self.opts.font6x8 === false) throw new Error('Unknown font "6x8"');
            void scale;
            return g;
          },
          setFontCustom: () => g,
          drawString: (text: string) => (self.drawing.push(String(text)), g),
          fillRect: () => g,
        };
        return g;
      },
    };
    const i2c = {
      setup: () => {},
      writeTo: (_addr: number, ...data: unknown[]) => {
        self.i2cWrites++;
        if (data[0] === 0x40) self.screen = self.drawing.slice();
      },
    };
    const rand = espruinoRand();
    const chip = this.opts.chip ?? 'esp32';
    const g: Record<string, unknown> = {
      USB: serial('USB'),
      Serial1: serial('Serial1'),
      I2C1: i2c,
      Graphics: graphics,
      E: {
        setConsole: (device: string | null) => {
          self.consoleDevice = device;
        },
        getConsole: () => self.consoleDevice,
        hwRand: () => (chip === 'stm32f4' ? randomBytes(4).readInt32LE(0) : rand()),
        // E.toString, toUint8Array, CRC32, mapInPlace: src/jswrap_espruino.c, in test/helpers/fake-espruino-e.ts.
        ...fakeEspruinoE(() => self.context),
      },
      peek32: (addr: number) => {
        if (chip === 'esp32' && (addr === 0x60035144 || addr === 0x3ff75144)) return randomBytes(4).readUInt32LE(0);
        throw new Error(`the harness does not model peek32(0x${addr.toString(16)}) on ${chip}`);
      },
      getTime: () => self.getTime(),
      setTime: (s: number) => {
        if (self.opts.setTimeWorks !== false) self.flash.rtcOffsetS = s - self.flash.nowMs / 1000;
        // After setTime, Espruino's JS timers catch up in a burst (measured on the 2v29
        // Linux build: a 1 s setInterval fired 33,953 times within 0.2 s of one setTime,
        // though getTime did not move there). Modelled as 100 missed periods, fired at once.
        for (const t of self.timers) if (t.every > 0) t.at = Math.min(t.at, self.flash.nowMs - 100 * t.every);
      },
      setInterval: (fn: () => void, ms: number) => self.schedule(fn, ms, Math.max(1, ms)),
      setTimeout: (fn: () => void, ms: number) => self.schedule(fn, ms, 0),
      clearInterval: (id: number) => void (self.timers = self.timers.filter((t) => t.id !== id)),
      clearTimeout: (id: number) => void (self.timers = self.timers.filter((t) => t.id !== id)),
      setWatch: (fn: Watch['fn'], pin: string, o: { repeat?: boolean; edge?: string; debounce?: number } = {}) => {
        const w: Watch = { id: self.nextId++, pin: String(pin), fn, edge: o.edge ?? 'both', debounce: o.debounce ?? 0, repeat: !!o.repeat, reported: self.level(String(pin)), lastTime: self.getTime() };
        self.watches.push(w);
        return w.id;
      },
      clearWatch: (id: number) => void (self.watches = self.watches.filter((w) => w.id !== id)),
      pinMode: (pin: string, mode: string) => {
        const p = (self.pins[String(pin)] ??= { mode, driven: null });
        p.mode = mode;
      },
      digitalRead: (pin: string) => self.level(String(pin)),
      require: (name: string) => {
        if (name === 'Storage') return storage;
        if (name === 'crypto') return crypto;
        throw new Error('Module ' + name + ' not found');
      },
      print: (...a: unknown[]) => self.write(self.consoleDevice ?? 'null', a.join(' ') + '\n'),
      process: { env: { VERSION: '2v29', BOARD: 'HARNESS' }, memory: () => ({ usage: 0, total: 0, free: 0 }) },
      atob: (s: string) => Buffer.from(s, 'base64').toString('latin1'),
      btoa: (s: string) => Buffer.from(s, 'latin1').toString('base64'),
    };
    g.global = g;
    return g;
  }
}

/** Runs inside the context before the bundle: removes what Espruino lacks, adds its quirks. */
const WITHHOLD_PRELUDE = `
(function () {
  var g = globalThis;
  ['Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'Symbol', 'TextEncoder', 'TextDecoder', 'RangeError'].forEach(function (n) { delete g[n]; });
  Array.from = undefined; Math.imul = undefined; Number.isInteger = undefined;
  Object.freeze = undefined; Object.hasOwn = undefined;
  var TA = Object.getPrototypeOf(Uint8Array);
  TA.from = undefined; TA.of = undefined;
  // Typed-array slice gives a plain Array on Espruino.
  var arraySlice = Array.prototype.slice;
  TA.prototype.slice = function (a, b) { return arraySlice.call(this, a, b); };
  // Strings hold bytes: character codes are cut to 8 bits.
  var fcc = String.fromCharCode;
  String.fromCharCode = function () { var s = ''; for (var i = 0; i < arguments.length; i++) s += fcc(arguments[i] & 255); return s; };
  // Array.prototype looks empty (Array.prototype.x.call fails); arrays keep their methods.
  g.Array = new Proxy(Array, { get: function (t, k) { return k === 'prototype' ? {} : t[k]; } });
})();
`;

/**
 * A fake Pico REPL's onLoad (test/helpers/fake-espruino-repl.ts): load() boots
 * the written .bootcde here, its USB on the REPL's link, its clock ticking
 * every 100 ms (each interval pushed to `ticks`, for the caller to clear).
 * The flasher stores a bundle pretokenised for the fake's 2v29, which
 * Espruino's lexer reads as it is; Node does not, so it is written back out
 * as text first (espruino-untokenise.ts, after Espruino's own printer).
 */
export function bootOnLoad(ticks: ReturnType<typeof setInterval>[]): NonNullable<FakeReplOptions['onLoad']> {
  return (files, link) => {
    const vm = new EspruinoVm({ font6x8: false, flash: { files, nowMs: Date.now(), rtcOffsetS: 0 }, onWrite: (_d, t) => link.write(t) });
    vm.boot(untokenise(files.get('.bootcde')!));
    link.onData((chunk) => vm.send(chunk, 'USB'));
    ticks.push(setInterval(() => vm.advance(100), 100));
  };
}
