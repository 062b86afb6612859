import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { base32Decode, base32Encode } from '../../protocol/base32.ts';
import { parseEntraCsv } from '../../host/lib/export/entra-csv.ts';
import { DEFAULT_SPEC, generateSeed, provisionFleet, writeRegistrationFiles } from '../../host/lib/fleet/fleet.ts';
import type { FleetSpec } from '../../host/lib/fleet/state.ts';
import { readPskcFile } from '../../host/lib/import/pskc-node.ts';
import { FakeFleetToken, virtualClock } from './helpers/fake-token.ts';

const root = mkdtempSync(join(tmpdir(), 'fleet-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => {
  const d = join(root, `run-${++n}`);
  mkdirSync(d);
  return d;
};
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** The seeds a fake token is sent from now on (hex), copied before the client zeroes them. */
function recordSeeds(t: FakeFleetToken): string[] {
  const sent: string[] = [];
  const add = t.add.bind(t);
  t.add = async (a) => {
    sent.push(hex(a.secret));
    return add(a);
  };
  return sent;
}

/** The seeds on record for a serial (hex), from the state file. */
function seedsOnRecord(statePath: string, serial: string): string[] {
  const state = JSON.parse(readFileSync(statePath, 'utf8')) as { tokens: { serial: string; accounts: { secret: string }[] }[] };
  return state.tokens.find((t) => t.serial === serial)!.accounts.map((a) => hex(base32Decode(a.secret)));
}

function tokens(count: number) {
  const clock = virtualClock(1_750_000_000_000);
  const map = new Map<string, FakeFleetToken>();
  for (let i = 0; i < count; i++) map.set(`/dev/ttyACM${i}`, new FakeFleetToken(clock));
  return map;
}

/** Two fake tokens on two ports, a fresh state file, two accounts per token named after the serial. */
function twoTokenRun() {
  const fleet = tokens(2);
  const [a, b] = [...fleet.keys()];
  const statePath = join(fresh(), 's.json');
  const spec: FleetSpec = { ...DEFAULT_SPEC, accountsPerToken: 2, nameTemplate: '{serial}-{k}' };
  const connect = async (p: string) => fleet.get(p)!;
  return { fleet, a, b, statePath, spec, connect };
}

describe('fleet provisioning', () => {
  it('generates seeds of the size RFC 6238 uses for the hash, all different', () => {
    expect(generateSeed('SHA1')).toHaveLength(20);
    expect(generateSeed('SHA256')).toHaveLength(32);
    expect(generateSeed('SHA512')).toHaveLength(64);
    const seen = new Set(Array.from({ length: 50 }, () => hex(generateSeed('SHA1'))));
    expect(seen.size).toBe(50);
    expect(() => generateSeed('SHA1', 8)).toThrow(/16 to 64/);
  });

  it('provisions 4 tokens at once; one failing midway does not stop the others; a re-run resumes and finishes it', async () => {
    const dir = fresh();
    const fleet = tokens(4);
    const ports = [...fleet.keys()];
    const flaky = fleet.get(ports[2])!;
    flaky.failAfterAdds = 1; // stores account 1 of 2, then the link drops
    fleet.get(ports[3])!.clockSet = false;
    const spec: FleetSpec = { ...DEFAULT_SPEC, accountsPerToken: 2, nameTemplate: 'vpn-{serial}-{k}', upnTemplate: 'user{n}@contoso.com', issuer: 'Contoso' };
    const lines: string[] = [];
    let live = 0;
    let maxLive = 0;
    for (const t of fleet.values()) {
      const close = t.close.bind(t);
      t.close = async () => {
        live--;
        return close();
      };
    }
    const connect = async (port: string) => {
      live++;
      maxLive = Math.max(maxLive, live);
      return fleet.get(port)!;
    };
    const statePath = join(dir, 'fleet-state.json');
    const r1 = await provisionFleet({ ports, spec, statePath, connect, onProgress: (p, t) => lines.push(`${p}: ${t}`) });
    expect(maxLive).toBe(4); // all ports at once
    expect(r1.complete).toBe(false);
    expect(r1.failed).toEqual([{ port: ports[2], code: 'DISCONNECTED', message: 'the link closed while a request was in flight' }]);
    expect(r1.done.map((t) => t.serial)).toEqual(['TT-0001', 'TT-0002', 'TT-0004']);
    expect(lines).toContain(`${ports[2]}: FAILED: the link closed while a request was in flight`);
    expect(lines).toContain(`${ports[0]}: done: serial TT-0001, 2 accounts`);
    expect(lines.some((l) => l.startsWith(`${ports[3]}: clock was not set`))).toBe(true);
    expect(statSync(statePath).mode & 0o777).toBe(0o600);
    expect([...flaky.accounts.keys()]).toEqual(['vpn-TT-0003-1']);

    // Registration files are not written for an incomplete fleet by the CLI; the re-run comes first.
    flaky.failAfterAdds = null;
    lines.length = 0;
    const r2 = await provisionFleet({ ports, spec, statePath, connect, onProgress: (p, t) => lines.push(`${p}: ${t}`) });
    expect(r2.complete).toBe(true);
    expect(r2.failed).toEqual([]);
    expect(lines.filter((l) => /already done in an earlier run/.test(l))).toHaveLength(3);
    expect(lines).toContain(`${ports[2]}: resuming: finishing with the seeds on record`);
    expect(lines).toContain(`${ports[2]}: 'vpn-TT-0003-1' was already stored with its seed (an earlier run got that far)`);
    expect([...flaky.accounts.keys()]).toEqual(['vpn-TT-0003-1', 'vpn-TT-0003-2']);
    for (const t of fleet.values()) expect(t.closed).toBeGreaterThanOrEqual(1);

    // The files hold exactly the seeds the tokens hold.
    const files = writeRegistrationFiles(r2.done, spec, { pskc: join(dir, 'fleet.pskcxml'), csv: join(dir, 'fleet.csv'), pskcOptions: { password: 'fleet pw', iterations: 2000 } });
    expect(files).toEqual({ pskc: join(dir, 'fleet.pskcxml'), csv: join(dir, 'fleet.csv') });
    for (const f of Object.values(files)) expect(statSync(f as string).mode & 0o777).toBe(0o600);
    const onTokens = new Map<string, string>();
    for (const t of fleet.values()) for (const [name, s] of t.accounts) onTokens.set(name, hex(s.secret));
    const keys = await readPskcFile(files.pskc!, { password: 'fleet pw' });
    expect(keys).toHaveLength(8);
    for (const k of keys) {
      expect(hex(k.otp.secret)).toBe(onTokens.get(k.otp.account));
      expect(k.otp).toMatchObject({ issuer: 'Contoso', algorithm: 'SHA1', digits: 6, period: 30 });
      expect(k.otp.secret).toHaveLength(20);
    }
    expect(keys.map((k) => [k.serial, k.keyId, k.userId])).toContainEqual(['TT-0003', 'TT-0003-2', 'user3@contoso.com']);
    const rows = parseEntraCsv(readFileSync(files.csv!, 'utf8'));
    expect(rows.map((r) => [r.upn, r.serial, r.period, r.manufacturer, r.model])).toContainEqual(['user4@contoso.com', 'TT-0004-1', 30, 'totp-token', 'fake-board']);
    expect(rows.map((r) => hex(r.secret)).sort()).toEqual([...onTokens.values()].sort());

    // Writing again refuses, and leaves both files as they were.
    const before = readFileSync(files.csv!, 'utf8');
    expect(() => writeRegistrationFiles(r2.done, spec, { pskc: join(dir, 'other.pskcxml'), csv: files.csv })).toThrow(/fleet.csv already exists: refusing to overwrite it \(nothing was written\)/);
    expect(existsSync(join(dir, 'other.pskcxml'))).toBe(false);
    expect(readFileSync(files.csv!, 'utf8')).toBe(before);
  });

  it('records seeds before sending them, and keeps serials stable across runs', async () => {
    const dir = fresh();
    const fleet = tokens(3);
    const ports = [...fleet.keys()];
    const statePath = join(dir, 's.json');
    let seenInState = false;
    const t0 = fleet.get(ports[0])!;
    const origAdd = t0.add.bind(t0);
    t0.add = async (a) => {
      const state = JSON.parse(readFileSync(statePath, 'utf8'));
      const rec = state.tokens.find((t: { port: string }) => t.port === ports[0]);
      seenInState = rec.status === 'sending' && hex(base32Decode(rec.accounts[0].secret)) === hex(a.secret);
      return origAdd(a);
    };
    fleet.get(ports[1])!.algorithms = ['SHA1'];
    const spec = { ...DEFAULT_SPEC, algorithm: 'SHA256' as const };
    const r = await provisionFleet({ ports, spec, statePath, connect: async (p) => fleet.get(p)!, onProgress: () => {} });
    expect(seenInState).toBe(true);
    expect(r.failed.map((f) => [f.port, f.code])).toEqual([[ports[1], 'UNSUPPORTED_ALGORITHM']]);
    expect(r.failed[0].message).toMatch(/cannot compute SHA256/);
    expect(fleet.get(ports[0])!.accounts.get('TT-0001')!.secret).toHaveLength(32);
    // Ports in another order, one new: old serials stay, the new one gets the next number.
    const more = [ports[2], 'tcp://127.0.0.1:9', ports[0]];
    fleet.set('tcp://127.0.0.1:9', new FakeFleetToken(virtualClock(0)));
    const r2 = await provisionFleet({ ports: more, spec, statePath, connect: async (p) => fleet.get(p)!, onProgress: () => {} });
    expect(r2.done.map((t) => [t.port, t.serial])).toEqual([[ports[0], 'TT-0001'], [ports[2], 'TT-0003'], ['tcp://127.0.0.1:9', 'TT-0004']]);
    expect(r2.complete).toBe(true);
    expect(() => writeRegistrationFiles(r2.done, spec, { csv: join(dir, 'x.csv') })).toThrow(/cannot write the Entra CSV: Entra takes HMAC-SHA1 only, not SHA256/);
    expect(existsSync(join(dir, 'x.csv'))).toBe(false);
  });

  it('refuses to resume a state file with other fleet options, and bad plans', async () => {
    const dir = fresh();
    const statePath = join(dir, 's.json');
    const fleet = tokens(1);
    await provisionFleet({ ports: [...fleet.keys()], spec: DEFAULT_SPEC, statePath, connect: async (p) => fleet.get(p)!, onProgress: () => {} });
    await expect(provisionFleet({ ports: ['a'], spec: { ...DEFAULT_SPEC, digits: 8 }, statePath, connect: async () => fleet.get('a')!, onProgress: () => {} })).rejects.toThrow(
      /belongs to a fleet with digits '6', not '8'/,
    );
    writeFileSync(join(dir, 'junk.json'), '{');
    await expect(provisionFleet({ ports: ['a'], spec: DEFAULT_SPEC, statePath: join(dir, 'junk.json'), connect: async () => fleet.get('a')!, onProgress: () => {} })).rejects.toThrow(/not readable JSON/);
    await expect(provisionFleet({ ports: ['a', 'a'], spec: DEFAULT_SPEC, statePath, connect: async () => fleet.get('a')!, onProgress: () => {} })).rejects.toThrow(/listed twice/);
    await expect(provisionFleet({ ports: ['a'], spec: { ...DEFAULT_SPEC, accountsPerToken: 2, nameTemplate: 'x' }, statePath: join(dir, 'n.json'), connect: async () => fleet.get('a')!, onProgress: () => {} })).rejects.toThrow(/needs \{k\}/);
  });

  it('a token with a different key under the same name fails that port clearly', async () => {
    const dir = fresh();
    const fleet = tokens(2);
    const ports = [...fleet.keys()];
    await fleet.get(ports[1])!.add({ name: 'TT-0002', issuer: '', algorithm: 'SHA1', digits: 6, period: 30, secret: new Uint8Array(20).fill(9) });
    const r = await provisionFleet({ ports, spec: DEFAULT_SPEC, statePath: join(dir, 's.json'), connect: async (p) => fleet.get(p)!, onProgress: () => {} });
    expect(r.failed[0].message).toMatch(/already has an account 'TT-0002' with another key: wipe the token/);
    expect(r.done.map((t) => t.serial)).toEqual(['TT-0001']);
  });

  it('a re-run with another token on a port recorded as done provisions it as a new token, and the original is not claimed twice', async () => {
    const dir = fresh();
    const fleet = tokens(2);
    const [a, b] = [...fleet.keys()];
    const statePath = join(dir, 's.json');
    const connect = async (p: string) => fleet.get(p)!;
    const r1 = await provisionFleet({ ports: [a, b], spec: DEFAULT_SPEC, statePath, connect, onProgress: () => {} });
    expect(r1.done.map((t) => [t.serial, t.port])).toEqual([['TT-0001', a], ['TT-0002', b]]);

    // The token on b is swapped for a fresh one; the original turns up on a third port.
    const original = fleet.get(b)!;
    const sentToOriginal = recordSeeds(original);
    const replacement = new FakeFleetToken(virtualClock(0));
    const c = '/dev/ttyACM2';
    fleet.set(b, replacement);
    fleet.set(c, original);
    const lines: string[] = [];
    const r2 = await provisionFleet({ ports: [a, b, c], spec: DEFAULT_SPEC, statePath, connect, onProgress: (p, t) => lines.push(`${p}: ${t}`) });
    expect(sentToOriginal).toEqual([]);
    expect([...original.accounts.keys()]).toEqual(['TT-0002']);
    expect([...replacement.accounts.keys()]).toEqual(['TT-0003']);
    expect(r2.failed).toEqual([]);
    expect(r2.complete).toBe(true);
    expect(r2.done.map((t) => [t.serial, t.port])).toEqual([['TT-0001', a], ['TT-0002', c], ['TT-0003', b]]);
    expect(lines).toContain(`${b}: new token: token 3, serial TT-0003`);
    expect(lines).toContain(`${c}: already done in an earlier run (serial TT-0002), verified by key check; skipped`);
    expect(hex(replacement.accounts.get('TT-0003')!.secret)).toBe(seedsOnRecord(statePath, 'TT-0003')[0]);

    // Every seed in the registration files is on exactly one token.
    const files = writeRegistrationFiles(r2.done, DEFAULT_SPEC, { csv: join(dir, 'fleet.csv') });
    const held = [...fleet.values()].flatMap((t) => [...t.accounts.values()].map((s) => hex(s.secret)));
    const rows = parseEntraCsv(readFileSync(files.csv!, 'utf8'));
    expect(rows.map((r) => r.serial)).toEqual(['TT-0001', 'TT-0002', 'TT-0003']);
    for (const r of rows) expect(held.filter((h) => h === hex(r.secret))).toHaveLength(1);
  });

  it('tokens swapped between two ports are recognised by key check: nothing is re-sent', async () => {
    const { fleet, a, b, statePath, spec, connect } = twoTokenRun();
    await provisionFleet({ ports: [a, b], spec, statePath, connect, onProgress: () => {} });
    const first = fleet.get(a)!;
    const second = fleet.get(b)!;
    const sent = [recordSeeds(first), recordSeeds(second)];
    let keyChecks = 0;
    for (const t of [first, second]) {
      const keyCheck = t.keyCheck.bind(t);
      t.keyCheck = async (name) => {
        keyChecks++;
        return keyCheck(name);
      };
    }
    fleet.set(a, second);
    fleet.set(b, first);
    const lines: string[] = [];
    const r = await provisionFleet({ ports: [a, b], spec, statePath, connect, onProgress: (p, t) => lines.push(`${p}: ${t}`) });
    expect(r.failed).toEqual([]);
    expect(r.complete).toBe(true);
    expect(sent).toEqual([[], []]);
    expect(keyChecks).toBeGreaterThanOrEqual(4); // every account checked on the token that holds it
    expect(lines).toContain(`${a}: this is serial TT-0002 (recognised by key check; it was on ${b} before)`);
    expect(lines).toContain(`${a}: already done in an earlier run (serial TT-0002), verified by key check; skipped`);
    expect(lines).toContain(`${b}: already done in an earlier run (serial TT-0001), verified by key check; skipped`);
    expect(r.done.map((t) => [t.serial, t.port])).toEqual([['TT-0001', b], ['TT-0002', a]]);
    const state = JSON.parse(readFileSync(statePath, 'utf8')) as { tokens: { serial: string; port: string }[] };
    expect(state.tokens.map((t) => [t.serial, t.port])).toEqual([['TT-0001', b], ['TT-0002', a]]);
  });

  it('an interrupted token is resumed only on the token that holds its accounts; a fresh token on its port becomes a new token', async () => {
    const { fleet, a, b, statePath, spec, connect } = twoTokenRun();
    const interruptedToken = fleet.get(b)!;
    interruptedToken.failAfterAdds = 1; // stores TT-0002-1, then the link drops
    const r1 = await provisionFleet({ ports: [a, b], spec, statePath, connect, onProgress: () => {} });
    expect(r1.failed.map((f) => f.port)).toEqual([b]);
    expect([...interruptedToken.accounts.keys()]).toEqual(['TT-0002-1']);
    interruptedToken.failAfterAdds = null;
    const interruptedSeeds = seedsOnRecord(statePath, 'TT-0002');

    // A fresh token on b; the interrupted one is not plugged in.
    const freshToken = new FakeFleetToken(virtualClock(0));
    const sentToFresh = recordSeeds(freshToken);
    fleet.set(b, freshToken);
    const lines: string[] = [];
    const r2 = await provisionFleet({ ports: [a, b], spec, statePath, connect, onProgress: (p, t) => lines.push(`${p}: ${t}`) });
    expect(sentToFresh.filter((s) => interruptedSeeds.includes(s))).toEqual([]);
    expect(r2.failed).toEqual([]);
    expect(r2.complete).toBe(true); // every port of this run holds a done token
    expect(r2.done.map((t) => [t.serial, t.port])).toEqual([['TT-0001', a], ['TT-0003', b]]);
    expect(r2.interrupted.map((t) => [t.serial, t.status])).toEqual([['TT-0002', 'sending']]);
    expect(lines).toContain(`${b}: new token: token 3, serial TT-0003`);
    expect(lines.some((l) => l.startsWith(`${b}: serial TT-0002 was interrupted in an earlier run and no token on this run's ports holds its accounts: it stays unfinished`))).toBe(true);
    expect(sentToFresh).toEqual(seedsOnRecord(statePath, 'TT-0003'));
    expect(seedsOnRecord(statePath, 'TT-0002')).toEqual(interruptedSeeds);

    // The interrupted token turns up on another port: it, and only it, is finished with its seeds.
    const c = '/dev/ttyACM2';
    fleet.set(c, interruptedToken);
    const sentToInterrupted = recordSeeds(interruptedToken);
    lines.length = 0;
    const r3 = await provisionFleet({ ports: [a, b, c], spec, statePath, connect, onProgress: (p, t) => lines.push(`${p}: ${t}`) });
    expect(r3.failed).toEqual([]);
    expect(r3.complete).toBe(true);
    expect(r3.interrupted).toEqual([]);
    expect(lines).toContain(`${c}: resuming: finishing with the seeds on record`);
    expect(r3.done.map((t) => [t.serial, t.port])).toEqual([['TT-0001', a], ['TT-0002', c], ['TT-0003', b]]);
    expect(sentToInterrupted).toEqual(interruptedSeeds);
    expect(sentToFresh).toHaveLength(2); // nothing more went to the fresh token
    expect([...interruptedToken.accounts].map(([name, s]) => [name, hex(s.secret)])).toEqual([['TT-0002-1', interruptedSeeds[0]], ['TT-0002-2', interruptedSeeds[1]]]);

    // No progress line names a seed.
    const seeds = [...fleet.values()].flatMap((t) => [...t.accounts.values()].map((s) => s.secret));
    for (const s of seeds) for (const l of lines) expect(l.includes(hex(s)) || l.toUpperCase().includes(base32Encode(s, false))).toBe(false);
  });

  it('refuses to guess: a done token that lost an account, and two tokens holding one record\'s seeds, fail their ports', async () => {
    const dir = fresh();
    const fleet = tokens(3);
    const [a, b, c] = [...fleet.keys()];
    const statePath = join(dir, 's.json');
    const spec: FleetSpec = { ...DEFAULT_SPEC, accountsPerToken: 2, nameTemplate: '{serial}-{k}' };
    const connect = async (p: string) => fleet.get(p)!;
    await provisionFleet({ ports: [a, b, c], spec, statePath, connect, onProgress: () => {} });
    fleet.get(a)!.accounts.delete('TT-0001-2');
    const copy = new FakeFleetToken(virtualClock(0));
    for (const [name, s] of fleet.get(b)!.accounts) copy.accounts.set(name, { ...s, secret: new Uint8Array(s.secret) });
    fleet.set(c, copy);
    const adds = [...fleet.values()].map((t) => t.adds);
    const r = await provisionFleet({ ports: [a, b, c], spec, statePath, connect, onProgress: () => {} });
    expect(r.complete).toBe(false);
    const failed = [...r.failed].sort((x, y) => x.port.localeCompare(y.port));
    expect(failed.map((f) => [f.port, f.code])).toEqual([[a, 'KEY_CHECK_MISMATCH'], [b, 'KEY_CHECK_MISMATCH'], [c, 'KEY_CHECK_MISMATCH']]);
    expect(failed[0].message).toMatch(/serial TT-0001, done in an earlier run, but no longer holds 'TT-0001-2' with the seed on record/);
    expect(failed[1].message).toBe(failed[2].message);
    expect(failed[1].message).toMatch(new RegExp(`the tokens on ${b} and ${c} both hold seeds of serial TT-0002`));
    expect([...fleet.values()].map((t) => t.adds)).toEqual(adds);
    expect(r.done.map((t) => t.status)).toEqual(['done', 'done', 'done']); // the records are left as they were
  });
});
