// The field table in protocol/wire-protocol.md and FIELDS in messages.ts are
// one table written twice (the firmware ships the compact one): every tag,
// key and type must agree, in both directions.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ACCOUNT_FIELDS, FIELDS } from '../../protocol/messages.ts';
import { UNSIGNED } from '../../protocol/tlv.ts';

// By tlv.ts's FieldType number.
const TYPE_WORDS = ['uint', 'sint', 'text', 'bytes', 'list'];
const spec = readFileSync(fileURLToPath(new URL('../../protocol/wire-protocol.md', import.meta.url)), 'utf8');

function specRows(): { tag: number; key: string; type: string }[] {
  return spec
    .split('\n')
    .map((line) => /^\| (\d+) \| (\w+) \| (\w+) \|/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && /^(uint|sint|text|bytes|list)$/.test(m[3]))
    .map((m) => ({ tag: Number(m[1]), key: m[2], type: m[3] }));
}

describe('wire-protocol.md field table', () => {
  it('lists exactly the tags, keys and types of FIELDS', () => {
    expect(specRows()).toEqual(FIELDS.map((f) => ({ tag: f.tag, key: f.key, type: TYPE_WORDS[f.type] })));
  });

  it('puts HOTP at the agreed tags: 37 type, 38 counter, both in LIST items', () => {
    expect(FIELDS.filter((f) => f.tag === 37 || f.tag === 38).map((f) => [f.tag, f.key, f.type])).toEqual([[37, 'type', UNSIGNED], [38, 'counter', UNSIGNED]]);
    expect(ACCOUNT_FIELDS.map((f) => f.key)).toEqual(['name', 'issuer', 'algorithm', 'digits', 'period', 'type', 'counter']);
    expect(spec).toMatch(/\| 22 \| account \| list \| .*tags 1-5, 37, 38/);
  });
});
