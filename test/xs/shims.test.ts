// The shims behave as the SDK sources they cite (test/xs/shims/*): each
// behaviour a port must cope with, checked here directly in Node, one fresh
// set of shim modules per board configuration.
import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ShimConfig } from './shims/config.ts';

const PICO_PREFERENCE = { store: 'sector', maxKeyChars: 31, maxValueBytes: 63, capacityBytes: 4096 } as const;
const NVS_PREFERENCE = { store: 'nvs', maxKeyChars: 15, maxValueBytes: 4000, capacityBytes: 24576 } as const;
const DIGESTS = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'];
const realNow = Date.now;

async function shims(over: Partial<ShimConfig>) {
  vi.resetModules();
  const config: ShimConfig = { platform: 'pico', bootTimeMs: 0, preference: PICO_PREFERENCE, preferences: {}, serialFifo: 128, externalPulls: {}, ssd1306: [], ...over };
  const g = globalThis as Record<string, unknown>;
  g.__moddableShim = config;
  g.issueCommand = (buffer: ArrayBuffer) => {
    const m = new Uint8Array(buffer);
    if (m[0] === 2) return new Uint8Array(createHash(DIGESTS[m[1]!]!).update(m.subarray(2)).digest()).buffer;
    if (m[0] === 3) return new Uint8Array(randomBytes(m[1]! + 1)).buffer;
    return new ArrayBuffer(0);
  };
  const host = await import('./shims/host.ts');
  const flash = await import('./shims/flash.ts');
  const Preference = (await import('./shims/preference.ts')).default;
  const { Digest } = await import('./shims/crypt.ts');
  const Serial = (await import('./shims/serial.ts')).default;
  const native = await import('./shims/native.ts');
  const { installScreen } = await import('./shims/screen.ts');
  const { installMathRandom } = await import('./shims/math-random.ts');
  const handle = g.handleCommand as (b: ArrayBuffer) => ArrayBuffer; // this instance's, before another replaces it
  const reply = (tag: number) => JSON.parse(new TextDecoder().decode(handle(Uint8Array.of(tag).buffer)));
  return { config, host, flash, Preference, Digest, Serial, native, installScreen, installMathRandom, persisted: () => reply(5) };
}

afterEach(() => {
  Date.now = realNow;
});

describe('Pico Preference (modules/files/preference/esp/modPreference.c over NOR flash)', () => {
  it('set() zeroes the old entry before it writes the new one: a cut between loses the old value', async () => {
    const s = await shims({});
    s.Preference.set('totp', 'k', 'old value');
    expect(s.Preference.get('totp', 'k')).toBe('old value');
    s.config.cutAfterWrites = s.flash.flashStats.operations + 1; // the zeroing goes through, the append is cut
    expect(() => s.Preference.set('totp', 'k', 'new value')).toThrow(/power cut/);
    const again = await shims({ flash: s.persisted().flash });
    expect(again.Preference.get('totp', 'k')).not.toBe('old value'); // gone, or the torn start of the new one
  });

  it('limits: names over 31 "too long", values over 63 bytes "can\'t save prefs"; a blank store is erased and signed even by a get', async () => {
    const s = await shims({});
    expect(() => s.Preference.set('totp', 'k'.repeat(32), 1)).toThrow('too long');
    expect(() => s.Preference.set('totp', 'k', 'v'.repeat(63))).toThrow("can't save prefs");
    s.Preference.set('totp', 'k', 'v'.repeat(62));
    expect(() => s.Preference.set('totp', 'f', 1.5)).toThrow('float unsupported');
    const blank = await shims({});
    expect(blank.Preference.get('totp', 'nothing')).toBeUndefined();
    expect(blank.flash.flashStats.operations).toBe(3); // two sector erases and the signature
  });

  it('compaction signs the new sector before copying: a cut mid-copy into the first sector loses old and new, into the second it keeps the old', async () => {
    const s = await shims({});
    const signed = (at: number) => s.flash.flashRead(at, 4).join() === '65,49,33,129';
    // Which sector is in use: the first wins when both are signed (findPrefsBlock); null before any.
    const first = () => (signed(s.flash.PREFERENCE_START) ? true : signed(s.flash.PREFERENCE_START + 4096) ? false : null);
    const outcomes: string[] = [];
    let keys = 0;
    // Rewrite ten keys until two compactions have happened, cutting a copy of each in a separate run.
    for (let round = 0; round < 400 && outcomes.length < 2; round++) {
      const before = s.persisted();
      const wasFirst = first();
      const ops = s.flash.flashStats.operations;
      const value = 'value ' + round + ' ' + 'x'.repeat(40);
      s.Preference.set('totp', 'key' + (round % 10), value);
      keys = Math.min(10, round + 1);
      if (wasFirst === null || first() === wasFirst) continue;
      // This set compacted into the other sector: cut it in the middle of the copy.
      const copyOps = s.flash.flashStats.operations - ops;
      const cut = await shims({ flash: before.flash, cutAfterWrites: Math.floor(copyOps / 2) });
      expect(() => cut.Preference.set('totp', 'key' + (round % 10), value)).toThrow(/power cut/);
      const after = await shims({ flash: cut.persisted().flash });
      const left = Object.keys(after.persisted().preferences.totp ?? {}).length;
      outcomes.push(`${wasFirst ? 'into second' : 'into first'}: ${left} of ${keys}`);
    }
    expect(outcomes[0]).toMatch(/^into second: (9|10) of 10$/);
    expect(outcomes[1]).toMatch(/^into first: [0-8] of 10$/);
  });
});

