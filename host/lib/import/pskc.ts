// RFC 6030 PSKC reader: the seed files that come with hardware tokens and
// that identity providers import, and the draft-era layouts that came before
// the RFC (draft-hoyer-keyprov-portable-symmetric-key-container-00/01,
// draft-ietf-keyprov-pskc-02: <SecretContainer>, <Device>, <Data Name=...>,
// <Value>/<ValueDigest>, PBE-3DES112-CBC...). Which element and attribute
// names are read, and how, follows python-pskc's parser (pskc/parser.py,
// Arthur de Jong), the most complete reader, which the import is tested
// against on its whole test corpus (test/enroll/pskc-corpus.test.ts).
//
// Reading is in two steps: readPskcRaw() decodes and decrypts every key as
// the file states it (readable by tests whatever the key is); readPskc()
// then maps each key to an account or refuses the whole file, saying why:
//   type       Key@Algorithm ending in 'totp' or 'hotp' (':pskc:totp', '#totp', draft 'HOTP');
//              OCRA, PIN, YubiKey AES, SecurID, ActivIdentity keys are refused by name
//   algorithm  AlgorithmParameters/Suite naming SHA1, SHA256 or SHA512; absent: SHA1
//   digits     ResponseFormat Length (Encoding DECIMAL, no check digit); absent: 6
//   period     Data/TimeInterval; absent: 30.   counter: Data/Counter (HOTP); absent: 0
//   Data/Time  the T0 of RFC 6238: only 0 (or absent) is accepted. TimeDrift is the old device's
//              clock error, meaningless for a new token: ignored
//   issuer     Key/Issuer
//   account    FriendlyName, else Key/UserId, else DeviceInfo/UserId, else SerialNo, else Key@Id
//   Policy     a PIN, a use count, a KeyUsage without OTP, dates outside today, or rules not
//              understood (RFC 6030 §5: the key MUST NOT be used then) are refused: the token
//              cannot enforce them, and silently dropping a policy would weaken the key
// Encryption (pskc-crypto.ts): pre-shared keys (§6.1), PBKDF2 passwords (§6.2), RSA-OAEP to a
// certificate (§6.3) with the private key; each value's MAC (over the ciphertext, or the
// plaintext as drafts did) is checked under the file's MAC key. A wrong key fails the MAC,
// the padding or the key-wrap check before any value is used, and reading is all-or-nothing.
// Messages name the key (index, Id, serial), never a secret.
// The crypto comes in as a provider (pskc-crypto.ts's PskcCrypto), so this
// one codec runs in the CLI (pskc-node.ts: node:crypto) and in the page
// (pskc-crypto-web.ts): it imports no node: module and uses no Node global.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { base64Decode } from '../../../protocol/base64.ts';
import { latin1Text } from '../../../protocol/latin1.ts';
import { MAX_COUNTER, MAX_DIGITS, MAX_SECRET_BYTES, MIN_DIGITS } from '../../../protocol/hotp.ts';
import type { Algorithm } from '../../../protocol/hash.ts';
import type { OtpAuth, OtpType } from '../../../protocol/otpauth.ts';
import { TokenError } from '../errors.ts';
import { CipherRefusal, WrongKeyError, algorithmName, checkCipher, decrypt, hmacHash, isAsymmetric, isKeyWrap, sameBytes } from './pskc-crypto.ts';
import type { PskcCrypto, PskcKeyMaterial } from './pskc-crypto.ts';

export const PSKC_NS = 'urn:ietf:params:xml:ns:keyprov:pskc';
export const TOTP_URN = 'urn:ietf:params:xml:ns:keyprov:pskc:totp';
export const HOTP_URN = 'urn:ietf:params:xml:ns:keyprov:pskc:hotp';
export const XENC_NS = 'http://www.w3.org/2001/04/xmlenc#';
export const XENC11_NS = 'http://www.w3.org/2009/xmlenc11#';
export const PKCS5_NS = 'http://www.rsasecurity.com/rsalabs/pkcs/schemas/pkcs-5v2-0#';
export const DS_NS = 'http://www.w3.org/2000/09/xmldsig#';
export const PBKDF2_URI = PKCS5_NS + 'pbkdf2';
export const AES128_CBC_URI = XENC_NS + 'aes128-cbc';
export const HMAC_SHA1_URI = DS_NS + 'hmac-sha1';

/** Refuse absurd PBKDF2 costs from a file (a denial of service, not a real export). */
const MAX_ITERATIONS = 10_000_000;

export interface PskcKey {
  otp: OtpAuth;
  /** Key@Id. */
  keyId: string;
  serial: string;
  manufacturer: string;
  model: string;
  /** Key/UserId, else DeviceInfo/UserId (an Entra UPN, say). */
  userId: string;
}

export interface PskcPolicy {
  startDate: string;
  expiryDate: string;
  numberOfTransactions: bigint | null;
  keyUsage: string[];
  pinKeyId: string;
  pinUsage: string;
  /** Rules this reader (like python-pskc) does not know: RFC 6030 says the key must not be used then. */
  unknown: boolean;
}

