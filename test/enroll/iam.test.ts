// enroll --iam: an IAM user's virtual MFA device through the AWS API, against
// a fake IAM and the simulator token through the real TokenClient. The fake
// "AWS" makes the seed, keeps its own copy, and checks the two codes it is
// given against otplib for consecutive periods, as AWS does. One virtual
// clock drives the token and the flow; the test presses the token's button.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SETTLE_MS } from '../../firmware/presence.ts';
import { startSimToken } from '../../firmware/ports/node/sim-token.ts';
import type { SimToken } from '../../firmware/ports/node/sim-token.ts';
import { base32Encode } from '../../protocol/base32.ts';
import { TokenClient } from '../../host/lib/client.ts';
import { enrollIamVirtualMfa, iamFromSdk } from '../../host/lib/aws/iam-mfa.ts';
import type { IamEnrollOptions, IamMfaApi, IamVirtualMfaDevice } from '../../host/lib/aws/iam-mfa.ts';
import type { EnrollEvent } from '../../host/lib/enroll/enroll.ts';
import { openTransport } from '../../host/lib/transport/index.ts';
import { otplibTotp } from '../helpers/providers.ts';
import { findLeaks } from '../e2e/leak-scan.ts';
import { virtualClock } from './helpers/fake-token.ts';

// Each press waits out the token's 1 s settle time, in real time.
vi.setConfig({ testTimeout: 30_000 });

const ACCOUNT = '123456789012';
const dir = mkdtempSync(join(tmpdir(), 'enroll-iam-'));
const T0 = 1_770_000_000_000 - (1_770_000_000_000 % 30_000) + 24_000; // 6 s before a boundary
const clock = virtualClock(T0);
const PRESS_MS = 1_800;
let sim: SimToken;
let client: TokenClient;
/** Everything the token sent (reply frames), scanned for seeds. */
const received: string[] = [];

beforeAll(async () => {
  sim = await startSimToken({ stateDir: join(dir, 'sim'), link: 'tcp', timeSource: () => clock.now() });
  client = new TokenClient(await openTransport(sim.address), { traceReceived: (c) => received.push(c) });
  await client.hello();
  await client.syncTime(() => clock.now());
});

