// An independent CRC-32: zlib's, through node:zlib's gzip trailer.
import { gzipSync } from 'node:zlib';

export function zlibCrc32(data: Uint8Array): number {
  const gz = gzipSync(data);
  return gz.readUInt32LE(gz.length - 8);
}
