// A hand-rolled protobuf encoder for building Google Authenticator export
// payloads in tests. Deliberately separate from host/lib/import/protobuf.ts
// (which only decodes), so a bug in one is not mirrored in the other.

export function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v >= 128) {
    out.push((v % 128) | 128);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

export const fieldVarint = (field: number, n: number): number[] => [...varint(field * 8), ...varint(n)];
export const fieldBytes = (field: number, bytes: ArrayLike<number>): number[] => [...varint(field * 8 + 2), ...varint(bytes.length), ...Array.from(bytes)];
export const fieldText = (field: number, text: string): number[] => fieldBytes(field, new TextEncoder().encode(text));

export interface OtpParams {
  secret: Uint8Array;
  name: string;
  issuer?: string;
  /** 0 unspecified, 1 SHA1, 2 SHA256, 3 SHA512, 4 MD5 */
  algorithm?: number;
  /** 0 unspecified, 1 six, 2 eight */
  digits?: number;
  /** 0 unspecified, 1 HOTP, 2 TOTP */
  type?: number;
  counter?: number;
}

export function otpParameters(p: OtpParams): number[] {
  const out = [...fieldBytes(1, p.secret), ...fieldText(2, p.name)];
  if (p.issuer !== undefined) out.push(...fieldText(3, p.issuer));
  if (p.algorithm !== undefined) out.push(...fieldVarint(4, p.algorithm));
  if (p.digits !== undefined) out.push(...fieldVarint(5, p.digits));
  if (p.type !== undefined) out.push(...fieldVarint(6, p.type));
  if (p.counter !== undefined) out.push(...fieldVarint(7, p.counter));
  return out;
}

export function migrationPayload(entries: OtpParams[], batch = { version: 1, size: 1, index: 0, id: 123456789 }): Uint8Array {
  const out: number[] = [];
  for (const e of entries) out.push(...fieldBytes(1, otpParameters(e)));
  out.push(...fieldVarint(2, batch.version), ...fieldVarint(3, batch.size), ...fieldVarint(4, batch.index), ...fieldVarint(5, batch.id));
  return new Uint8Array(out);
}

/** The URI as the app puts it in its QR code: standard base64, percent-encoded. */
export function migrationUri(payload: Uint8Array): string {
  return 'otpauth-migration://offline?data=' + encodeURIComponent(Buffer.from(payload).toString('base64'));
}