afterAll(async () => {
  await client?.close();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

type Call = { op: 'create' | 'enable' | 'delete'; input: Record<string, string> };

/** IAM as far as this flow sees it; codes are checked with otplib against its own copy of each seed. */
class FakeIam implements IamMfaApi {
  readonly calls: Call[] = [];
  /** Each device's seed, as AWS keeps it. */
  readonly seeds = new Map<string, Uint8Array>();
  readonly enabled = new Map<string, string>();
  /** What create returned, to check the flow zeroed it. */
  readonly replies: IamVirtualMfaDevice[] = [];
  failEnable: Error | null = null;
  failDelete: Error | null = null;
  private n = 0;

  async createVirtualMFADevice(input: { VirtualMFADeviceName: string }): Promise<IamVirtualMfaDevice> {
    this.calls.push({ op: 'create', input: { ...input } });
    const serial = `arn:aws:iam::${ACCOUNT}:mfa/${input.VirtualMFADeviceName}`;
    if (this.seeds.has(serial)) throw new Error('EntityAlreadyExists: MFADevice entity at the same path and name already exists.');
    const seed = new Uint8Array(40).map((_, i) => (i * 71 + 13 + 97 * ++this.n) & 255);
    this.seeds.set(serial, seed);
    const reply = { SerialNumber: serial, Base32StringSeed: new TextEncoder().encode(base32Encode(seed, false)), QRCodePNG: new Uint8Array(64).fill(0x5a) };
    this.replies.push(reply);
    return reply;
  }

  async enableMFADevice(input: { UserName: string; SerialNumber: string; AuthenticationCode1: string; AuthenticationCode2: string }): Promise<void> {
    this.calls.push({ op: 'enable', input: { ...input } });
    if (this.failEnable) throw this.failEnable;
    const seed = this.seeds.get(input.SerialNumber);
    if (!seed) throw new Error('NoSuchEntity: no such virtual MFA device');
    const k = Math.floor(clock.now() / 30_000);
    const ok = input.AuthenticationCode1 === otplibTotp(seed, (k - 1) * 30, 6, 30, 'SHA1') && input.AuthenticationCode2 === otplibTotp(seed, k * 30, 6, 30, 'SHA1');
    if (!ok) throw new Error('InvalidAuthenticationCode: Authentication code for device is not valid.');
    this.enabled.set(input.SerialNumber, input.UserName);
  }

  async deleteVirtualMFADevice(input: { SerialNumber: string }): Promise<void> {
    this.calls.push({ op: 'delete', input: { ...input } });
    if (this.failDelete) throw this.failDelete;
    this.seeds.delete(input.SerialNumber);
  }
}

/** The user at the token: presses its button (or the other one, to refuse) a little after it asks. */
function user(role: 'confirm' | 'next' = 'confirm') {
  const events: EnrollEvent[] = [];
  return {
    events,
    lines: () => events.map((e) => e.text),
    out: (e: EnrollEvent) => {
      events.push(e);
      if (e.kind === 'press') {
        clock.t += PRESS_MS;
        setTimeout(() => sim.press(role), SETTLE_MS + 100); // real time: the token's settle time passes first
      }
    },
  };
}

function run(iam: FakeIam, u: ReturnType<typeof user>, extra: Partial<IamEnrollOptions> = {}) {
  return enrollIamVirtualMfa({ iam, token: client, userName: 'alice', clock, out: u.out, ...extra });
}

/** The seed in any form we might print: base32, hex, base64, raw bytes (findLeaks's forms). */
function leaks(texts: string[], seeds: Uint8Array[]): string[] {
  return findLeaks([texts.join('\n')], seeds);
}

describe('enroll --iam: an IAM user through the AWS API', () => {
  it('creates the device, stores its seed unseen, and enables it with two consecutive codes', async () => {
    const iam = new FakeIam();
    const u = user();
    const r = await run(iam, u, { userName: 'alice' });
    const serial = `arn:aws:iam::${ACCOUNT}:mfa/alice`;
    expect(r).toMatchObject({ userName: 'alice', serialNumber: serial, tokenName: `alice@${ACCOUNT}` });
    expect(iam.calls.map((c) => c.op)).toEqual(['create', 'enable']);
    expect(iam.enabled.get(serial)).toBe('alice'); // the fake AWS accepted them: otplib's codes for periods k-1 and k
    const seed = iam.seeds.get(serial) as Uint8Array;
    const enable = iam.calls[1].input;
    const k = Math.floor(clock.now() / 30_000);
    expect([enable.AuthenticationCode1, enable.AuthenticationCode2]).toEqual([otplibTotp(seed, (k - 1) * 30, 6, 30, 'SHA1'), otplibTotp(seed, k * 30, 6, 30, 'SHA1')]);
    // Started 6 s before a boundary: the flow waited for a fresh period, then both codes were confirmed on the token.
    expect(u.events.filter((e) => e.kind === 'press')).toHaveLength(2);
    expect(u.events.some((e) => e.kind === 'tick' && /fresh 30-second period/.test(e.text))).toBe(true);
    expect(u.events.some((e) => e.kind === 'submit')).toBe(false);
    // The token holds AWS's key (checked against AWS's copy, not ours).
    expect((await client.list()).find((a) => a.name === `alice@${ACCOUNT}`)).toMatchObject({ issuer: 'AWS', algorithm: 'SHA1', digits: 6, period: 30 });
    expect((await client.verify(`alice@${ACCOUNT}`, 'SHA1', new Uint8Array(seed))).match).toBe(true);
    // The seed was never shown, and the buffers AWS's reply held it in are zeroed.
    expect(leaks([...u.lines(), JSON.stringify(r)], [seed])).toEqual([]);
    expect(findLeaks(received, [seed])).toEqual([]);
    expect(iam.replies[0].Base32StringSeed?.every((b) => b === 0)).toBe(true);
    expect(iam.replies[0].QRCodePNG?.every((b) => b === 0)).toBe(true);
  });

  it('AWS refusing the codes: the device is deleted again and the message says what is left', async () => {
    const iam = new FakeIam();
    iam.failEnable = new Error('InvalidAuthenticationCode: Authentication code for device is not valid.');
    const u = user();
    const err = await run(iam, u, { userName: 'bob' }).then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(/^AWS did not enable the MFA device: InvalidAuthenticationCode.*; the virtual MFA device arn:aws:iam::123456789012:mfa\/bob was deleted again, so AWS keeps no key for it; the account 'bob@123456789012' stays on the token .*totp-token remove 'bob@123456789012'/);
    expect(iam.calls.map((c) => c.op)).toEqual(['create', 'enable', 'delete']);
    expect(iam.calls[2].input).toEqual({ SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/bob` });
    expect(iam.seeds.size).toBe(0);
    const seed = new Uint8Array(40).map((_, i) => (i * 71 + 13 + 97) & 255); // the fake's first seed
    expect(leaks([...u.lines(), String(err?.message), String(err?.stack)], [seed])).toEqual([]);
    expect(findLeaks(received, [seed])).toEqual([]);
  });

  it('the button refused on the token: the device is deleted again', async () => {
    const iam = new FakeIam();
    const err = await run(iam, user('next'), { userName: 'carol' }).then(
      () => null,
      (e: Error & { code?: string }) => e,
    );
    expect(err?.code).toBe('PRESENCE_DENIED');
    expect(err?.message).toMatch(/was deleted again/);
    expect(iam.calls.map((c) => c.op)).toEqual(['create', 'delete']);
    expect(iam.seeds.size).toBe(0);
  });

  it('deleting fails too: says so and how to delete it by hand', async () => {
    const iam = new FakeIam();
    iam.failEnable = new Error('ServiceFailure');
    iam.failDelete = new Error('Throttling: Rate exceeded');
    const err = await run(iam, user(), { userName: 'dave' }).catch((e: Error) => e);
    expect(String(err)).toMatch(/deleting the virtual MFA device arn:aws:iam::123456789012:mfa\/dave failed too \(Throttling: Rate exceeded\): delete it yourself \(aws iam delete-virtual-mfa-device --serial-number arn:aws:iam::123456789012:mfa\/dave/);
  });

  it('AWS failing to create: nothing to delete, nothing on the token', async () => {
    const iam = new FakeIam();
    await run(iam, user(), { userName: 'erin', deviceName: 'shared' });
    const again = new FakeIam();
    again.seeds.set(`arn:aws:iam::${ACCOUNT}:mfa/shared`, new Uint8Array(40));
    const before = (await client.list()).length;
    await expect(run(again, user(), { userName: 'frank', deviceName: 'shared' })).rejects.toThrow(/^AWS could not create the virtual MFA device 'shared': EntityAlreadyExists/);
    expect(again.calls.map((c) => c.op)).toEqual(['create']);
    expect((await client.list()).length).toBe(before);
  });

  it('a name already on the token is refused before anything is created', async () => {
    const iam = new FakeIam();
    await expect(run(iam, user(), { userName: 'grace', tokenName: `alice@${ACCOUNT}` })).rejects.toMatchObject({ code: 'DUPLICATE_NAME' });
    expect(iam.calls).toEqual([]);
  });

  for (const name of ['root', 'Root', `arn:aws:iam::${ACCOUNT}:root`]) {
    it(`refuses the root account (${name}) and points to the console flow`, async () => {
      const iam = new FakeIam();
      await expect(run(iam, user(), { userName: name })).rejects.toThrow(/AWS enables MFA for the root account only in the console.*totp-token enroll --aws/);
      expect(iam.calls).toEqual([]);
    });
  }

  it('the CLI: enroll --iam --user root is refused with the console pointer (exit 2), before any AWS or token contact', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'host/cli/main.ts', 'enroll', '--iam', '--user', 'root', '--port', 'tcp://127.0.0.1:1'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/root account only in the console/);
    const noUser = spawnSync(process.execPath, ['--import', 'tsx', 'host/cli/main.ts', 'enroll', '--iam', '--port', 'tcp://127.0.0.1:1'], { encoding: 'utf8', timeout: 60_000 });
    expect(noUser.status).toBe(2);
    expect(noUser.stderr).toMatch(/--iam needs --user/);
  }, 120_000);

  it('iamFromSdk adapts @aws-sdk/client-iam (no call is made)', async () => {
    const iam = await iamFromSdk();
    expect(typeof iam.createVirtualMFADevice).toBe('function');
    expect(typeof iam.enableMFADevice).toBe('function');
    expect(typeof iam.deleteVirtualMFADevice).toBe('function');
  });
});
