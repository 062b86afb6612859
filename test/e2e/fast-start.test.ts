// `list` and `info` with only --port and --json start without commander
// (host/cli/fast-argv.ts): the built bin loads dist/cli/fast-<name>.cjs. The
// reader must accept only what commander reads the same way, and the fast
// start must do exactly what commander's does: the same argv, run by the
// built CLI (fast) and from source (host/cli/start.ts, commander always), gives
// the same stdout, stderr and exit code, against the same simulator.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fastOptions, fastStart } from '../../host/cli/fast-argv.ts';
import { base32Encode } from '../../protocol/base32.ts';
import { cliForSuite, runCli, runWithPress, seeds, startSim, tempDir } from './harness.ts';
import type { CliResult, Sim } from './harness.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const cli = cliForSuite();
let sim: Sim;
let preload: string;

beforeAll(async () => {
  sim = await startSim({ link: 'tcp' });
  const secret = new Uint8Array(20).fill(9);
  seeds.push(secret);
  const add = await runCli(cli, ['add', '--port', sim.address, '--name', 'fast@example', '--issuer', 'Fast Co'], { input: base32Encode(secret) });
  expect(add.code, add.stderr).toBe(0);
  await runCli(cli, ['time', 'sync', '--port', sim.address]);
  // Which bundles the bin reads: a preload wrapping fs.readFileSync, reported on stderr at exit.
  preload = join(tempDir('fast'), 'reads.cjs');
  writeFileSync(preload, "const fs=require('fs');const r=fs.readFileSync;const seen=[];fs.readFileSync=function(p,...a){if(typeof p==='string'&&/[\\\\/]cli[\\\\/][^\\\\/]+\\.cjs$/.test(p))seen.push(p.split(/[\\\\/]/).pop());return r.call(this,p,...a)};process.on('exit',()=>process.stderr.write('READ '+seen.join(',')+'\\n'));");
}, 60_000);

afterAll(async () => {
  await sim?.close();
});

