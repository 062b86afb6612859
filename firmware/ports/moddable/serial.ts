// The USB serial link over ECMA-419 Serial (embedded:io/serial) in buffer
// format. Its write() throws "output full" past the free space the last
// onWritable(count) reported (the ESP32 writes straight into the 128-byte
// hardware FIFO), so replies wait in a queue and go out as space frees.
import Serial from 'embedded:io/serial';
import type { SerialPort } from '../../ports.ts';

export interface SerialWiring {
  /** Linux (the SDK's simulator): the tty or pty the link opens. */
  device?: string;
  port: number;
  receive: number;
  transmit: number;
  baud: number;
}

export interface ModdableSerial extends SerialPort {
  /** Bytes still waiting for space in the transmitter. */
  pending(): number;
}

function bytesToText(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

export function moddableSerial(wiring: SerialWiring): ModdableSerial {
  const queue: Uint8Array[] = [];
  let head = 0; // bytes of queue[0] already sent
  let room = 0; // free transmitter space, as onWritable last reported it
  let handler: (chunk: string) => void = () => {};
  let io: Serial | null = null;

  function pump(): void {
    while (io && room > 0 && queue.length > 0) {
      const chunk = queue[0];
      const n = Math.min(room, chunk.length - head);
      io.write(chunk.slice(head, head + n).buffer);
      room -= n;
      head += n;
      if (head >= chunk.length) {
        queue.shift();
        head = 0;
      }
    }
  }

  io = new Serial({
    device: wiring.device,
    port: wiring.port,
    receive: wiring.receive,
    transmit: wiring.transmit,
    baud: wiring.baud,
    format: 'buffer',
    onReadable: function (this: Serial, count: number) {
      if (!(count > 0)) return;
      const data = this.read();
      if (data && data.byteLength > 0) handler(bytesToText(new Uint8Array(data)));
    },
    onWritable: function (this: Serial, count: number) {
      room = count;
      pump();
    },
  });

  return {
    write: (text: string) => {
      const bytes = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 255;
      queue.push(bytes);
      pump();
    },
    onData: (h: (chunk: string) => void) => {
      handler = h;
    },
    pending: () => {
      let n = -head;
      for (let i = 0; i < queue.length; i++) n += queue[i].length;
      return n;
    },
  };
}
