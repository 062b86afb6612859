import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { deviceText, legacyTokenOf, templatesIn, templateTable, tokenizeSource, tokenOf } from '../../host/lib/device-text.ts';
import { say } from '../../protocol/say.ts';
import { say as sayTokens } from '../../firmware/ports/espruino/say.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('tokenized device text', () => {
  it('say() fills the holes in order; missing values read "undefined"', () => {
    expect(say('digits must be 6..10, got %', 12)).toBe('digits must be 6..10, got 12');
    expect(say('% cannot compute %', 'pico', 'SHA512')).toBe('pico cannot compute SHA512');
    expect(say('a % b %', 1)).toBe('a 1 b undefined');
    expect(say('no holes')).toBe('no holes');
  });

  it('a token is the top 18 bits of the template\'s CRC-32 in three characters, the same for the same words', () => {
    expect(tokenOf('frame failed its check')).toBe(tokenOf('frame failed its check'));
    expect(tokenOf('frame failed its check')).not.toBe(tokenOf('frame failed its checks'));
    // CRC-32("123456789") = cbf43926: its top 18 bits are 110010 111111 010000 = 50 63 16.
    expect(tokenOf('123456789')).toBe('O.g');
    // The token older firmware sends: 24 bits (cbf439) in base 36.
    expect(legacyTokenOf('123456789')).toBe((0xcbf439).toString(36));
  });

  it('a message from firmware with the older, longer tokens still reads as words', () => {
    const table = templateTable(root);
    const old = sayTokens(legacyTokenOf('nobody pressed the button within % s'), 30);
    expect(deviceText(old, table)).toBe('nobody pressed the button within 30 s');
    expect(deviceText(sayTokens(tokenOf('nobody pressed the button within % s'), 30), table)).toBe('nobody pressed the button within 30 s');
  });

  it('the host puts the words back, nested tokens included, and the result equals say()', () => {
    const table = new Map([
      [tokenOf("tlv: field % %"), "tlv: field % %"],
      [tokenOf('appears twice'), 'appears twice'],
      [tokenOf('is % bytes, more than %'), 'is % bytes, more than %'],
    ]);
    const inner = sayTokens(tokenOf('is % bytes, more than %'), 65, 64);
    const sent = sayTokens(tokenOf('tlv: field % %'), 1, inner);
    expect(sent).toMatch(/^\x1e[\w.]{3}\x1f1\x1f\x1e[\w.]{3}\x1f65\x1f64\x1d\x1d$/);
    expect(deviceText(sent, table)).toBe(say('tlv: field % %', 1, say('is % bytes, more than %', 65, 64)));
    expect(deviceText(sayTokens(tokenOf('appears twice')), table)).toBe('appears twice');
    expect(deviceText('plain words pass through', table)).toBe('plain words pass through');
    expect(deviceText('prefix: ' + sayTokens(tokenOf('appears twice')), table)).toBe('prefix: appears twice');
  });

  it('shows an unknown token as such, with its values, never as another message', () => {
    expect(deviceText(sayTokens('zzzzz', 7, 'x'), new Map())).toBe('device message #zzzzz (7, x)');
    expect(deviceText('\x1e', new Map())).toBe('device message #');
  });

  it('the build finds every say(), refuse() and badRequest() template, skips comments, and refuses a template that is not a literal', () => {
    const src =
      "// say('in a comment') is not a call\nfail(1, say('a % b', x));\nfail(2, say(\"it's %\", y));\n" +
      "refuse(ERRORS.LOCKED, 'locked % s', n);\nbadRequest(\"bad '%'\", k);\n * refuse(3, 'in a doc comment')\nexport function refuse(status: number, template: string) {}\n";
    expect(templatesIn(src, 'x.ts').map((t) => t.template)).toEqual(['a % b', "it's %", 'locked % s', "bad '%'"]);
    const t = (template: string) => JSON.stringify(tokenOf(template));
    expect(tokenizeSource(src, 'x.ts')).toBe(
      "// say('in a comment') is not a call\nfail(1, say(" + t('a % b') + ', x));\nfail(2, say(' + t("it's %") + ', y));\n' +
        'refuse(ERRORS.LOCKED, ' + t('locked % s') + ', n);\nbadRequest(' + t("bad '%'") + ", k);\n * refuse(3, 'in a doc comment')\nexport function refuse(status: number, template: string) {}\n",
    );
    for (const call of ['fail(1, say(message));', 'refuse(ERRORS.LOCKED, message);', "badRequest(say('x'));", "refuse(f(1), 'x');"]) {
      expect(() => templatesIn(call, 'y.ts'), call).toThrow(/y\.ts: every say\(\), refuse\(\) and badRequest\(\) call needs a quoted string literal/);
    }
    expect(() => templatesIn("say('a\\nb')", 'z.ts')).toThrow(/escape/);
  });

  it('the firmware sources have templates, no two sharing a token', () => {
    const table = templateTable(root);
    expect(table.size).toBeGreaterThan(30);
    expect([...table.values()]).toContain('nobody pressed the button within % s');
  });
});
