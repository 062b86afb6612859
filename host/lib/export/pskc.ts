// RFC 6030 PSKC writer: the seed file an identity provider or a token
// management system imports. Plain (<PlainValue>) or protected by a password
// as RFC 6030 §6.2 shows it: PBKDF2 (HMAC-SHA1, random 16-byte salt) derives
// an AES-128 key; each secret is AES-128-CBC encrypted with a random IV
// prepended; a random 20-byte MAC key, itself encrypted under the derived
// key (<MACKey>), authenticates each ciphertext with HMAC-SHA1 (<ValueMAC>).
// The layout follows the RFC's figures, so host/lib/import/pskc.ts and
// independent readers (python-pskc, vendors' tools) read it the same way.
import { createCipheriv, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import type { OtpAuth } from '../../../protocol/otpauth.ts';
import { TokenError } from '../errors.ts';
import { AES128_CBC_URI, DS_NS, HMAC_SHA1_URI, HOTP_URN, PBKDF2_URI, PKCS5_NS, PSKC_NS, TOTP_URN, XENC11_NS, XENC_NS } from '../import/pskc.ts';
import { writeNewSecretFile } from './secure-file.ts';

export interface PskcEntry {
  otp: OtpAuth;
  /** Key@Id; unique in the file. Default: the serial, else key-N. */
  keyId?: string;
  serial?: string;
  manufacturer?: string;
  model?: string;
  /** Key/UserId: who the token is for (an Entra UPN, say). */
  userId?: string;
}

export interface PskcWriteOptions {
  /** Protect the secrets with this password (§6.2). Plain values without it. */
  password?: string;
  /** PBKDF2 iterations; 100,000 by default (tests pass fewer). */
  iterations?: number;
  /** A name for the password in <MasterKeyName>, to tell the recipient which one. */
  passwordName?: string;
}

export const DEFAULT_PBKDF2_ITERATIONS = 100_000;

function esc(text: string): string {
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(text)) throw new TokenError('BAD_INPUT', 'PSKC: a name or label contains a control character');
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

interface Protection {
  key: Buffer;
  macKey: Buffer;
}

function encryptCbc(key: Buffer, plain: Uint8Array): Buffer {
  const iv = randomBytes(16);
  const c = createCipheriv('aes-128-cbc', key, iv); // PKCS#7 padding, which xmlenc's padding rule accepts
  return Buffer.concat([iv, c.update(plain), c.final()]);
}

function cipherValue(indent: string, data: Buffer): string {
  return (
    `${indent}<xenc:EncryptionMethod Algorithm="${AES128_CBC_URI}"/>\n` +
    `${indent}<xenc:CipherData>\n${indent}  <xenc:CipherValue>${b64(data)}</xenc:CipherValue>\n${indent}</xenc:CipherData>\n`
  );
}

function secretXml(secret: Uint8Array, p: Protection | null): string {
  const i = '          ';
  if (!p) return `${i}<pskc:Secret>\n${i}  <pskc:PlainValue>${b64(secret)}</pskc:PlainValue>\n${i}</pskc:Secret>\n`;
  const enc = encryptCbc(p.key, secret);
  const mac = createHmac('sha1', p.macKey).update(enc).digest(); // §6.1.1: MAC over IV + ciphertext
  return `${i}<pskc:Secret>\n${i}  <pskc:EncryptedValue>\n${cipherValue(i + '    ', enc)}${i}  </pskc:EncryptedValue>\n${i}  <pskc:ValueMAC>${b64(mac)}</pskc:ValueMAC>\n${i}</pskc:Secret>\n`;
}

function keyPackageXml(e: PskcEntry, id: string, p: Protection | null): string {
  const o = e.otp;
  let s = '  <pskc:KeyPackage>\n';
  if (e.manufacturer || e.serial || e.model) {
    s += '    <pskc:DeviceInfo>\n';
    if (e.manufacturer) s += `      <pskc:Manufacturer>${esc(e.manufacturer)}</pskc:Manufacturer>\n`;
    if (e.serial) s += `      <pskc:SerialNo>${esc(e.serial)}</pskc:SerialNo>\n`;
    if (e.model) s += `      <pskc:Model>${esc(e.model)}</pskc:Model>\n`;
    s += '    </pskc:DeviceInfo>\n';
  }
  // Element order is the schema's: Issuer, AlgorithmParameters, FriendlyName, Data, UserId.
  s += `    <pskc:Key Id="${esc(id)}" Algorithm="${o.type === 'hotp' ? HOTP_URN : TOTP_URN}">\n`;
  if (o.issuer) s += `      <pskc:Issuer>${esc(o.issuer)}</pskc:Issuer>\n`;
  s += '      <pskc:AlgorithmParameters>\n';
  s += `        <pskc:Suite>HMAC-${o.algorithm}</pskc:Suite>\n`;
  s += `        <pskc:ResponseFormat Length="${o.digits}" Encoding="DECIMAL"/>\n`;
  s += '      </pskc:AlgorithmParameters>\n';
  s += `      <pskc:FriendlyName>${esc(o.account)}</pskc:FriendlyName>\n`;
  s += '      <pskc:Data>\n';
  s += secretXml(o.secret, p);
  if (o.type === 'hotp') s += `        <pskc:Counter>\n          <pskc:PlainValue>${o.counter}</pskc:PlainValue>\n        </pskc:Counter>\n`;
  else s += `        <pskc:TimeInterval>\n          <pskc:PlainValue>${o.period}</pskc:PlainValue>\n        </pskc:TimeInterval>\n`;
  s += '      </pskc:Data>\n';
  if (e.userId) s += `      <pskc:UserId>${esc(e.userId)}</pskc:UserId>\n`;
  s += '    </pskc:Key>\n  </pskc:KeyPackage>\n';
  return s;
}

/** The PSKC document for these accounts. */
export function buildPskc(entries: PskcEntry[], opts: PskcWriteOptions = {}): string {
  if (entries.length === 0) throw new TokenError('BAD_INPUT', 'PSKC: no accounts to write');
  const ids = new Set<string>();
  const idOf = entries.map((e, i) => {
    const id = e.keyId || e.serial || `key-${i + 1}`;
    if (ids.has(id)) throw new TokenError('BAD_INPUT', `PSKC: two keys would have the Id '${id}'`);
    ids.add(id);
    return id;
  });
  let p: Protection | null = null;
  let head = '';
  if (opts.password !== undefined) {
    if (opts.password === '') throw new TokenError('BAD_INPUT', 'PSKC: the password is empty');
    const iterations = opts.iterations ?? DEFAULT_PBKDF2_ITERATIONS;
    if (!Number.isInteger(iterations) || iterations < 1000) throw new TokenError('BAD_INPUT', 'PSKC: PBKDF2 iterations must be a whole number of at least 1000');
    const salt = randomBytes(16);
    p = { key: pbkdf2Sync(Buffer.from(opts.password, 'utf8'), salt, iterations, 16, 'sha1'), macKey: randomBytes(20) };
    head =
      '  <pskc:EncryptionKey>\n    <xenc11:DerivedKey>\n' +
      `      <xenc11:KeyDerivationMethod Algorithm="${PBKDF2_URI}">\n` +
      '        <pkcs5:PBKDF2-params>\n' +
      `          <Salt>\n            <Specified>${b64(salt)}</Specified>\n          </Salt>\n` +
      `          <IterationCount>${iterations}</IterationCount>\n          <KeyLength>16</KeyLength>\n` +
      '        </pkcs5:PBKDF2-params>\n      </xenc11:KeyDerivationMethod>\n' +
      (opts.passwordName ? `      <xenc11:MasterKeyName>${esc(opts.passwordName)}</xenc11:MasterKeyName>\n` : '') +
      '    </xenc11:DerivedKey>\n  </pskc:EncryptionKey>\n' +
      `  <pskc:MACMethod Algorithm="${HMAC_SHA1_URI}">\n    <pskc:MACKey>\n${cipherValue('      ', encryptCbc(p.key, p.macKey))}    </pskc:MACKey>\n  </pskc:MACMethod>\n`;
  }
  try {
    let xml = '<?xml version="1.0" encoding="UTF-8"?>\n';
    xml += `<pskc:KeyContainer Version="1.0" xmlns:pskc="${PSKC_NS}"`;
    if (p) xml += ` xmlns:xenc="${XENC_NS}" xmlns:xenc11="${XENC11_NS}" xmlns:pkcs5="${PKCS5_NS}" xmlns:ds="${DS_NS}"`;
    xml += '>\n' + head;
    entries.forEach((e, i) => (xml += keyPackageXml(e, idOf[i], p)));
    return xml + '</pskc:KeyContainer>\n';
  } finally {
    p?.key.fill(0);
    p?.macKey.fill(0);
  }
}

/** Write a new PSKC file (0600, never over an existing one); returns its absolute path. */
export function writePskcFile(path: string, entries: PskcEntry[], opts: PskcWriteOptions = {}): string {
  return writeNewSecretFile(path, buildPskc(entries, opts));
}
