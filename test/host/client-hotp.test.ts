// TokenClient and HOTP against the token app itself (fake ports), over the
// mock transport: a token that knows HOTP, and one that predates it. The old
// token is this firmware behind the wire as an older one reads it: before
// tags 37/38 existed, its TLV decoder skipped them as unknown
// (protocol/tlv.ts: "Unknown tags are skipped"), and its HELLO had no `type`.
import { describe, expect, it } from 'vitest';
import { COMMANDS, STATUS_WAITING } from '../../protocol/messages.ts';
import type { Fields } from '../../protocol/tlv.ts';
import { TokenClient } from '../../host/lib/client.ts';
import { TokenError } from '../../host/lib/errors.ts';
import { fakeToken } from '../helpers/fake-ports.ts';
import { mockDevice } from '../helpers/mock-device.ts';
import type { ScriptedReply } from '../helpers/mock-device.ts';
import { ascii, otplibHotp } from '../helpers/providers.ts';

/** Drop the HOTP tags, as a decoder that does not know them does. */
function withoutHotpTags(f: Fields): Fields {
  const { type, counter, ...rest } = f;
  return rest;
}

async function clientOn(opts: { old: boolean }) {
  const t = fakeToken();
  const { transport, requests } = mockDevice((req) => {
    const fields = opts.old ? withoutHotpTags(req.fields) : req.fields;
    let replies = t.send(req.command, fields);
    if (replies[0]?.status === STATUS_WAITING) replies = replies.concat(t.press('confirm'));
    return replies.map((r): ScriptedReply => ({ status: r.status, fields: opts.old ? withoutHotpTags(r.fields) : r.fields }));
  });
  await transport.open();
  return { t, requests, client: new TokenClient(transport, { timeoutMs: 500 }) };
}

const key = () => ascii('12345678901234567890');

describe('TokenClient with HOTP', () => {
  it('adds an HOTP account, lists its counter and reads the next codes (RFC 4226 appendix D key, otplib)', async () => {
    const { client, requests } = await clientOn({ old: false });
    expect((await client.hello()).hotp).toBe(true);
    await client.add({ name: 'vpn', issuer: 'VPN', algorithm: 'SHA1', digits: 6, period: 30, type: 'hotp', counter: 3, secret: key() });
    const add = requests.find((r) => r.command === COMMANDS.ADD)!;
    expect(add.fields).toMatchObject({ type: 1, counter: 3 });
    expect(add.fields.period).toBeUndefined();
    expect(await client.list()).toEqual([{ name: 'vpn', issuer: 'VPN', algorithm: 'SHA1', digits: 6, period: 30, type: 'hotp', counter: 3 }]);
    expect(await client.code('vpn')).toEqual({ code: '969429', type: 'hotp', secondsLeft: 0, counter: 3 });
    expect(await client.code('vpn')).toEqual({ code: otplibHotp(key(), 4, 6, 'SHA1'), type: 'hotp', secondsLeft: 0, counter: 4 });
    expect((await client.list())[0].counter).toBe(5);
  });

  it('a TOTP account lists as before: no type, no counter', async () => {
    const { client } = await clientOn({ old: false });
    await client.add({ name: 'aws', issuer: '', algorithm: 'SHA1', digits: 6, period: 30, secret: key() });
    expect(await client.list()).toEqual([{ name: 'aws', issuer: '', algorithm: 'SHA1', digits: 6, period: 30 }]);
  });

  it('refuses to send an HOTP seed to a token that predates HOTP: nothing added, the seed wiped', async () => {
    const { client, requests, t } = await clientOn({ old: true });
    const secret = key();
    const e = await client.add({ name: 'vpn', issuer: '', algorithm: 'SHA1', digits: 6, period: 30, type: 'hotp', counter: 0, secret }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TokenError);
    expect((e as TokenError).code).toBe('UNSUPPORTED_TYPE');
    expect((e as TokenError).message).toMatch(/firmware on 'fake' \(.*\) predates HOTP accounts: update it/);
    expect(requests.map((r) => r.command)).toEqual([COMMANDS.HELLO]); // the seed never left the host
    expect(secret.every((b) => b === 0)).toBe(true);
    expect(t.send(COMMANDS.LIST, {})[0].fields.total).toBe(0);
  });

  it('refuses a counter the token cannot hold, before anything is sent', async () => {
    const { client, requests } = await clientOn({ old: false });
    for (const counter of [-1, 1.5, 2 ** 53 - 1, 2 ** 53]) {
      const e = await client.add({ name: 'vpn', issuer: '', algorithm: 'SHA1', digits: 6, period: 30, type: 'hotp', counter, secret: key() }).catch((x: unknown) => x);
      expect((e as TokenError).code).toBe('BAD_INPUT');
    }
    expect(requests.filter((r) => r.command === COMMANDS.ADD)).toEqual([]);
  });

  it('refuses a LIST item of a type it does not know', async () => {
    const { transport } = mockDevice((req) => [{ fields: req.command === COMMANDS.LIST ? { account: [{ name: 'x', type: 2 }], total: 1 } : {} }]);
    await transport.open();
    const e = await new TokenClient(transport, { timeoutMs: 500 }).list().catch((x: unknown) => x);
    expect((e as TokenError).message).toMatch(/account 'x' has type 2, which this totp-token does not know: update it/);
  });
});
