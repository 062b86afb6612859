// Transport over a serial port (a USB CDC/UART device or a pty) with the
// serialport package, 115200 8N1. serialport loads a native addon, so it is
// imported only when a port is actually opened: `totp-token --version` and
// the tcp path never pay for it.
import type { Transport } from './transport.ts';
import { fromBuffer, toBuffer } from './node-bytes.ts';
import { TransportError } from './transport.ts';

type SerialPortClass = typeof import('serialport').SerialPort;
type SerialPortInstance = InstanceType<SerialPortClass>;

export async function loadSerialPort(): Promise<SerialPortClass> {
  try {
    return (await import('serialport')).SerialPort;
  } catch (e) {
    throw new TransportError(`cannot load the serialport package (${(e as Error).message}); run npm ci`);
  }
}

export function serialTransport(path: string): Transport {
  let port: SerialPortInstance | null = null;
  let dataHandler: (chunk: string) => void = () => {};
  let closeHandler: (err?: Error) => void = () => {};

  return {
    address: path,
    async open() {
      const SerialPort = await loadSerialPort();
      // No DTR/RTS juggling: on a pty those ioctls fail ("Inappropriate ioctl"),
      // and Espruino boards do not need them.
      const p = new SerialPort({ path, baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1, autoOpen: false, hupcl: false });
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
