// One JSON shape for an account in `add --json` and `list --json`: the type
// always named; a TOTP account with its period, an HOTP one with its counter
// (the one its next code uses) and no period, which means nothing for it.
import type { AccountInfo } from '../lib/client.ts';

export function accountJson(a: AccountInfo): object {
  const { period, counter, type, ...common } = a;
  return type === 'hotp' ? { ...common, type: 'hotp', counter } : { ...common, type: 'totp', period };
}
