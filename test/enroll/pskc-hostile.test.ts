// Review: crafted PSKC files against the one PSKC codec (host/lib/import/pskc.ts),
// which the CLI and the page share. Each must end in a clear TokenError that
// names the file (BAD_INPUT, "<source>: ..."), never a parser's bare error,
// and must not hang: entities are refused before parsing, the PBKDF2 cost is
// capped (MAX_ITERATIONS), deep nesting is refused by fast-xml-parser's
// maxNestedTags (which throws a plain Error the user cannot place).
import { describe, expect, it } from 'vitest';
import { TokenError } from '../../host/lib/errors.ts';
import { readPskcWith } from '../../host/lib/import/pskc.ts';
import { readPskc } from '../../host/lib/import/pskc-node.ts';
import { nodePskcCrypto } from '../../host/lib/import/pskc-crypto-node.ts';
import type { PskcCrypto } from '../../host/lib/import/pskc-crypto.ts';

const HEAD = '<?xml version="1.0"?><KeyContainer Version="1.0" xmlns="urn:ietf:params:xml:ns:keyprov:pskc">';
const KEY = '<KeyPackage><Key Id="1" Algorithm="urn:ietf:params:xml:ns:keyprov:pskc:totp"><Data><Secret><PlainValue>MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=</PlainValue></Secret></Data></Key></KeyPackage>';
const file = (inner: string) => HEAD + inner + KEY + '</KeyContainer>';

async function refusal(xml: string, opts = {}): Promise<TokenError> {
  const e = await readPskc(xml, { source: 'evil.pskc', ...opts }).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e, 'the file was accepted').toBeInstanceOf(TokenError);
  expect((e as TokenError).code).toBe('BAD_INPUT');
  expect((e as TokenError).message.startsWith('evil.pskc: ')).toBe(true);
  return e as TokenError;
}

describe('crafted PSKC files get a clear refusal that names the file (review)', () => {
  it('control: the plain file reads', async () => {
    expect((await readPskc(file(''))).length).toBe(1);
  });

  it('billion laughs and external entities are refused before parsing, in any case', async () => {
    const lol = '<!DOCTYPE k [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>';
    expect((await refusal('<?xml version="1.0"?>' + lol + file('<X>&c;</X>'))).message).toMatch(/DOCTYPE/);
    expect((await refusal('<?xml version="1.0"?><!doctype k SYSTEM "file:///etc/passwd">' + file('<X>&xxe;</X>'))).message).toMatch(/DOCTYPE/);
  });

  it('an absurd PBKDF2 iteration count is refused before any work', async () => {
    const enc = HEAD.replace('pskc">', 'pskc" xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" xmlns:pkcs5="http://www.rsasecurity.com/rsalabs/pkcs/schemas/pkcs-5v2-0#" xmlns:xenc11="http://www.w3.org/2009/xmlenc11#">') +
      '<EncryptionKey><xenc11:DerivedKey><xenc11:KeyDerivationMethod Algorithm="http://www.rsasecurity.com/rsalabs/pkcs/schemas/pkcs-5v2-0#pbkdf2"><pkcs5:PBKDF2-params><Salt><Specified>Ej7/PEpyEpw=</Specified></Salt><IterationCount>4000000000</IterationCount><KeyLength>16</KeyLength></pkcs5:PBKDF2-params></xenc11:KeyDerivationMethod></xenc11:DerivedKey></EncryptionKey>' +
      KEY + '</KeyContainer>';
    expect((await refusal(enc, { password: 'qwerty' })).message).toMatch(/IterationCount must be 1 to/);
  });

  it('a PBKDF2 that fails leaves no password bytes behind (the password copy is wiped on every path)', async () => {
    const enc = HEAD.replace('pskc">', 'pskc" xmlns:xenc11="http://www.w3.org/2009/xmlenc11#" xmlns:pkcs5="http://www.rsasecurity.com/rsalabs/pkcs/schemas/pkcs-5v2-0#">') +
      '<EncryptionKey><xenc11:DerivedKey><xenc11:KeyDerivationMethod Algorithm="http://www.rsasecurity.com/rsalabs/pkcs/schemas/pkcs-5v2-0#pbkdf2"><pkcs5:PBKDF2-params><Salt><Specified>Ej7/PEpyEpw=</Specified></Salt><IterationCount>1000</IterationCount><KeyLength>16</KeyLength></pkcs5:PBKDF2-params></xenc11:KeyDerivationMethod></xenc11:DerivedKey></EncryptionKey>' +
      KEY + '</KeyContainer>';
    // node:crypto's provider, but its PBKDF2 fails as node:crypto's does on an exhausted thread pool or a bad argument (a rejected promise).
    const seen: Uint8Array[] = [];
    const failing: PskcCrypto = { ...nodePskcCrypto, pbkdf2: (_h, password) => (seen.push(password), Promise.reject(new Error('pbkdf2 failed'))) };
    await expect(readPskcWith(failing, enc, { password: 'qwerty', source: 'evil.pskc' })).rejects.toThrow('pbkdf2 failed');
    expect(seen.length).toBe(1);
    expect([...seen[0]]).toEqual([0, 0, 0, 0, 0, 0]); // 'qwerty' was here
  });

  it('100,000 nested elements: a refusal that names the file, not fast-xml-parser\'s bare "Maximum nested tags exceeded"', async () => {
    const e = await refusal(file('<a>'.repeat(100000) + '</a>'.repeat(100000)));
    expect(e.message).toMatch(/nested/);
  });
});

