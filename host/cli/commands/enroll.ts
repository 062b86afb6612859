// totp-token enroll: the guided MFA setup a service's "virtual MFA device"
// page asks for (AWS's is the reference): store the key, key-check it, then
// two consecutive codes at the right moments and when to submit them.
// `--resync` gives two fresh codes from an account already on the token.
// `--iam --user <name>` does it all through AWS's API for an IAM user
// (host/lib/aws/iam-mfa.ts): the key goes from AWS to the token unseen.
import { escapeText } from '../../lib/text.ts';
import type { Command } from 'commander';
import { parseAlgorithm } from '../../../protocol/hash.ts';
import { checkIamTarget, enrollIamVirtualMfa, iamFromSdk } from '../../lib/aws/iam-mfa.ts';
import { enrollAccount, resyncAccount } from '../../lib/enroll/enroll.ts';
import type { EnrollEvent, FlowOptions } from '../../lib/enroll/enroll.ts';
import { readEnrollSeed } from '../../lib/enroll/seed.ts';
import type { SeedOptions, SeedSource } from '../../lib/enroll/seed.ts';
import { action, usage, withClient, withDevice } from '../context.ts';
import type { CommonOptions, Output } from '../context.ts';
import { promptHidden, readStdin, stdinIsTty } from '../input.ts';
import { keyOptionText } from '../key-source.ts';

interface EnrollOptions extends CommonOptions {
  qr?: string;
  uri?: string;
  secret?: string;
  name?: string;
  issuer?: string;
  aws?: boolean;
  service?: string;
  algorithm?: string;
  digits?: string;
  period?: string;
  resync?: boolean;
  display?: boolean;
  countdown?: boolean;
  iam?: boolean;
  user?: string;
  deviceName?: string;
}

async function seedSource(o: EnrollOptions, out: Output): Promise<SeedSource> {
  const given = [o.qr, o.uri, o.secret].filter((v) => v !== undefined).length;
  if (given > 1) throw usage('give the key one way: --qr, --uri or --secret');
  if (o.qr !== undefined) return { kind: 'qr', file: o.qr };
  if (o.uri !== undefined) {
    return { kind: 'uri', uri: await keyOptionText(o.uri, out) };
  }
  if (o.secret !== undefined) {
    return { kind: 'base32', key: await keyOptionText(o.secret, out) };
  }
  if (!stdinIsTty()) {
    const text = (await readStdin()).trim();
    return text.toLowerCase().startsWith('otpauth') ? { kind: 'uri', uri: text } : { kind: 'base32', key: text };
  }
  const what = o.aws ? "AWS's secret configuration key (64 characters; input hidden): " : 'Secret key (base32) or otpauth:// URI (input hidden): ';
  const text = (await promptHidden(what)).trim();
  if (text === '') throw usage('no key given');
  return text.toLowerCase().startsWith('otpauth') ? { kind: 'uri', uri: text } : { kind: 'base32', key: text };
}

function whole(text: string | undefined, what: string, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = /^\d{1,6}$/.test(text) ? Number(text) : NaN;
  if (!(n >= min && n <= max)) throw usage(`--${what} must be a whole number from ${min} to ${max}, got '${text}'`);
  return n;
}

/** Events to the terminal: ticks redrawn in place on a TTY, thinned out otherwise. */
function eventPrinter(out: Output): (e: EnrollEvent) => void {
  const tty = !!process.stderr.isTTY && !out.json;
  let ticking = false;
  return (e) => {
    if (e.kind === 'tick') {
      if (tty) {
        process.stderr.write(`\r\x1b[K${e.text}`);
        ticking = true;
      } else if (e.secondsLeft % 10 === 0 || e.secondsLeft <= 3) {
        process.stderr.write(e.text + '\n');
      }
      return;
    }
    if (ticking) process.stderr.write('\r\x1b[K');
    ticking = false;
    if (e.kind === 'warn') out.warn(e.text);
    else if (e.kind === 'submit' || e.kind === 'code') process.stderr.write(`\n  ${e.text}\n\n`);
    else out.note(e.text);
  };
}

