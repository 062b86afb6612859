// How many checks core-vectors-entry.ts makes, so a runtime that silently
// stops early cannot pass.
import { loadVectors } from './vectors.ts';

/** `otpauth: false` for the shipped Espruino pipeline, which leaves the (host-side) otpauth vectors out. */
export function expectedCoreChecks(providers: number, otpauth = true): number {
  const b = loadVectors<{ valid: { canonical?: string }[]; invalid: unknown[] }>('base32.json');
  const o = loadVectors<{ valid: unknown[]; invalid: unknown[] }>('otpauth.json');
  const h = loadVectors<{ valid: unknown[] }>('rfc4226-hotp.json');
  const t = loadVectors<{ valid: unknown[] }>('rfc6238-totp.json');
  const base32 = b.valid.length + b.valid.filter((v) => v.canonical).length + b.invalid.length;
  return base32 + (otpauth ? o.valid.length + o.invalid.length : 0) + providers * (h.valid.length + t.valid.length + 2);
}
