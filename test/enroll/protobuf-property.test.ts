// The protobuf reader against an independent encoder: protobufjs's Writer
// (the most used JavaScript protobuf library) writes random messages with
// every wire type, negative int32/int64 (10-byte varints), packed repeats and
// groups; host/lib/import/protobuf.ts must read back exactly what was written.
// Also Google's export shape with a random (often negative) batch_id.
import fc from 'fast-check';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { parseMigrationUri } from '../../host/lib/import/migration.ts';
import { decodeMessage, int32, int64, packedVarints, uint } from '../../host/lib/import/protobuf.ts';

type Value =
  | { kind: 'int32'; v: number }
  | { kind: 'int64'; v: bigint }
  | { kind: 'uint64'; v: bigint }
  | { kind: 'fixed32'; v: number }
  | { kind: 'fixed64'; v: bigint }
  | { kind: 'bytes'; v: Uint8Array }
  | { kind: 'packed'; v: number[] }
  | { kind: 'group'; v: number };

const fieldNo = fc.integer({ min: 1, max: 536870911 }).filter((n) => n < 19000 || n > 19999);
const value: fc.Arbitrary<Value> = fc.oneof(
  fc.integer({ min: -2147483648, max: 2147483647 }).map((v) => ({ kind: 'int32' as const, v })),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((v) => ({ kind: 'int64' as const, v })),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((v) => ({ kind: 'uint64' as const, v })),
  fc.integer({ min: 0, max: 0xffffffff }).map((v) => ({ kind: 'fixed32' as const, v })),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((v) => ({ kind: 'fixed64' as const, v })),
  fc.uint8Array({ maxLength: 300 }).map((v) => ({ kind: 'bytes' as const, v })),
  fc.array(fc.integer({ min: -2147483648, max: 2147483647 }), { maxLength: 20 }).map((v) => ({ kind: 'packed' as const, v })),
  fc.integer({ min: 0, max: 1000 }).map((v) => ({ kind: 'group' as const, v })),
);

function write(w: protobuf.Writer, field: number, x: Value): void {
  switch (x.kind) {
    case 'int32':
      w.uint32(field * 8).int32(x.v);
      break;
    case 'int64':
    case 'uint64': {
      const bits = new protobuf.util.LongBits(Number(BigInt.asUintN(64, x.v) & 0xffffffffn) >>> 0, Number(BigInt.asUintN(64, x.v) >> 32n) >>> 0);
      w.uint32(field * 8 + 0).uint64(bits.toLong(true) as unknown as number);
      break;
    }
    case 'fixed32':
      w.uint32(field * 8 + 5).fixed32(x.v);
      break;
    case 'fixed64': {
      const bits = new protobuf.util.LongBits(Number(x.v & 0xffffffffn) >>> 0, Number(x.v >> 32n) >>> 0);
      w.uint32(field * 8 + 1).fixed64(bits.toLong(true) as unknown as number);
      break;
    }
    case 'bytes':
      w.uint32(field * 8 + 2).bytes(x.v);
      break;
    case 'packed':
      w.uint32(field * 8 + 2).fork();
      for (const n of x.v) w.int32(n);
      w.ldelim();
      break;
    case 'group':
      w.uint32(field * 8 + 3).uint32(1 * 8 + 0).uint32(x.v).uint32(field * 8 + 4);
      break;
  }
}

describe('protobuf reader against protobufjs (property)', () => {
  it('reads back every field protobufjs writes, of every wire type', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fieldNo, value), { maxLength: 12 }), (fields) => {
        const w = protobuf.Writer.create();
        for (const [n, x] of fields) write(w, n, x);
        const got = decodeMessage(w.finish(), 't');
        const expected = fields.filter(([, x]) => x.kind !== 'group');
        expect(got.map((f) => f.field)).toEqual(expected.map(([n]) => n));
        got.forEach((f, i) => {
          const x = expected[i][1];
          if (x.kind === 'int32') expect(int32(f, 't')).toBe(x.v);
          else if (x.kind === 'int64') expect(int64(f, 't')).toBe(x.v);
          else if (x.kind === 'uint64') expect(uint(f, 't')).toBe(x.v);
          else if (x.kind === 'fixed32') expect(f).toMatchObject({ wireType: 5, value: BigInt(x.v) });
          else if (x.kind === 'fixed64') expect(f).toMatchObject({ wireType: 1, value: x.v });
          else if (x.kind === 'bytes') expect(Array.from(f.value as Uint8Array)).toEqual(Array.from(x.v));
          else if (x.kind === 'packed') expect(packedVarints(f, 't').map((v) => Number(BigInt.asIntN(32, v)))).toEqual(x.v);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('reads a Google export with any batch_id (negative ones are 10-byte varints) and unknown fields', () => {
    const Otp = new protobuf.Type('OtpParameters')
      .add(new protobuf.Field('secret', 1, 'bytes'))
      .add(new protobuf.Field('name', 2, 'string'))
      .add(new protobuf.Field('issuer', 3, 'string'))
      .add(new protobuf.Field('algorithm', 4, 'int32'))
      .add(new protobuf.Field('digits', 5, 'int32'))
      .add(new protobuf.Field('type', 6, 'int32'))
      .add(new protobuf.Field('counter', 7, 'int64'))
      .add(new protobuf.Field('unknownFuture', 99, 'fixed64'));
    const Payload = new protobuf.Type('MigrationPayload')
      .add(new protobuf.Field('otpParameters', 1, 'OtpParameters', 'repeated'))
      .add(new protobuf.Field('version', 2, 'int32'))
      .add(new protobuf.Field('batchSize', 3, 'int32'))
      .add(new protobuf.Field('batchIndex', 4, 'int32'))
      .add(new protobuf.Field('batchId', 5, 'int32'))
      .add(new protobuf.Field('extra', 6, 'sint64'));
    new protobuf.Root().define('ga').add(Otp).add(Payload);
    fc.assert(
      fc.property(
        fc.integer({ min: -2147483648, max: 2147483647 }),
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !s.includes(':') && s.trim() === s && s !== ''),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (batchId, secret, name, counter) => {
          const bytes = Payload.encode(
            Payload.create({ otpParameters: [Otp.create({ secret, name, issuer: 'X', algorithm: 1, digits: 2, type: 1, counter, unknownFuture: 7 })], version: 1, batchSize: 1, batchIndex: 0, batchId, extra: -5 }),
          ).finish();
          const b = parseMigrationUri('otpauth-migration://offline?data=' + encodeURIComponent(Buffer.from(bytes).toString('base64')));
          expect(b.batchId).toBe(batchId);
          expect(b.accounts[0]).toMatchObject({ type: 'hotp', account: name, issuer: 'X', digits: 8, counter });
          expect(Array.from(b.accounts[0].secret)).toEqual(Array.from(secret));
        },
      ),
      { numRuns: 200 },
    );
  });
});
