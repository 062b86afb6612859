// Records as today's firmware (0.1, commit aa03bcd) stores them, written here
// from its layout rather than with the firmware's own encoder, so a crafted
// record is what an attacker with flash access (or a bug) could leave:
// accounts: base64([0x54543101][seq][crc32 of payload][payload]) in tt.acc.0
// or tt.acc.1, the payload a TLV list (tag 1, one item per account, items
// [tag][len][value] with tags 1 name, 2 issuer, 3 algorithm, 4 digits,
// 5 period, 6 secret); password: JSON under tt.access. CRC from zlib.
import { zlibCrc32 } from '../helpers/zlib-crc.ts';

export interface RawAccount {
  name?: string;
  issuer?: string;
  algorithm?: number;
  digits?: number;
  period?: number;
  secret?: Uint8Array;
}

function tlv(tag: number, value: Uint8Array): number[] {
  return [tag, value.length, ...value];
}

function uint(n: number): Uint8Array {
  const out: number[] = [];
  do {
    out.unshift(n & 255);
    n = Math.floor(n / 256);
  } while (n > 0);
  return new Uint8Array(out);
}

export function accountsPayload(accounts: RawAccount[]): Uint8Array {
  const out: number[] = [];
  for (const a of accounts) {
    const item: number[] = [];
    if (a.name !== undefined) item.push(...tlv(1, Buffer.from(a.name, 'latin1')));
    if (a.issuer) item.push(...tlv(2, Buffer.from(a.issuer, 'latin1')));
    if (a.algorithm !== undefined) item.push(...tlv(3, uint(a.algorithm)));
    if (a.digits !== undefined) item.push(...tlv(4, uint(a.digits)));
    if (a.period !== undefined) item.push(...tlv(5, uint(a.period)));
    if (a.secret !== undefined) item.push(...tlv(6, a.secret));
    out.push(...tlv(1, new Uint8Array(item)));
  }
  return new Uint8Array(out);
}

/** A firmware-0.1 accounts slot with a valid CRC around `payload`. */
export function legacyAccountsSlot(payload: Uint8Array, seq = 1): string {
  const head = Buffer.alloc(12);
  head.writeUInt32BE(0x54543101, 0);
  head.writeUInt32BE(seq, 4);
  head.writeUInt32BE(zlibCrc32(payload), 8);
  return Buffer.concat([head, payload]).toString('base64');
}

export const good = (name: string, fill = 7): RawAccount => ({ name, issuer: 'Iss', algorithm: 1, digits: 6, period: 30, secret: new Uint8Array(20).fill(fill) });
