// The token's end of the USB link on a Linux board: the USB gadget's tty
// (/dev/ttyGS0 with g_serial) opened raw with serialport 13, whose prebuilt
// addon covers armv6 (Pi Zero) — nothing to compile. For development on a
// computer, `tcp://127.0.0.1:PORT` listens on TCP like the simulator does.
import type { SerialPort as SerialPortType } from 'serialport';
import { openTcpLink } from '../node/serial-links.ts';
import type { SimLink } from '../node/serial-links.ts';

/** How long to wait before opening the tty again after it went away (host unplugged, gadget reset). */
const REOPEN_MS = 2000;

export async function openDeviceSerial(address: string): Promise<SimLink> {
  const tcp = /^tcp:\/\/127\.0\.0\.1:(\d{1,5})$/.exec(address);
  if (tcp) return openTcpLink(Number(tcp[1]));
  if (/^[a-z]+:\/\//i.test(address)) throw new Error(`unsupported link '${address}': use a tty path (/dev/ttyGS0) or tcp://127.0.0.1:PORT`);
  return openTtyLink(address);
}

async function openTtyLink(path: string): Promise<SimLink> {
  const { SerialPort } = await import('serialport');
  let port: SerialPortType | null = null;
  let closing = false;
  let retry: NodeJS.Timeout | null = null;
  let dataHandler: (chunk: string) => void = () => {};
  let closeHandler: () => void = () => {};

  function open(): Promise<void> {
    // The baud rate means nothing on a USB gadget or a pty; hupcl off so a
    // closing host does not hang up the line for the next one.
    const p = new SerialPort({ path, baudRate: 115200, autoOpen: false, hupcl: false });
    return new Promise((resolve, reject) =>
      p.open((err) => {
        if (err) return reject(new Error(`cannot open ${path}: ${err.message}`));
        p.on('data', (d: Buffer) => dataHandler(d.toString('latin1')));
        p.on('error', () => {}); // a failing tty ends in 'close', handled below
        p.on('close', () => {
          port = null;
          closeHandler();
          if (!closing) scheduleReopen();
        });
        port = p;
        resolve();
      }),
    );
  }

  function scheduleReopen(): void {
    retry = setTimeout(() => {
      retry = null;
      if (!closing) open().catch(() => scheduleReopen());
    }, REOPEN_MS);
  }

  await open();
  return {
    address: path,
    write: (text) => void port?.write(Buffer.from(text, 'latin1')),
    onData: (h) => (dataHandler = h),
    onClose: (h) => (closeHandler = h),
    close: () => {
      closing = true;
      if (retry) clearTimeout(retry);
      const p = port;
      port = null;
      if (!p || !p.isOpen) return Promise.resolve();
      return new Promise<void>((done) => p.close(() => done()));
    },
  };
}
