// totp-token verify <name>: the token's key check for an account. Given the
// key as well (--uri/--qr/--secret), it says whether the token holds that
// key, without the token revealing the key or any code.
import type { Command } from 'commander';
import { TokenError } from '../../lib/errors.ts';
import { action, withClient, withDevice } from '../context.ts';
import type { CommonOptions } from '../context.ts';
import { readKey, withKeySource } from '../key-source.ts';
import type { KeySourceOptions } from '../key-source.ts';

export function register(program: Command): void {
  const cmd = program.command('verify').argument('<name>', 'account name').description("show the token's key check for an account, or compare it with a key you give");
  withDevice(withKeySource(cmd)).action(
    action(async (out, name: string, opts: CommonOptions & KeySourceOptions) => {
      const compare = opts.uri !== undefined || opts.qr !== undefined || opts.secret !== undefined;
      // A bare base32 key needs a name to decode; the account's name is the natural one.
      const key = compare ? await readKey({ ...opts, name }, out) : null;
      const result = await withClient(opts, out, async (client) => {
        if (!key) return { check: await client.keyCheck(name), match: undefined as boolean | undefined };
        const account = (await client.list()).find((a) => a.name === name);
        if (!account) {
          key.secret.fill(0);
          throw new TokenError('NOT_FOUND', `no account named "${name}"`);
        }
        // A URI says TOTP or HOTP; the same seed under the other type makes other codes. (A bare key says neither.)
        const given = key.type ?? 'totp';
        if (opts.secret === undefined && given !== (account.type ?? 'totp')) {
          key.secret.fill(0);
          throw new TokenError('KEY_CHECK_MISMATCH', `${name} on the token is ${(account.type ?? 'totp').toUpperCase()}, the key given is ${given.toUpperCase()}`);
        }
        return client.verify(name, account.algorithm, key.secret);
      });
      if (result.match === false) {
        throw new TokenError('KEY_CHECK_MISMATCH', `the token's key for ${name} is NOT the key given (key check ${result.check})`);
      }
      const human = result.match ? `${name}: the token holds the key given (key check ${result.check})` : `${name}: key check ${result.check}`;
      out.result(human, { name, check: result.check, ...(result.match !== undefined ? { match: result.match } : {}) });
    }),
  );
}
