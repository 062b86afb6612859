// RFC 6030 PSKC reader: the seed files that come with hardware tokens and
// that identity providers import. Plain files (<Secret><PlainValue>) and
// password-protected ones (§6.2: a PBKDF2-derived key, values in AES-CBC
// with the IV prepended, each with an HMAC <ValueMAC> under a <MACKey> that
// is itself encrypted). Pre-shared-key files (§6.1, <ds:KeyName>) and AES key
// wrap (kw-aes128/192/256) are read too when the caller has the key.
//
// Mapping of one <Key> to an account (also in README.md beside this file):
//   type       Key@Algorithm ending in 'totp' or 'hotp' (urn:ietf:params:xml:ns:keyprov:pskc:totp,
//              ...:pskc:hotp, and the '#totp' spelling some vendors use); anything else is refused
//   algorithm  AlgorithmParameters/Suite naming SHA1, SHA256 or SHA512 (HMAC-SHA256, SHA-256...);
//              absent: SHA1 (RFC 4226's HMAC-SHA-1). Anything else (MD5, OCRA suites) is refused
//   digits     AlgorithmParameters/ResponseFormat@Length (Encoding must be DECIMAL); absent: 6
//   period     Data/TimeInterval; absent: 30.   counter: Data/Counter (hotp); absent: 0
//   Data/Time  the T0 of RFC 6238: only 0 (or absent) is accepted, as everywhere else here
//   issuer     Key/Issuer
//   account    FriendlyName, else Key/UserId, else DeviceInfo/UserId, else SerialNo, else Key@Id
// A wrong password fails the MAC check (or the MAC key's padding) before any
// value is used, and reading is all-or-nothing: one bad key refuses the file.
// Messages name the key (index, Id, serial), never a secret.
import { createDecipheriv, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { MAX_DIGITS, MAX_SECRET_BYTES, MIN_DIGITS, MAX_COUNTER } from '../../../protocol/hotp.ts';
import type { Algorithm } from '../../../protocol/hash.ts';
import type { OtpAuth, OtpType } from '../../../protocol/otpauth.ts';
import { TokenError } from '../errors.ts';

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

export interface PskcReadOptions {
  /** For files protected by a password (§6.2). */
  password?: string;
  /** For files encrypted under a pre-shared key (§6.1). */
  preSharedKey?: Uint8Array;
  /** Name used in messages (the file path). */
  source?: string;
}

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

function textAt(node: Node | undefined, path: string): string {
  const n = kid(node, path);
  const t = n ? n['#text'] : undefined;
  return t === undefined ? '' : String(t).trim();
}

function attr(node: Node | undefined, name: string): string {
  const v = node ? node['@' + name] : undefined;
  return v === undefined ? '' : String(v).trim();
}

function base64Strict(text: string, what: string, source: string): Uint8Array {
  const t = text.replace(/\s+/g, '');
  if (t === '' || t.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(t)) bad(source, `${what} is not base64`);
  return new Uint8Array(Buffer.from(t, 'base64'));
}

function parseXml(xml: string, source: string): Node {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) bad(source, 'the file declares a DOCTYPE or entities, which PSKC never needs; refusing it');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) bad(source, `not well-formed XML: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
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
  const doc = parser.parse(xml) as Node;
  const container = kids(doc, 'KeyContainer')[0];
  if (!container) bad(source, 'no <KeyContainer> element: not a PSKC file');
  const version = attr(container, 'Version');
  if (version !== '' && version !== '1' && version !== '1.0') bad(source, `PSKC version ${version} is not supported (only 1.0)`);
  return container;
}

// ---- encryption (§6)

interface Crypto {
  key: Uint8Array | null;
  /** Why there is no key (so the first encrypted value can say it). */
  noKey: string;
  macAlgorithm: string | null;
  macKey: Uint8Array | null;
}

function hashOfUri(uri: string): string | null {
  const m = /(?:^|#)hmac-(sha1|sha224|sha256|sha384|sha512)$/i.exec(uri.trim());
  return m ? m[1].toLowerCase() : null;
}

const CIPHERS: { [suffix: string]: { node: string; keyLen: number; wrap: boolean } } = {
  'aes128-cbc': { node: 'aes-128-cbc', keyLen: 16, wrap: false },
  'aes192-cbc': { node: 'aes-192-cbc', keyLen: 24, wrap: false },
  'aes256-cbc': { node: 'aes-256-cbc', keyLen: 32, wrap: false },
  'kw-aes128': { node: 'id-aes128-wrap', keyLen: 16, wrap: true },
  'kw-aes192': { node: 'id-aes192-wrap', keyLen: 24, wrap: true },
  'kw-aes256': { node: 'id-aes256-wrap', keyLen: 32, wrap: true },
};

function cipherOf(uri: string, source: string): { node: string; keyLen: number; wrap: boolean } {
  const c = CIPHERS[uri.slice(uri.lastIndexOf('#') + 1).toLowerCase()];
  if (!c) bad(source, `encryption algorithm '${uri || 'none given'}' is not supported (AES-CBC and AES key wrap are)`);
  return c;
}

class DecryptError extends Error {}

/** Decrypt an xenc value: AES-CBC with the IV prepended and xmlenc/PKCS#7 padding, or AES key wrap. */
function decryptValue(algorithmUri: string, key: Uint8Array, data: Uint8Array, source: string): Uint8Array {
  const c = cipherOf(algorithmUri, source);
  if (key.length !== c.keyLen) bad(source, `the key is ${key.length} bytes but ${algorithmUri} needs ${c.keyLen}`);
  try {
    if (c.wrap) {
      const d = createDecipheriv(c.node, key, Buffer.from('A6A6A6A6A6A6A6A6', 'hex'));
      return new Uint8Array(Buffer.concat([d.update(data), d.final()]));
    }
    if (data.length < 32 || data.length % 16 !== 0) throw new DecryptError('length');
    const d = createDecipheriv(c.node, key, data.subarray(0, 16));
    d.setAutoPadding(false);
    const plain = new Uint8Array(Buffer.concat([d.update(data.subarray(16)), d.final()]));
    // XML Encryption padding: the last byte counts the padding (PKCS#7 also fills it with that count).
    const pad = plain[plain.length - 1];
    if (pad < 1 || pad > 16) {
      plain.fill(0);
      throw new DecryptError('padding');
    }
    const out = new Uint8Array(plain.subarray(0, plain.length - pad));
    plain.fill(0);
    return out;
  } catch (e) {
    if (e instanceof TokenError) throw e;
    throw new DecryptError('decrypt');
  }
}

function encryptedData(node: Node | undefined, what: string, source: string): { algorithm: string; data: Uint8Array } {
  const algorithm = attr(kid(node, 'EncryptionMethod'), 'Algorithm');
  const cv = textAt(node, 'CipherData/CipherValue');
  if (cv === '') bad(source, `${what} has no CipherValue`);
  return { algorithm, data: base64Strict(cv, `${what} CipherValue`, source) };
}

const WRONG_PASSWORD = (source: string, how: string): TokenError =>
  new TokenError('PSKC_WRONG_PASSWORD', `${source}: wrong password or key (${how}); nothing was imported`);

function setUpCrypto(container: Node, opts: PskcReadOptions, source: string): Crypto {
  const crypto: Crypto = { key: null, noKey: '', macAlgorithm: null, macKey: null };
  const ek = kid(container, 'EncryptionKey');
  if (ek) {
    const derived = kid(ek, 'DerivedKey');
    if (derived) {
      const method = kid(derived, 'KeyDerivationMethod');
      const alg = attr(method, 'Algorithm');
      if (!/#pbkdf2$/i.test(alg)) bad(source, `key derivation '${alg || 'none given'}' is not supported (PBKDF2 is)`);
      const p = kid(method, 'PBKDF2-params');
      const salt = base64Strict(textAt(p, 'Salt/Specified'), 'PBKDF2 salt', source);
      const iterations = Number(textAt(p, 'IterationCount'));
      if (!Number.isInteger(iterations) || iterations < 1 || iterations > MAX_ITERATIONS) bad(source, `PBKDF2 IterationCount must be 1 to ${MAX_ITERATIONS}`);
      const lengthText = textAt(p, 'KeyLength');
      const keyLength = lengthText === '' ? 16 : Number(lengthText);
      if (!Number.isInteger(keyLength) || [16, 24, 32].indexOf(keyLength) < 0) bad(source, `PBKDF2 KeyLength must be 16, 24 or 32, got '${lengthText}'`);
      const prfUri = attr(kid(p, 'PRF'), 'Algorithm');
      const prf = prfUri === '' ? 'sha1' : hashOfUri(prfUri);
      if (!prf) bad(source, `PBKDF2 PRF '${prfUri}' is not supported (HMAC-SHA1/224/256/384/512 are)`);
      if (opts.password === undefined) {
        crypto.noKey = 'this PSKC file is protected by a password: give it (--password-stdin, or the prompt)';
      } else {
        crypto.key = new Uint8Array(pbkdf2Sync(Buffer.from(opts.password, 'utf8'), salt, iterations, keyLength, prf));
      }
    } else if (kid(ek, 'X509Data')) {
      bad(source, 'this PSKC file is encrypted to a certificate (asymmetric, §6.3), which is not supported');
    } else {
      if (opts.preSharedKey === undefined) {
        crypto.noKey = `this PSKC file is encrypted under a pre-shared key${textAt(ek, 'KeyName') ? ` ('${textAt(ek, 'KeyName')}')` : ''}: give that key`;
      } else {
        crypto.key = new Uint8Array(opts.preSharedKey);
      }
    }
  }
  const mm = kid(container, 'MACMethod');
  // A MACMethod without an algorithm authenticates nothing (python-pskc writes one beside key wrap).
  if (mm && attr(mm, 'Algorithm') !== '') {
    crypto.macAlgorithm = hashOfUri(attr(mm, 'Algorithm'));
    if (!crypto.macAlgorithm) bad(source, `MAC algorithm '${attr(mm, 'Algorithm') || 'none given'}' is not supported (HMAC-SHA1/224/256/384/512 are)`);
    const mk = kid(mm, 'MACKey');
    if (mk && crypto.key) {
      const { algorithm, data } = encryptedData(mk, 'MACKey', source);
      try {
        crypto.macKey = decryptValue(algorithm, crypto.key, data, source);
      } catch (e) {
        if (e instanceof DecryptError) throw WRONG_PASSWORD(source, 'the MAC key does not decrypt');
        throw e;
      }
    } else if (!mk && crypto.key) {
      crypto.macKey = new Uint8Array(crypto.key); // drafts before RFC 6030 MACed under the encryption key
    }
  }
  return crypto;
}

function wipeCrypto(c: Crypto): void {
  c.key?.fill(0);
  c.macKey?.fill(0);
}

/** A <Secret>, <Counter>, <TimeInterval>... element's bytes: PlainValue (base64 or decimal) or a MACed EncryptedValue. */
function dataValue(node: Node, crypto: Crypto, where: string, source: string, integer: boolean): Uint8Array | number {
  const plain = kid(node, 'PlainValue');
  if (plain) {
    const t = textAt(node, 'PlainValue');
    if (!integer) return base64Strict(t, `${where} PlainValue`, source);
    if (!/^\d{1,16}$/.test(t) || Number(t) > MAX_COUNTER) bad(source, `${where} is not a whole number`);
    return Number(t);
  }
  const enc = kid(node, 'EncryptedValue');
  if (!enc) bad(source, `${where} has neither PlainValue nor EncryptedValue`);
  if (!crypto.key) bad(source, crypto.noKey || `${where} is encrypted but the file names no encryption key`);
  const { algorithm, data } = encryptedData(enc, `${where} EncryptedValue`, source);
  const wrap = cipherOf(algorithm, source).wrap;
  const macText = textAt(node, 'ValueMAC');
  if (!wrap && (macText === '' || !crypto.macKey)) {
    bad(source, `${where} is encrypted in CBC mode without a ValueMAC, so a wrong password cannot be told from a right one (RFC 6030 §6.1.1 requires the MAC)`);
  }
  const mac = macText === '' ? null : base64Strict(macText, `${where} ValueMAC`, source);
  const hmac = (msg: Uint8Array): Uint8Array => new Uint8Array(createHmac(crypto.macAlgorithm as string, crypto.macKey as Uint8Array).update(msg).digest());
  const same = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && timingSafeEqual(a, b);
  // RFC 6030 MACs the ciphertext (IV included); check it before decrypting.
  const macOk = mac !== null && crypto.macKey !== null && same(hmac(data), mac);
  let value: Uint8Array;
  try {
    value = decryptValue(algorithm, crypto.key, data, source);
  } catch (e) {
    if (e instanceof DecryptError) throw WRONG_PASSWORD(source, `${where} does not decrypt`);
    throw e;
  }
  // Some writers followed a draft that MACed the plaintext; accept that too.
  if (mac !== null && crypto.macKey !== null && !macOk && !same(hmac(value), mac)) {
    value.fill(0);
    throw WRONG_PASSWORD(source, `the MAC check of ${where} failed`);
  }
  if (!integer) return value;
  let n = 0;
  const ascii = Buffer.from(value).toString('latin1');
  if (/^\d{1,16}$/.test(ascii)) n = Number(ascii);
  else for (const b of value) n = n * 256 + b;
  if (n > MAX_COUNTER) bad(source, `${where} is out of range`);
  return n;
}

function algorithmOfSuite(suite: string): Algorithm | null {
  if (suite === '') return 'SHA1';
  const s = suite.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (/^(HMAC)?SHA1$/.test(s)) return 'SHA1';
  if (/^(HMAC)?SHA256$/.test(s)) return 'SHA256';
  if (/^(HMAC)?SHA512$/.test(s)) return 'SHA512';
  return null;
}

function readKey(pkg: Node, key: Node, index: number, total: number, crypto: Crypto, source: string): PskcKey {
  const keyId = attr(key, 'Id');
  const serial = textAt(pkg, 'DeviceInfo/SerialNo');
  const where = `key ${index + 1} of ${total}${keyId ? ` (Id '${keyId}')` : serial ? ` (serial '${serial}')` : ''}`;
  const algUri = attr(key, 'Algorithm');
  const m = /[:#](totp|hotp)$/i.exec(algUri);
  if (!m) bad(source, `${where}: algorithm '${algUri || 'none given'}' is not TOTP or HOTP`);
  const type = m[1].toLowerCase() as OtpType;
  const suite = textAt(key, 'AlgorithmParameters/Suite');
  const algorithm = algorithmOfSuite(suite);
  if (!algorithm) bad(source, `${where}: Suite '${suite}' is not SHA1, SHA256 or SHA512`);
  const rf = kid(key, 'AlgorithmParameters/ResponseFormat');
  const encoding = attr(rf, 'Encoding');
  if (encoding !== '' && encoding.toUpperCase() !== 'DECIMAL') bad(source, `${where}: response encoding ${encoding} is not supported (only DECIMAL)`);
  const lengthText = attr(rf, 'Length');
  const digits = lengthText === '' ? 6 : Number(lengthText);
  if (!Number.isInteger(digits) || digits < MIN_DIGITS || digits > MAX_DIGITS) bad(source, `${where}: ResponseFormat Length must be ${MIN_DIGITS} to ${MAX_DIGITS}, got '${lengthText}'`);

  const data = kid(key, 'Data');
  const secretNode = kid(data, 'Secret');
  if (!secretNode) bad(source, `${where}: has no Data/Secret (the seed)`);
  const secret = dataValue(secretNode, crypto, `${where} Secret`, source, false) as Uint8Array;
  try {
    if (secret.length === 0) bad(source, `${where}: the secret is empty`);
    if (secret.length > MAX_SECRET_BYTES) bad(source, `${where}: the secret is ${secret.length} bytes; at most ${MAX_SECRET_BYTES} are supported`);
    const int = (name: string, fallback: number): number => {
      const n = kid(data, name);
      return n ? (dataValue(n, crypto, `${where} ${name}`, source, true) as number) : fallback;
    };
    const period = int('TimeInterval', 30);
    if (period < 1 || period > 86400) bad(source, `${where}: TimeInterval must be 1 to 86400 seconds, got ${period}`);
    if (int('Time', 0) !== 0) bad(source, `${where}: a Time (T0) other than 0 is not supported`);
    const counter = type === 'hotp' ? int('Counter', 0) : 0;
    const userId = textAt(key, 'UserId') || textAt(pkg, 'DeviceInfo/UserId');
    const account = textAt(key, 'FriendlyName') || userId || serial || keyId;
    if (account === '') bad(source, `${where}: has no FriendlyName, UserId, SerialNo or Id to name the account`);
    return {
      otp: { type, issuer: textAt(key, 'Issuer'), account, secret, algorithm, digits, period, counter },
      keyId,
      serial,
      manufacturer: textAt(pkg, 'DeviceInfo/Manufacturer'),
      model: textAt(pkg, 'DeviceInfo/Model'),
      userId,
    };
  } catch (e) {
    secret.fill(0);
    throw e;
  }
}

/** Does this PSKC document need a password (or key) before it can be read? */
export function pskcNeedsPassword(xml: string, source = 'PSKC'): 'password' | 'key' | null {
  const container = parseXml(xml, source);
  const ek = kid(container, 'EncryptionKey');
  if (!ek) return null;
  return kid(ek, 'DerivedKey') ? 'password' : 'key';
}

/** Every key in a PSKC document, or an error (nothing partial). */
export function readPskc(xml: string, opts: PskcReadOptions = {}): PskcKey[] {
  const source = opts.source ?? 'PSKC';
  const container = parseXml(xml, source);
  const crypto = setUpCrypto(container, opts, source);
  const out: PskcKey[] = [];
  try {
    const pairs: [Node, Node][] = [];
    for (const pkg of kids(container, 'KeyPackage')) for (const key of kids(pkg, 'Key')) pairs.push([pkg, key]);
    if (pairs.length === 0) bad(source, 'the file holds no keys');
    pairs.forEach(([pkg, key], i) => out.push(readKey(pkg, key, i, pairs.length, crypto, source)));
    return out;
  } catch (e) {
    for (const k of out) k.otp.secret.fill(0);
    throw e;
  } finally {
    wipeCrypto(crypto);
  }
}

export function readPskcFile(file: string, opts: Omit<PskcReadOptions, 'source'> = {}): PskcKey[] {
  let xml: string;
  try {
    xml = readFileSync(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new TokenError('BAD_INPUT', `cannot read ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.code ?? err.message}`);
  }
  return readPskc(xml, { ...opts, source: file });
}
