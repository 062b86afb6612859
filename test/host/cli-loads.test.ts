// What each way of starting the CLI loads, read from esbuild's metafile of a
// fresh build: --version nothing but the entry, --help commander and the
// command table, each command its own module and what it shares, and no
// command QR, PNG, AWS, johnny-five, serialport or the simulator before its
// action asks for them (sim and demo are the simulator). Start-up times are
// in `npm run bench` (test/bench/figures-cli.ts), never asserted here.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../host/cli/command-table.ts';
import { FAST_COMMANDS } from '../../host/cli/fast-argv.ts';
import { newProgram } from '../../host/cli/program.ts';
import { buildCli, commandLoads, lazyViolations } from '../../host/tools/cli-bundle.ts';
import type { CommandLoad } from '../../host/tools/cli-bundle.ts';
import pkg from '../../package.json' with { type: 'json' };

const ROOT = join(import.meta.dirname, '../..');
let out: string;
let bin: Metafile;
let commands: Metafile;
let loads: Record<string, CommandLoad>;

/** Package names (or repo folders) among a command's inputs. */
const packages = (l: CommandLoad): string[] => [...new Set(l.inputs.filter((i) => !i.startsWith('cli-entry:')).map((i) => /node_modules\/((@[^/]+\/)?[^/]+)/.exec(i)?.[1] ?? i.split('/')[0]))].sort();

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'cli-loads-'));
  ({ bin, commands, loads } = await buildCli(out));
}, 120_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('what each CLI command loads before its action runs', () => {
  it('lists them (shown on failure)', () => {
    const table = Object.entries(loads).map(([name, l]) => `${name}: ${packages(l).join(' ')} | ${l.externals.join(' ')}`);
    expect(table.length).toBe(COMMANDS.length + 2 + FAST_COMMANDS.length);
    // The list itself is the record: print it so a reviewer sees each command's footprint.
    console.log(table.join('\n'));
  });

  it('--version: the bin alone, nothing from host/lib, no package', () => {
    expect(loads['--version'].inputs).toEqual(['host/cli/argv.ts', 'host/cli/bundle-start.ts', 'host/cli/fast-argv.ts', 'host/cli/main.ts', 'package.json']);
    // Builtins the bin uses to load a command bundle with its code cache; no package, no net, no child_process.
    expect(loads['--version'].externals).toEqual(['node:fs', 'node:module', 'node:path', 'node:vm']);
  });

  it('--help: commander and the command table, no host library, no device code', () => {
    expect(packages(loads['--help'])).toEqual(['commander', 'host', 'package.json']);
    expect(loads['--help'].inputs.filter((i) => i.startsWith('host/') && !i.startsWith('host/cli/'))).toEqual([]);
    expect(loads['--help'].inputs.filter((i) => i.startsWith('host/cli/commands/'))).toEqual([]);
    expect(loads['--help'].externals.filter((e) => /net|readline|crypto|serialport|zlib/.test(e))).toEqual([]);
  });

  it('no command loads QR, PNG, zlib, AWS, johnny-five, serialport or the simulator at start', () => {
    expect(lazyViolations(loads)).toEqual([]);
    for (const name of ['list', 'code', 'add', 'info']) expect(loads[name].inputs.filter((i) => i.startsWith('firmware/'))).toEqual(['firmware/ports/node/node-hashes.ts']);
    expect(loads.list.inputs.filter((i) => i.startsWith('host/cli/commands/'))).toEqual(['host/cli/commands/list.ts']);
  });

  it('a stray static import fails the check (a metafile where list reaches jsqr, which requires zlib)', () => {
    const tampered: Metafile = structuredClone(commands);
    const listOut = Object.values(tampered.outputs).find((o) => o.entryPoint === 'cli-entry:cli-entry:list')!;
    listOut.inputs['node_modules/jsqr/dist/jsQR.js'] = { bytesInOutput: 1 };
    tampered.inputs['node_modules/jsqr/dist/jsQR.js'] = { bytes: 1, imports: [{ path: 'zlib', kind: 'require-call', external: true }] };
    const bad = lazyViolations(commandLoads(bin, tampered));
    expect(bad).toEqual([expect.stringMatching(/^'list' loads QR decoding \(jsqr\) at start \(node_modules\/jsqr/), expect.stringMatching(/^'list' loads zlib/)]);
  });

  it('the fast starts (list, info with only --port/--json) load no commander, and the same host code as the command', () => {
    for (const name of FAST_COMMANDS) {
      const fast = loads[`fast ${name}`];
      expect(packages(fast), name).not.toContain('commander');
      expect(fast.inputs.filter((i) => i.startsWith('host/cli/commands/')), name).toEqual(loads[name].inputs.filter((i) => i.startsWith('host/cli/commands/')));
      expect(fast.inputs.filter((i) => i.startsWith('host/lib/')), name).toEqual(loads[name].inputs.filter((i) => i.startsWith('host/lib/')));
    }
  });

  it("loading a device command's bundle does not load node:child_process (commander's spawn is made lazy at build)", () => {
    // process.moduleLoadList names each builtin Node has loaded; bundle-start.ts's loadBundle is how the bin loads a command.
    const probe = (name: string) =>
      spawnSync(process.execPath, ['-e', `const vm=require('node:vm'),fs=require('node:fs'),M=require('node:module'),p=require('node:path');const f=p.join(${JSON.stringify(out)},'cli',${JSON.stringify(name + '.cjs')});new vm.Script(M.wrap(fs.readFileSync(f,'utf8')),{filename:f}).runInThisContext()({},M.createRequire(f),{exports:{}},f,p.dirname(f));console.log(process.moduleLoadList.filter((m)=>/child_process/.test(m)).join(','))`], { encoding: 'utf8' });
    for (const name of ['list', 'code', 'add', 'info', 'fast-list', 'fast-info']) {
      const r = probe(name);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout.trim(), name).toBe('');
    }
    // The probe can see it: the time command asks the OS's clock tools (host-clock.ts) and loads it.
    expect(probe('time').stdout).toMatch(/child_process/);
  });

  it('a device command loads node:crypto only when it hashes or derives (the build puts it behind getters)', () => {
    // From a file, not `node -e`, which loads node:crypto itself (for its `crypto` global).
    const probe = join(out, 'probe-crypto.cjs');
    writeFileSync(probe, "const vm=require('node:vm'),fs=require('node:fs'),M=require('node:module'),p=require('node:path');const f=process.argv[2];const b=new vm.Script(M.wrap(fs.readFileSync(f,'utf8')),{filename:f}).runInThisContext();const m={exports:{}};b(m.exports,M.createRequire(f),m,f,p.dirname(f));const at=()=>process.moduleLoadList.includes('NativeModule crypto');console.log(at(),(()=>{M.createRequire(f)('node:crypto');return at()})())");
    for (const name of ['fast-list', 'fast-info', 'list', 'info', 'code', 'add']) {
      const r = spawnSync(process.execPath, [probe, join(out, 'cli', `${name}.cjs`)], { encoding: 'utf8' });
      expect(r.stdout.trim(), `${name}: ${r.stderr}`).toBe('false true'); // not at load; the probe sees it once it is required
    }
  });

  it('every command file is in the table (a command left out would be unreachable)', () => {
    const files = readdirSync(join(ROOT, 'host/cli/commands')).filter((f) => /export function register\(/.test(readFileSync(join(ROOT, 'host/cli/commands', f), 'utf8')));
    expect(files.map((f) => f.replace(/\.ts$/, '')).sort()).toEqual(COMMANDS.map(([n]) => n).sort());
  });

  it('the built --help lists every command as it would with all of them loaded', async () => {
    const full = newProgram(pkg.version);
    for (const [, load] of COMMANDS) (await load()).register(full);
    const r = spawnSync(process.execPath, [join(out, 'totp-token.cjs'), '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    // Commander wraps to the terminal width, 80 columns when stdout is not one (as in the child): the same for both.
    full.configureOutput({ getOutHelpWidth: () => 80 });
    expect(r.stdout).toBe(full.helpInformation());
  });

  it('each command bundle has a V8 code cache that this Node accepts', () => {
    for (const name of ['help', ...COMMANDS.map(([n]) => n), ...FAST_COMMANDS.map((n) => `fast-${n}`)]) {
      const file = join(out, 'cli', `${name}.cjs`);
      // In a plain node: V8 rejects a cache made under other flags, and vitest's workers may run with some.
      const check = `const fs=require('fs'),vm=require('vm'),M=require('module');const s=new vm.Script(M.wrap(fs.readFileSync(${JSON.stringify(file)},'utf8')),{cachedData:fs.readFileSync(${JSON.stringify(file + '.v8cache')})});process.stdout.write(String(s.cachedDataRejected))`;
      expect(spawnSync(process.execPath, ['-e', check], { encoding: 'utf8' }).stdout, name).toBe('false');
    }
  }, 60_000); // one node process per command bundle

  it('--version prints the version and a command runs through its own bundle (and the old .mjs path)', () => {
    expect(spawnSync(process.execPath, [join(out, 'totp-token.mjs'), '--version'], { encoding: 'utf8' }).stdout).toBe(`${pkg.version}\n`);
    expect(spawnSync(process.execPath, [join(out, 'totp-token.cjs'), '--version'], { encoding: 'utf8' }).stdout).toBe(`${pkg.version}\n`);
    const unknown = spawnSync(process.execPath, [join(out, 'totp-token.cjs'), 'lst'], { encoding: 'utf8' });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'lst'[\s\S]*Did you mean list\?/);
    const list = spawnSync(process.execPath, [join(out, 'totp-token.cjs'), 'list', '--port', 'tcp://127.0.0.1:1'], { encoding: 'utf8' });
    expect(list.status).toBe(3);
    expect(list.stderr).toMatch(/cannot connect to tcp:\/\/127\.0\.0\.1:1/);
  });
});
