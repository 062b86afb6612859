// A pre-shared key file (--key-file in the CLI, the key-file picker in the
// page): hex text (spaces, colons, a 0x and a trailing newline allowed), else
// the raw bytes.
import { fromHex } from '../../../protocol/bytes.ts';
import { latin1Text } from '../../../protocol/latin1.ts';

export function keyFromFile(bytes: Uint8Array): Uint8Array {
  const text = latin1Text(bytes).replace(/[\s:]/g, '');
  if (text.length > 0 && text.length % 2 === 0 && /^(0x)?[0-9a-fA-F]+$/.test(text)) return fromHex(text.replace(/^0x/, ''));
  return new Uint8Array(bytes);
}
