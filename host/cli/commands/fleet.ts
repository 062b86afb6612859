// totp-token fleet: provision one token per port, all at once, with fresh
// random seeds, and write the registration files (PSKC, Entra ID CSV) for an
// identity provider. Re-running the same command resumes: tokens are known
// by the seeds they hold (key check), not by their port, so done tokens are
// skipped wherever they are plugged in; the state file remembers seeds and
// serial numbers.
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { parseAlgorithm } from '../../../protocol/hash.ts';
import { TokenClient } from '../../lib/client.ts';
import { TokenError } from '../../lib/errors.ts';
import { hostClockState } from '../../lib/host-clock.ts';
import { DEFAULT_SPEC, checkRegistrationFiles, provisionFleet, writeRegistrationFiles } from '../../lib/fleet/fleet.ts';
import type { FleetClient } from '../../lib/fleet/fleet.ts';
import type { FleetSpec } from '../../lib/fleet/state.ts';
import { openTransport } from '../../lib/transport/index.ts';
import { action, usage, withJson } from '../context.ts';
import type { Output } from '../context.ts';
import { promptHidden, readStdin, stdinIsTty } from '../input.ts';

interface FleetOptions {
  ports: string;
  count: string;
  algorithm: string;
  digits: string;
  period: string;
  issuer: string;
  nameTemplate: string;
  upnTemplate: string;
  serialPrefix: string;
  state?: string;
  pskc?: string;
  csv?: string;
  pskcPassword?: boolean;
  type: string;
  json?: boolean;
}

const STATE_FILE = 'totp-token-fleet-state.json';

function whole(text: string, what: string, min: number, max: number): number {
  const n = /^\d{1,6}$/.test(text) ? Number(text) : NaN;
  if (!(n >= min && n <= max)) throw usage(`--${what} must be a whole number from ${min} to ${max}, got '${text}'`);
  return n;
}

async function pskcPassword(): Promise<string> {
  if (!stdinIsTty()) {
    const pw = (await readStdin()).replace(/\r?\n$/, '');
    if (!pw) throw usage('--pskc-password: no password on stdin');
    return pw;
  }
  const first = await promptHidden('Password for the PSKC file (input hidden): ');
  if ((await promptHidden('Again: ')) !== first) throw usage('the two passwords differ');
  return first;
}

/** Open a port, start a session (unlocking with TOTP_TOKEN_PASSWORD if the token has a USB password). */
async function connect(port: string): Promise<FleetClient> {
  const client = new TokenClient(await openTransport(port));
  try {
    let info = await client.hello();
    if (info.locked) {
      const pw = process.env.TOTP_TOKEN_PASSWORD;
      if (!pw) throw new TokenError('LOCKED', 'the token has a USB password: set TOTP_TOKEN_PASSWORD for fleet runs');
      await client.unlock(pw);
      info = client.info ?? info;
    }
    // A second HELLO would lock the session again: hand out the one we have.
    return { hello: async () => info, add: (a) => client.add(a), keyCheck: (n) => client.keyCheck(n), syncTime: async () => client.syncTime(Date.now, undefined, await hostClockState(process.platform)), close: () => client.close() };
  } catch (e) {
    await client.close().catch(() => {});
    throw e;
  }
}

function progress(out: Output, ports: string[]): (port: string, text: string) => void {
  const width = Math.min(32, Math.max(...ports.map((p) => p.length)));
  return (port, text) => out.note(`${port.padEnd(width)}  ${text}`);
}

