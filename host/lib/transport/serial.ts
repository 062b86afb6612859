// Transport over a serial port (a USB CDC/UART device or a pty), 115200 8N1,
// with serialport's own two halves: @serialport/stream (the Node stream) and
// @serialport/bindings-cpp (the native addon), which is what the `serialport`
// package's SerialPort class joins (serialport-node.ts). Imported directly,
// and only when a port is opened or listed: the `serialport` package itself
// also loads its ten parser packages and a mock binding at every import,
// which a token link never uses.
import type { SerialPortStream } from '@serialport/stream';
import type { AutoDetectTypes, OpenOptionsFromBinding, PortInfo } from '@serialport/bindings-cpp';
import type { Transport } from './transport.ts';
import { fromBuffer, toBuffer } from './node-bytes.ts';
import { TransportError } from './transport.ts';

/** What `SerialPort` from the serialport package offers that we use: list the ports, open one. */
export interface SerialApi {
  list(): Promise<PortInfo[]>;
  create(options: OpenOptionsFromBinding<AutoDetectTypes> & { autoOpen?: boolean }): SerialPortStream<AutoDetectTypes>;
}

export async function loadSerialPort(): Promise<SerialApi> {
  try {
    const { SerialPortStream, autoDetect } = await import('./serialport-node.ts');
    // As serialport's SerialPort does (serialport/dist/serialport.js): the platform's binding, passed to every stream.
    const binding = autoDetect();
    return { list: () => binding.list(), create: (options) => new SerialPortStream({ binding, ...options }) };
  } catch (e) {
    throw new TransportError(`cannot load the serialport package (${(e as Error).message}); run npm ci`);
  }
}

export function serialTransport(path: string): Transport {
  let port: SerialPortStream<AutoDetectTypes> | null = null;
  let dataHandler: (chunk: string) => void = () => {};
  let closeHandler: (err?: Error) => void = () => {};

  return {
    address: path,
    async open() {
      const serial = await loadSerialPort();
      // No DTR/RTS juggling: on a pty those ioctls fail ("Inappropriate ioctl"),
      // and Espruino boards do not need them.
      const p = serial.create({ path, baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1, autoOpen: false, hupcl: false });
      await new Promise<void>((resolve, reject) =>
        p.open((err) => (err ? reject(new TransportError(`cannot open ${path}: ${err.message}`)) : resolve())),
      );
      p.on('data', (d: Buffer) => dataHandler(fromBuffer(d)));
      p.on('close', (err?: Error | null) => closeHandler(err ?? undefined));
      p.on('error', () => {}); // reported through the failing write/close instead
      port = p;
    },
    write(data) {
      const p = port;
      if (!p || !p.isOpen) return Promise.reject(new TransportError(`${path} is not open`));
      return new Promise((resolve, reject) =>
        p.write(toBuffer(data), (err) => (err ? reject(new TransportError(`write to ${path} failed: ${err.message}`)) : p.drain(() => resolve()))),
      );
    },
    onData: (h) => void (dataHandler = h),
    onClose: (h) => void (closeHandler = h),
    close() {
      const p = port;
      port = null;
      if (!p || !p.isOpen) return Promise.resolve();
      return new Promise((resolve) => p.close(() => resolve()));
    },
  };
}
