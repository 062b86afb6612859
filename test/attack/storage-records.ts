// Records as today's firmware stores them (firmware/checked-storage.ts),
// written here from its layout rather than with the firmware's own encoder,
// so a crafted record is what an attacker with flash access (or a bug) could
// leave: each record in `key.0` / `key.1` as base64([0x54543102][crc32 of
// what follows][generation][value]); the accounts value a TLV list (tag 1,
// one item per account, items [tag][len][value] with tags 1 name, 2 issuer,
// 3 algorithm, 4 digits, 5 period, 6 secret); password and clock: JSON.
// CRC from zlib. (Firmware 0.1's layout, magic 0x54543101 and the clock and
// password bare under the key, is converted by firmware/migrate.ts:
// test/upgrade/migrate.test.ts.)
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

/** A copy in today's layout with a valid CRC around `value` (text: one char per byte). */
export function recordSlot(value: Uint8Array | string, generation = 1): string {
  const v = typeof value === 'string' ? Buffer.from(value, 'latin1') : Buffer.from(value);
  const body = Buffer.alloc(4 + v.length);
  body.writeUInt32BE(generation, 0);
  v.copy(body, 4);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(0x54543102, 0);
  head.writeUInt32BE(zlibCrc32(new Uint8Array(body)), 4);
  return Buffer.concat([head, body]).toString('base64');
}

/** Storage files holding `value` as record `key`, one copy (its other slot empty). */
export function recordFiles(key: string, value: Uint8Array | string): Record<string, string> {
  return { [key + '.0']: recordSlot(value) };
}

export const good = (name: string, fill = 7): RawAccount => ({ name, issuer: 'Iss', algorithm: 1, digits: 6, period: 30, secret: new Uint8Array(20).fill(fill) });
