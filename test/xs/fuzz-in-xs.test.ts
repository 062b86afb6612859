// The shorter fuzz run in XS (issue 6, item 7): the Moddable firmware of one
// board, as its project's main.js holds it, running in the real XS engine
// (moddable-harness.ts), provisioned with two accounts and a synced clock, then
// fed a few hundred chunks of fuzzed link text built by the Node fuzz tests'
// generators (test/helpers/fuzz-inputs.ts): random bytes and printable lines,
// valid frames mutated in their base64 text (bit flips, cuts, inserts...), and
// valid bodies mutated then re-framed with a good CRC, plus random well-framed
// requests. Each line is judged by the independent wire and request models
// (fuzz-wire.ts, fuzz-model.ts):
//   - every bad line gets BAD_FRAME / FRAME_TOO_LONG with id 0, every invalid
//     request an error reply (not OK, not WAITING) with a message, valid ones
//     what the model allows; exactly one final reply per line;
//   - the firmware never throws out of its serial handler (an XS exception
//     rejects the harness call);
//   - the Preference store is unchanged (no write at all) after every chunk;
//   - no byte the firmware writes carries seed material;
//   - at the end HELLO, LIST and KEY_CHECK answer for the same two accounts.
// Requests the model says may succeed AND change state (a valid ADD or
// TIME_SET) are left out, so everything sent must leave the store alone;
// confirmations (WIPE, REMOVE, RENAME, CODE, passwords) are cancelled, never confirmed.
// FUZZ_SEED replays a run; FUZZ_XS_CHUNKS scales it.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moddablePicoSsd1306 } from '../../boards/moddable-pico-ssd1306.ts';
import { base32Encode } from '../../protocol/base32.ts';
import { encodeFrame, REQUEST_MARKER } from '../../protocol/frame.ts';
import { COMMANDS, encodeRequest, ERRORS, STATUS_OK, STATUS_WAITING } from '../../protocol/messages.ts';
import type { Reply } from '../../protocol/messages.ts';
import { buildFrame, mutatedFrameArb, rawFrameArb, requestArb } from '../helpers/fuzz-inputs.ts';
import type { FrameSpec } from '../helpers/fuzz-inputs.ts';
import { applyOk, expectRequest, keyCheckModel } from '../helpers/fuzz-model.ts';
import type { ModelAccount, ModelState } from '../helpers/fuzz-model.ts';
import { createWireModel } from '../helpers/fuzz-wire.ts';
import type { WireEvent } from '../helpers/fuzz-wire.ts';
import { buildXsFirmware, startXsToken } from './moddable-harness.ts';
import type { XsToken } from './moddable-harness.ts';

const BOARD = moddablePicoSsd1306;
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20260101;
const CHUNKS = Number(process.env.FUZZ_XS_CHUNKS) || 800;
const T0 = 1767225600123; // 2026-01-01T00:00:00.123Z

/** Commands whose success changes the store without a confirmation: left out of the run. */
const CHANGES_STATE = [COMMANDS.TIME_SET, COMMANDS.ADD];

type Resolution = 'hello' | 'deny' | 'timeout';
interface ChunkSpec {
  frames: FrameSpec[];
  /** How a confirmation left waiting at the end of the chunk is cancelled. */
  resolution: Resolution;
}

const frameArb: fc.Arbitrary<FrameSpec> = fc.oneof(
  { weight: 3, arbitrary: rawFrameArb },
  { weight: 5, arbitrary: mutatedFrameArb },
  { weight: 2, arbitrary: requestArb },
);
const chunkArb: fc.Arbitrary<ChunkSpec> = fc.record({
  frames: fc.array(frameArb, { minLength: 1, maxLength: 5 }),
  resolution: fc.oneof({ weight: 6, arbitrary: fc.constant<Resolution>('hello') }, { weight: 3, arbitrary: fc.constant<Resolution>('deny') }, { weight: 1, arbitrary: fc.constant<Resolution>('timeout') }),
});

function seedFor(i: number, length: number): Uint8Array {
  return new Uint8Array(createHash('sha512').update('xs fuzz seed ' + i).digest().subarray(0, length));
}

const ACCOUNTS: ModelAccount[] = [
  { name: 'alice@example.com', issuer: 'Example', algorithm: 1, digits: 6, period: 30, seed: seedFor(0, 20) },
  { name: 'fuzz: b\u00f6b', issuer: '', algorithm: 2, digits: 8, period: 60, seed: seedFor(1, 32) },
];

