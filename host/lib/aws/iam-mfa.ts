// AWS's API path for an IAM user's virtual MFA device (not the root account:
// AWS enables root MFA only in the console, which `totp-token enroll` guides).
//
//   1. CreateVirtualMFADevice: AWS makes the seed and returns it (base32 text
//      as bytes). It goes straight to the token: decoded, stored, key-checked,
//      and every buffer that held it zeroed. It is never shown, logged or
//      written, and no error message carries it.
//   2. Two consecutive codes, timed by the guided enroll flow (a fresh period
//      for code 1, code 2 right after the next one starts), each confirmed by
//      the token's button.
//   3. EnableMFADevice with them.
// If anything fails after step 1, the device is deleted again, so AWS keeps
// no seed for a device nobody can use; the message says what happened.
//
// `iam` is a narrow interface (the three calls used), so tests give a fake;
// iamFromSdk() adapts @aws-sdk/client-iam, an optional peer dependency loaded
// only here (credentials and region come from the SDK's own environment:
// AWS_PROFILE, AWS_REGION, ~/.aws/...).
import { base32Decode } from '../../../protocol/base32.ts';
import { wipe } from '../../../protocol/bytes.ts';
import { MAX_NAME } from '../../../protocol/messages.ts';
import type { OtpAuth } from '../../../protocol/otpauth.ts';
import { enrollAccount } from '../enroll/enroll.ts';
import type { EnrollClient, EnrollClock, EnrollEvent, FlowOptions } from '../enroll/enroll.ts';
import { TokenError } from '../errors.ts';
import { wireLength } from '../text.ts';

export interface IamVirtualMfaDevice {
  SerialNumber?: string;
  /** The seed as base32 text, in bytes (as the SDK returns it). Zeroed once read. */
  Base32StringSeed?: Uint8Array;
  /** Also the seed (in a QR code); not used, zeroed. */
  QRCodePNG?: Uint8Array;
}

/** The IAM calls this flow makes. */
export interface IamMfaApi {
  createVirtualMFADevice(input: { VirtualMFADeviceName: string }): Promise<IamVirtualMfaDevice>;
  enableMFADevice(input: { UserName: string; SerialNumber: string; AuthenticationCode1: string; AuthenticationCode2: string }): Promise<void>;
  deleteVirtualMFADevice(input: { SerialNumber: string }): Promise<void>;
}

export interface IamEnrollOptions {
  iam: IamMfaApi;
  /** The token (TokenClient or anything with add/keyCheck/code). */
  token: EnrollClient;
  /** The IAM user to enable MFA for; never the root account. */
  userName: string;
  /** The virtual MFA device's name in IAM; default: the user name. */
  deviceName?: string;
  /** The account's name on the token; default `user@account-id` (as AWS's own QR label). */
  tokenName?: string;
  clock: EnrollClock;
  /** What to show (the same events as the guided enroll flow). */
  out: (e: EnrollEvent) => void;
  /** Timing knobs and cancellation, as for the enroll flow. */
  minFreshS?: number;
  marginMs?: number;
  attempts?: number;
  signal?: AbortSignal;
}

export interface IamEnrollResult {
  userName: string;
  serialNumber: string;
  /** The account's name on the token (issuer 'AWS'). */
  tokenName: string;
  /** Key check value of the stored seed, hex. */
  check: string;
}

// IAM's own patterns (UserName 1-64, VirtualMFADeviceName 1-226 of [\w+=,.@-]).
const USER_NAME = /^[\w+=,.@-]{1,64}$/;
const DEVICE_NAME = /^[\w+=,.@-]{1,226}$/;

const ROOT_MESSAGE =
  "this is for IAM users; AWS enables MFA for the root account only in the console: sign in as root, open 'Security credentials' > 'Assign MFA device', and follow it with: totp-token enroll --aws (see totp-token enroll --help)";

