// What a piece of text (a QR code's content, a line of a file) holds, so an
// import can take the kinds it knows and refuse the rest with a reason that
// says what the user actually scanned — without echoing it (a Wi-Fi QR code
// holds a password, a link may hold a token).

export type TextKind = 'otpauth' | 'migration' | 'pskc' | 'other';

export interface Classified {
  kind: TextKind;
  /** For 'other': what it looks like instead, e.g. "a web link (https://)". */
  what?: string;
}

export function classifyText(text: string): Classified {
  const t = text.replace(/^\uFEFF/, '').trim();
  const lower = t.toLowerCase();
  if (lower.startsWith('otpauth://')) return { kind: 'otpauth' };
  if (lower.startsWith('otpauth-migration://')) return { kind: 'migration' };
  if (lower.startsWith('<') && /<([a-z0-9_-]+:)?(keycontainer|secretcontainer)[\s>]/i.test(t.slice(0, 4096))) return { kind: 'pskc' };
  return { kind: 'other', what: describeOther(t, lower) };
}

function describeOther(t: string, lower: string): string {
  if (t === '') return 'nothing (it is empty)';
  if (lower.startsWith('http://') || lower.startsWith('https://')) return 'a web link (http/https), not a key';
  if (lower.startsWith('wifi:')) return 'a Wi-Fi network (WIFI:), not a key';
  if (lower.startsWith('begin:vcard')) return 'a contact card (vCard), not a key';
  if (lower.startsWith('mailto:')) return 'an e-mail address (mailto:), not a key';
  if (lower.startsWith('tel:') || lower.startsWith('sms')) return 'a phone number, not a key';
  if (lower.startsWith('geo:')) return 'a location (geo:), not a key';
  if (lower.startsWith('otpauth:')) return "a malformed otpauth URI (it must start with 'otpauth://')";
  if (lower.startsWith('<')) return 'XML or HTML that is not a PSKC KeyContainer';
  if (/^[a-z][a-z0-9+.-]{1,30}:/.test(lower)) return `a ${lower.slice(0, lower.indexOf(':'))}: URI, not an otpauth:// key`;
  if (/^[a-z2-7 =-]{16,}$/i.test(t)) return 'what looks like a bare base32 key (it carries no account name: add it with totp-token add)';
  return 'plain text, not an otpauth:// key';
}
