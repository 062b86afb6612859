// The page's side of the try-it token: starts the worker, paints its
// framebuffer on the canvas (one canvas pixel per display pixel; CSS scales
// it up with crisp edges), turns on-screen buttons into presses, and hands
// out a Transport to it for host/lib's client. Loaded only when used.
import type { ButtonRole } from '../../../firmware/ports.ts';
import { messagePortTransport } from '../../lib/transport/message-port.ts';
import type { Transport } from '../../lib/transport/transport.ts';
import type { WorkerReport, WorkerRequest } from './messages.ts';

export interface TrySimulator {
  /** A new host connection to the token (like plugging the cable in). */
  connect(): Transport;
  press(role: ButtonRole): void;
  stop(): void;
}

/** Lit pixels in OLED blue-white, the same colours as the CLI's PNGs (firmware/ports/node/render.ts). */
function paint(canvas: HTMLCanvasElement, r: WorkerReport): void {
  canvas.width = r.width;
  canvas.height = r.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const img = ctx.createImageData(r.width, r.height);
  for (let y = 0; y < r.height; y++) {
    for (let x = 0; x < r.width; x++) {
      const on = (r.buffer[x + (y >> 3) * r.width] & (1 << (y & 7))) !== 0;
      const i = (y * r.width + x) * 4;
      img.data[i] = on ? 0xc8 : 0;
      img.data[i + 1] = on ? 0xf0 : 0;
      img.data[i + 2] = on ? 0xff : 0;
      img.data[i + 3] = 0xff;
    }
  }
  ctx.putImageData(img, 0, 0);
}

export function startSimulator(canvas: HTMLCanvasElement, onPending: (action: string | null, settleMs: number) => void): TrySimulator {
  const worker = new Worker(new URL('./token-worker.js', import.meta.url), { type: 'module', name: 'totp-token simulator' });
  const send = (m: WorkerRequest, transfer: Transferable[] = []) => worker.postMessage(m, transfer);
  worker.onmessage = (ev: MessageEvent<WorkerReport>) => {
    if (ev.data.type !== 'display') return;
    paint(canvas, ev.data);
    onPending(ev.data.pending, ev.data.settleMs);
  };
  return {
    connect() {
      const channel = new MessageChannel();
      send({ type: 'connect', port: channel.port2 }, [channel.port2]);
      return messagePortTransport(channel.port1);
    },
    press: (role) => send({ type: 'press', role }),
    stop: () => worker.terminate(),
  };
}
