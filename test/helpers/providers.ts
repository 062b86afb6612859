// Every hash provider the core must agree with, plus otplib as an independent
// implementation of HOTP/TOTP.
import { createGuardrails, generateSync } from 'otplib';
import { pureHashes } from '../../protocol/hash-pure.ts';
import type { Algorithm, HashSet } from '../../protocol/hash.ts';
import { nobleHashes } from '../../host/lib/hashes/noble-hashes.ts';
import { nodeHashes } from '../../host/lib/hashes/node-hashes.ts';

export const PROVIDERS: { name: string; hashes: HashSet }[] = [
  { name: 'pure-ts', hashes: pureHashes() },
  { name: '@noble/hashes', hashes: nobleHashes() },
  { name: 'node:crypto', hashes: nodeHashes() },
];

// otplib refuses secrets under 16 bytes by default; 10-byte secrets are common.
const relaxed = createGuardrails({ MIN_SECRET_BYTES: 1 });

export function otplibHotp(secret: Uint8Array, counter: number, digits: number, algorithm: Algorithm): string {
  return generateSync({ secret, strategy: 'hotp', counter, digits, algorithm: algorithm.toLowerCase() as 'sha1', guardrails: relaxed });
}

export function otplibTotp(secret: Uint8Array, unixSeconds: number, digits: number, period: number, algorithm: Algorithm, t0 = 0): string {
  return generateSync({ secret, epoch: unixSeconds, digits, period, t0, algorithm: algorithm.toLowerCase() as 'sha1', guardrails: relaxed });
}

export function ascii(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
