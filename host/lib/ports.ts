// Finding a token among the serial ports: SerialPort.list() with the
// failures it has in practice (no udevadm in containers, no permissions)
// turned into a warning and whatever could be listed.
import { USB_VENDORS } from '../../boards/usb-ids.ts';
import { TokenError } from './errors.ts';
import { loadSerialPort } from './transport/serial.ts';

export interface PortEntry {
  path: string;
  manufacturer?: string;
  vendorId?: string;
  productId?: string;
  serialNumber?: string;
  /** Why we think a token might be on it ('' when it is not a USB serial port). */
  likelyBoard: string;
}

/** USB vendor ids of the boards and USB-serial chips the token runs on (boards/usb-ids.ts). */
const KNOWN_VENDORS = USB_VENDORS;

export interface PortListing {
  ports: PortEntry[];
  /** Set when listing failed or was partial; the ports still listed are usable. */
  warning?: string;
}

export async function listPorts(): Promise<PortListing> {
  const serial = await loadSerialPort();
  try {
    const raw = await serial.list();
    return {
      ports: raw.map((p) => {
        const vid = p.vendorId?.toLowerCase();
        return {
          path: p.path,
          manufacturer: p.manufacturer,
          vendorId: vid,
          productId: p.productId?.toLowerCase(),
          serialNumber: p.serialNumber,
          likelyBoard: vid ? (KNOWN_VENDORS[vid] ?? 'USB serial device') : '',
        };
      }),
    };
  } catch (e) {
    const msg = (e as Error).message;
    const hint = /udevadm/.test(msg) ? ' (udevadm is missing: install udev, or pass --port / set TOTP_TOKEN_PORT)' : '';
    return { ports: [], warning: `cannot list serial ports: ${msg}${hint}` };
  }
}

/** The one attached board, or an error that says what to do. */
export async function detectBoard(): Promise<string> {
  const { ports, warning } = await listPorts();
  const boards = ports.filter((p) => p.likelyBoard !== '');
  if (boards.length === 1) return boards[0].path;
  const how = 'pass --port PATH (or tcp://127.0.0.1:PORT for a simulator) or set TOTP_TOKEN_PORT';
  if (boards.length === 0) {
    throw new TokenError('NO_PORT', `no token found: no USB serial device is attached${warning ? `; ${warning}` : ''}. ${how}`);
  }
  throw new TokenError('NO_PORT', `several USB serial devices found (${boards.map((b) => b.path).join(', ')}); ${how}`);
}
