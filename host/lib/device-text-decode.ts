// Tokenized device text back into words (see device-text.ts for why devices
// send tokens). Platform-free: the CLI reads the template table from the
// package's sources (device-text.ts), the web page has it built in
// (host/tools/build-web.ts), and both decode here.
import { crc32 } from '../../protocol/crc32.ts';
import { say } from '../../protocol/say.ts';

const START = '\x1e';
const SEP = '\x1f';
const END = '\x1d';

function templateCrc(template: string): number {
  const bytes = new Uint8Array(template.length);
  for (let i = 0; i < template.length; i++) bytes[i] = template.charCodeAt(i) & 255;
  return crc32(bytes);
}

/** 64 characters a JavaScript string holds without an escape. */
const TOKEN_DIGITS = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_.';

/**
 * The token of a template: the top 18 bits of its CRC-32 as three characters
 * of TOKEN_DIGITS. Every say() in the Espruino bundle carries one, so each
 * character counts; templateTable refuses two templates that share a token.
 */
export function tokenOf(template: string): string {
  const c = templateCrc(template);
  return TOKEN_DIGITS[c >>> 26] + TOKEN_DIGITS[(c >>> 20) & 63] + TOKEN_DIGITS[(c >>> 14) & 63];
}

/** The token firmware built before the three-character tokens sends: 24 bits of the CRC-32 in base 36 (at most 5 characters). Hosts still read it. */
export function legacyTokenOf(template: string): string {
  return (templateCrc(template) >>> 8).toString(36);
}

/**
 * A device message in words: tokens replaced by their templates with the
 * values filled in (tokens may nest inside values). Plain text passes through.
 * A token this host does not know shows as "device message #<token> (values)".
 */
export function decodeDeviceText(message: string, table: Map<string, string>): string {
  if (message.indexOf(START) < 0) return message;
  let i = 0;
  function parseValue(stopAt: string): string {
    let out = '';
    while (i < message.length && stopAt.indexOf(message[i]) < 0) {
      if (message[i] === START) out += parseToken();
      else out += message[i++];
    }
    return out;
  }
  function parseToken(): string {
    i++; // START
    let token = '';
    while (i < message.length && message[i] !== SEP && message[i] !== END) token += message[i++];
    const values: string[] = [];
    while (i < message.length && message[i] === SEP) {
      i++;
      values.push(parseValue(SEP + END));
    }
    if (message[i] === END) i++;
    const template = table.get(token);
    if (template === undefined) return `device message #${token}` + (values.length ? ` (${values.join(', ')})` : '');
    return say(template, values[0], values[1], values[2]);
  }
  // Control characters from a device never reach the terminal.
  return parseValue('').replace(/[\x00-\x1f\x7f]/g, '?');
}