describe('a broken PSKC file\'s XML error does not echo a secret (review)', () => {
  const SECRET = 'MTIzNDU2Nzg5MDEyMzQ1Njc4OTA'; // base64 of the RFC 6238 key, its padding lost in the damage
  const damaged = [
    `<PlainValue ${SECRET}=</PlainValue>`, // the '>' lost: the value reads as an attribute
    `<PlainValue ${SECRET}>x</PlainValue>`,
    `<${SECRET}>`, // the element name lost: the value reads as a tag
  ];
  for (const body of damaged) {
    it(`${JSON.stringify(body.slice(0, 14))}...: not well-formed, the line and column given, the value not echoed`, async () => {
      const xml = HEAD + `<KeyPackage><Key Id="1" Algorithm="urn:ietf:params:xml:ns:keyprov:pskc:totp"><Data><Secret>${body}</Secret></Data></Key></KeyPackage></KeyContainer>`;
      const e = await refusal(xml);
      expect(e.message).toMatch(/not well-formed XML: .*line 1, column \d+/);
      expect(e.message).not.toContain(SECRET.slice(0, 12));
    });
  }

  // What the validator lets through but fast-xml-parser's parser refuses (`<!"`: an unmatched quote in
  // a declaration) is reported with the XML around it, double-quoted and unquoted alike
  // (OrderedObjParser.js: `readTagExp returned undefined at position N. Context: "..."`).
  const reachingTheParser = [
    `<PlainValue>${SECRET}<!"</PlainValue>`, // the value in the context, the quote after it
    `<PlainValue>${SECRET}=</PlainValue><!"`,
    `<PlainValue x="${SECRET}"><!"</PlainValue>`, // a double-quoted attribute in the context
    `<PlainValue><!"${SECRET}</PlainValue>`, // the value after the unmatched quote
    `<PlainValue><!'${SECRET}'"</PlainValue>`,
  ];
  for (const body of reachingTheParser) {
    it(`${JSON.stringify(body.slice(0, 40))}...: the parser's own error, its context not echoed`, async () => {
      const xml = HEAD + `<KeyPackage><Key Id="1" Algorithm="urn:ietf:params:xml:ns:keyprov:pskc:totp"><Data><Secret>${body}</Secret></Data></Key></KeyPackage></KeyContainer>`;
      const e = await refusal(xml);
      expect(e.message).toMatch(/not a PSKC file fast-xml-parser can read: readTagExp returned undefined at position \d+/);
      for (let k = 0; k + 6 <= SECRET.length; k++) expect(e.message).not.toContain(SECRET.slice(k, k + 6));
    });
  }

  it('an element name from the PSKC vocabulary is still named (a mismatched closing tag)', async () => {
    const e = await refusal(HEAD + KEY.replace('</PlainValue>', '</Plainvalue>') + '</KeyContainer>');
    expect(e.message).toContain("'PlainValue'");
  });
});
