// fleet checks everything it will write before it provisions any token, so
// "nothing was written" is true of the tokens too: an output file that exists,
// a folder that does not, a CSV that Entra's rules refuse (SHA256, 8 digits,
// HOTP), a UPN that a spreadsheet would run as a formula. Before the fix these
// were found after every token had been given seeds.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimToken } from '../../firmware/ports/node/sim-token.ts';
import type { SimToken } from '../../firmware/ports/node/sim-token.ts';
import { TokenClient } from '../../host/lib/client.ts';
import { openTransport } from '../../host/lib/transport/index.ts';

const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'fleet-precheck-'));
let sim: SimToken;
beforeAll(async () => {
  sim = await startSimToken({ stateDir: join(dir, 'sim'), link: 'tcp', tcpPort: 0, presenceTimeoutMs: 1000 });
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

async function accountsOnSim(): Promise<number> {
  const c = new TokenClient(await openTransport(sim.address));
  try {
    await c.hello();
    return (await c.list()).length;
  } finally {
    await c.close();
  }
}

function fleet(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(root, 'host', 'cli', 'main.ts'), 'fleet', '--ports', sim.address, '--state', join(dir, 'state.json'), ...args], { cwd: root, encoding: 'utf8', timeout: 60_000, input: '' });
}

describe('fleet: everything it will write is checked before any token is touched', () => {
  it('refuses each bad output with one message, and the token stays empty', async () => {
    const existing = join(dir, 'exists.csv');
    writeFileSync(existing, 'old');
    const cases: [string[], RegExp][] = [
      [['--csv', join(dir, 'a.csv'), '--algorithm', 'SHA256'], /Entra CSV: Entra takes HMAC-SHA1 only, not SHA256/],
      [['--csv', join(dir, 'a.csv'), '--digits', '8'], /Entra takes 6-digit codes only/],
      [['--csv', existing], /exists\.csv already exists: refusing to overwrite it/],
      [['--pskc', join(dir, 'no-such-folder', 'x.pskcxml')], /no-such-folder.* does not exist/],
      [['--csv', join(dir, 'b.csv'), '--upn-template', '=cmd|x{n}'], /starts with '=', which spreadsheets run as a formula/],
      [['--pskc', join(dir, 'same'), '--csv', join(dir, 'same')], /the PSKC and CSV files are the same file/],
      // HOTP: Entra's CSV takes TOTP only (before the HOTP wire fields merge, HOTP is refused whole)
      [['--csv', join(dir, 'c.csv'), '--type', 'hotp'], /Entra takes TOTP tokens only/],
    ];
    for (const [args, why] of cases) {
      const r = fleet(args);
      expect(r.stderr, args.join(' ')).toMatch(why);
      expect(r.status, args.join(' ')).toBe(2);
      expect(await accountsOnSim(), args.join(' ')).toBe(0);
    }
  }, 180_000);
});

describe('fleet: HOTP where asked', () => {
  it('the PSKC file records HOTP accounts with their Counter (0), and python-pskc-compatible readers see HOTP', async () => {
    const { registrationEntries, DEFAULT_SPEC } = await import('../../host/lib/fleet/fleet.ts');
    const { buildPskc } = await import('../../host/lib/export/pskc.ts');
    const { readPskc } = await import('../../host/lib/import/pskc-node.ts');
    const spec = { ...DEFAULT_SPEC, type: 'hotp' as const, issuer: 'Contoso' };
    const rec = { port: 'p', number: 1, serial: 'TT-1', status: 'done' as const, accounts: [{ name: 'TT-1', serial: 'TT-1', upn: 'a@contoso.com', secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' }] };
    const { pskc } = registrationEntries([rec], spec);
    const xml = buildPskc(pskc);
    expect(xml).toMatch(/pskc:hotp/);
    expect(xml).toMatch(/<pskc:Counter>\s*<pskc:PlainValue>0<\/pskc:PlainValue>/);
    const [k] = await readPskc(xml);
    expect(k.otp).toMatchObject({ type: 'hotp', counter: 0, account: 'TT-1', issuer: 'Contoso' });
  });
});