const show = (r: Reply | undefined) => (r ? JSON.stringify({ id: r.id, status: r.status, message: r.fields.message }) : 'no reply');
const helloFrame = (id: number) => encodeFrame(REQUEST_MARKER, encodeRequest({ id, command: COMMANDS.HELLO, fields: {} }));
const isError = (status: number) => status !== STATUS_OK && status !== STATUS_WAITING;
/** What the wire carries: the harness sends text as latin1 bytes, so fold code units above 255 the same way. */
const asBytes = (text: string) => Buffer.from(text, 'latin1').toString('latin1');

/** The events one piece of text makes on a link that starts (and, with the added newline, ends) between lines. */
const eventsOf = (text: string) => createWireModel(REQUEST_MARKER).push(text + '\n');

class XsFuzz {
  readonly state: ModelState = { accounts: ACCOUNTS.map((a) => ({ ...a })), slots: BOARD.storage.maxAccounts };
  readonly wire = createWireModel(REQUEST_MARKER);
  readonly log: string[] = [];
  readonly stats = { chunks: 0, frames: 0, faults: 0, tooLong: 0, invalid: 0, valid: 0, busy: 0, left: 0, deliveries: 0, statuses: {} as Record<number, number> };
  /** Text the firmware wrote since the last seed scan, and the scan's needles. */
  tx = '';
  needles: string[] = [];
  windows = new Set<string>();
  pending: { id: number; timeoutS: number } | null = null;
  read = 0;
  flash = '';
  constructor(readonly t: XsToken) {}

  fail(what: string): never {
    throw new Error(what + ` [FUZZ_SEED=${SEED}]\n  recent: ` + this.log.slice(-6).join('\n          '));
  }

  next(what: string): Reply {
    const r = this.t.replies[this.read];
    if (!r) this.fail('no reply for ' + what);
    this.read++;
    this.log.push(what + ' -> ' + show(r));
    if (r.status === -1) this.fail('a reply frame failed its CRC on the host: ' + what);
    return r;
  }

  expectFinal(id: number, status: number, what: string): Reply {
    const r = this.next(what);
    if (r.id !== id || r.status !== status) this.fail(`${what}: expected id ${id} status ${status}, got ${show(r)}`);
    this.checkMessage(r);
    return r;
  }

  checkMessage(r: Reply): void {
    if (isError(r.status) && (typeof r.fields.message !== 'string' || r.fields.message.length === 0)) this.fail('error reply without a message: ' + show(r));
  }

  /** Judges the replies to the lines `events` stands for, in order. */
  judge(events: WireEvent[], count: boolean): void {
    for (const ev of events) {
      if (count) this.stats.frames++;
      if (ev.kind === 'fault') {
        if (count) this.stats.faults++;
        if (count && ev.fault === 'too-long') this.stats.tooLong++;
        this.expectFinal(0, ev.fault === 'corrupt' ? ERRORS.BAD_FRAME : ERRORS.FRAME_TOO_LONG, ev.fault + ' line');
        continue;
      }
      const exp = expectRequest(ev.body, this.state);
      const what = 'request ' + Buffer.from(ev.body).toString('hex').slice(0, 80) + ' (' + exp.rule + ')';
      const invalid = !exp.allowed.includes(STATUS_OK) && !exp.allowed.includes(STATUS_WAITING);
      if (count) this.stats[invalid ? 'invalid' : 'valid']++;
      if (this.pending && exp.command !== null) {
        if (exp.command !== COMMANDS.HELLO) {
          if (count) this.stats.busy++;
          this.expectFinal(exp.ids[0]!, ERRORS.BUSY, what + ' while a confirmation waits');
          continue;
        }
        this.expectFinal(this.pending.id, ERRORS.PRESENCE_DENIED, 'confirmation cancelled by HELLO');
        this.pending = null;
      }
      const r = this.next(what);
      if (count) this.stats.statuses[r.status] = (this.stats.statuses[r.status] ?? 0) + 1;
      if (!exp.ids.includes(r.id) || !exp.allowed.includes(r.status)) this.fail(`${what}: expected id ${exp.ids} status in ${exp.allowed}, got ${show(r)}`);
      if (invalid && !isError(r.status)) this.fail(what + ': an invalid request was not refused: ' + show(r));
      this.checkMessage(r);
      if (r.status === STATUS_WAITING) {
        if (typeof r.fields.action !== 'string' || typeof r.fields.timeoutS !== 'number') this.fail('WAITING without action/timeoutS: ' + show(r));
        this.pending = { id: r.id, timeoutS: r.fields.timeoutS };
      } else if (r.status === STATUS_OK) {
        const complaint = applyOk(this.state, exp, r);
        if (complaint) this.fail(what + ': ' + complaint);
      }
    }
  }

