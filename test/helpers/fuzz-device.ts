// The device-side fuzz harness: a real token app on in-memory ports
// (fake-ports.ts), provisioned with a few accounts whose seeds only this file
// knows, then fed chunks of link text. After every chunk it checks, against
// the independent wire model and the request model:
//   - the serial handler did not throw;
//   - every line got exactly one final reply, in order, with the right id;
//     bad frames got BAD_FRAME / FRAME_TOO_LONG (id 0), invalid requests an
//     error with a message; a WAITING is always followed by its final reply;
//   - storage changed only if a state-changing command succeeded;
//   - no reply carries seed bytes (raw, hex, base32, base64, or any 8 in a row);
// and at the end of a run: HELLO still answers, LIST and KEY_CHECK match the
// model, and a restart from the same storage lists the same accounts.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { encodeFrame, REQUEST_MARKER } from '../../protocol/frame.ts';
import { COMMANDS, encodeRequest, ERRORS, STATUS_OK, STATUS_WAITING } from '../../protocol/messages.ts';
import type { Reply } from '../../protocol/messages.ts';
import { base32Encode } from '../../protocol/base32.ts';
import { fakeToken } from './fake-ports.ts';
import type { FakeToken } from './fake-ports.ts';
import { createWireModel } from './fuzz-wire.ts';
import type { WireEvent, WireModel } from './fuzz-wire.ts';
import { applyConfirmed, applyOk, CONFIRMABLE, expectRequest, findAccount, keyCheckModel, MUTATING } from './fuzz-model.ts';
import type { Expectation, ModelState } from './fuzz-model.ts';
import { buildFrame, mutatedFrameArb, nameArb, rawFrameArb, requestArb } from './fuzz-inputs.ts';
import type { FrameSpec } from './fuzz-inputs.ts';

export type Resolution = 'deny' | 'hello' | 'timeout' | 'confirm';

export interface ChunkSpec {
  frames: FrameSpec[];
  /** What the owner does at the end of the chunk if the token waits for the button. */
  resolution: Resolution;
}

export interface SetupSpec {
  slots: number;
  accounts: { name: string; issuer: string; algorithm: number; seedLength: number }[];
  seedSalt: number;
  syncClock: boolean;
}

export interface DeviceCase {
  setup: SetupSpec;
  chunks: ChunkSpec[];
}

export interface FuzzStats {
  runs: number;
  chunks: number;
  /** Lines the token had to answer: frames and faulty lines. */
  frames: number;
  statuses: { [status: number]: number };
}

export function newStats(): FuzzStats {
  return { runs: 0, chunks: 0, frames: 0, statuses: {} };
}

const setupArb: fc.Arbitrary<SetupSpec> = fc.record({
  slots: fc.integer({ min: 2, max: 8 }),
  accounts: fc.array(fc.record({ name: fc.oneof(nameArb(64), nameArb(64, 30)), issuer: nameArb(32), algorithm: fc.integer({ min: 1, max: 3 }), seedLength: fc.integer({ min: 16, max: 64 }) }), { minLength: 1, maxLength: 3 }),
  seedSalt: fc.nat(),
  syncClock: fc.boolean(),
});

const resolutionArb = fc.constantFrom<Resolution>('deny', 'hello', 'timeout', 'confirm');
const chunkOf = (frame: fc.Arbitrary<FrameSpec>, max: number) => fc.record({ frames: fc.array(frame, { minLength: 1, maxLength: max }), resolution: resolutionArb });

/** Cases for one kind of input: (a) raw text, (b) mutated frames, (c) random requests. */
export const deviceCaseArb = (kind: 'raw' | 'mutated' | 'request', chunks: number): fc.Arbitrary<DeviceCase> =>
  fc.record({
    setup: setupArb,
    chunks: fc.array(kind === 'raw' ? chunkOf(rawFrameArb, 3) : kind === 'mutated' ? chunkOf(mutatedFrameArb, 3) : chunkOf(requestArb, 1), { minLength: 1, maxLength: chunks }),
  });

class FuzzFailure extends Error {}

