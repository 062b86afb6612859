// Plays the device end of the wire protocol on a MockTransport: each request
// frame the client writes is decoded and handed to `respond`, whose replies
// (or raw text) are sent back. Lets client tests script timeouts, faults,
// WAITING replies and stale ids exactly.
import { createFrameReader, encodeFrame, REPLY_MARKER, REQUEST_MARKER } from '../../protocol/frame.ts';
import { decodeRequest, encodeReply, STATUS_OK } from '../../protocol/messages.ts';
import type { Request } from '../../protocol/messages.ts';
import type { Fields } from '../../protocol/tlv.ts';
import { MockTransport } from '../../host/lib/transport/mock.ts';

export interface ScriptedReply {
  /** Defaults to the request's id. */
  id?: number;
  status?: number;
  fields?: Fields;
  /** Send after this many ms instead of at once. */
  delayMs?: number;
}

export type Responder = (req: Request, n: number) => (ScriptedReply | string)[] | void;

export function replyFrame(id: number, status: number, fields: Fields): string {
  return encodeFrame(REPLY_MARKER, encodeReply({ id, status, fields }));
}

export const HELLO_FIELDS: Fields = { protocol: 1, firmware: '0.1.0', board: 'mock', algorithms: 0b011, slotsTotal: 4, slotsFree: 4, clock: 0, maxBody: 600 };

export function mockDevice(respond: Responder): { transport: MockTransport; requests: Request[] } {
  const requests: Request[] = [];
  const transport = new MockTransport();
  const reader = createFrameReader(
    REQUEST_MARKER,
    (body) => {
      const req = decodeRequest(body);
      requests.push(req);
      for (const r of respond(req, requests.length) ?? []) {
        const text = typeof r === 'string' ? r : replyFrame(r.id ?? req.id, r.status ?? STATUS_OK, r.fields ?? {});
        const send = () => transport.isOpen && transport.emitData(text);
        if (typeof r !== 'string' && r.delayMs) setTimeout(send, r.delayMs);
        else queueMicrotask(send);
      }
    },
    () => {},
  );
  transport.onWrite = (data) => reader.push(data);
  return { transport, requests };
}
