// The seam between the protocol client and whatever carries the bytes: a USB
// serial port, a TCP socket to the simulator, or a mock in unit tests. Data
// crosses it as strings of byte values (one char per byte, 0..255), the same
// convention the firmware's serial port uses, so frames need no re-encoding.

export interface Transport {
  /** What the user passed as --port (a device path or tcp://host:port). */
  readonly address: string;
  /** Open the link; rejects with a message that names the address. */
  open(): Promise<void>;
  /** Send bytes (a string of byte values); resolves once handed to the OS. */
  write(data: string): Promise<void>;
  /** Received bytes, in arrival order. One handler; a later call replaces it. */
  onData(handler: (chunk: string) => void): void;
  /** The link went away (unplugged, peer closed, or close() was called). */
  onClose(handler: (err?: Error) => void): void;
  /** Close the link; safe to call twice. */
  close(): Promise<void>;
}

/** Raised for failures of the link itself (cannot open, closed, write failed). */
export class TransportError extends Error {
  readonly code = 'TRANSPORT';
  constructor(message: string) {
    super(message);
    this.name = 'TransportError';
  }
}
