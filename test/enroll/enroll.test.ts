import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { afterAll, describe, expect, it } from 'vitest';
import { base32Encode } from '../../protocol/base32.ts';
import type { OtpAuth } from '../../protocol/otpauth.ts';
import { enrollAccount, resyncAccount } from '../../host/lib/enroll/enroll.ts';
import type { EnrollEvent, FlowOptions } from '../../host/lib/enroll/enroll.ts';
import { readEnrollSeed } from '../../host/lib/enroll/seed.ts';
import { otplibTotp } from '../helpers/providers.ts';
import { FakeToken, virtualClock } from './helpers/fake-token.ts';

const dir = mkdtempSync(join(tmpdir(), 'enroll-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const awsSeed = () => new Uint8Array(40).map((_, i) => (i * 37 + 11) & 255);
const AWS_KEY = base32Encode(awsSeed(), false);
const T0 = 1_750_000_000_000 - (1_750_000_000_000 % 30_000); // a period boundary

function setup(startMs: number, extra: Partial<FlowOptions> = {}) {
  const clock = virtualClock(startMs);
  const token = new FakeToken(clock);
  const events: EnrollEvent[] = [];
  const opts: FlowOptions = { client: token, clock, onEvent: (e) => events.push(e), ...extra };
  return { clock, token, events, opts };
}

const awsOtp = (): OtpAuth => ({ type: 'totp', issuer: '', account: 'root-account-mfa-device@123456789012', secret: awsSeed(), algorithm: 'SHA1', digits: 6, period: 30, counter: 0 });

describe('enroll: two consecutive codes, timed', () => {
  for (const into of [0, 400, 5_000, 9_999, 10_001, 17_000, 25_000, 29_900]) {
    it(`starting ${into / 1000} s into a period: codes are otplib's for periods N and N+1, code 1 asked in a fresh period`, async () => {
      const { token, events, opts, clock } = setup(T0 + into);
      const r = await enrollAccount(awsOtp(), 'AWS', opts);
      const [c1, c2] = token.codeCalls;
      expect(token.codeCalls).toHaveLength(2);
      const n = Math.floor(c1.pressedAt / 30_000);
      expect(r.period1).toBe(n);
      expect(r.code1).toBe(otplibTotp(awsSeed(), n * 30, 6, 30, 'SHA1'));
      expect(r.code2).toBe(otplibTotp(awsSeed(), (n + 1) * 30, 6, 30, 'SHA1'));
      // Code 1 is asked for with at least 20 s of its period left, and not in the first instant of it.
      const into1 = c1.askedAt % 30_000;
      expect(30_000 - into1).toBeGreaterThanOrEqual(20_000);
      expect(into1).toBeGreaterThanOrEqual(1_500);
      // Code 2 is asked for only once the next period has started.
      expect(c2.askedAt).toBeGreaterThanOrEqual((n + 1) * 30_000);
      expect(Math.floor(c2.askedAt / 30_000)).toBe(n + 1);
      // The submit line says plainly when, and matches the time left in code 2's period.
      const submit = events.find((e) => e.kind === 'submit') as Extract<EnrollEvent, { kind: 'submit' }>;
      expect(submit.text).toMatch(new RegExp(`^Enter both codes \\(code 1: ${r.code1}, code 2: ${r.code2}\\) on the AWS page and submit now, within \\d+ seconds\\.$`));
      expect(submit.withinS).toBe(Math.floor(((n + 2) * 30_000 - c2.pressedAt) / 1000));
      expect(r.submitByMs).toBe((n + 2) * 30_000);
      // The countdown ran to the end of the window, one tick a second, then said time is up.
      const ticks = events.slice(events.indexOf(submit) + 1).filter((e) => e.kind === 'tick');
      expect(ticks.map((t) => (t as { secondsLeft: number }).secondsLeft)).toEqual(Array.from({ length: ticks.length }, (_, i) => ticks.length - i));
      expect(events[events.length - 1].kind).toBe('expired');
      expect(clock.now()).toBe((n + 2) * 30_000);
      expect(r.check).toMatch(/^[0-9a-f]{16}$/);
    });
  }

  it('shows each code with its countdown and prompts for the button', async () => {
    const { events, opts } = setup(T0 + 3_000, { countdown: false });
    await enrollAccount(awsOtp(), 'AWS', opts);
    const kinds = events.map((e) => e.kind);
    expect(kinds.filter((k) => k === 'press')).toHaveLength(2);
    expect(events.find((e) => e.kind === 'code' && e.index === 1)?.text).toMatch(/^Code 1: \d{6} {3}\(this period ends in \d+ s; do not submit yet\)$/);
    expect(events.some((e) => e.kind === 'tick' && /^Code 2 comes with the next period, in \d+ s$/.test(e.text))).toBe(true);
    expect(events.some((e) => e.kind === 'step' && /Key check passed/.test(e.text))).toBe(true);
  });

  it('starts over when the button for code 2 is pressed after its period', async () => {
    const { token, events, opts } = setup(T0 + 2_000, { countdown: false });
    token.pressDelaysMs = [1000, 40_000, 1000, 1000];
    const r = await enrollAccount(awsOtp(), 'AWS', opts);
    expect(token.codeCalls).toHaveLength(4);
    expect(events.some((e) => e.kind === 'warn' && /too late.*starting over/.test(e.text))).toBe(true);
    const n = r.period1 as number;
    expect([r.code1, r.code2]).toEqual([otplibTotp(awsSeed(), n * 30, 6, 30, 'SHA1'), otplibTotp(awsSeed(), (n + 1) * 30, 6, 30, 'SHA1')]);
  });

  it('tolerates a token clock a few seconds off (with a warning) and refuses one that is unset or a period off', async () => {
    const a = setup(T0 + 12_000, { countdown: false });
    a.token.offsetMs = 5_000;
    const r = await enrollAccount(awsOtp(), 'AWS', a.opts);
    expect(a.events.some((e) => e.kind === 'warn' && /5\.0 s off/.test(e.text))).toBe(true);
    const n = r.period1 as number;
    expect(r.code2).toBe(otplibTotp(awsSeed(), (n + 1) * 30, 6, 30, 'SHA1'));
    expect(Math.floor((a.token.codeCalls[1].pressedAt) / 30_000)).toBe(n + 1);

    const b = setup(T0);
    b.token.clockSet = false;
    await expect(enrollAccount(awsOtp(), 'AWS', b.opts)).rejects.toMatchObject({ code: 'CLOCK_NOT_SET' });
    const c = setup(T0);
    c.token.offsetMs = -40_000;
    await expect(enrollAccount(awsOtp(), 'AWS', c.opts)).rejects.toThrow(/-40 s off this computer's/);
    expect(c.token.accounts.size).toBe(0); // refused before the seed left the host
  });

  it('goes on when the account is already stored with the same key, refuses one with another key', async () => {
    const { token, events, opts } = setup(T0 + 1_000, { countdown: false });
    await token.add({ name: 'root-account-mfa-device@123456789012', issuer: '', algorithm: 'SHA1', digits: 6, period: 30, secret: awsSeed() });
    const r = await enrollAccount(awsOtp(), 'AWS', opts);
    expect(r.alreadyStored).toBe(true);
    expect(events.some((e) => /already on the token with this very key/.test(e.text))).toBe(true);
    const other = setup(T0);
    await other.token.add({ name: 'root-account-mfa-device@123456789012', issuer: '', algorithm: 'SHA1', digits: 6, period: 30, secret: new Uint8Array(40).fill(1) });
    await expect(enrollAccount(awsOtp(), 'AWS', other.opts)).rejects.toThrow(/already has an account named 'root-account-mfa-device@123456789012' with a different key/);
  });

  it('wipes the seed it was given', async () => {
    const otp = awsOtp();
    await enrollAccount(otp, 'AWS', setup(T0 + 5_000, { countdown: false }).opts);
    expect(otp.secret.every((b) => b === 0)).toBe(true);
  });

  it('stops the countdown when told to', async () => {
    const ac = new AbortController();
    const { events, opts } = setup(T0 + 5_000, { signal: ac.signal });
    opts.onEvent = (e) => {
      events.push(e);
      if (e.kind === 'submit') ac.abort();
    };
    await enrollAccount(awsOtp(), 'AWS', opts);
    expect(events[events.length - 1].kind).toBe('submit');
  });

  it('display mode times the two readings without asking over USB', async () => {
    const { token, events, opts } = setup(T0 + 25_000, { readCodes: 'display', countdown: false });
    await enrollAccount(awsOtp(), 'AWS', opts);
    expect(token.codeCalls).toHaveLength(0);
    expect(events.filter((e) => e.kind === 'step' && /^Code [12]: type/.test(e.text))).toHaveLength(2);
    expect(events.find((e) => e.kind === 'submit')?.text).toMatch(/^Enter both codes on the AWS page and submit now, within \d+ seconds\.$/);
  });
});

describe('resync: two fresh consecutive codes from an account already on the token', () => {
  it("gives otplib's codes for N and N+1 without knowing the seed", async () => {
    const { token, opts } = setup(T0 + 22_000, { countdown: false });
    await token.add({ name: 'aws-root', issuer: 'AWS', algorithm: 'SHA1', digits: 6, period: 30, secret: awsSeed() });
    const r = await resyncAccount('aws-root', 30, 'AWS', opts);
    const n = r.period1 as number;
    expect(token.codeCalls[0].askedAt % 30_000).toBeLessThanOrEqual(10_000);
    expect([r.code1, r.code2]).toEqual([otplibTotp(awsSeed(), n * 30, 6, 30, 'SHA1'), otplibTotp(awsSeed(), (n + 1) * 30, 6, 30, 'SHA1')]);
  });

  it('names a missing account', async () => {
    await expect(resyncAccount('nope', 30, 'AWS', setup(T0).opts)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('enroll: where the seed comes from', () => {
  const awsUri = `otpauth://totp/root-account-mfa-device@123456789012?secret=${AWS_KEY}`;

  it('takes an AWS-shaped QR code image (64-character seed, label without issuer)', async () => {
    const png = join(dir, 'aws.png');
    await QRCode.toFile(png, awsUri, { type: 'png' });
    const { otp, warnings } = await readEnrollSeed({ kind: 'qr', file: png }, { aws: true, issuer: 'AWS' });
    expect(otp).toMatchObject({ account: 'root-account-mfa-device@123456789012', issuer: 'AWS', algorithm: 'SHA1', digits: 6, period: 30 });
    expect(Array.from(otp.secret)).toEqual(Array.from(awsSeed()));
    expect(warnings).toEqual([]);
  });

  it('refuses a wrong QR code clearly, without echoing it', async () => {
    const cases: [string, RegExp][] = [
      ['https://console.aws.amazon.com/iam/home?x=SECRETISH', /holds a web link \(http\/https\), not a key; enrollment needs the QR code from the service's MFA setup page/],
      ['WIFI:S:office;T:WPA;P:p4ssw0rd;;', /holds a Wi-Fi network/],
      ['otpauth-migration://offline?data=CgA%3D', /Google Authenticator export.*totp-token import/],
    ];
    for (const [content, why] of cases) {
      const png = join(dir, 'wrong.png');
      await QRCode.toFile(png, content, { type: 'png' });
      const err = (await readEnrollSeed({ kind: 'qr', file: png }).catch((e: Error) => e)) as Error;
      expect(err.message).toMatch(why);
      expect(err.message).not.toMatch(/SECRETISH|p4ssw0rd/);
    }
    await expect(readEnrollSeed({ kind: 'qr', file: join(dir, 'missing.png') })).rejects.toThrow(/no such file/);
  });

  it('refuses a truncated seed: AWS keys must be 64 characters; base32 errors name the place', async () => {
    const aws = { aws: true, account: 'root' };
    await expect(readEnrollSeed({ kind: 'base32', key: AWS_KEY.slice(0, 63) }, aws)).rejects.toThrow(/AWS secret configuration key is 64 characters; this one has 63: it looks truncated/);
    // Cut by 8 characters it still decodes cleanly: only the length check catches it.
    await expect(readEnrollSeed({ kind: 'base32', key: AWS_KEY.slice(0, 56) }, aws)).rejects.toThrow(/this one has 56/);
    await expect(readEnrollSeed({ kind: 'uri', uri: `otpauth://totp/AWS:root?secret=${AWS_KEY.slice(0, 56)}&issuer=AWS` })).rejects.toThrow(/AWS seeds are 40 bytes .* this one is 35 bytes: it was truncated/);
    await expect(readEnrollSeed({ kind: 'base32', key: AWS_KEY.slice(0, 63) }, { account: 'x' })).rejects.toThrow(/base32: the character at position 63 leaves non-zero bits|base32: 63 characters cannot be whole bytes/);
    await expect(readEnrollSeed({ kind: 'base32', key: AWS_KEY.replace(/^(.{9})./, '$10') }, aws)).rejects.toThrow(/invalid character '0' at position 10/);
    await expect(readEnrollSeed({ kind: 'base32', key: 'JBSWY3DP' }, { account: 'x' })).rejects.toThrow(/too short .* probably truncated/);
    const ok = await readEnrollSeed({ kind: 'base32', key: AWS_KEY.toLowerCase().replace(/(.{4})/g, '$1 ') }, aws);
    expect(Array.from(ok.otp.secret)).toEqual(Array.from(awsSeed()));
  });

  it('names what a pasted URI is when it is not one, and refuses HOTP', async () => {
    await expect(readEnrollSeed({ kind: 'uri', uri: 'https://example.com' })).rejects.toThrow(/expected an otpauth:\/\/ URI, got a web link/);
    await expect(readEnrollSeed({ kind: 'uri', uri: 'otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=1' })).rejects.toThrow(/HOTP/);
    const { warnings } = await readEnrollSeed({ kind: 'uri', uri: 'otpauth://totp/Example:me?secret=JBSWY3DPEHPK3PXP' });
    expect(warnings[0]).toMatch(/10 bytes, under RFC 4226's 16/);
  });
});

describe('enroll: short periods', () => {
  it('scales the fresh-period rule down for a 10-second code', async () => {
    const clock = virtualClock(T0 + 2_500);
    const token = new FakeToken(clock);
    token.pressDelaysMs = [500];
    const otp: OtpAuth = { ...awsOtp(), period: 10, account: 'short' };
    const r = await enrollAccount(otp, 'Example', { client: token, clock, onEvent: () => {}, countdown: false });
    const [c1, c2] = token.codeCalls;
    expect(10_000 - (c1.askedAt % 10_000)).toBeGreaterThanOrEqual(6_666);
    expect(Math.floor(c2.askedAt / 10_000)).toBe((r.period1 as number) + 1);
    expect(r.code2).toBe(otplibTotp(awsSeed(), ((r.period1 as number) + 1) * 10, 6, 10, 'SHA1'));
  });
});
