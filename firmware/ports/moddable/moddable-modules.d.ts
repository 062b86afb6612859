// Types of the Moddable SDK host modules the port imports. Only what the port
// uses, as documented in the SDK (documentation/base/base.md, files/files.md,
// crypt/crypt.md, io/ and the ECMA-419 spec). On a device the SDK provides the
// modules; in CI, test/xs/shims/ stands in for them.

declare module 'preference' {
  type PreferenceValue = string | number | boolean | ArrayBuffer;
  const Preference: {
    get(domain: string, key: string): PreferenceValue | undefined;
    set(domain: string, key: string, value: PreferenceValue): void;
    delete(domain: string, key: string): void;
    keys(domain: string): string[];
  };
  export default Preference;
}

declare module 'time' {
  const Time: {
    /** Sets the system time, in whole seconds since 1970 (xs_time_set takes an unsigned integer). */
    set(seconds: number): void;
    /** A millisecond counter for differences (Time.delta), not the time of day. */
    readonly ticks: number;
    delta(start: number, end?: number): number;
  };
  export default Time;
}

declare module 'timer' {
  type TimerId = object;
  const Timer: {
    set(callback: (id: TimerId) => void, initialInterval?: number, repeatInterval?: number): TimerId;
    repeat(callback: (id: TimerId) => void, interval: number): TimerId;
    clear(id: TimerId | undefined | null): void;
  };
  export default Timer;
}

declare module 'crypt' {
  /** Native digest: write() takes a String, ArrayBuffer or view; close() returns an ArrayBuffer, once. */
  export class Digest {
    constructor(algorithm: 'MD5' | 'SHA1' | 'SHA224' | 'SHA256' | 'SHA384' | 'SHA512');
    write(data: ArrayBuffer | ArrayBufferView | string): void;
    close(): ArrayBuffer;
  }
}

declare module 'embedded:io/serial' {
  interface SerialOptions {
    /** Linux only (modules/io/serial/lin/serial.c): the device to open. */
    device?: string;
    port?: number;
    receive?: number;
    transmit?: number;
    baud: number;
    format?: 'buffer' | 'number';
    onReadable?: (this: Serial, count: number) => void;
    onWritable?: (this: Serial, count: number) => void;
  }
  /** ECMA-419 Serial. write() throws "output full" past the free space onWritable reported. */
  class Serial {
    constructor(options: SerialOptions);
    read(): ArrayBuffer | undefined;
    write(data: ArrayBuffer | ArrayBufferView): void;
    close(): void;
  }
  export default Serial;
}

declare module 'embedded:io/digital' {
  interface DigitalOptions {
    pin: number;
    mode: number;
    edge?: number;
    onReadable?: (this: Digital) => void;
  }
  /** ECMA-419 Digital. Input modes and edges are static constants. */
  class Digital {
    constructor(options: DigitalOptions);
    read(): number;
    write(value: number): void;
    close(): void;
    static readonly Input: number;
    static readonly InputPullUp: number;
    static readonly InputPullDown: number;
    static readonly Output: number;
    static readonly Rising: number;
    static readonly Falling: number;
  }
  export default Digital;
}

declare module 'embedded:io/i2c' {
  interface I2COptions {
    data: number;
    clock: number;
    hz: number;
    address: number;
  }
  /** ECMA-419 I2C controller (synchronous). */
  class I2C {
    constructor(options: I2COptions);
    write(data: ArrayBuffer | ArrayBufferView, stop?: boolean): void;
    read(count: number): ArrayBuffer;
    close(): void;
  }
  export default I2C;
}

declare module 'totp-native' {
  /** The project's own native module (firmware/ports/moddable/native/totp-native.js). */
  export const Native: {
    /** n bytes (1..256) from the chip's hardware random source, as an ArrayBuffer. */
    random(n: number): ArrayBuffer;
  };
  /** modules/files/flash/flash.js's API over the Pico's storage partition: sector erase, reads, writes that only clear bits. */
  export class Flash {
    constructor(name: 'storage');
    erase(sector: number): void;
    read(offset: number, byteLength: number): ArrayBuffer;
    write(offset: number, byteLength: number, buffer: ArrayBuffer | ArrayBufferView): void;
    readonly byteLength: number;
    readonly blockSize: number;
  }
  export default Native;
}
