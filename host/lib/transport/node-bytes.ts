// Byte string <-> Node Buffer for the Node transports (tcp.ts, serial.ts):
// latin1 maps chars 0..255 to bytes one to one. Apart from transport.ts so
// the web page, which imports that, never meets Node's Buffer.
export const toBuffer = (data: string): Buffer => Buffer.from(data, 'latin1');
export const fromBuffer = (buf: Buffer): string => buf.toString('latin1');
