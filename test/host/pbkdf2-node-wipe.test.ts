// The CLI's PBKDF2 (host/lib/hashes/pbkdf2-node.ts) hands back the derived key
// as the only copy, so the caller's fill(0) (client.ts: unlock, setPassword)
// wipes it. node:crypto's pbkdf2 calls back with a Buffer over the job's
// ArrayBuffer (lib/internal/crypto/pbkdf2.js: `Buffer.from(result)`, a view);
// copying it into a new Uint8Array left that Buffer, the USB password's access
// key, in the heap until GC. The real node:crypto pbkdf2 runs; the wrapper only
// keeps a reference to what it calls back with.
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { pbkdf2 } from '../../host/lib/hashes/pbkdf2-node.ts';
import { deriveAccessKey } from '../../host/lib/access.ts';

const nodeCrypto = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
const realPbkdf2 = nodeCrypto.pbkdf2;
let seen: Buffer[] = [];

function observe(): void {
  seen = [];
  (nodeCrypto as { pbkdf2: unknown }).pbkdf2 = (...args: unknown[]) => {
    const done = args.pop() as (err: Error | null, key: Buffer) => void;
    (realPbkdf2 as (...a: unknown[]) => void)(...args, (err: Error | null, key: Buffer) => {
      if (key) seen.push(key);
      done(err, key);
    });
  };
  syncBuiltinESMExports();
}

afterEach(() => {
  nodeCrypto.pbkdf2 = realPbkdf2;
  syncBuiltinESMExports();
});

describe('the CLI’s PBKDF2 leaves no copy of the derived key behind', () => {
  it('wiping what pbkdf2() returns wipes every copy node:crypto made', async () => {
    observe();
    const key = await pbkdf2('sha256', new TextEncoder().encode('hunter22-long'), new Uint8Array(16).fill(7), 10_000, 32);
    expect(seen.length).toBe(1); // the wrapper saw the real call
    expect(Buffer.from(key).equals(seen[0])).toBe(true);
    key.fill(0);
    expect([...seen[0]].every((b) => b === 0), 'node:crypto’s Buffer still holds the key').toBe(true);
  });

  it('deriveAccessKey’s key, as unlock() wipes it after answering the challenge', async () => {
    observe();
    const key = await deriveAccessKey('pässwörd-long', new Uint8Array(16).fill(3), 10_000);
    key.fill(0);
    expect(seen.length).toBe(1);
    expect([...seen[0]].every((b) => b === 0)).toBe(true);
  });
});
