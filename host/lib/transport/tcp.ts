// Transport over TCP, for the simulator on systems without ptys:
// tcp://127.0.0.1:PORT. Only loopback is accepted by default: the link
// carries seeds in the clear, and a token is a local device.
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import type { Transport } from './transport.ts';
import { fromBuffer, toBuffer } from './node-bytes.ts';
import { TransportError } from './transport.ts';

export function parseTcpAddress(spec: string): { host: string; port: number } {
  const m = /^tcp:\/\/([^:/]+):(\d{1,5})\/?$/.exec(spec);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port < 1 || port > 65535) throw new TransportError(`bad tcp address '${spec}': expected tcp://127.0.0.1:PORT`);
  const host = m[1];
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]') {
    throw new TransportError(`refusing tcp host '${host}': seeds cross this link in the clear, so only 127.0.0.1 is allowed`);
  }
  return { host: host === '[::1]' ? '::1' : host, port };
}

export function tcpTransport(spec: string): Transport {
  const { host, port } = parseTcpAddress(spec);
  let socket: Socket | null = null;
  let dataHandler: (chunk: string) => void = () => {};
  let closeHandler: (err?: Error) => void = () => {};

  return {
    address: spec,
    open() {
      return new Promise((resolve, reject) => {
        const s = connect({ host, port });
        s.setNoDelay(true);
        s.once('connect', () => {
          s.off('error', reject);
          s.on('error', () => {}); // the 'close' event reports it
          socket = s;
          resolve();
        });
        s.once('error', (e) => reject(new TransportError(`cannot connect to ${spec}: ${e.message}`)));
        s.on('data', (d: Buffer) => dataHandler(fromBuffer(d)));
        s.on('close', (hadError) => closeHandler(hadError ? new TransportError(`${spec} closed with an error`) : undefined));
      });
    },
    write(data) {
      const s = socket;
      if (!s || s.destroyed) return Promise.reject(new TransportError(`${spec} is not open`));
      return new Promise((resolve, reject) => s.write(toBuffer(data), (err) => (err ? reject(new TransportError(`write to ${spec} failed: ${err.message}`)) : resolve())));
    },
    onData: (h) => void (dataHandler = h),
    onClose: (h) => void (closeHandler = h),
    close() {
      const s = socket;
      socket = null;
      if (!s || s.destroyed) return Promise.resolve();
      return new Promise((resolve) => {
        s.once('close', () => resolve());
        s.end();
        s.destroySoon();
      });
    },
  };
}