/** One key as the file states it, decrypted. */
export interface PskcRawKey {
  /** "key 2 of 4 (Id 'x')", for messages. */
  where: string;
  id: string;
  algorithm: string;
  suite: string;
  issuer: string;
  friendlyName: string;
  keyUserId: string;
  deviceUserId: string;
  serial: string;
  manufacturer: string;
  model: string;
  keyReference: string;
  responseEncoding: string;
  responseLength: number | null;
  responseCheck: boolean | null;
  secret: Uint8Array | null;
  counter: bigint | null;
  timeOffset: bigint | null;
  timeInterval: bigint | null;
  timeDrift: bigint | null;
  policy: PskcPolicy;
}

export interface PskcReadOptions {
  /** For files protected by a password (§6.2). */
  password?: string;
  /** For files encrypted under a pre-shared key (§6.1). */
  preSharedKey?: Uint8Array;
  /** PEM private key for files encrypted to a certificate (§6.3). */
  privateKeyPem?: string;
  /** Name used in messages (the file path). */
  source?: string;
  /** "Today", for policy dates (tests). */
  now?: Date;
  /** Told what the user should know about a file that was read (once each): CBC values without a MAC. */
  onWarning?: (message: string) => void;
  /** How this host asks for a key, in messages; the CLI's options by default. */
  keyWords?: PskcKeyWords;
}

/**
 * The end of each message that says what key a file needs and how to give it,
 * in the host's terms: the CLI names its options, the page its fields.
 */
export interface PskcKeyWords {
  /** After "this PSKC file is protected by a password: ". */
  password: string;
  /** After "this PSKC file is encrypted under a pre-shared key ('name'): ". */
  key: string;
  /** After "this PSKC file is encrypted to a certificate (RFC 6030 §6.3): ". */
  privateKey: string;
  /** After "the values are encrypted to a certificate (RSA): ", when a shared key or password was given. */
  privateKeyNotShared: string;
}

export const CLI_KEY_WORDS: PskcKeyWords = {
  password: 'give it (--password-stdin, or the prompt)',
  key: 'give that key (--key-file FILE, hex or raw bytes)',
  privateKey: 'give the matching private key (--private-key FILE.pem)',
  privateKeyNotShared: 'give the private key (--private-key), not a shared key',
};

type Node = { [key: string]: unknown };

function bad(source: string, message: string): never {
  throw new TokenError('BAD_INPUT', `${source}: ${message}`);
}

// ---- the XML tree: every element is an array of nodes (isArray), text under '#text'

function kids(node: Node | undefined, name: string): Node[] {
  const v = node ? node[name] : undefined;
  if (!Array.isArray(v)) return [];
  return v.map((x) => (typeof x === 'object' && x !== null ? (x as Node) : { '#text': String(x) }));
}

function kid(node: Node | undefined, path: string): Node | undefined {
  let n: Node | undefined = node;
  for (const part of path.split('/')) n = kids(n, part)[0];
  return n;
}

/** The first of several paths that exists (python-pskc's find(tree, *matches)). */
function find(node: Node | undefined, ...paths: string[]): Node | undefined {
  for (const p of paths) {
    const n = kid(node, p);
    if (n) return n;
  }
  return undefined;
}

function findAll(node: Node | undefined, ...names: string[]): Node[] {
  const out: Node[] = [];
  for (const n of names) out.push(...kids(node, n));
  return out;
}

function textOf(n: Node | undefined): string | null {
  if (!n) return null;
  const t = n['#text'];
  return t === undefined ? '' : String(t).trim();
}

function textAt(node: Node | undefined, ...paths: string[]): string {
  return textOf(find(node, ...paths)) ?? '';
}

function attr(node: Node | undefined, ...names: string[]): string {
  for (const name of names) {
    const v = node ? node['@' + name] : undefined;
    if (v !== undefined && String(v).trim() !== '') return String(v).trim();
  }
  return '';
}

function base64Strict(text: string, what: string, source: string): Uint8Array {
  const t = text.replace(/\s+/g, '');
  if (t === '' || t.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(t)) bad(source, `${what} is not base64`);
  return base64Decode(t);
}

function integer(text: string, what: string, source: string): bigint {
  if (!/^[+-]?\d{1,30}$/.test(text)) bad(source, `${what} is not a whole number ('${text.slice(0, 20)}')`);
  return BigInt(text);
}

function intAttr(node: Node | undefined, what: string, source: string, ...names: string[]): number | null {
  const t = attr(node, ...names);
  if (t === '') return null;
  const v = integer(t, what, source);
  return Number(v);
}

function boolAttr(node: Node | undefined, what: string, source: string, ...names: string[]): boolean | null {
  const t = attr(node, ...names).toLowerCase();
  if (t === '') return null;
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  return bad(source, `${what} is not a boolean ('${t.slice(0, 20)}')`);
}

