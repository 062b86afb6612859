// Microsoft Entra ID's OATH hardware token CSV (Entra admin center:
// Protection > Authentication methods > OATH tokens > Upload):
//   upn,serial number,secret key,time interval,manufacturer,model
//   helga@contoso.com,1234567,JBSWY3DPEHPK3PXP,30,Contoso,HardwareKey
// Entra takes TOTP with HMAC-SHA1, 6 digits, and a 30 or 60 second interval;
// the secret is base32. Anything else is refused before a file is written.
// The writer and a reader (for round trips and re-imports) live here together.
import { base32Decode, base32Encode } from '../../../protocol/base32.ts';
import type { OtpAuth } from '../../../protocol/otpauth.ts';
import { TokenError } from '../errors.ts';
import { writeNewSecretFile } from './secure-file.ts';

export const ENTRA_HEADER = 'upn,serial number,secret key,time interval,manufacturer,model';

export interface EntraRow {
  /** The user the token is for; may be empty to assign later in the portal. */
  upn: string;
  serial: string;
  secret: Uint8Array;
  /** 30 or 60. */
  period: number;
  manufacturer: string;
  model: string;
}

/** Why Entra cannot take this account, or null. */
export function entraIncompatibility(o: OtpAuth): string | null {
  if (o.type !== 'totp') return 'Entra takes TOTP tokens only';
  if (o.algorithm !== 'SHA1') return `Entra takes HMAC-SHA1 only, not ${o.algorithm}`;
  if (o.digits !== 6) return `Entra takes 6-digit codes only, not ${o.digits}`;
  if (o.period !== 30 && o.period !== 60) return `Entra takes a time interval of 30 or 60 seconds, not ${o.period}`;
  return null;
}

function cell(value: string, column: string, row: number): string {
  if (/[\r\n\u0000-\u001f]/.test(value)) throw new TokenError('BAD_INPUT', `Entra CSV row ${row}: ${column} contains a line break or control character`);
  // A cell that starts like a formula is a spreadsheet-injection risk; no UPN, serial or model needs one.
  if (/^[=+\-@]/.test(value)) throw new TokenError('BAD_INPUT', `Entra CSV row ${row}: ${column} starts with '${value[0]}', which spreadsheets run as a formula`);
  return /[",]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function buildEntraCsv(rows: EntraRow[]): string {
  if (rows.length === 0) throw new TokenError('BAD_INPUT', 'Entra CSV: no tokens to write');
  const serials = new Set<string>();
  const lines = [ENTRA_HEADER];
  rows.forEach((r, i) => {
    const n = i + 1;
    if (r.serial === '') throw new TokenError('BAD_INPUT', `Entra CSV row ${n}: the serial number is empty`);
    if (serials.has(r.serial)) throw new TokenError('BAD_INPUT', `Entra CSV row ${n}: serial number '${r.serial}' appears twice`);
    serials.add(r.serial);
    if (r.period !== 30 && r.period !== 60) throw new TokenError('BAD_INPUT', `Entra CSV row ${n}: time interval must be 30 or 60, got ${r.period}`);
    if (r.secret.length === 0) throw new TokenError('BAD_INPUT', `Entra CSV row ${n}: the secret is empty`);
    lines.push(
      [cell(r.upn, 'upn', n), cell(r.serial, 'serial number', n), base32Encode(r.secret, false), String(r.period), cell(r.manufacturer, 'manufacturer', n), cell(r.model, 'model', n)].join(','),
    );
  });
  return lines.join('\r\n') + '\r\n';
}

/** Write a new Entra CSV (0600, never over an existing file); returns its absolute path. */
export function writeEntraCsvFile(path: string, rows: EntraRow[]): string {
  return writeNewSecretFile(path, buildEntraCsv(rows));
}

/** RFC 4180 fields of one line (quotes may hold commas; no line breaks inside). */
function splitCsvLine(line: string, n: number): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) throw new TokenError('BAD_INPUT', `Entra CSV line ${n}: unterminated quote`);
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += line[i++];
      }
      if (i < line.length && line[i] !== ',') throw new TokenError('BAD_INPUT', `Entra CSV line ${n}: text after a closing quote`);
    } else {
      const comma = line.indexOf(',', i);
      field = comma < 0 ? line.slice(i) : line.slice(i, comma);
      i = comma < 0 ? line.length : comma;
    }
    out.push(field.trim());
    if (i >= line.length) return out;
    i++; // the comma
  }
}

/** Read an Entra OATH CSV back; all rows or an error naming the line (never the secret). */
export function parseEntraCsv(text: string): EntraRow[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0].trim().toLowerCase().replace(/\s*,\s*/g, ',') !== ENTRA_HEADER) {
    throw new TokenError('BAD_INPUT', `Entra CSV: the first line must be the header '${ENTRA_HEADER}'`);
  }
  const rows: EntraRow[] = [];
  try {
    for (let i = 1; i < lines.length; i++) {
      if (lines[i].trim() === '') continue;
      const f = splitCsvLine(lines[i], i + 1);
      if (f.length !== 6) throw new TokenError('BAD_INPUT', `Entra CSV line ${i + 1}: expected 6 fields, got ${f.length}`);
      const period = Number(f[3]);
      if (period !== 30 && period !== 60) throw new TokenError('BAD_INPUT', `Entra CSV line ${i + 1}: time interval must be 30 or 60, got '${f[3]}'`);
      let secret: Uint8Array;
      try {
        secret = base32Decode(f[2]);
      } catch (e) {
        throw new TokenError('BAD_INPUT', `Entra CSV line ${i + 1}: secret key: ${(e as Error).message}`);
      }
      rows.push({ upn: f[0], serial: f[1], secret, period, manufacturer: f[4], model: f[5] });
    }
  } catch (e) {
    for (const r of rows) r.secret.fill(0);
    throw e;
  }
  return rows;
}
