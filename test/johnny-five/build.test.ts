// What gets copied to the Pi: the bundle runs on plain Node, loads
// johnny-five only when it starts the board, and says how to install it
// when it is missing; its package.json lists what the Pi installs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPiBundle, PI_PACKAGE } from '../../firmware/ports/johnny-five/build.ts';

describe('the Pi bundle', () => {
  // Outside the repo, so no node_modules above it: as on a fresh Pi.
  const dir = mkdtempSync(join(tmpdir(), 'tt-pi-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('bundles the token without johnny-five, raspi-io or serialport inside', async () => {
    const { file, bytes } = await buildPiBundle(dir);
    const text = readFileSync(file, 'utf8');
    expect(bytes).toBeLessThan(200_000);
    expect(text).not.toMatch(/PCF8574AT|nanotimer/); // johnny-five stays outside
    expect(text).toContain('import("serialport")');
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))).toEqual(PI_PACKAGE);
    expect(PI_PACKAGE.dependencies['johnny-five']).toBe('2.1.0');
  });

  it('runs on plain Node and names the missing package with the command that installs it', () => {
    const help = spawnSync(process.execPath, [join(dir, 'token.mjs'), '--help'], { cwd: dir, encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/--link \/dev\/ttyGS0/);
    const run = spawnSync(process.execPath, [join(dir, 'token.mjs'), '--link', 'tcp://127.0.0.1:0', '--state', join(dir, 'state')], { cwd: dir, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/cannot load 'johnny-five'.*npm install johnny-five@2\.1\.0 raspi-io@11/);
  });
});
