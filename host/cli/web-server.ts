// The static server behind `totp-token web`: the built page (dist/web) on
// 127.0.0.1 only (Web Serial needs a secure context, and localhost is one),
// GET/HEAD of the files in that one folder, with the page's
// Content-Security-Policy also sent as a header (frame-ancestors works only there).
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PAGE_CSP = "default-src 'none'; script-src 'self'; worker-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.png': 'image/png', '.svg': 'image/svg+xml' };

/** dist/web beside the bundled CLI (dist/totp-token.mjs), or the repo's dist/web when run from source. */
export function defaultWebRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const dir of [join(here, 'web'), join(here, '../../dist/web')]) if (existsSync(join(dir, 'index.html'))) return dir;
  throw new Error('the web page is not built: run npm run build');
}

export interface WebServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export function serveWeb(root: string, port = 0): Promise<WebServer> {
  const base = normalize(root + sep);
  const server = createServer((req, res) => {
    const headers = { 'Content-Security-Policy': PAGE_CSP, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cross-Origin-Opener-Policy': 'same-origin', 'Cache-Control': 'no-cache' };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      res.writeHead(400, headers).end();
      return;
    }
    const file = normalize(join(base, path.endsWith('/') ? path + 'index.html' : path));
    const type = TYPES[extname(file)];
    if (!file.startsWith(base) || !type || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': type });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: p } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${p}/`, server, close: () => new Promise<void>((r) => server.close(() => r())) });
    });
  });
}
