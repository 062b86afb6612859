// The simulator: the same firmware app on Node, a 128x64 OLED framebuffer,
// two buttons on the keyboard, storage in a file. No hardware needed.
import type { BoardProfile } from './profile.ts';

export const sim: BoardProfile = {
  id: 'sim',
  name: 'Simulator (Node.js, 128x64 OLED framebuffer)',
  runtime: 'node',
  display: { driver: 'framebuffer', width: 128, height: 64 },
  buttons: [
    { role: 'next', pin: 'n', activeLow: false },
    { role: 'confirm', pin: 'space', activeLow: false },
  ],
  nativeHashes: ['SHA1', 'SHA256', 'SHA512'],
  algorithms: ['SHA1', 'SHA256', 'SHA512'],
  storage: { kind: 'file', maxAccounts: 32 },
  clock: { source: 'system', typicalDriftPpm: 0 },
};