interface Run {
  t: FakeToken;
  wire: WireModel;
  state: ModelState;
  needles: string[];
  windows: Set<string>;
  pending: { id: number; exp: Expectation } | null;
  /** A confirmation's outcome the token holds until the session's next frame (wire-protocol.md "Sessions"). */
  ready: { id: number; status: number; what: string; check?: (r: Reply) => void } | null;
  /** Next unread entries of t.replies and t.rawOut. */
  read: number;
  scanned: number;
  mutatedOk: boolean;
  log: string[];
  /** Tallies every reply status, when set. */
  stats: FuzzStats | null;
}

function fail(run: Run, what: string): never {
  throw new FuzzFailure(what + '\n  recent: ' + run.log.slice(-6).join('\n          '));
}

const show = (r: Reply | undefined) => (r ? JSON.stringify({ id: r.id, status: r.status, message: r.fields.message }) : 'no reply');

function seedFor(salt: number, i: number, length: number): Uint8Array {
  return new Uint8Array(createHash('sha512').update('fuzz seed ' + salt + ' ' + i).digest().subarray(0, length));
}

function start(setup: SetupSpec): Run {
  const t = fakeToken({ slots: setup.slots, hostPings: false });
  const state: ModelState = { accounts: [], slots: setup.slots, session: t.session };
  const run: Run = { t, wire: createWireModel(REQUEST_MARKER), state, needles: [], windows: new Set(), pending: null, ready: null, read: 0, scanned: 0, mutatedOk: false, log: [], stats: null };
  if (setup.syncClock && t.send(COMMANDS.TIME_SET, { timeMs: Math.floor(t.clock.now) })[0]?.status !== STATUS_OK) fail(run, 'setup: TIME_SET refused');
  setup.accounts.forEach((a, i) => {
    if (i >= setup.slots) return;
    const name = state.accounts.some((x) => x.name === a.name) ? (a.name + i).slice(-64) : a.name;
    const seed = seedFor(setup.seedSalt, i, a.seedLength);
    const [r] = t.send(COMMANDS.ADD, { name, issuer: a.issuer, algorithm: a.algorithm, digits: 6, period: 30, secret: Uint8Array.from(seed) });
    if (r?.status !== STATUS_OK) fail(run, 'setup: ADD ' + JSON.stringify(name) + ' got ' + show(r));
    state.accounts.push({ name, issuer: a.issuer, algorithm: a.algorithm, digits: 6, period: 30, seed });
    const s = Buffer.from(seed);
    run.needles.push(s.toString('latin1'), s.toString('hex'), s.toString('hex').toUpperCase(), s.toString('base64').replace(/=+$/, ''), s.toString('base64url'), base32Encode(seed).replace(/=+$/, ''));
    for (let k = 0; k + 8 <= s.length; k++) run.windows.add(s.toString('latin1', k, k + 8));
  });
  run.read = t.replies.length;
  return run;
}

function nextReply(run: Run, what: string): Reply {
  const r = run.t.replies[run.read];
  if (!r) fail(run, 'no reply for ' + what);
  run.read++;
  run.log.push(what + ' -> ' + show(r));
  return r;
}

function expectFinal(run: Run, id: number, status: number, what: string): Reply {
  const r = nextReply(run, what);
  if (run.stats) run.stats.statuses[r.status] = (run.stats.statuses[r.status] ?? 0) + 1;
  if (r.id !== id || r.status !== status) fail(run, what + ': expected id ' + id + ' status ' + status + ', got ' + show(r));
  return r;
}

function checkMessage(run: Run, r: Reply): void {
  if (r.status !== STATUS_OK && r.status !== STATUS_WAITING && (typeof r.fields.message !== 'string' || r.fields.message.length === 0)) {
    fail(run, 'error reply without a message: ' + show(r));
  }
}

