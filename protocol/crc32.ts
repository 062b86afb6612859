// CRC-32 (IEEE 802.3, the one zlib and PNG use): the frame integrity check.
// Bitwise rather than table-driven: 1 KB less RAM on the device, and frames are short.

export function crc32(bytes: Uint8Array): number {
  let crc = -1;
  for (let i = 0; i < bytes.length; i++) {
    crc ^= bytes[i];
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ -1) >>> 0;
}
