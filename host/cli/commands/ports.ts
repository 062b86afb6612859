// totp-token ports: the serial ports this computer has, and which look like a board.
import type { Command } from 'commander';
import { listPorts } from '../../lib/ports.ts';
import { action, withJson } from '../context.ts';

export function register(program: Command): void {
  withJson(program.command('ports').description('list serial ports and which may be a token')).action(
    action(async (out) => {
      const { ports, warning } = await listPorts();
      if (warning) out.warn(warning);
      const lines = ports.length === 0 ? ['no serial ports found'] : ports.map((p) => `${p.path}\t${p.likelyBoard || '(not USB)'}${p.serialNumber ? `\tserial ${p.serialNumber}` : ''}`);
      out.result(lines, { ports, ...(warning ? { warning } : {}) });
    }),
  );
}
