// Fuzzes the host's side of the link (issue 6, item 7): whatever bytes arrive,
// createFrameReader('<') + decodeReply produce frames, faults or coded errors,
// never another exception; they agree with the independent wire model however
// the bytes are chunked; they finish quickly; and a good frame after any
// garbage is still read. FUZZ_RUNS scales it; FUZZ_SEED replays a failure.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFrameReader, encodeFrame, LINE_TOO_LONG, MAX_BODY, REPLY_MARKER } from '../../protocol/frame.ts';
import { decodeReply, encodeReply, FIELDS } from '../../protocol/messages.ts';
import type { Reply } from '../../protocol/messages.ts';
import type { Fields } from '../../protocol/tlv.ts';
import { BYTES, SIGNED, TEXT, UNSIGNED } from '../../protocol/tlv.ts';
import { createWireModel } from '../helpers/fuzz-wire.ts';
import type { WireEvent } from '../helpers/fuzz-wire.ts';
import { mutateBody, mutateText, mutationArb, rawTextArb } from '../helpers/fuzz-inputs.ts';

const RUNS = Number(process.env.FUZZ_RUNS) || 300;
const OPTIONS = { numRuns: RUNS, ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}) };

type Parsed = WireEvent & { reply?: Reply; code?: string };

/** What the host makes of the text, pushed in the given pieces. */
function parse(pieces: string[]): Parsed[] {
  const out: Parsed[] = [];
  const reader = createFrameReader(
    REPLY_MARKER,
    (body) => {
      const event: Parsed = { kind: 'frame', body: new Uint8Array(body) };
      try {
        event.reply = decodeReply(body);
      } catch (e) {
        const code = (e as { code?: unknown }).code;
        if (typeof code !== 'string') throw new Error('decodeReply threw an uncoded error: ' + String(e));
        event.code = code;
      }
      out.push(event);
    },
    (fault) => out.push({ kind: 'fault', fault: fault === LINE_TOO_LONG ? 'too-long' : 'corrupt' }), // the wire model's names
  );
  for (const p of pieces) reader.push(p);
  return out;
}

/** The text cut at the given points. */
function split(text: string, cuts: number[]): string[] {
  const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  return at.concat([text.length]).map((end, i) => text.slice(i === 0 ? 0 : at[i - 1], end));
}

const toReplyMarker = (s: string) => s.replace(/>/g, REPLY_MARKER);
const hostTextArb = fc.oneof(rawTextArb.map(toReplyMarker), rawTextArb, fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')));

/** A reply the device could send: random fields of the right types, within MAX_BODY. */
const replyArb: fc.Arbitrary<Reply> = fc
  .record({
    id: fc.nat(255),
    status: fc.constantFrom(0, 1, 5, 9, 11, 15, 0x80, 255),
    fields: fc.array(fc.record({ k: fc.nat(), num: fc.maxSafeNat(), text: fc.uint8Array({ maxLength: 120 }), neg: fc.boolean() }), { maxLength: 4 }),
  })
  .map(({ id, status, fields }) => {
    const f: Fields = {};
    for (const { k, num, text, neg } of fields) {
      const spec = FIELDS[k % FIELDS.length];
      const latin1 = Buffer.from(text.subarray(0, spec.maxLen)).toString('latin1');
      if (spec.type === UNSIGNED) f[spec.key] = num;
      else if (spec.type === SIGNED) f[spec.key] = (neg ? -1 : 1) * Math.floor(num / 4);
      else if (spec.type === TEXT) f[spec.key] = latin1;
      else if (spec.type === BYTES) f[spec.key] = text.subarray(0, spec.maxLen);
      else f[spec.key] = [{ name: latin1.slice(0, 64), digits: num % 256 }];
    }
    return { id, status, fields: f };
  })
  .filter((r) => encodeReply(r).length <= MAX_BODY);

describe('the host reply parser under fuzzed input', () => {
  it('random bytes: only frames, faults and coded errors, the same however the bytes are chunked, as the spec model says', () => {
    fc.assert(
      fc.property(hostTextArb, fc.array(fc.nat(), { maxLength: 6 }), (text, cuts) => {
        const whole = parse([text]);
        expect(parse(split(text, cuts))).toEqual(whole);
        expect(whole.map(({ kind, ...rest }) => (kind === 'fault' ? { kind, fault: (rest as { fault: string }).fault } : { kind, body: (rest as { body: Uint8Array }).body })))
          .toEqual(createWireModel(REPLY_MARKER).push(text));
      }),
      OPTIONS,
    );
  });

  it('random bodies with good CRCs: decodeReply returns or throws a coded error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: MAX_BODY }), fc.boolean(), (body, versioned) => {
        if (versioned) body[0] = 1;
        const events = parse([encodeFrame(REPLY_MARKER, body)]);
        expect(events).toHaveLength(1);
        expect(events[0].reply !== undefined || typeof events[0].code === 'string').toBe(true);
      }),
      OPTIONS,
    );
  });

  it('mutated replies, then a good one: the parser survives and reads the good one', () => {
    fc.assert(
      fc.property(replyArb, replyArb, fc.array(mutationArb, { minLength: 1, maxLength: 3 }), fc.boolean(), fc.array(fc.nat(), { maxLength: 4 }), (bad, good, mutations, inBody, cuts) => {
        const body = encodeReply(bad);
        const garbage = inBody
          ? encodeFrame(REPLY_MARKER, mutations.reduce(mutateBody, body))
          : REPLY_MARKER + mutations.reduce(mutateText, encodeFrame(REPLY_MARKER, body).slice(1, -1));
        const goodBody = encodeReply(good);
        const events = parse(split(garbage + encodeFrame(REPLY_MARKER, goodBody), cuts));
        const last = events[events.length - 1];
        expect(last.kind === 'frame' && last.body).toEqual(goodBody);
        expect(last.reply).toEqual(decodeReply(encodeReply(good)));
      }),
      OPTIONS,
    );
  });

  it('finishes quickly on long hostile input', () => {
    const hostile = ['<'.repeat(200000), ('<' + 'A'.repeat(900)).repeat(200), '<' + 'AAAA'.repeat(50000) + '\n', '\r'.repeat(200000)];
    for (const text of hostile) {
      const started = performance.now();
      parse([text + encodeFrame(REPLY_MARKER, encodeReply({ id: 1, status: 0, fields: {} }))]);
      expect(performance.now() - started).toBeLessThan(2000);
    }
  });
});
