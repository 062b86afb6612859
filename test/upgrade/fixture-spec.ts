// What the upgrade fixtures hold (make-fixtures.ts writes them with firmware
// 0.1 at commit aa03bcd; the upgrade tests read them with this firmware, through upgradeFixture).
import { readFileSync } from 'node:fs';
export const FIXTURE = {
  /** When the fixtures' token was last synced (2026-03-01T10:00:00Z). */
  madeAtMs: Date.UTC(2026, 2, 1, 10, 0, 0),
  password: 'upgrade-keeps-me',
  accounts: [
    { name: 'root@aws', issuer: 'AWS', algorithm: 'SHA1' as const, digits: 6, period: 30, secretHex: '3132333435363738393031323334353637383930' },
    { name: 'deploy', issuer: '', algorithm: 'SHA256' as const, digits: 8, period: 60, secretHex: '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f' },
  ],
};

/** The files of fixtures/<name>.json: Storage records (espruino), or a simulator's state directory, its records under storage/ (sim). */
export function upgradeFixture(name: 'espruino' | 'sim'): Record<string, string> {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')).files;
}

/** The fixture's Storage records alone, by key (the simulator's files under storage/). */
export function upgradeRecords(name: 'espruino' | 'sim'): Record<string, string> {
  return Object.fromEntries(Object.entries(upgradeFixture(name)).filter(([k]) => k.startsWith('tt.') || k.startsWith('storage/')).map(([k, v]) => [k.replace(/^storage\//, ''), v]));
}
