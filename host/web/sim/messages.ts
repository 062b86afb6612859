// What the page and the try-it token worker say to each other (besides the
// serial bytes, which go over their own MessagePort).
import type { ButtonRole } from '../../../firmware/ports.ts';

export type WorkerRequest = { type: 'connect'; port: MessagePort } | { type: 'press'; role: ButtonRole };

export type WorkerReport = { type: 'display'; width: number; height: number; buffer: Uint8Array; pending: string | null; settleMs: number };
// settleMs: how long the screen must show `pending` before a Confirm press counts (firmware/presence.ts).
