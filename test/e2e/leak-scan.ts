// The seed-leak scan: no reply from the token may contain any seed, in raw
// bytes (inside the decoded frames or the raw stream), base32, base64 or hex,
// nor any 8-byte piece of one.
import { base32Encode } from '../../protocol/base32.ts';
import { base64Decode } from '../../protocol/base64.ts';

function contains(hay: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** The bodies of every reply frame in the received text. */
export function replyBodies(text: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const m of text.matchAll(/<([A-Za-z0-9+/=]+)/g)) {
    try {
      out.push(base64Decode(m[1]));
    } catch {
      // a damaged frame still gets scanned as raw text below
    }
  }
  return out;
}

/** Problems found; empty means no leak. `received` must hold at least one reply frame. */
export function findLeaks(received: string[], seeds: Uint8Array[]): string[] {
  const text = received.join('');
  const raw = new Uint8Array(Buffer.from(text, 'latin1'));
  const bodies = replyBodies(text);
  // Text forms are looked for in the raw stream and inside every decoded frame.
  const upper = [text, ...bodies.map((b) => Buffer.from(b).toString('latin1'))].join('\n').toUpperCase();
  const problems: string[] = [];
  for (const [n, seed] of seeds.entries()) {
    const pieces: Uint8Array[] = [];
    for (let i = 0; i + 8 <= seed.length; i++) pieces.push(seed.subarray(i, i + 8));
    if (seed.length < 8) pieces.push(seed);
    const forms: [string, string][] = [
      ['base32', base32Encode(seed, false)],
      ['base64', Buffer.from(seed).toString('base64').replace(/=+$/, '')],
      ['hex', Buffer.from(seed).toString('hex').toUpperCase()],
    ];
    for (const [form, s] of forms) if (upper.includes(s.toUpperCase().slice(0, 16))) problems.push(`seed ${n} appears as ${form}`);
    if (pieces.some((p) => contains(raw, p) || bodies.some((b) => contains(b, p)))) problems.push(`seed ${n} appears as raw bytes`);
  }
  return problems;
}
