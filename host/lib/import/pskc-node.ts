// The PSKC reader as the CLI (and Node tests) use it: pskc.ts's codec with
// node:crypto's primitives, and files read by path.
import { readFileSync } from 'node:fs';
import { TokenError } from '../errors.ts';
import { readPskcRawWith, readPskcWith } from './pskc.ts';
import type { PskcKey, PskcRawKey, PskcReadOptions } from './pskc.ts';
import { nodePskcCrypto } from './pskc-crypto-node.ts';

export function readPskc(xml: string, opts: PskcReadOptions = {}): Promise<PskcKey[]> {
  return readPskcWith(nodePskcCrypto, xml, opts);
}

export function readPskcRaw(xml: string, opts: PskcReadOptions = {}): Promise<PskcRawKey[]> {
  return readPskcRawWith(nodePskcCrypto, xml, opts);
}

export function readPskcFile(file: string, opts: Omit<PskcReadOptions, 'source'> = {}): Promise<PskcKey[]> {
  let xml: string;
  try {
    xml = readFileSync(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new TokenError('BAD_INPUT', `cannot read ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.code ?? err.message}`);
  }
  return readPskc(xml, { ...opts, source: file });
}
