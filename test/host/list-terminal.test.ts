// A hostile token's names reach the terminal as text, never as control:
// `list` escapes every device string per field, so a "\n" in a name cannot
// fake a table line and an ESC cannot drive the terminal. The names come
// through the client's real parsing of a LIST reply (mock-device.ts plays the
// token: the simulator itself refuses control characters in ADD).
import { describe, expect, it } from 'vitest';
import { TokenClient } from '../../host/lib/client.ts';
import { escapeForTerminal, textToWire } from '../../host/lib/text.ts';
import { accountTable } from '../../host/cli/commands/list.ts';
import { COMMANDS } from '../../protocol/messages.ts';
import { HELLO_FIELDS, mockDevice } from '../helpers/mock-device.ts';

/** What Output.result writes to a terminal for these lines (host/cli/context.ts). */
const onTerminal = (lines: string[]): string => escapeForTerminal(lines.join('\n'));

describe('list: device text on a terminal', () => {
  it('a name with a line break, a tab or ESC stays on its own line and column, escaped', async () => {
    const evil = { name: 'bank\naws\tAmazon\tTOTP\tSHA1\t6\t30s', issuer: '\u001b[2J\u001b]0;pwned\u0007', algorithm: 1, digits: 6, period: 30 };
    const dev = mockDevice((req) => (req.command === COMMANDS.HELLO ? [{ fields: HELLO_FIELDS }] : [{ fields: { account: [{ ...evil, name: textToWire(evil.name), issuer: textToWire(evil.issuer) }], total: 1 } }]));
    await dev.transport.open();
    const client = new TokenClient(dev.transport, { timeoutMs: 200 });
    const accounts = await client.list();
    expect(accounts[0].name).toBe(evil.name); // the client hands the text on as the device sent it
    const shown = onTerminal(accountTable(accounts));
    const lines = shown.split('\n');
    expect(lines).toHaveLength(2); // the header and one account: no forged line
    expect(lines[1].split('\t')).toHaveLength(6); // and no forged columns
    expect(shown).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/); // no ESC, BEL... reaches the terminal
    expect(lines[1]).toMatch(/^bank\\naws\\tAmazon\\tTOTP\\tSHA1\\t6\\t30s\t\\e\[2J\\e\]0;pwned\\a\tTOTP\tSHA1\t6\t30s$/);
    await client.close();
  });
});
