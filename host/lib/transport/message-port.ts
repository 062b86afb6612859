// Transport over a MessagePort (the HTML structured-messaging channel): the
// web page talks to the firmware app running in a Web Worker through it.
// Each message is a string of byte values (transport.ts's convention), or
// null meaning the other end went away. Platform-free: browsers and Node
// (worker_threads' MessageChannel) both have MessagePort.
import type { Transport } from './transport.ts';
import { TransportError } from './transport.ts';

/** The part of MessagePort this uses (a DOM MessagePort). */
export interface BytePort {
  postMessage(message: string | null): void;
  onmessage: ((ev: MessageEvent) => void) | null;
  close(): void;
}

export function messagePortTransport(port: BytePort, address = 'simulator (web worker)'): Transport {
  let open = false;
  let dataHandler: (chunk: string) => void = () => {};
  let closeHandler: (err?: Error) => void = () => {};

  function ended(err?: Error): void {
    if (!open) return;
    open = false;
    port.onmessage = null;
    closeHandler(err);
  }

  return {
    address,
    open() {
      open = true;
      port.onmessage = (ev) => {
        if (typeof ev.data === 'string') dataHandler(ev.data);
        else if (ev.data === null) ended(new TransportError(`${address} went away`));
      };
      return Promise.resolve();
    },
    write(data) {
      if (!open) return Promise.reject(new TransportError(`${address} is not open`));
      port.postMessage(data);
      return Promise.resolve();
    },
    onData: (h) => void (dataHandler = h),
    onClose: (h) => void (closeHandler = h),
    close() {
      if (open) {
        port.postMessage(null); // tell the token its host left, as a pulled cable would
        ended();
        port.close();
      }
      return Promise.resolve();
    },
  };
}