export function register(program: Command): void {
  const cmd = program
    .command('enroll')
    .description("guided MFA setup: store the service's key, then time two consecutive codes and say when to submit them")
    .option('--qr <file.png>', 'the QR code from the setup page, saved as an image')
    .option('--uri <uri|->', 'an otpauth:// URI; - reads it from stdin')
    .option('--secret <base32|->', 'the base32 key; - reads it from stdin (default: a hidden prompt)')
    .option('--name <name>', 'account name on the token (default: from the URI; required for a bare key)')
    .option('--issuer <issuer>', 'the service, shown above the code (default: from the URI)')
    .option('--aws', "the key is for AWS: it must be 64 characters (40 bytes); the issuer defaults to 'AWS'")
    .option('--service <name>', "what to call the service in instructions (default: the issuer, or 'AWS' with --aws)")
    .option('--algorithm <SHA1|SHA256|SHA512>', 'for a bare key (default SHA1)')
    .option('--digits <n>', 'for a bare key (default 6)')
    .option('--period <seconds>', 'for a bare key (default 30)')
    .option('--resync', 'two fresh codes from an account already on the token (--name), for a resync page')
    .option('--display', 'read the codes off the token instead of over USB (only the timing is given)')
    .option('--no-countdown', 'do not count down the submit window')
    .option('--iam', 'an IAM user (not root) through the AWS API: create a virtual MFA device, put its key straight on the token, enable it (needs @aws-sdk/client-iam; credentials and region from AWS_PROFILE, AWS_REGION, ~/.aws)')
    .option('--user <name>', 'with --iam: the IAM user to enable MFA for')
    .option('--device-name <name>', 'with --iam: the virtual MFA device name in IAM (default: the user name)')
    .addHelpText(
      'after',
      [
        '',
        'Example (AWS root account, "Assign MFA device" > "Authenticator app"):',
        '  1. "Show QR code", save it as aws.png (or "Show secret key" and use the prompt)',
        '  2. totp-token enroll --qr aws.png --aws --name root',
        '  3. type code 1 and code 2 into "MFA code 1" and "MFA code 2" when told, and submit',
        'Later, if AWS says the device is out of sync ("Resync MFA device"):',
        '  totp-token enroll --resync --name root --aws',
        'An IAM user, through the AWS API (the key is never shown):',
        '  AWS_PROFILE=admin totp-token enroll --iam --user alice',
      ].join('\n'),
    );
  withDevice(cmd).action(
    action(async (out, opts: EnrollOptions) => {
      const algorithm = opts.algorithm === undefined ? undefined : parseAlgorithm(opts.algorithm);
      if (algorithm === null) throw usage(`--algorithm must be SHA1, SHA256 or SHA512, got '${opts.algorithm}'`);
      const stop = new AbortController();
      const print = eventPrinter(out);
      const clock: FlowOptions['clock'] = { now: Date.now, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };
      const flow = (client: FlowOptions['client']): FlowOptions => ({
        client,
        clock,
        onEvent: (e) => {
          print(e);
          // On a terminal, Enter ends the countdown once the page has accepted the codes.
          if (e.kind === 'submit' && stdinIsTty() && opts.countdown !== false) {
            out.note('(press Enter once the page has accepted them)');
            process.stdin.resume();
            process.stdin.once('data', () => stop.abort());
          }
        },
        countdown: opts.countdown !== false,
        readCodes: opts.display ? 'display' : 'usb',
        signal: stop.signal,
      });
      if (opts.iam) {
        if (!opts.user) throw usage('--iam needs --user: the IAM user to enable MFA for');
        if (opts.qr || opts.uri || opts.secret || opts.resync || opts.display) throw usage('--iam takes no key, --resync or --display: AWS makes the key and it goes straight to the token');
        checkIamTarget(opts.user, opts.deviceName);
        const iam = await iamFromSdk();
        const userName = opts.user;
        const r = await withClient(
          opts,
          out,
          (token) => enrollIamVirtualMfa({ iam, token, userName, deviceName: opts.deviceName, tokenName: opts.name, clock, out: print, signal: stop.signal }),
          () => stop.abort(),
        );
        out.result(`MFA enabled for IAM user ${r.userName}: ${r.serialNumber}, on the token as 'AWS: ${r.tokenName}' (key check ${r.check})`, r);
        return;
      }
      if (opts.resync) {
        if (!opts.name) throw usage('--resync needs --name: the account on the token to take the codes from');
        if (opts.qr || opts.uri || opts.secret) throw usage('--resync takes no key: the account is already on the token');
        const name = opts.name;
        const r = await withClient(opts, out, async (client) => {
          const account = (await client.list()).find((a) => a.name === name);
          if (!account) throw usage(`no account named '${name}' on the token (see: totp-token list)`);
          const service = opts.service ?? (opts.aws ? 'AWS' : account.issuer || 'service');
          return resyncAccount(name, account.period, service, flow(client));
        });
        out.result(`resync codes for ${name}: ${r.code1} ${r.code2}`, { name, code1: r.code1, code2: r.code2, submitByMs: r.submitByMs });
        return;
      }
      const seedOpts: SeedOptions = {
        account: opts.name,
        issuer: opts.issuer ?? (opts.aws ? 'AWS' : undefined),
        aws: !!opts.aws,
        algorithm: algorithm ?? undefined,
        digits: whole(opts.digits, 'digits', 6, 10),
        period: whole(opts.period, 'period', 1, 86400),
      };
      const { otp, warnings } = await readEnrollSeed(await seedSource(opts, out), seedOpts); // decoded before touching the device
      for (const w of warnings) out.warn(w);
      const service = opts.service ?? (opts.aws ? 'AWS' : otp.issuer || 'service');
      const r = await withClient(opts, out, (client) => enrollAccount(otp, service, flow(client)));
      const label = escapeText(r.issuer ? `${r.issuer}: ${r.name}` : r.name);
      out.result(
        opts.display ? `enrolled ${label} (key check ${r.check})` : `enrolled ${label} (key check ${r.check}); codes ${r.code1} ${r.code2}`,
        { name: r.name, issuer: r.issuer, check: r.check, alreadyStored: r.alreadyStored, code1: r.code1, code2: r.code2, submitByMs: r.submitByMs },
      );
    }),
  );
}