function dateAt(node: Node | undefined, what: string, source: string, ...paths: string[]): string {
  const t = textAt(node, ...paths);
  if (t === '') return '';
  if (Number.isNaN(Date.parse(t))) bad(source, `${what} is not a date ('${t.slice(0, 30)}')`);
  return t;
}

/** Element and attribute names of PSKC files (RFC 6030 and the draft layouts), which an XML error may name. */
const XML_NAMES = new Set(
  ('KeyContainer SecretContainer KeyPackage Key Data Secret Counter Time TimeInterval TimeDrift PlainValue EncryptedValue ValueMAC ' +
    'EncryptionKey EncryptionMethod CipherData CipherValue DerivedKey KeyDerivationMethod PBKDF2-params Salt Specified IterationCount ' +
    'KeyLength PRF KeyName MACMethod MACKey MACAlgorithm DeviceInfo Manufacturer SerialNo Model IssueNo DeviceBinding StartDate ExpiryDate ' +
    'UserId CryptoModuleInfo AlgorithmParameters ResponseFormat ChallengeFormat Suite Policy PINPolicy KeyUsage NumberOfTransactions ' +
    'Issuer FriendlyName KeyProfileId KeyReference X509Data X509Certificate Signature Extensions Usage Id Algorithm Version Length Encoding ' +
    'Format Min Max').split(' '),
);

/**
 * The words fast-xml-parser 5's own messages are made of (validator.js and
 * xmlparser/*.js, as the templates read: "Closing tag '...' has not been
 * opened.", "Expected closing tag '...' (opened in line N, col N) instead of closing
 * tag '...'.", "readTagExp returned undefined at position N. Context: \"...\"").
 * Anything else in a message came from the file.
 */
const PARSER_WORDS = new Set(
  ('a accepted after allowed an and are as at attribute attributes be been boolean bytes can cause char closing col content context could ' +
    'data declaration declarations doctype document doesn element end entities entity exceeded expected expression external extra ' +
    'for form found has have identifier in instead invalid is javascript keyword line list mandatory maximum missing model multiple name ' +
    'nested no nodes not notation notations of on only open opened or parameter permitted pi pollution position possible proper ' +
    'prototype public quote quoted readtagexp repeated reserved returned root s security set space start starting string supported ' +
    'system t tag tags text that the type unclosed undefined unexpected unpaired unterminated used value with without xml').split(' '),
);

/**
 * A parser's message with every word that is neither PSKC's vocabulary nor the
 * parser's own elided: in a damaged file the text an error quotes - in single
 * quotes, double quotes (the parser's "Context") or none - may be a secret's.
 * Words are runs of anything but blanks, quotes and XML punctuation, so a
 * base64 or base32 value is elided whole (or in the pieces its '/' splits);
 * a number is kept only as a position the parser gives (position N, line N, col N).
 */
function namesOnly(message: string): string {
  return message.replace(/[^\s'"<>/=.,:;()!?&[\]{}`]+/g, (word, at: number, all: string) => {
    if (XML_NAMES.has(word) || PARSER_WORDS.has(word.toLowerCase())) return word;
    if (/^\d{1,9}$/.test(word) && /\b(position|line|col) $/.test(all.slice(0, at))) return word;
    return '…';
  });
}

function parseXml(xml: string, source: string): Node {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) bad(source, 'the file declares a DOCTYPE or entities, which PSKC never needs; refusing it');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) bad(source, `not well-formed XML: ${namesOnly(valid.err.msg)} (line ${valid.err.line}, column ${valid.err.col})`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    processEntities: true,
    htmlEntities: false,
    isArray: (_name: string, _path: unknown, _leaf: boolean, isAttribute: boolean) => !isAttribute,
  });
  let doc: Node;
  try {
    doc = parser.parse(xml) as Node;
  } catch (e) {
    // What the validator lets through and the parser still refuses (its maxNestedTags: deep nesting).
    return bad(source, `not a PSKC file fast-xml-parser can read: ${namesOnly(e instanceof Error ? e.message : String(e))}`);
  }
  const container = kids(doc, 'KeyContainer')[0];
  const draft = kids(doc, 'SecretContainer')[0];
  if (!container && !draft) bad(source, 'no <KeyContainer> element: not a PSKC file');
  if (container) {
    const version = attr(container, 'Version', 'version');
    if (version !== '' && version !== '1' && version !== '1.0') bad(source, `PSKC version ${version} is not supported (only 1.0)`);
    return container;
  }
  return draft;
}

// ---- encryption (§6)

interface Crypto {
  /** Encryption algorithm short name (file-wide, or the first value's). */
  algorithm: string;
  algorithmUri: string;
  key: PskcKeyMaterial | null;
  /** Why there is no key (so the first encrypted value can say it). */
  noKey: string;
  iv: Uint8Array | null;
  macAlgorithm: string;
  macKey: Uint8Array | null;
  macKeyValue: { algorithm: string; uri: string; data: Uint8Array } | null;
  words: PskcKeyWords;
  /** A CBC value without a MAC was read: a wrong key went undetected unless its padding was bad. */
  unmaced: boolean;
}

