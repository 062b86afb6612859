// totp-token web: serve the web page (flash, provision, try it) on 127.0.0.1.
import type { Command } from 'commander';
import { action } from '../context.ts';

export function register(program: Command): void {
  program
    .command('web')
    .description('serve the web page (provision over Web Serial, or try a token in the browser) on 127.0.0.1')
    .option('--listen <port>', 'port on 127.0.0.1 (default: a free one)', '0')
    .action(
      action(async (out, opts: { listen: string }) => {
        const { defaultWebRoot, serveWeb } = await import('../web-server.ts');
        const port = Number(opts.listen);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new (await import('../../lib/errors.ts')).TokenError('USAGE', `--listen takes a port number, not '${opts.listen}'`);
        const web = await serveWeb(defaultWebRoot(), port);
        out.result(web.url, { url: web.url });
        out.note('Open it in Chrome or Edge (Web Serial). Ctrl-C to stop.');
        await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
        await web.close();
      }),
    );
}
