// An in-memory Transport for unit tests, in the style of
// @serialport/binding-mock: the code under test uses it like a real link;
// the test drives the other end with emitData/emitClose and inspects
// lastWrite/writes. Misuse fails loudly with a message saying how to fix it.
import type { Transport } from './transport.ts';
import { TransportError } from './transport.ts';

export interface MockTransportOptions {
  address?: string;
  /** Make open() fail with this message (a missing or busy port). */
  openError?: string;
  /** Called for every write, after it is recorded: lets a test play the device. */
  onWrite?: (data: string, mock: MockTransport) => void;
}

export class MockTransport implements Transport {
  readonly address: string;
  isOpen = false;
  /** Every write, in order. */
  readonly writes: string[] = [];
  onWrite: ((data: string, mock: MockTransport) => void) | undefined;
  private dataHandler: ((chunk: string) => void) | null = null;
  private closeHandler: ((err?: Error) => void) | null = null;
  private readonly openError: string | undefined;

  constructor(opts: MockTransportOptions = {}) {
    this.address = opts.address ?? 'mock://token';
    this.openError = opts.openError;
    this.onWrite = opts.onWrite;
  }

  /** The most recent write, or undefined before any. */
  get lastWrite(): string | undefined {
    return this.writes[this.writes.length - 1];
  }

  async open(): Promise<void> {
    if (this.isOpen) throw new Error('MockTransport: open() called twice; close() it first');
    if (this.openError) throw new TransportError(this.openError);
    this.isOpen = true;
  }

  async write(data: string): Promise<void> {
    if (!this.isOpen) throw new TransportError('MockTransport: write() before open(); await transport.open() first');
    this.writes.push(data);
    this.onWrite?.(data, this);
  }

  onData(handler: (chunk: string) => void): void {
    this.dataHandler = handler;
  }

  onClose(handler: (err?: Error) => void): void {
    this.closeHandler = handler;
  }

  async close(): Promise<void> {
    if (!this.isOpen) return;
    this.isOpen = false;
    this.closeHandler?.();
  }

  /** Test hook: bytes arriving from the device. */
  emitData(chunk: string): void {
    if (!this.isOpen) throw new Error('MockTransport: emitData() on a closed transport; open() it first');
    if (!this.dataHandler) throw new Error('MockTransport: emitData() with no onData handler registered');
    this.dataHandler(chunk);
  }

  /** Test hook: the device went away (unplugged). */
  emitClose(err?: Error): void {
    this.isOpen = false;
    this.closeHandler?.(err);
  }
}