export type PskcProtection = 'password' | 'key' | 'private-key' | null;

function encryptionInfo(container: Node): Node | undefined {
  return find(container, 'EncryptionKey', 'EncryptionMethod');
}

function protection(container: Node): PskcProtection {
  const ek = encryptionInfo(container);
  if (!ek) return null;
  if (kid(ek, 'X509Data')) return 'private-key';
  // Draft files say <EncryptionMethod algorithm="NONE"/> for plain values.
  if (attr(ek, 'Algorithm', 'algorithm').toLowerCase() === 'none' && !kid(ek, 'KeyName')) return null;
  if (kid(ek, 'DerivedKey') || kid(ek, 'PBESalt') || /^pbe/i.test(attr(ek, 'Algorithm', 'algorithm'))) return 'password';
  return 'key';
}

async function setUpCrypto(provider: PskcCrypto, container: Node, opts: PskcReadOptions, source: string): Promise<Crypto> {
  const words = opts.keyWords ?? CLI_KEY_WORDS;
  const crypto: Crypto = { algorithm: '', algorithmUri: '', key: null, noKey: '', iv: null, macAlgorithm: '', macKey: null, macKeyValue: null, words, unmaced: false };
  const ek = encryptionInfo(container);
  if (ek) {
    crypto.algorithmUri = attr(ek, 'Algorithm', 'algorithm');
    crypto.algorithm = algorithmName(crypto.algorithmUri);
    const iv = textAt(ek, 'IV');
    if (iv) crypto.iv = base64Strict(iv, 'IV', source);
    const kind = protection(container);
    if (kind === 'password') {
      const method = kid(ek, 'DerivedKey/KeyDerivationMethod');
      const p = kid(method, 'PBKDF2-params');
      const alg = method ? attr(method, 'Algorithm') : 'pbkdf2';
      if (!/(^|#)pbkdf2$/i.test(alg)) bad(source, `key derivation '${alg || 'none given'}' is not supported (PBKDF2 is)`);
      const saltText = textAt(p, 'Salt/Specified') || textAt(ek, 'PBESalt');
      const iterText = textAt(p, 'IterationCount') || textAt(ek, 'PBEIterationCount');
      const lengthText = textAt(p, 'KeyLength');
      if (saltText === '' || iterText === '') bad(source, 'the PBKDF2 key derivation is incomplete (no salt or no iteration count), so no password can open it');
      const salt = base64Strict(saltText, 'PBKDF2 salt', source);
      const iterations = Number(integer(iterText, 'PBKDF2 IterationCount', source));
      if (iterations < 1 || iterations > MAX_ITERATIONS) bad(source, `PBKDF2 IterationCount must be 1 to ${MAX_ITERATIONS}`);
      // Draft files give no KeyLength: the cipher's key length (python-pskc does the same).
      const keyLength = lengthText !== '' ? Number(integer(lengthText, 'PBKDF2 KeyLength', source)) : crypto.algorithm === 'tripledes-cbc' ? 16 : /(128|192|256)/.test(crypto.algorithm) ? Number(/(128|192|256)/.exec(crypto.algorithm)![1]) / 8 : 16;
      if ([16, 24, 32].indexOf(keyLength) < 0) bad(source, `PBKDF2 KeyLength must be 16, 24 or 32, got '${lengthText}'`);
      const prfUri = attr(kid(p, 'PRF'), 'Algorithm');
      const prf = prfUri === '' ? 'sha1' : hmacHash(algorithmName(prfUri));
      if (!prf) bad(source, `PBKDF2 PRF '${prfUri}' is not supported (HMAC-SHA1/224/256/384/512 are)`);
      if (opts.password === undefined) crypto.noKey = `this PSKC file is protected by a password: ${words.password}`;
      else {
        const password = new TextEncoder().encode(opts.password);
        try {
          crypto.key = await provider.pbkdf2(prf, password, salt, iterations, keyLength);
        } finally {
          password.fill(0); // a derivation that fails must not leave the password's bytes behind either
        }
      }
    } else if (kind === 'private-key') {
      if (opts.privateKeyPem === undefined) crypto.noKey = `this PSKC file is encrypted to a certificate (RFC 6030 §6.3): ${words.privateKey}`;
      else {
        try {
          crypto.key = await provider.rsaPrivateKey(opts.privateKeyPem);
        } catch (e) {
          if (e instanceof CipherRefusal) bad(source, e.message);
          throw e;
        }
      }
    } else {
      const name = textAt(ek, 'KeyName', 'DerivedKey/MasterKeyName', 'DerivedKey/CarriedKeyName');
      if (opts.preSharedKey === undefined) crypto.noKey = `this PSKC file is encrypted under a pre-shared key${name ? ` ('${name}')` : ''}: ${words.key}`;
      else crypto.key = new Uint8Array(opts.preSharedKey);
    }
  }
  const mm = find(container, 'MACMethod', 'DigestMethod');
  crypto.macAlgorithm = algorithmName(attr(mm, 'Algorithm', 'algorithm') || textAt(container, 'MACAlgorithm'));
  const mk = kid(mm, 'MACKey');
  if (mk) {
    const uri = encryptionUri(mk);
    const cv = textAt(mk, 'CipherData/CipherValue');
    // Decoded now, decrypted only when a MAC is checked (a file may have no encrypted value at all).
    crypto.macKeyValue = { algorithm: algorithmName(uri), uri, data: cv === '' ? new Uint8Array(0) : base64Strict(cv, 'MACKey CipherValue', source) };
  }
  return crypto;
}

function encryptionUri(enc: Node): string {
  return attr(kid(enc, 'EncryptionMethod/EncryptionScheme'), 'Algorithm') || attr(kid(enc, 'EncryptionMethod'), 'Algorithm');
}

function wipeCrypto(c: Crypto): void {
  if (c.key instanceof Uint8Array) c.key.fill(0);
  c.macKey?.fill(0);
}

const WRONG_KEY = (source: string, how: string): TokenError => new TokenError('PSKC_WRONG_PASSWORD', `${source}: wrong password or key (${how}); nothing was imported`);

interface Encrypted {
  algorithm: string;
  uri: string;
  data: Uint8Array;
  mac: Uint8Array | null;
}

async function decryptWith(provider: PskcCrypto, crypto: Crypto, value: { algorithm: string; uri: string; data: Uint8Array }, what: string, source: string): Promise<Uint8Array> {
  const name = value.algorithm || crypto.algorithm;
  const uri = value.uri || crypto.algorithmUri;
  if (name === '') bad(source, `${what} is encrypted but the file names no encryption algorithm`);
  try {
    checkCipher(provider, name, uri, crypto.key instanceof Uint8Array ? crypto.key.length : null);
    if (!crypto.key) bad(source, crypto.noKey || `${what} is encrypted but the file says nothing of its key`);
    if (isAsymmetric(name) !== !(crypto.key instanceof Uint8Array)) {
      bad(source, isAsymmetric(name) ? `the values are encrypted to a certificate (RSA): ${crypto.words.privateKeyNotShared}` : `the values are encrypted with ${name}: give the shared key or password, not a private key`);
    }
    return await decrypt(provider, name, uri, crypto.key, value.data, crypto.iv);
  } catch (e) {
    if (e instanceof CipherRefusal) bad(source, e.message);
    if (e instanceof WrongKeyError) throw WRONG_KEY(source, `${what} does not decrypt`);
    throw e;
  }
}

async function macKeyOf(provider: PskcCrypto, crypto: Crypto, source: string): Promise<Uint8Array | null> {
  if (crypto.macKey) return crypto.macKey;
  if (crypto.macKeyValue) crypto.macKey = await decryptWith(provider, crypto, crypto.macKeyValue, 'the MAC key', source);
  else if (crypto.key instanceof Uint8Array) crypto.macKey = new Uint8Array(crypto.key); // drafts MACed under the encryption key
  return crypto.macKey;
}

/** Decrypt a value and check its MAC (over the ciphertext as RFC 6030 says, or the plaintext as drafts did). */
async function openValue(provider: PskcCrypto, crypto: Crypto, v: Encrypted, what: string, source: string): Promise<Uint8Array> {
  const name = v.algorithm || crypto.algorithm;
  const plain = await decryptWith(provider, crypto, v, what, source); // first: a missing key or an unsupported cipher is the better reason
  if (v.mac === null) {
    // Read as python-pskc reads it (the padding, checked in decrypt, is all that catches a wrong key). A wrong
    // password still yields garbage about 1 time in 256, so the user is warned to verify a code; key wrap and
    // RSA-OAEP carry their own integrity checks.
    if (!isKeyWrap(name) && !isAsymmetric(name)) crypto.unmaced = true;
    return plain;
  }
  const hash = hmacHash(crypto.macAlgorithm);
  if (!hash) {
    plain.fill(0);
    bad(source, `${what} carries a MAC but the MAC algorithm '${crypto.macAlgorithm || 'none given'}' is not supported (HMAC-SHA1/224/256/384/512 are)`);
  }
  const key = await macKeyOf(provider, crypto, source);
  if (!key) bad(source, `${what} carries a MAC but the file has no MAC key`);
  if (!sameBytes(await provider.hmac(hash, key, v.data), v.mac) && !sameBytes(await provider.hmac(hash, key, plain), v.mac)) {
    plain.fill(0);
    throw WRONG_KEY(source, `the MAC check of ${what} failed`);
  }
  return plain;
}

type DataKind = 'bytes' | 'int';

/** A <Secret>, <Counter>... element (or a draft <Data Name=...>): PlainValue, EncryptedValue, or the drafts' Value/ValueDigest. */
async function dataValue(provider: PskcCrypto, node: Node, kind: DataKind, crypto: Crypto, what: string, source: string): Promise<Uint8Array | bigint | null> {
  const plainText = textOf(kid(node, 'PlainValue'));
  const macText = textAt(node, 'ValueMAC', 'ValueDigest');
  const mac = macText === '' ? null : base64Strict(macText, `${what} ValueMAC`, source);
  let encrypted: Encrypted | null = null;
  const ev = kid(node, 'EncryptedValue');
  if (ev) {
    const uri = encryptionUri(ev);
    const cv = textAt(ev, 'CipherData/CipherValue');
    if (cv === '') bad(source, `${what} has no CipherValue`);
    encrypted = { algorithm: algorithmName(uri), uri, data: base64Strict(cv, `${what} CipherValue`, source), mac };
    if (crypto.algorithm === '' && uri !== '') {
      crypto.algorithm = algorithmName(uri);
      crypto.algorithmUri = uri;
    }
  }
  let plain: string | null = plainText;
  const legacy = textOf(kid(node, 'Value'));
  if (legacy !== null && legacy !== '') {
    if (crypto.algorithm !== '' && mac !== null) encrypted = { algorithm: '', uri: '', data: base64Strict(legacy, `${what} Value`, source), mac };
    else plain = legacy;
  }
  if (plain !== null && plain !== '') {
    if (kind === 'bytes') return base64Strict(plain, `${what} PlainValue`, source);
    return plainToInt(plain, what, source);
  }
  if (!encrypted) return null;
  const bytes = await openValue(provider, crypto, encrypted, what, source);
  if (kind === 'bytes') return bytes;
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  bytes.fill(0);
  return n;
}

/** python-pskc's plain2int: decimal text, else base64 of decimal text, else base64 of a big-endian integer. */
function plainToInt(text: string, what: string, source: string): bigint {
  if (/^[+-]?\d+$/.test(text)) return integer(text, what, source);
  const bytes = base64Strict(text, `${what} PlainValue`, source);
  const ascii = latin1Text(bytes);
  if (/^\d+$/.test(ascii)) return integer(ascii, what, source);
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

const LEGACY_DATA: { [name: string]: keyof PskcRawKey } = { secret: 'secret', counter: 'counter', time: 'timeOffset', time_interval: 'timeInterval' };

function readPolicy(key: Node, source: string, where: string): PskcPolicy {
  const p: PskcPolicy = { startDate: '', expiryDate: '', numberOfTransactions: null, keyUsage: [], pinKeyId: '', pinUsage: '', unknown: false };
  const pol = kid(key, 'Policy');
  if (pol) {
    p.startDate = dateAt(pol, `${where} Policy StartDate`, source, 'StartDate');
    p.expiryDate = dateAt(pol, `${where} Policy ExpiryDate`, source, 'ExpiryDate');
    const n = textAt(pol, 'NumberOfTransactions');
    if (n !== '') p.numberOfTransactions = integer(n, `${where} NumberOfTransactions`, source);
    for (const u of kids(pol, 'KeyUsage')) p.keyUsage.push(textOf(u) ?? '');
    const pin = kid(pol, 'PINPolicy');
    if (pin) {
      p.pinKeyId = attr(pin, 'PINKeyId');
      p.pinUsage = attr(pin, 'PINUsageMode');
      for (const a of ['MaxFailedAttempts', 'MinLength', 'MaxLength']) intAttr(pin, `${where} PINPolicy ${a}`, source, a);
      const known = ['@PINKeyId', '@PINUsageMode', '@MaxFailedAttempts', '@MinLength', '@MaxLength', '@PINEncoding'];
      if (Object.keys(pin).some((k) => k !== '#text' && known.indexOf(k) < 0)) p.unknown = true;
    }
    const knownChildren = ['StartDate', 'ExpiryDate', 'NumberOfTransactions', 'KeyUsage', 'PINPolicy'];
    if (Object.keys(pol).some((k) => !k.startsWith('@') && k !== '#text' && knownChildren.indexOf(k) < 0)) p.unknown = true;
  }
  const usage = kid(key, 'Usage');
  if (usage) for (const u of ['OTP', 'CR', 'Integrity', 'Encrypt', 'Unlock']) if (boolAttr(usage, `${where} Usage ${u}`, source, u)) p.keyUsage.push(u);
  p.startDate = dateAt(key, `${where} StartDate`, source, 'StartDate') || p.startDate;
  p.expiryDate = dateAt(key, `${where} ExpiryDate`, source, 'ExpiryDate') || p.expiryDate;
  return p;
}

async function readRawKey(provider: PskcCrypto, pkg: Node, key: Node, index: number, total: number, crypto: Crypto, source: string): Promise<PskcRawKey> {
  const info = find(pkg, 'DeviceInfo', 'DeviceId');
  const id = attr(key, 'Id', 'KeyId', 'SecretId');
  const serial = textAt(info, 'SerialNo');
  const where = `key ${index + 1} of ${total}${id ? ` (Id '${id}')` : serial ? ` (serial '${serial}')` : ''}`;
  const rf = find(key, 'AlgorithmParameters/ResponseFormat', 'Usage/ResponseFormat');
  const cf = find(key, 'AlgorithmParameters/ChallengeFormat', 'Usage/ChallengeFormat');
  if (cf) {
    intAttr(cf, `${where} ChallengeFormat Min`, source, 'Min', 'min');
    intAttr(cf, `${where} ChallengeFormat Max`, source, 'Max', 'max');
    boolAttr(cf, `${where} ChallengeFormat CheckDigits`, source, 'CheckDigits', 'CheckDigit');
  }
  const raw: PskcRawKey = {
    where,
    id,
    algorithm: attr(key, 'Algorithm', 'KeyAlgorithm', 'SecretAlgorithm'),
    suite: textAt(key, 'AlgorithmParameters/Suite'),
    issuer: textAt(key, 'Issuer'),
    friendlyName: textAt(key, 'FriendlyName'),
    keyUserId: textAt(key, 'UserId'),
    deviceUserId: textAt(info, 'UserId'),
    serial,
    manufacturer: textAt(info, 'Manufacturer'),
    model: textAt(info, 'Model'),
    keyReference: textAt(key, 'KeyReference'),
    responseEncoding: attr(rf, 'Encoding', 'Format', 'format'),
    responseLength: intAttr(rf, `${where} ResponseFormat Length`, source, 'Length', 'length'),
    responseCheck: boolAttr(rf, `${where} ResponseFormat CheckDigits`, source, 'CheckDigits', 'CheckDigit'),
    secret: null,
    counter: null,
    timeOffset: null,
    timeInterval: null,
    timeDrift: null,
    policy: readPolicy(key, source, where),
  };
  try {
    const data = kid(key, 'Data');
    if (data) {
      const fields: [string, keyof PskcRawKey, DataKind][] = [['Secret', 'secret', 'bytes'], ['Counter', 'counter', 'int'], ['Time', 'timeOffset', 'int'], ['TimeInterval', 'timeInterval', 'int'], ['TimeDrift', 'timeDrift', 'int']];
      for (const [el, field, kind] of fields) {
        const n = kid(data, el);
        if (n) (raw as unknown as Node)[field] = await dataValue(provider, n, kind, crypto, `${where} ${el}`, source);
      }
    }
    for (const d of kids(key, 'Data')) {
      const field = LEGACY_DATA[attr(d, 'Name').toLowerCase()];
      if (field) (raw as unknown as Node)[field] = await dataValue(provider, d, field === 'secret' ? 'bytes' : 'int', crypto, `${where} ${attr(d, 'Name')}`, source);
    }
  } catch (e) {
    raw.secret?.fill(0);
    throw e;
  }
  return raw;
}

/** What this PSKC document needs before it can be read: a password, a pre-shared key, a private key, or nothing. */
export function pskcNeedsPassword(xml: string, source = 'PSKC'): PskcProtection {
  return protection(parseXml(xml, source));
}

/** Every key as the file states it, decrypted; an error if any value cannot be read (nothing partial). */
export async function readPskcRawWith(provider: PskcCrypto, xml: string, opts: PskcReadOptions = {}): Promise<PskcRawKey[]> {
  const source = opts.source ?? 'PSKC';
  const container = parseXml(xml, source);
  const crypto = await setUpCrypto(provider, container, opts, source);
  const out: PskcRawKey[] = [];
  try {
    const pairs: [Node, Node][] = [];
    for (const pkg of findAll(container, 'KeyPackage', 'Device')) for (const key of findAll(pkg, 'Key', 'Secret')) pairs.push([pkg, key]);
    if (pairs.length === 0) bad(source, 'the file holds no keys');
    for (let i = 0; i < pairs.length; i++) out.push(await readRawKey(provider, pairs[i][0], pairs[i][1], i, pairs.length, crypto, source));
    if (crypto.unmaced) {
      opts.onWarning?.(`${source}: the values are encrypted without a MAC (ValueMAC, which RFC 6030 §6.1.1 requires), so a wrong password or key cannot be detected: verify a code from each account after import`);
    }
    return out;
  } catch (e) {
    for (const k of out) k.secret?.fill(0);
    throw e;
  } finally {
    wipeCrypto(crypto);
  }
}

function algorithmOfSuite(suite: string): Algorithm | null {
  if (suite === '') return 'SHA1';
  const s = suite.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (/^(HMAC)?SHA1$/.test(s)) return 'SHA1';
  if (/^(HMAC)?SHA256$/.test(s)) return 'SHA256';
  if (/^(HMAC)?SHA512$/.test(s)) return 'SHA512';
  return null;
}

/** What a key that is neither TOTP nor HOTP is, in words. */
function kindOf(algorithm: string): string {
  const a = algorithm.toLowerCase();
  if (a === '') return 'a key of no stated kind (the Key has no Algorithm)';
  if (/ocra/.test(a)) return 'an OCRA (challenge-response, RFC 6287) key';
  if (/[:#]pin$/.test(a)) return 'a PIN (the PIN of another key)';
  if (/yubikey/.test(a)) return 'a YubiKey AES (Yubico OTP) key';
  if (/securid/.test(a)) return 'an RSA SecurID key';
  if (/actividentity/.test(a)) return 'an ActivIdentity 3DES key';
  return `a '${algorithm.slice(0, 80)}' key`;
}

const CANNOT = 'which the token cannot hold (it holds TOTP and HOTP keys)';

/** One key to an account, or the reason the token cannot take it. */
function toAccount(k: PskcRawKey, source: string, now: Date): PskcKey {
  const where = k.where;
  const m = /(?:^|[:#])(totp|hotp)$/i.exec(k.algorithm);
  if (!m) bad(source, `${where}: ${kindOf(k.algorithm)}, ${CANNOT}`);
  const type = m[1].toLowerCase() as OtpType;
  const p = k.policy;
  if (p.unknown) bad(source, `${where}: its Policy has rules this reader does not know, and RFC 6030 §4.3.2 says the key must not be used then`);
  if (p.pinUsage || p.pinKeyId) bad(source, `${where}: its Policy requires a PIN (PINUsageMode '${p.pinUsage || 'unstated'}'), which the token cannot enforce`);
  if (p.numberOfTransactions !== null) bad(source, `${where}: its Policy allows only ${p.numberOfTransactions} uses (NumberOfTransactions), which the token cannot enforce`);
  if (p.keyUsage.length > 0 && p.keyUsage.indexOf('OTP') < 0) bad(source, `${where}: its Policy allows it only for ${p.keyUsage.join(', ')}, not for one-time passwords (KeyUsage OTP)`);
  if (p.expiryDate && Date.parse(p.expiryDate) < now.getTime()) bad(source, `${where}: the key expired on ${p.expiryDate} (Policy ExpiryDate), so it must not be used`);
  if (p.startDate && Date.parse(p.startDate) > now.getTime()) bad(source, `${where}: the key may be used only from ${p.startDate} (Policy StartDate), which the token cannot enforce`);
  if (!k.secret) bad(source, k.keyReference ? `${where}: holds no secret, only a reference to one kept elsewhere (KeyReference '${k.keyReference}')` : `${where}: has no Data/Secret (the seed)`);
  if (k.secret.length === 0) bad(source, `${where}: the secret is empty`);
  if (k.secret.length > MAX_SECRET_BYTES) bad(source, `${where}: the secret is ${k.secret.length} bytes; at most ${MAX_SECRET_BYTES} are supported`);
  const algorithm = algorithmOfSuite(k.suite);
  if (!algorithm) bad(source, `${where}: Suite '${k.suite}' is not SHA1, SHA256 or SHA512`);
  if (k.responseEncoding !== '' && k.responseEncoding.toUpperCase() !== 'DECIMAL') bad(source, `${where}: codes in ${k.responseEncoding} are not supported (only DECIMAL)`);
  if (k.responseCheck) bad(source, `${where}: codes carry a Luhn check digit (CheckDigits), which the token does not add`);
  const digits = k.responseLength ?? 6;
  if (digits < MIN_DIGITS || digits > MAX_DIGITS) bad(source, `${where}: ResponseFormat Length must be ${MIN_DIGITS} to ${MAX_DIGITS}, got ${digits}`);
  const period = k.timeInterval ?? 30n;
  if (type === 'totp' && (period < 1n || period > 86400n)) bad(source, `${where}: TimeInterval must be 1 to 86400 seconds, got ${period}`);
  if (type === 'totp' && (k.timeOffset ?? 0n) !== 0n) bad(source, `${where}: a Time (T0) other than 0 is not supported`);
  const counter = k.counter ?? 0n;
  if (type === 'hotp' && (counter < 0n || counter > BigInt(MAX_COUNTER))) bad(source, `${where}: the HOTP counter ${counter} is beyond ${MAX_COUNTER} (2^53 - 1), which the token cannot hold`);
  const userId = k.keyUserId || k.deviceUserId;
  const account = k.friendlyName || userId || k.serial || k.id;
  if (account === '') bad(source, `${where}: has no FriendlyName, UserId, SerialNo or Id to name the account`);
  return {
    otp: { type, issuer: k.issuer, account, secret: k.secret, algorithm, digits, period: type === 'totp' ? Number(period) : 30, counter: type === 'hotp' ? Number(counter) : 0 },
    keyId: k.id,
    serial: k.serial,
    manufacturer: k.manufacturer,
    model: k.model,
    userId,
  };
}

/** Every key in a PSKC document as an account, or an error naming the first key the token cannot take (nothing partial). */
export async function readPskcWith(provider: PskcCrypto, xml: string, opts: PskcReadOptions = {}): Promise<PskcKey[]> {
  const source = opts.source ?? 'PSKC';
  const raw = await readPskcRawWith(provider, xml, opts);
  try {
    const now = opts.now ?? new Date();
    return raw.map((k) => toAccount(k, source, now));
  } catch (e) {
    for (const k of raw) k.secret?.fill(0);
    throw e;
  }
}