describe('ESP32 Preference (modules/files/preference/esp32/modPreference.c over NVS)', () => {
  it('set() erases the key first: a failed write loses the old value, as "nvs set fail"', async () => {
    const s = await shims({ platform: 'esp32', preference: NVS_PREFERENCE });
    s.Preference.set('totp', 'k', 'old');
    expect(() => s.Preference.set('totp', 'k', 'x'.repeat(4000))).toThrow('nvs set fail'); // a string must fit one page
    expect(s.Preference.get('totp', 'k')).toBeUndefined();
    expect(() => s.Preference.set('totp', 'k'.repeat(16), 1)).toThrow('nvs set fail');
    expect(() => s.Preference.set('d'.repeat(16), 'k', 1)).toThrow('nvs_open fail');
    s.Preference.set('totp', 'k', 'x'.repeat(3999));
    s.Preference.set('totp', 'k', 'old');
    s.config.cutAfterWrites = s.flash.flashStats.operations + 1; // the erase happens, the set does not
    expect(() => s.Preference.set('totp', 'k', 'new')).toThrow(/power cut/);
    expect(s.persisted().preferences).toEqual({});
  });
});

describe('crypt Digest (modules/crypt/digest/crypt.js, modCrypt.c)', () => {
  it('has reset, process, update, blockSize, outputSize; close(true) goes on; nothing throws after close', async () => {
    const s = await shims({});
    const sha = (alg: string, ...parts: string[]) => createHash(alg).update(parts.join('')).digest('hex');
    const d = new s.Digest('SHA256');
    expect([d.blockSize, d.outputSize]).toEqual([64, 32]);
    expect([new s.Digest('SHA512').blockSize, new s.Digest('SHA1').outputSize]).toEqual([128, 20]);
    d.write('ab');
    expect(Buffer.from(d.close(true)).toString('hex')).toBe(sha('sha256', 'ab'));
    d.update('c');
    expect(Buffer.from(d.close()).toString('hex')).toBe(sha('sha256', 'abc'));
    expect(() => d.write('more')).not.toThrow();
    const after = Buffer.from(d.close()).toString('hex');
    expect([sha('sha256', 'more'), sha('sha256', 'abcmore')]).not.toContain(after);
    expect(Buffer.from(d.process('x', Uint8Array.of(0x79))).toString('hex')).toBe(sha('sha256', 'xy'));
    d.reset();
    d.write('a\u0000b'); // a String is written up to its first NUL (c_strlen)
    expect(Buffer.from(d.close()).toString('hex')).toBe(sha('sha256', 'a'));
    expect(() => new s.Digest('SHA3')).toThrow('crypt: unsupported digest');
  });
});

