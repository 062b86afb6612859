// Merkle–Damgård padding shared by the pure SHA-1/SHA-2 functions (FIPS 180-4 §5.1).

/** Copy the message into whole blocks with the 0x80 marker and the big-endian bit length. */
export function padMessage(message: Uint8Array, blockLen: number, lengthBytes: number): Uint8Array {
  const len = message.length;
  const total = Math.ceil((len + 1 + lengthBytes) / blockLen) * blockLen;
  const out = new Uint8Array(total);
  out.set(message, 0);
  out[len] = 0x80;
  // Messages here are far below 2^29 bytes, so the bit length fits 32 bits;
  // the upper length bytes stay zero.
  const bits = len * 8;
  out[total - 4] = (bits >>> 24) & 0xff;
  out[total - 3] = (bits >>> 16) & 0xff;
  out[total - 2] = (bits >>> 8) & 0xff;
  out[total - 1] = bits & 0xff;
  return out;
}

export function readWord(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3];
}

export function writeWord(bytes: Uint8Array, offset: number, word: number): void {
  bytes[offset] = (word >>> 24) & 0xff;
  bytes[offset + 1] = (word >>> 16) & 0xff;
  bytes[offset + 2] = (word >>> 8) & 0xff;
  bytes[offset + 3] = word & 0xff;
}
