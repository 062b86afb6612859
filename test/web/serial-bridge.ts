// A navigator.serial for the page under test, with the browser API's shape
// (WICG Serial API, https://wicg.github.io/serial/): requestPort({filters})
// resolves a SerialPort whose open({baudRate}) gives a ReadableStream and a
// WritableStream of Uint8Array, close() that rejects while a stream is locked,
// getInfo() with USB ids, and on a lost device (§"readable" steps: the stream
// errors with a NetworkError DOMException; §"disconnect" event on the port and
// on navigator.serial). Its bytes cross a WebSocket, served on the page's own
// origin (so the page's CSP, connect-src 'self', stays as shipped), to the
// device: the simulator's TCP port, or the fake Espruino REPL's pty. Tests
// pull the cable by dropping the WebSocket.
import type { Server } from 'node:http';
import { WebSocketServer } from 'ws';
import type { WebSocket as NodeWebSocket } from 'ws';
import { createTransport } from '../../host/lib/transport/index.ts';
import type { Transport } from '../../host/lib/transport/index.ts';

export interface SerialBridge {
  /** Where the next opened port leads: the simulator's tcp:// address or a pty path (the fake Espruino REPL). */
  target: string;
  /** The open bridged connections (one per open port). */
  live(): number;
  /** Pull the cable: every bridged connection drops at once. */
  pull(): void;
  /** Bytes to the device on every open connection that the page did not send (as what a board reset leaves: the port open, the token's session gone). */
  inject(data: string): void;
  close(): void;
}

/** The Node end uses host/lib's own transports (TCP or serialport on a pty) to reach the device. */
export function bridgeSerial(server: Server, target: string): SerialBridge {
  const wss = new WebSocketServer({ noServer: true });
  const pairs = new Set<{ ws: NodeWebSocket; device: Transport }>();
  const bridge: SerialBridge = {
    target,
    live: () => pairs.size,
    pull: () => {
      for (const p of pairs) {
        p.ws.terminate();
        void p.device.close();
      }
      pairs.clear();
    },
    inject: (data) => {
      for (const p of pairs) void p.device.write(data);
    },
    close: () => wss.close(),
  };
  server.on('upgrade', (req, socket, head) => {
    if (req.url !== '/serial-bridge') return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      const device = createTransport(bridge.target);
      const pair = { ws, device };
      const end = () => {
        if (!pairs.delete(pair)) return;
        void device.close();
        ws.terminate();
      };
      device.onData((chunk) => ws.send(Buffer.from(chunk, 'latin1')));
      device.onClose(end);
      ws.on('close', end);
      // Bytes the page sends before the device side is open wait for it, in order.
      const ready = device.open();
      pairs.add(pair);
      ws.on('message', (d) => void ready.then(() => device.write((d as Buffer).toString('latin1'))).catch(end));
      ready.catch(end);
    });
  });
  return bridge;
}

/** Runs in the page before its own scripts (puppeteer's evaluateOnNewDocument). */
export function injectFakeSerial(usbVendorId: number, usbProductId: number): void {
  const w = window as unknown as { __serialFilters: unknown[] };
  w.__serialFilters = [];
  const serial = new EventTarget();
  class FakeSerialPort extends EventTarget {
    readable: ReadableStream<Uint8Array> | null = null;
    writable: WritableStream<Uint8Array> | null = null;
    private ws: WebSocket | null = null;
    getInfo() {
      return { usbVendorId, usbProductId };
    }
    open(options: { baudRate: number }): Promise<void> {
      if (this.ws) return Promise.reject(new DOMException('The port is already open.', 'InvalidStateError'));
      if (!(options && options.baudRate > 0)) return Promise.reject(new TypeError('Failed to execute open on SerialPort: baudRate is required'));
      return new Promise((resolve, reject) => {
        const ws = new WebSocket(`ws://${location.host}/serial-bridge`);
        ws.binaryType = 'arraybuffer';
        let controller: ReadableStreamDefaultController<Uint8Array>;
        ws.onopen = () => {
          this.ws = ws;
          this.readable = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
          this.writable = new WritableStream<Uint8Array>({
            write: (chunk) => {
              if (ws.readyState !== WebSocket.OPEN) throw new DOMException('The device has been lost.', 'NetworkError');
              ws.send(chunk);
            },
          });
          resolve();
        };
        ws.onerror = () => reject(new DOMException('Failed to open serial port.', 'NetworkError'));
        ws.onmessage = (ev) => controller.enqueue(new Uint8Array(ev.data as ArrayBuffer));
        ws.onclose = () => {
          if (this.ws !== ws) return; // closed by close(): nothing was lost
          this.ws = null;
          try {
            controller.error(new DOMException('The device has been lost.', 'NetworkError'));
          } catch {
            // already cancelled by the page
          }
          this.dispatchEvent(new Event('disconnect'));
          serial.dispatchEvent(new Event('disconnect'));
        };
      });
    }
    async close(): Promise<void> {
      if (this.readable?.locked || this.writable?.locked) throw new DOMException('Cannot close a port with locked streams.', 'InvalidStateError');
      const ws = this.ws;
      this.ws = null;
      this.readable = null;
      this.writable = null;
      ws?.close();
    }
  }
  Object.assign(serial, {
    requestPort(options?: { filters?: unknown[] }) {
      w.__serialFilters = options?.filters ?? [];
      return Promise.resolve(new FakeSerialPort());
    },
    getPorts: () => Promise.resolve([]),
  });
  Object.defineProperty(navigator, 'serial', { value: serial, configurable: true });
}
