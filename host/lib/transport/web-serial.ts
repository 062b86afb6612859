// Transport over the Web Serial API (WICG Serial API, https://wicg.github.io/serial/):
// a SerialPort the user picked in the browser's chooser. Reads run in a loop
// on port.readable's reader; the port going away (cable pulled: the reader's
// read() rejects or ends, and a 'disconnect' event fires) closes the link.
// The page's chooser is filtered by the USB ids in boards/usb-ids.ts.
import { USB_VENDORS } from '../../../boards/usb-ids.ts';
import type { Transport } from './transport.ts';
import { TransportError } from './transport.ts';

/** The members of the Serial API's SerialPort this uses (spec §4). */
export interface WebSerialPort extends EventTarget {
  readonly readable: ReadableStream<Uint8Array> | null;
  readonly writable: WritableStream<Uint8Array> | null;
  open(options: { baudRate: number }): Promise<void>;
  close(): Promise<void>;
  getInfo(): { usbVendorId?: number; usbProductId?: number };
}

/** navigator.serial (spec §3). */
export interface WebSerial extends EventTarget {
  requestPort(options?: { filters?: { usbVendorId: number }[] }): Promise<WebSerialPort>;
  getPorts(): Promise<WebSerialPort[]>;
}

/** The chooser's filters: every USB vendor a token board is known to use. */
export function tokenPortFilters(): { usbVendorId: number }[] {
  return Object.keys(USB_VENDORS).map((hex) => ({ usbVendorId: parseInt(hex, 16) }));
}

/** A name for the port: its USB ids and what they are, e.g. "USB 0483:5740 (STMicroelectronics ...)". */
export function describeWebSerialPort(port: WebSerialPort): string {
  const info = port.getInfo();
  if (info.usbVendorId === undefined) return 'serial port';
  const hex = (n: number | undefined) => (n === undefined ? '????' : n.toString(16).padStart(4, '0'));
  const vendor = USB_VENDORS[hex(info.usbVendorId)];
  return `USB ${hex(info.usbVendorId)}:${hex(info.usbProductId)}` + (vendor ? ` (${vendor})` : '');
}

const bytesToString = (bytes: Uint8Array): string => {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return s;
};

const stringToBytes = (s: string): Uint8Array => {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 255;
  return out;
};

/** baudRate: ignored by USB CDC boards (the Pico), used by USB-serial bridges (115200 on the ESP32 boards). */
export function webSerialTransport(port: WebSerialPort, baudRate = 115200): Transport {
  const address = describeWebSerialPort(port);
  let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  let writer: WritableStreamDefaultWriter<Uint8Array> | null = null;
  let open = false;
  let closing = false;
  let dataHandler: (chunk: string) => void = () => {};
  let closeHandler: (err?: Error) => void = () => {};

  function ended(err?: Error): void {
    if (!open) return;
    open = false;
    port.removeEventListener('disconnect', onDisconnect);
    closeHandler(err);
  }
  const onDisconnect = (): void => ended(new TransportError(`${address} was disconnected`));

  async function readLoop(r: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
    try {
      for (;;) {
        const { value, done } = await r.read();
        if (done) break;
        if (value && value.length) dataHandler(bytesToString(value));
      }
      ended(closing ? undefined : new TransportError(`${address} stopped sending (was it unplugged?)`));
    } catch (e) {
      ended(closing ? undefined : new TransportError(`reading ${address} failed: ${(e as Error).message}`));
    }
  }

  return {
    address,
    async open() {
      try {
        await port.open({ baudRate });
      } catch (e) {
        throw new TransportError(`cannot open ${address}: ${(e as Error).message} (is another tab or program using it?)`);
      }
      if (!port.readable || !port.writable) throw new TransportError(`${address} opened without streams`);
      reader = port.readable.getReader();
      writer = port.writable.getWriter();
      open = true;
      closing = false;
      port.addEventListener('disconnect', onDisconnect);
      void readLoop(reader);
    },
    async write(data) {
      if (!open || !writer) throw new TransportError(`${address} is not open`);
      try {
        await writer.write(stringToBytes(data));
      } catch (e) {
        throw new TransportError(`write to ${address} failed: ${(e as Error).message}`);
      }
    },
    onData: (h) => void (dataHandler = h),
    onClose: (h) => void (closeHandler = h),
    async close() {
      if (!reader && !writer) return;
      closing = true;
      const r = reader;
      const w = writer;
      reader = null;
      writer = null;
      // The spec's close() needs both streams unlocked: cancel the read, release the writer.
      await r?.cancel().catch(() => {});
      r?.releaseLock();
      await w?.close().catch(() => {});
      w?.releaseLock();
      await port.close().catch(() => {});
      ended();
    },
  };
}
