// The device end of the wire protocol: frames in from the serial port,
// replies out. Faulty frames get an error reply with id 0 (their id is
// unknown); the reader resynchronises on the next marker.
import { wipe } from '../protocol/bytes.ts';
import { createFrameReader, encodeFrame, LINE_TOO_LONG, REPLY_MARKER, REQUEST_MARKER } from '../protocol/frame.ts';
import { decodeRequest, encodeMessage, ERRORS, MAX_MESSAGE } from '../protocol/messages.ts';
import type { Request } from '../protocol/messages.ts';
import type { Fields } from '../protocol/tlv.ts';
import type { SerialPort } from './ports.ts';
import { say } from '../protocol/say.ts';
import { badRequest } from './refuse.ts';

export interface DeviceLink {
  /** A reply (an error reply carries its message in `fields.message`, cut to the field's limit by the caller). */
  reply(id: number, status: number, fields: Fields): void;
}

export function openDeviceLink(serial: SerialPort, onRequest: (req: Request) => void): DeviceLink {
  function reply(id: number, status: number, fields: Fields): void {
    serial.write(encodeFrame(REPLY_MARKER, encodeMessage(id, status, fields)));
  }
  /** An error reply for a frame the app never sees: status from ERRORS, message naming what was wrong. */
  function fault(id: number, status: number, message: string): void {
    // Cut to the field's limit: a long runtime message must not cost the reply itself.
    reply(id, status, { message: message.slice(0, MAX_MESSAGE) });
  }
  const reader = createFrameReader(
    REQUEST_MARKER,
    (body) => {
      let req: Request;
      try {
        if (!body[1]) badRequest('request id 0 is reserved for fault replies');
        req = decodeRequest(body);
      } catch (e) {
        const err = e as { code?: string; message: string };
        // decodeRequest's code is the status as a decimal string, or not a number ("TLV": a bad field); the reserved id's refusal has none: BAD_REQUEST.
        fault(body[1] || 0, +(err.code as string) || ERRORS.BAD_REQUEST, err['message']); // quoted: see ESPRUINO_INTERNAL_PROPS
        return;
      } finally {
        wipe(body);
      }
      onRequest(req);
    },
    (kind) =>
      kind === LINE_TOO_LONG
        ? fault(0, ERRORS.FRAME_TOO_LONG, say('frame longer than the device accepts'))
        : fault(0, ERRORS.BAD_FRAME, say('frame failed its check')),
  );
  serial.onData((chunk) => reader.push(chunk));
  return { reply: reply };
}