/** Refuse the root account (console only) and names IAM would refuse. */
export function checkIamTarget(userName: string, deviceName: string = userName): void {
  if (/^root$/i.test(userName.trim()) || /:root$/.test(userName)) throw new TokenError('USAGE', ROOT_MESSAGE);
  if (!USER_NAME.test(userName)) throw new TokenError('USAGE', `'${userName}' is not an IAM user name (1 to 64 of letters, digits and + = , . @ _ -)`);
  if (!DEVICE_NAME.test(deviceName)) throw new TokenError('USAGE', `'${deviceName}' is not a virtual MFA device name (1 to 226 of letters, digits and + = , . @ _ -)`);
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** The seed out of AWS's reply: decoded, the reply's buffers zeroed; errors never quote it. */
function takeSeed(device: IamVirtualMfaDevice): Uint8Array {
  const text = device.Base32StringSeed;
  try {
    if (!(text instanceof Uint8Array) || text.length === 0) throw new TokenError('AWS_BAD_REPLY', 'AWS returned no seed for the new virtual MFA device');
    let seed: Uint8Array;
    try {
      // A JS string cannot be zeroed; this one lives only for the decode.
      seed = base32Decode(String.fromCharCode(...text));
    } catch {
      // base32Decode names the offending character: do not pass that on.
      throw new TokenError('AWS_BAD_REPLY', `AWS returned a seed that is not valid base32 (${text.length} characters)`);
    }
    if (seed.length < 10) {
      wipe(seed);
      throw new TokenError('AWS_BAD_REPLY', `AWS returned a seed of ${seed.length} bytes; expected at least 10 (AWS's are 40)`);
    }
    return seed;
  } finally {
    wipe(text);
    wipe(device.QRCodePNG);
  }
}

function accountIdOf(serial: string): string | undefined {
  return /^arn:aws[\w-]*:iam::(\d{12}):mfa\//.exec(serial)?.[1];
}

/**
 * Create an IAM user's virtual MFA device, put its seed on the token, and
 * enable it with two consecutive codes confirmed on the token.
 */
export async function enrollIamVirtualMfa(o: IamEnrollOptions): Promise<IamEnrollResult> {
  const { iam, token, userName, clock, out } = o;
  const deviceName = o.deviceName ?? userName;
  checkIamTarget(userName, deviceName); // refuse before anything is created
  if (o.tokenName !== undefined && (wireLength(o.tokenName) === 0 || wireLength(o.tokenName) > MAX_NAME)) throw new TokenError('USAGE', `the name on the token must be 1 to ${MAX_NAME} bytes`);
  if (o.tokenName !== undefined) await refuseTaken(token, o.tokenName);
  if (token.timeGet) {
    const t = await token.timeGet();
    if (!t.set) throw new TokenError('CLOCK_NOT_SET', "the token's clock is not set, so it cannot show codes; set it first (totp-token time sync)");
  }

  out({ kind: 'step', text: `Creating the virtual MFA device '${deviceName}' in IAM` });
  let device: IamVirtualMfaDevice;
  try {
    device = await iam.createVirtualMFADevice({ VirtualMFADeviceName: deviceName });
  } catch (e) {
    throw new TokenError('AWS_ERROR', `AWS could not create the virtual MFA device '${deviceName}': ${messageOf(e)}`);
  }
  const serial = device.SerialNumber;
  if (!serial) {
    wipe(device.Base32StringSeed);
    wipe(device.QRCodePNG);
    throw new TokenError('AWS_BAD_REPLY', 'AWS created a virtual MFA device but returned no serial number: look for it in the IAM console and delete it');
  }
  out({ kind: 'step', text: `Created ${serial}; its key goes straight to the token (it is not shown)` });

  // From here on a failure deletes the device.
  let stored = false;
  let tokenName = o.tokenName ?? '';
  try {
    const seed = takeSeed(device);
    if (!tokenName) {
      const account = accountIdOf(serial);
      tokenName = account && wireLength(`${userName}@${account}`) <= MAX_NAME ? `${userName}@${account}` : userName;
      await refuseTaken(token, tokenName).catch((e) => {
        wipe(seed);
        throw e;
      });
    }
    const otp: OtpAuth = { type: 'totp', issuer: 'AWS', account: tokenName, secret: seed, algorithm: 'SHA1', digits: 6, period: 30, counter: 0 };
    const client: EnrollClient = {
      add: async (a) => {
        const r = await token.add(a);
        stored = true;
        return r;
      },
      keyCheck: (name) => token.keyCheck(name),
      code: (name, onWaiting) => token.code(name, onWaiting),
    };
    if (token.timeGet) client.timeGet = () => token.timeGet!();
    const flow: FlowOptions = {
      client,
      clock,
      // The submit line of the console flow becomes ours: the codes go to AWS here.
      onEvent: (e) => (e.kind === 'submit' ? undefined : out(e)),
      countdown: false,
      readCodes: 'usb',
      minFreshS: o.minFreshS,
      marginMs: o.marginMs,
      attempts: o.attempts,
      signal: o.signal,
    };
    const r = await enrollAccount(otp, 'AWS', flow); // wipes the seed
    if (clock.now() >= r.submitByMs) throw new TokenError('CODES_EXPIRED', 'code 2 expired before it could be sent to AWS');
    out({ kind: 'step', text: `Enabling ${serial} for IAM user '${userName}' with both codes` });
    try {
      await iam.enableMFADevice({ UserName: userName, SerialNumber: serial, AuthenticationCode1: r.code1, AuthenticationCode2: r.code2 });
    } catch (e) {
      throw new TokenError('AWS_ERROR', `AWS did not enable the MFA device: ${messageOf(e)}`);
    }
    out({ kind: 'step', text: `MFA is on for IAM user '${userName}': sign-ins now ask for the code from '${tokenName}' on the token` });
    return { userName, serialNumber: serial, tokenName, check: r.check };
  } catch (e) {
    throw await cleanUp(iam, serial, e, stored ? tokenName : null, !!o.signal?.aborted);
  }
}

async function refuseTaken(token: EnrollClient, name: string): Promise<void> {
  try {
    await token.keyCheck(name);
  } catch (e) {
    if (e instanceof TokenError && e.code === 'NOT_FOUND') return;
    throw e;
  }
  throw new TokenError('DUPLICATE_NAME', `the token already has an account named '${name}' (pick another with --name, or remove it first)`);
}

/** Delete the half-made device; the error to throw says what happened and what is left. */
async function cleanUp(iam: IamMfaApi, serial: string, cause: unknown, leftOnToken: string | null, aborted: boolean): Promise<TokenError> {
  // Stopped by the user: the token's PRESENCE_DENIED (its button wait cancelled) means the same.
  const code = aborted ? 'INTERRUPTED' : cause instanceof TokenError ? cause.code : 'AWS_ERROR';
  const tokenNote = leftOnToken ? `; the account '${leftOnToken}' stays on the token with a key AWS no longer has: remove it (totp-token remove '${leftOnToken}')` : '';
  try {
    await iam.deleteVirtualMFADevice({ SerialNumber: serial });
  } catch (e) {
    return new TokenError(
      code,
      `${messageOf(cause)}; deleting the virtual MFA device ${serial} failed too (${messageOf(e)}): delete it yourself (aws iam delete-virtual-mfa-device --serial-number ${serial}; if it got enabled, deactivate it first)${tokenNote}`,
    );
  }
  return new TokenError(code, `${messageOf(cause)}; the virtual MFA device ${serial} was deleted again, so AWS keeps no key for it${tokenNote}`);
}

/**
 * The real IAM, through @aws-sdk/client-iam (an optional peer dependency:
 * loaded only here). Credentials and region come from the SDK's environment;
 * IAM is global, so without a configured region us-east-1 is used.
 */
export async function iamFromSdk(): Promise<IamMfaApi> {
  let sdk: typeof import('@aws-sdk/client-iam');
  try {
    sdk = await import('@aws-sdk/client-iam');
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new TokenError('USAGE', 'install @aws-sdk/client-iam to use --iam (npm install @aws-sdk/client-iam, next to totp-token)');
    }
    throw e;
  }
  let client = new sdk.IAMClient({});
  try {
    await client.config.region();
  } catch {
    client = new sdk.IAMClient({ region: 'us-east-1' });
  }
  return {
    async createVirtualMFADevice(input) {
      const r = await client.send(new sdk.CreateVirtualMFADeviceCommand(input));
      return r.VirtualMFADevice ?? {};
    },
    async enableMFADevice(input) {
      await client.send(new sdk.EnableMFADeviceCommand(input));
    },
    async deleteVirtualMFADevice(input) {
      await client.send(new sdk.DeleteVirtualMFADeviceCommand(input));
    },
  };
}
