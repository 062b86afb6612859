// Pick a Transport from what the user typed as --port.
import { serialTransport } from './serial.ts';
import { tcpTransport } from './tcp.ts';
import type { Transport } from './transport.ts';
import { TransportError } from './transport.ts';

export type { Transport } from './transport.ts';
export { TransportError } from './transport.ts';

/** `tcp://127.0.0.1:PORT` is the simulator over TCP; anything else is a serial device path. Not opened yet. */
export function createTransport(portSpec: string): Transport {
  const spec = portSpec.trim();
  if (spec === '') throw new TransportError('empty port: pass a device path (e.g. /dev/ttyACM0) or tcp://127.0.0.1:PORT');
  if (/^tcp:\/\//i.test(spec)) return tcpTransport(spec);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec)) throw new TransportError(`unsupported port scheme in '${spec}': use a device path or tcp://127.0.0.1:PORT`);
  return serialTransport(spec);
}

/** createTransport + open. */
export async function openTransport(portSpec: string): Promise<Transport> {
  const t = createTransport(portSpec);
  await t.open();
  return t;
}