  async feed(text: string, count: boolean): Promise<void> {
    this.stats.deliveries++;
    try {
      await this.t.sendRaw(text);
    } catch (e) {
      this.fail('the firmware threw on ' + JSON.stringify(text).slice(0, 300) + ': ' + String(e));
    }
    this.judge(this.wire.push(text), count);
  }

  async act(what: string, fn: () => Promise<unknown>): Promise<void> {
    this.stats.deliveries++;
    try {
      await fn();
    } catch (e) {
      this.fail(what + ' threw in XS: ' + String(e));
    }
  }

  /** Cancels a confirmation the chunk left waiting: a new HELLO, the "next" button, or the timeout. */
  async resolve(how: Resolution): Promise<void> {
    const p = this.pending;
    if (!p) {
      if (how === 'deny') await this.act('press next', () => this.t.press('next')); // nothing waits: no reply
      return;
    }
    if (how === 'hello') return this.feed(helloFrame(77), false);
    this.pending = null;
    if (how === 'deny') {
      await this.act('press next', () => this.t.press('next'));
      this.expectFinal(p.id, ERRORS.PRESENCE_DENIED, 'cancelled on the device');
    } else {
      await this.act('waiting out the confirmation', () => this.t.tick(p.timeoutS * 1000 + 1000));
      this.expectFinal(p.id, ERRORS.PRESENCE_TIMEOUT, 'confirmation timed out');
    }
  }

  async flashNow(): Promise<string> {
    this.stats.deliveries++;
    const p = await this.t.preferences();
    return JSON.stringify([p.preferences, p.used, p.writes]);
  }

  /** Seed material in anything the firmware wrote since the last scan. */
  scanForSeeds(): void {
    const lines = this.tx.split('\n');
    this.tx = lines.pop()!;
    for (const line of lines) {
      const body = Buffer.from(line.replace(/^[^<]*</, '').trim(), 'base64').toString('latin1');
      for (const n of this.needles) if (body.includes(n) || line.includes(n)) this.fail('a reply carries a seed: ' + line);
      for (let k = 0; k + 8 <= body.length; k++) if (this.windows.has(body.slice(k, k + 8))) this.fail('a reply carries 8 seed bytes: ' + line);
    }
  }

  async chunk(spec: ChunkSpec): Promise<void> {
    // Leave out lines the model says may change the store on success; the
    // chunk ends with a newline, so it neither continues nor is continued.
    const ctx = { names: this.state.accounts.map((a) => a.name), nowMs: (await this.t.status()).nowMs };
    this.stats.deliveries++;
    const changes = (events: WireEvent[]) => events.some((ev) => {
      if (ev.kind !== 'frame') return false;
      const exp = expectRequest(ev.body, this.state);
      return CHANGES_STATE.includes(exp.command as number) && exp.allowed.includes(STATUS_OK);
    });
    const texts: string[] = [];
    for (const f of spec.frames) {
      const text = asBytes(buildFrame(f, ctx));
      if (changes(eventsOf(text))) this.stats.left++;
      else texts.push(text);
    }
    let text = texts.join('');
    if (changes(eventsOf(text))) {
      this.stats.left += texts.length;
      return;
    }
    if (!text.endsWith('\n')) text += '\n';
    this.log.push('chunk ' + JSON.stringify(text).slice(0, 200));
    await this.feed(text, true);
    await this.resolve(spec.resolution);
    if (this.read !== this.t.replies.length) this.fail('extra replies: ' + this.t.replies.slice(this.read).map(show).join(', '));
    this.scanForSeeds();
    const flash = await this.flashNow();
    if (flash !== this.flash) this.fail('the Preference store changed: ' + flash.slice(0, 300) + '\n  was ' + this.flash.slice(0, 300));
    this.stats.chunks++;
  }
}