function onEvents(run: Run, events: WireEvent[], stats: FuzzStats | null): void {
  for (const ev of events) {
    if (stats) stats.frames++;
    if (ev.kind === 'fault') {
      checkMessage(run, expectFinal(run, 0, ev.fault === 'corrupt' ? ERRORS.BAD_FRAME : ERRORS.FRAME_TOO_LONG, ev.fault + ' line'));
      continue;
    }
    const exp = expectRequest(ev.body, run.state);
    const what = 'request ' + Buffer.from(ev.body).toString('hex').slice(0, 80) + ' (' + exp.rule + ')';
    if (run.ready && exp.command !== null) {
      // A frame of the session collects the held outcome first; a HELLO ends the session and drops it.
      const rd = run.ready;
      run.ready = null;
      if (exp.command !== COMMANDS.HELLO) {
        const r = expectFinal(run, rd.id, rd.status, rd.what);
        if (rd.check) rd.check(r);
      }
    }
    if (run.pending && exp.command !== null) {
      if (exp.command === COMMANDS.HELLO) {
        run.pending = null; // a new session: the old one's request is dropped, unanswered
      } else if (exp.command !== COMMANDS.PING) {
        expectFinal(run, exp.ids[0], ERRORS.BUSY, what + ' while pending');
        continue;
      }
    }
    const r = nextReply(run, what);
    if (run.stats) run.stats.statuses[r.status] = (run.stats.statuses[r.status] ?? 0) + 1;
    if (!exp.ids.includes(r.id) || !exp.allowed.includes(r.status)) fail(run, what + ': expected id ' + exp.ids + ' status in ' + exp.allowed + ', got ' + show(r));
    checkMessage(run, r);
    if (r.status === STATUS_WAITING) {
      if (typeof r.fields.action !== 'string' || typeof r.fields.timeoutS !== 'number') fail(run, 'WAITING without action/timeoutS: ' + show(r));
      run.pending = { id: r.id, exp };
    } else if (r.status === STATUS_OK) {
      if (exp.command === COMMANDS.HELLO) run.state.session = r.fields.session as Uint8Array;
      const complaint = applyOk(run.state, exp, r);
      if (complaint) fail(run, what + ': ' + complaint);
      if (MUTATING.includes(exp.command as number)) run.mutatedOk = true;
    }
  }
}

function feed(run: Run, text: string, stats: FuzzStats | null): void {
  try {
    run.t.sendRaw(text);
  } catch (e) {
    fail(run, 'the serial handler threw on ' + JSON.stringify(text).slice(0, 300) + ': ' + (e as Error).stack);
  }
  onEvents(run, run.wire.push(text), stats);
}

function act(run: Run, what: string, fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    fail(run, what + ' threw: ' + (e as Error).stack);
  }
}

const helloFrame = (id: number) => encodeFrame(REQUEST_MARKER, encodeRequest({ id, command: COMMANDS.HELLO, fields: {} }));
/** The host's ping: keeps its session and collects a held outcome. */
const pingFrame = (run: Run) => encodeFrame(REQUEST_MARKER, encodeRequest({ id: 78, command: COMMANDS.PING, fields: run.state.session ? { session: run.state.session } : {} }));

function resolve(run: Run, how: Resolution): void {
  run.log.push('resolve ' + how + (run.pending ? ' (pending)' : ''));
  const p = run.pending;
  if (!p) {
    // Buttons and time with nothing pending must not produce replies.
    if (how === 'deny') act(run, 'press next', () => run.t.press('next'));
    if (how === 'confirm') act(run, 'press confirm', () => run.t.press('confirm'));
    // On an HOTP account's screen that press makes a code, storing the next counter first.
    if (how === 'confirm' && run.state.accounts.some((a) => a.hotp)) run.mutatedOk = true;
    return;
  }
  if (how === 'hello') return feed(run, helloFrame(77), null);
  run.pending = null;
  if (how === 'timeout') {
    // The host pings while it waits (every 5 s here, inside the token's 10 s silence limit).
    for (let s = 0; s < 35; s += 5) {
      act(run, 'waiting out the timeout', () => run.t.tick(5000));
      if (s === 25) run.ready = { id: p.id, status: ERRORS.PRESENCE_TIMEOUT, what: 'timeout' };
      feed(run, pingFrame(run), null);
    }
  } else if (how === 'confirm' && CONFIRMABLE.includes(p.exp.command as number)) {
    act(run, 'press confirm', () => run.t.press('confirm'));
    run.ready = {
      id: p.id, status: STATUS_OK, what: 'confirmed ' + p.exp.rule,
      check: (r) => {
        const complaint = applyConfirmed(run.state, p.exp, r);
        if (complaint) fail(run, complaint);
        if (MUTATING.includes(p.exp.command as number)) run.mutatedOk = true;
        if (p.exp.command === COMMANDS.CODE && findAccount(run.state, p.exp.fields.name)?.hotp) run.mutatedOk = true; // the counter moved
      },
    };
    feed(run, pingFrame(run), null);
  } else {
    act(run, 'press next', () => run.t.press('next'));
    run.ready = { id: p.id, status: ERRORS.PRESENCE_DENIED, what: 'cancelled on the device' };
    feed(run, pingFrame(run), null);
  }
}

