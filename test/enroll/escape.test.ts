// Text from outside never reaches the terminal as control characters: names
// and issuers from URIs, exports and PSKC files, and device messages are shown
// escaped (ESC as \e, BEL as \a, ...) in --dry-run, errors, notes and every
// human output, by host/lib/text.ts through the CLI's Output. Attack: an
// otpauth URI whose name clears the screen and whose issuer sets the window
// title (ESC ] 0 ; ... BEL); before the fix both reached the terminal raw.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Output } from '../../host/cli/context.ts';
import { escapeForTerminal, escapeText } from '../../host/lib/text.ts';

const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'escape-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

function cli(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(root, 'host', 'cli', 'main.ts'), ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
}

describe('outside text on the terminal', () => {
  it('escapeText shows every control character escaped, line breaks and bidi overrides included', () => {
    expect(escapeText('a\u001b[2Jb\u0007c\r\nd\u202ee\u009bf\\')).toBe('a\\e[2Jb\\ac\\r\\nd\\u202ee\\x9bf\\\\');
    expect(escapeForTerminal('line 1\nname\t\u001b]0;t\u0007')).toBe('line 1\nname\t\\e]0;t\\a');
    expect(escapeText('plain ¿äÄéÉ? 名前')).toBe('plain ¿äÄéÉ? 名前');
  });

  it('import --dry-run of a URI list: the screen-clearing name and title-setting issuer show escaped', () => {
    const file = join(dir, 'evil.txt');
    writeFileSync(file, 'otpauth://totp/%1B%5B2J%07evil?secret=JBSWY3DPEHPK3PXP&issuer=%1B%5D0%3Btitle%07\n');
    const r = cli(['import', file, '--dry-run']);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(CONTROL);
    expect(r.stdout).toContain('\\e]0;title\\a: \\e[2J\\aevil');
  }, 60_000);

  it('errors that quote outside text (a PSKC key Id) show it escaped', () => {
    const file = join(dir, 'evil.pskcxml');
    writeFileSync(
      file,
      '<?xml version="1.0"?>\n<KeyContainer Version="1.0" xmlns="urn:ietf:params:xml:ns:keyprov:pskc"><KeyPackage><Key Id="\u001b[31mred\u0007" Algorithm="urn:ietf:params:xml:ns:keyprov:pskc:ocra"><Data><Secret><PlainValue>MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=</PlainValue></Secret></Data></Key></KeyPackage></KeyContainer>\n',
    );
    const r = cli(['import', file, '--dry-run']);
    expect(r.status).toBe(2);
    expect(r.stderr).not.toMatch(CONTROL);
    expect(r.stderr).toContain("(Id '\\e[31mred\\a')");
  }, 60_000);

  it('every human output (results such as list, notes, warnings) goes through the escaping', () => {
    const out = new Output(false);
    const written: string[] = [];
    const spyOut = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (written.push(String(s)), true));
    const spyErr = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (written.push(String(s)), true));
    try {
      out.result(['accounts:', '  \u001b[2Jname (device text)'], {});
      out.note('device says \u0007\u001b]0;x\u0007');
      out.warn('\u001b[1A overwrite');
    } finally {
      spyOut.mockRestore();
      spyErr.mockRestore();
    }
    expect(written.join('')).not.toMatch(CONTROL);
    expect(written.join('')).toContain('\\e[2Jname');
  });
});