describe(`${BOARD.id} firmware in XS under fuzzed input`, () => {
  let fuzz: XsFuzz;
  let token: XsToken | null = null;
  beforeAll(async () => {
    const firmware = await buildXsFirmware(BOARD);
    let tx = '';
    token = await startXsToken(BOARD, firmware, {}, { onSerial: (text) => (fuzz ? (fuzz.tx += text) : (tx += text)) });
    fuzz = new XsFuzz(token);
    fuzz.tx = tx;
  }, 60000);
  afterAll(async () => {
    await token?.close();
  });

  it('answers every bad line with an error, never throws, keeps its store and seeds, and still works', async () => {
    const t = token!;
    const f = fuzz;
    // Provision: clock synced, two accounts.
    expect((await t.send(COMMANDS.TIME_SET, { timeMs: T0 }))[0]).toMatchObject({ status: STATUS_OK, fields: { clock: 1 } });
    for (const a of ACCOUNTS) {
      const [r] = await t.send(COMMANDS.ADD, { name: a.name, issuer: a.issuer, algorithm: a.algorithm, digits: a.digits, period: a.period, secret: Uint8Array.from(a.seed) });
      expect(r!.status, a.name + ': ' + String(r!.fields.message)).toBe(STATUS_OK);
      const s = Buffer.from(a.seed);
      f.needles.push(s.toString('latin1'), s.toString('hex'), s.toString('hex').toUpperCase(), s.toString('base64').replace(/=+$/, ''), s.toString('base64url'), base32Encode(a.seed).replace(/=+$/, ''));
      for (let k = 0; k + 8 <= s.length; k++) f.windows.add(s.toString('latin1', k, k + 8));
    }
    expect((await t.send(COMMANDS.HELLO, {}))[0]).toMatchObject({ status: STATUS_OK, fields: { clock: 1, slotsFree: BOARD.storage.maxAccounts - 2 } });
    f.read = t.replies.length;
    f.tx = '';
    f.flash = await f.flashNow();
    const flashAtStart = f.flash;

    const started = performance.now();
    await fc.assert(fc.asyncProperty(chunkArb, (c) => f.chunk(c)), { numRuns: CHUNKS, seed: SEED, endOnFailure: true });
    const seconds = (performance.now() - started) / 1000;

    // Afterwards: HELLO and LIST as before, the same seeds behind the key checks, the same flash.
    await f.feed(helloFrame(201), false);
    const hello = t.replies[t.replies.length - 1]!;
    expect(hello).toMatchObject({ id: 201, status: STATUS_OK, fields: { protocol: 1, board: BOARD.id, clock: 1, slotsFree: BOARD.storage.maxAccounts - 2 } });
    const [list] = await t.send(COMMANDS.LIST, {}, 202);
    expect(list).toMatchObject({ id: 202, status: STATUS_OK, fields: { total: 2 } });
    expect(list!.fields.account).toEqual(ACCOUNTS.map((a) => ({ name: a.name, issuer: a.issuer, algorithm: a.algorithm, digits: a.digits, period: a.period })));
    for (const a of ACCOUNTS) {
      const [check] = await t.send(COMMANDS.KEY_CHECK, { name: a.name });
      expect(check!.status).toBe(STATUS_OK);
      expect(Buffer.from(check!.fields.check as Uint8Array).equals(keyCheckModel(a.algorithm, a.seed)), a.name).toBe(true);
    }
    f.read = t.replies.length;
    f.scanForSeeds();
    expect(await f.flashNow()).toBe(flashAtStart);
    expect(t.replies.filter((r) => r.status === -1)).toEqual([]);
    expect((await t.status()).serial.overruns).toBe(0);

    const s = f.stats;
    console.info(
      `XS fuzz (${BOARD.id}, FUZZ_SEED=${SEED}): ${s.frames} frames in ${s.chunks} chunks, ${seconds.toFixed(1)} s ` +
        `(${s.faults} bad frames of which ${s.tooLong} too long, ${s.invalid} invalid requests, ${s.valid} valid, ${s.busy} refused as BUSY; ` +
        `${s.left} state-changing frames left out; ${s.deliveries} deliveries; statuses ${JSON.stringify(s.statuses)})`,
    );
    expect(s.frames).toBeGreaterThan(CHUNKS);
    expect(s.faults).toBeGreaterThan(CHUNKS / 5);
    expect(s.invalid).toBeGreaterThan(CHUNKS / 5);
  }, 120000);
});