describe('embedded:io/serial per platform', () => {
  it('Pico: read() throws "invalid" when nothing waits; ESP32 gives undefined', async () => {
    const pico = await shims({});
    expect(() => new pico.Serial({ port: 0, receive: 1, transmit: 0, baud: 115200 }).read()).toThrow('invalid');
    const esp = await shims({ platform: 'esp32', preference: NVS_PREFERENCE });
    expect(new esp.Serial({ port: 0, receive: 3, transmit: 1, baud: 115200 }).read()).toBeUndefined();
  });

  it('Linux: opens options.device, and write() takes ArrayBuffers only', async () => {
    const lin = await shims({ platform: 'lin', serialDevice: '/dev/pts/3', preference: NVS_PREFERENCE });
    expect(() => new lin.Serial({ baud: 115200 })).toThrow(/No such file/);
    const io = new lin.Serial({ device: '/dev/pts/3', baud: 115200, onWritable() {} });
    await Promise.resolve();
    expect(() => io.write(Uint8Array.of(1))).toThrow(TypeError);
    expect(() => io.write(Uint8Array.of(1).buffer)).not.toThrow();
  });
});

describe('the screen global', () => {
  it('mcsim refuses typed-array views in send() ("not a host object"); the ESP32 driver reads them', async () => {
    for (const [platform, views] of [['lin', false], ['esp32', true]] as const) {
      const s = await shims({ platform, preference: NVS_PREFERENCE, screen: { width: 4, height: 1, bytesPerPixel: 2 } });
      s.installScreen();
      const screen = (globalThis as unknown as { screen?: { begin(...a: number[]): void; send(p: unknown): void; end(): void } }).screen!;
      screen.begin(0, 0, 4, 1);
      if (views) screen.send(new Uint8Array(8));
      else {
        expect(() => screen.send(new Uint8Array(8))).toThrow('not a host object');
        screen.send(new ArrayBuffer(8));
      }
      screen.end();
    }
  });
});

describe('totp-native (firmware/ports/moddable/native/totp-native.c)', () => {
  it('Flash: erase gives 0xFF, a write only clears bits, bounds as nrf52/flash.c checks them', async () => {
    const s = await shims({});
    const f = new s.native.Flash('storage');
    expect([f.byteLength, f.blockSize]).toEqual([65536, 4096]);
    f.erase(1);
    f.write(4096, 2, Uint8Array.of(0xf0, 0x0f));
    f.write(4096, 2, Uint8Array.of(0x3c, 0xff));
    expect([...new Uint8Array(f.read(4096, 3))]).toEqual([0x30, 0x0f, 0xff]);
    f.erase(1);
    expect([...new Uint8Array(f.read(4096, 2))]).toEqual([0xff, 0xff]);
    expect(() => f.erase(16)).toThrow('invalid sector');
    expect(() => f.read(65536, 1)).toThrow('invalid offset');
    expect(() => f.read(65535, 2)).toThrow('invalid length');
    expect(() => f.write(65535, 2, new Uint8Array(2))).toThrow('invalid');
    expect(() => new s.native.Flash('xs')).toThrow('unknown partition');
    const esp = await shims({ platform: 'esp32', preference: NVS_PREFERENCE });
    expect(() => new esp.native.Flash('storage')).toThrow(/no totp flash/);
  });

  it('random: fresh bytes on every start; Math.random on a Pico is newlib rand() from seed 1 every start', async () => {
    const a = await shims({});
    const b = await shims({});
    expect(Buffer.from(a.native.Native.random(16))).not.toEqual(Buffer.from(b.native.Native.random(16)));
    expect(() => a.native.Native.random(0)).toThrow(RangeError);
    const saved = Math.random;
    try {
      a.installMathRandom();
      const first = Math.random();
      b.installMathRandom();
      expect(Math.random()).toBe(first);
      // newlib/libc/stdlib/rand.c: next = next * 6364136223846793005 + 1 from 1; (next >> 32) & 0x7fffffff
      const next = (1n * 6364136223846793005n + 1n) & 0xffffffffffffffffn;
      expect(first).toBe(Number((next >> 32n) & 0x7fffffffn) / 0x7fffffff);
      // Linux: glibc's rand() from 1; the SDK's x-cli-lin build printed this first value on every run.
      const lin = await shims({ platform: 'lin', preference: NVS_PREFERENCE });
      lin.installMathRandom();
      expect(Math.random()).toBe(0.8401877171547095);
      expect(Math.random()).toBe(846930886 / 0x7fffffff);
    } finally {
      Math.random = saved;
    }
  });
});
