import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createTransport } from '../../host/lib/transport/index.ts';
import { MockTransport } from '../../host/lib/transport/mock.ts';
import { parseTcpAddress } from '../../host/lib/transport/tcp.ts';

describe('transport selection', () => {
  it('picks tcp for tcp:// and serial for paths', () => {
    expect(createTransport('tcp://127.0.0.1:4000').address).toBe('tcp://127.0.0.1:4000');
    expect(createTransport('/dev/ttyACM0').address).toBe('/dev/ttyACM0');
  });

  it('refuses unknown schemes, non-loopback hosts and bad ports with the fix in the message', () => {
    expect(() => createTransport('udp://127.0.0.1:1')).toThrow(/use a device path or tcp:\/\/127.0.0.1:PORT/);
    expect(() => createTransport('')).toThrow(/empty port/);
    expect(() => parseTcpAddress('tcp://10.0.0.2:4000')).toThrow(/only 127.0.0.1/);
    expect(() => parseTcpAddress('tcp://127.0.0.1:99999')).toThrow(/bad tcp address/);
  });

  it('tcp round-trips bytes 0..255 exactly and reports the peer closing', async () => {
    const server = createServer((s) => s.on('data', (d) => (d.includes(0x21) ? s.end() : s.write(d))));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const t = createTransport(`tcp://127.0.0.1:${(server.address() as AddressInfo).port}`);
    let got = '';
    const closed = new Promise<void>((r) => t.onClose(() => r()));
    t.onData((c) => (got += c));
    await t.open();
    let all = '';
    for (let i = 0; i < 256; i++) if (i !== 0x21) all += String.fromCharCode(i);
    await t.write(all);
    await expect.poll(() => got.length).toBe(255);
    expect(got).toBe(all);
    await t.write('!');
    await closed;
    await t.close();
    server.close();
  });

  it('a serial path that does not exist fails open with the path in the message', async () => {
    await expect(createTransport('/dev/does-not-exist-totp').open()).rejects.toThrow(/cannot open \/dev\/does-not-exist-totp/);
  });
});

describe('MockTransport', () => {
  it('records writes and feeds data, and says how to fix misuse', async () => {
    const m = new MockTransport();
    await expect(m.write('x')).rejects.toThrow(/await transport.open\(\) first/);
    await m.open();
    expect(() => m.emitData('x')).toThrow(/no onData handler/);
    let got = '';
    m.onData((c) => (got += c));
    await m.write('a');
    await m.write('b');
    expect(m.lastWrite).toBe('b');
    expect(m.writes).toEqual(['a', 'b']);
    m.emitData('<reply');
    expect(got).toBe('<reply');
    await expect(m.open()).rejects.toThrow(/open\(\) called twice/);
    await expect(new MockTransport({ openError: 'port busy' }).open()).rejects.toThrow('port busy');
  });
});