/** Seed material in any reply line sent since the last scan. */
function scanForSeeds(run: Run): void {
  const out = run.t.rawOut;
  for (; run.scanned < out.length; run.scanned++) {
    const line = out[run.scanned];
    const body = Buffer.from(line.replace(/^</, '').trim(), 'base64').toString('latin1');
    for (const n of run.needles) if (body.includes(n) || line.includes(n)) fail(run, 'a reply carries a seed: ' + line);
    for (let k = 0; k + 8 <= body.length; k++) if (run.windows.has(body.slice(k, k + 8))) fail(run, 'a reply carries 8 seed bytes: ' + line);
  }
}

function snapshot(run: Run): string {
  return JSON.stringify(Array.from(run.t.storage.data.entries()));
}

function listNames(run: Run, t: FakeToken): string[] {
  const names: string[] = [];
  for (let start: number | undefined = 0; start !== undefined; ) {
    const [r] = t.send(COMMANDS.LIST, { start, type: 1 });
    if (r?.status !== STATUS_OK) fail(run, 'LIST failed: ' + show(r));
    for (const a of (r.fields.account as { name: string }[] | undefined) ?? []) names.push(a.name);
    start = r.fields.next as number | undefined;
    if (names.length > 64) fail(run, 'LIST does not end');
  }
  return names;
}

function finish(run: Run): void {
  run.stats = null;
  feed(run, helloFrame(201), null);
  const last = run.t.replies[run.t.replies.length - 1];
  if (!last || last.id !== 201 || last.status !== STATUS_OK || last.fields.protocol !== 1) fail(run, 'the token no longer answers HELLO: ' + show(last));
  if (run.read !== run.t.replies.length) fail(run, 'extra replies: ' + run.t.replies.slice(run.read).map(show).join(', '));
  const want = run.state.accounts.map((a) => a.name);
  const got = listNames(run, run.t);
  if (JSON.stringify(got) !== JSON.stringify(want)) fail(run, 'accounts are ' + JSON.stringify(got) + ', model has ' + JSON.stringify(want));
  for (const a of run.state.accounts) {
    const [r] = run.t.send(COMMANDS.KEY_CHECK, { name: a.name });
    if (r?.status !== STATUS_OK || !keyCheckModel(a.algorithm, a.seed).equals(r.fields.check as Uint8Array)) fail(run, 'seed of ' + JSON.stringify(a.name) + ' changed: ' + show(r));
  }
  scanForSeeds(run);
  const restarted = fakeToken({ storage: run.t.storage, slots: run.state.slots });
  const after = listNames(run, restarted);
  if (JSON.stringify(after) !== JSON.stringify(want)) fail(run, 'after a restart the accounts are ' + JSON.stringify(after) + ', expected ' + JSON.stringify(want));
}

/** For the harness's own tests: break the token after each chunk and see the checks notice. */
export type Sabotage = (t: FakeToken, state: ModelState) => void;

export function runDeviceCase(c: DeviceCase, stats: FuzzStats, sabotage?: Sabotage): void {
  const run = start(c.setup);
  run.stats = stats;
  for (const chunk of c.chunks) {
    const before = snapshot(run);
    run.mutatedOk = false;
    const ctx = { names: run.state.accounts.map((a) => a.name), nowMs: Math.floor(run.t.clock.now), session: run.state.session ?? undefined };
    const text = chunk.frames.map((f) => buildFrame(f, ctx)).join('');
    run.log.push('chunk ' + JSON.stringify(text).slice(0, 200));
    feed(run, text, stats);
    resolve(run, chunk.resolution);
    sabotage?.(run.t, run.state);
    if (run.read !== run.t.replies.length) fail(run, 'extra replies: ' + run.t.replies.slice(run.read).map(show).join(', '));
    scanForSeeds(run);
    if (!run.mutatedOk && snapshot(run) !== before) fail(run, 'storage changed without a successful state-changing command');
    stats.chunks++;
  }
  finish(run);
  stats.runs++;
}