export function register(program: Command): void {
  const cmd = program
    .command('fleet')
    .description('provision many tokens at once (one per port) with fresh random seeds, and write PSKC / Entra ID registration files')
    .requiredOption('--ports <a,b,c>', 'the tokens: device paths or tcp://127.0.0.1:PORT, comma-separated')
    .option('--count <n>', 'accounts (seeds) per token', '1')
    .option('--type <totp|hotp>', 'account type; HOTP accounts start at counter 0 (the PSKC file records it; Entra takes TOTP only)', 'totp')
    .option('--algorithm <SHA1|SHA256|SHA512>', 'hash; seeds are 20, 32 or 64 bytes to match', 'SHA1')
    .option('--digits <n>', 'code length', '6')
    .option('--period <seconds>', 'code period', '30')
    .option('--issuer <name>', 'issuer shown on the tokens', '')
    .option('--name-template <t>', 'account name on the token: {serial} {n} {k} {port} (default: the serial)', '')
    .option('--upn-template <t>', 'user of each token in the files, e.g. user{n}@contoso.com ({n} is the token number)', '')
    .option('--serial-prefix <p>', 'serial numbers are this prefix plus the token number', DEFAULT_SPEC.serialPrefix)
    .option('--state <file>', `resume file (holds the seeds; default: ${STATE_FILE} beside the output files)`)
    .option('--pskc <file>', 'write an RFC 6030 PSKC file (mode 0600, never over an existing file)')
    .option('--pskc-password', 'protect the PSKC file with a password (hidden prompt, or stdin when piped)')
    .option('--csv <file>', "write a Microsoft Entra ID OATH token CSV (SHA1, 6 digits, 30/60 s)")
    .addHelpText('after', '\nExample:\n  totp-token fleet --ports /dev/ttyACM0,/dev/ttyACM1,/dev/ttyACM2 --issuer Contoso \\\n    --upn-template "user{n}@contoso.com" --pskc tokens.pskcxml --pskc-password --csv tokens.csv');
  withJson(cmd).action(
    action(async (out, opts: FleetOptions) => {
      const ports = opts.ports.split(',').map((p) => p.trim()).filter((p) => p !== '');
      if (ports.length === 0) throw usage('--ports lists no ports');
      const algorithm = parseAlgorithm(opts.algorithm);
      if (!algorithm) throw usage(`--algorithm must be SHA1, SHA256 or SHA512, got '${opts.algorithm}'`);
      const spec: FleetSpec = {
        algorithm,
        digits: whole(opts.digits, 'digits', 6, 10),
        period: whole(opts.period, 'period', 1, 86400),
        accountsPerToken: whole(opts.count, 'count', 1, 32),
        issuer: opts.issuer,
        nameTemplate: opts.nameTemplate,
        upnTemplate: opts.upnTemplate,
        serialPrefix: opts.serialPrefix,
      };
      if (opts.type !== 'totp' && opts.type !== 'hotp') throw usage(`--type must be totp or hotp, got '${opts.type}'`);
      if (opts.type === 'hotp') spec.type = 'hotp';
      if (!opts.pskc && !opts.csv) out.warn('no --pskc or --csv: the seeds will only be in the state file');
      if (opts.pskcPassword && !opts.pskc) throw usage('--pskc-password needs --pskc');
      const statePath = resolve(opts.state ?? join(dirname(resolve(opts.pskc ?? opts.csv ?? STATE_FILE)), STATE_FILE));
      checkRegistrationFiles(spec, { pskc: opts.pskc, csv: opts.csv, state: statePath }); // before any token is touched
      const password = opts.pskcPassword ? await pskcPassword() : undefined; // asked before any token is touched
      const r = await provisionFleet({ ports, spec, statePath, connect, onProgress: progress(out, ports) });
      if (r.interrupted.length > 0) {
        const serials = r.interrupted.map((t) => t.serial).join(', ');
        out.warn(`unfinished from an earlier run, and on none of these ports: ${serials}. Their seeds stay reserved for those tokens (never given to another); connect them and run again. Until then the registration files leave them out`);
      }
      if (!r.complete) {
        const list = r.failed.map((f) => `${f.port} (${f.message})`).join('; ');
        throw new TokenError(r.failed[0]?.code ?? 'FAILURE', `${r.failed.length} of ${ports.length} port(s) failed: ${list}. Fix them and run the same command again to resume (state in ${statePath}); the registration files are written once every port is done`);
      }
      const files = writeRegistrationFiles(r.done, spec, { pskc: opts.pskc, csv: opts.csv, pskcOptions: password ? { password } : {} });
      const lines = [`${r.done.length} token(s) provisioned: ${r.done.map((t) => t.serial).join(', ')}`];
      if (files.pskc) lines.push(`PSKC file (seeds${password ? ', password-protected' : ', NOT encrypted'}, mode 0600): ${files.pskc}`);
      if (files.csv) lines.push(`Entra ID CSV (seeds in base32, mode 0600): ${files.csv}`);
      lines.push(`State file (also holds the seeds, mode 0600): ${statePath} — delete it once the tokens are registered`);
      out.result(lines, { tokens: r.done.map((t) => ({ port: t.port, serial: t.serial, board: t.board, accounts: t.accounts.map((a) => ({ name: a.name, serial: a.serial, upn: a.upn })) })), files, statePath });
    }),
  );
}