/** The CLI from source: host/cli/main.ts under tsx, where every command goes through commander. */
function runSource(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'host/cli/main.ts'), ...args], { env: { ...process.env, TOTP_TOKEN_PORT: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

/** info's clock line and JSON carry the token's time and error estimate, which move between two runs. */
const steady = (s: string) =>
  s
    .replace(/^(clock +)\S+Z, ±[\d.]+ s/m, '$1NOW, ±E s')
    .replace(/"(errorMs|timeMs)": [\d.]+/g, '"$1": N');

describe('the fast start reads only what commander reads the same way', () => {
  it('takes --port VALUE, --port=VALUE and --json, each once, in any order', () => {
    expect(fastOptions([])).toEqual({});
    expect(fastOptions(['--json'])).toEqual({ json: true });
    expect(fastOptions(['--port', 'tcp://127.0.0.1:9', '--json'])).toEqual({ port: 'tcp://127.0.0.1:9', json: true });
    expect(fastOptions(['--json', '--port=/dev/ttyACM0'])).toEqual({ port: '/dev/ttyACM0', json: true });
    expect(fastStart(['info', '--port', 'COM3'])).toEqual({ name: 'info', opts: { port: 'COM3' } });
  });

  it('leaves everything else to commander: help, unknown, repeated or missing values, arguments, other commands', () => {
    for (const args of [
      ['list', '--port'],
      ['list', '--port', '--json'],
      ['list', '--port='],
      ['list', '--port=-x'],
      ['list', '--json', '--json'],
      ['list', '--port', 'a', '--port', 'b'],
      ['list', '--port=a', '--port', 'b'],
      ['list', '-h'],
      ['list', '--help'],
      ['list', 'extra'],
      ['list', '--', '--json'],
      ['list', '--jso'],
      ['list', '--json=1'],
      ['--json', 'list'],
      ['help', 'list'],
      ['code', '--port', 'x'],
      ['time', 'show'],
      [],
    ]) {
      expect(fastStart(args), args.join(' ')).toBeUndefined();
    }
  });
});

describe('the built CLI starts list and info without commander, and they behave as commander’s', () => {
  const cases = (port: string): string[][] => [
    ['list', '--port', port],
    ['list', `--port=${port}`, '--json'],
    ['info', '--json', '--port', port],
    ['info', '--port', port],
    ['list', '--port', 'tcp://127.0.0.1:1'], // nothing listening: the same error and exit code
    ['info', '--port', 'tcp://127.0.0.1:1', '--json'],
  ];

  it('the same stdout, stderr and exit code as from source, and the bin read only fast-<name>.cjs', async () => {
    for (const args of cases(sim.address)) {
      const built = await runCli(cli, args, { env: { NODE_OPTIONS: `--require ${preload}` } });
      const reads = /^READ (.*)$/m.exec(built.stderr)?.[1];
      expect(reads, args.join(' ')).toBe(`fast-${args[0]}.cjs`);
      const source = await runSource(args);
      expect(steady(built.stdout), args.join(' ')).toBe(steady(source.stdout));
      expect(built.stderr.replace(/^READ .*\n/m, ''), args.join(' ')).toBe(source.stderr);
      expect(built.code, args.join(' ')).toBe(source.code);
    }
  }, 120_000);

  it('$TOTP_TOKEN_PORT without --port, as commander’s action reads it', async () => {
    const built = await runCli(cli, ['list'], { env: { TOTP_TOKEN_PORT: sim.address, NODE_OPTIONS: `--require ${preload}` } });
    expect(/^READ (.*)$/m.exec(built.stderr)?.[1]).toBe('fast-list.cjs');
    const source = await runSource(['list'], { TOTP_TOKEN_PORT: sim.address });
    expect(built.stdout).toBe(source.stdout);
    expect(built.stdout).toContain('fast@example\tFast Co');
    expect(built.code).toBe(0);
  }, 60_000);

  it('a token with a USB password: no password, a wrong one and the right one give the same as from source', async () => {
    const locked = await startSim({ link: 'tcp' });
    try {
      const set = await runWithPress(cli, locked, ['password', 'set', '--password-stdin', '--port', locked.address], { input: 'open sesame 2\n' });
      expect(set.code, set.stderr).toBe(0);
      // Each wrong answer is counted on the token: the two runs see consecutive counts (two wrong ones, then the
      // right one resets the count, before the third would make the token wait: firmware/access.ts FREE_ATTEMPTS).
      const counted = (s: string) => s.replace(/\(\d+ failures\)/g, '(N failures)');
      const list = ['list', '--port', locked.address];
      const info = ['info', '--json', '--port', locked.address];
      const none = {};
      const wrong = { TOTP_TOKEN_PASSWORD: 'not it' };
      const right = { TOTP_TOKEN_PASSWORD: 'open sesame 2' };
      const cases: [Record<string, string>, string[]][] = [
        [none, list],
        [none, info],
        [wrong, list],
        [right, list],
        [right, info],
      ];
      for (const [env, args] of cases) {
        const what = `${args.join(' ')} ${JSON.stringify(env)}`;
        const built = await runCli(cli, args, { env: { ...env, NODE_OPTIONS: `--require ${preload}` } });
        expect(/^READ (.*)$/m.exec(built.stderr)?.[1], what).toBe(`fast-${args[0]}.cjs`);
        const source = await runSource(args, env);
        expect(steady(built.stdout), what).toBe(steady(source.stdout));
        expect(counted(built.stderr.replace(/^READ .*\n/m, '')), what).toBe(counted(source.stderr));
        expect(built.code, what).toBe(source.code);
      }
    } finally {
      await locked.close();
    }
  }, 120_000);

  it('a form the reader leaves alone still reaches commander in the built CLI (list.cjs), with its usage error', async () => {
    const built = await runCli(cli, ['list', '--port'], { env: { NODE_OPTIONS: `--require ${preload}` } });
    expect(/^READ (.*)$/m.exec(built.stderr)?.[1]).toBe('list.cjs');
    expect(built.stderr).toMatch(/option '--port <path\|url>' argument missing/);
    expect(built.code).toBe(2);
  });
});
